"""Generate ``n`` distinct labelled pairs for a seed, and the command line (``python -m comparisons.engine.datagen``)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TextIO

from comparisons.engine.datagen.exclusions import (
    EXCLUDED_PAIR_HASHES,
    alnum,
    golden_pairs,
    hash_pairs_file,
    pair_hash,
    pair_key,
)
from comparisons.engine.datagen.families import IMMATERIAL, MATERIAL
from comparisons.engine.datagen.generator import Generator, Record
from comparisons.engine.datagen.names import load_base_names

DEFAULT_N = 60_000
DEFAULT_SEED = 20261126
# Share of MATERIAL pairs. Real comparison traffic (screening hits, registry reconciliation) is mostly the
# same entity written differently; a 50/50 mix made the model call real writing variation material.
DEFAULT_MATERIAL_SHARE = 0.35


def generate_labelled(
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    material_share: float = DEFAULT_MATERIAL_SHARE,
    base_names: str | Path | None = None,
) -> list[Record]:
    """``n`` distinct labelled pairs with the family that made each (deterministic for a given seed)."""
    if n < 1:
        raise ValueError("n must be positive")
    gen = Generator(seed, load_base_names(str(base_names) if base_names else None))
    rng = gen.rng
    excluded = golden_pairs()
    seen: set[tuple[str, str]] = set()
    out: list[Record] = []
    imm_w = [f.weight for f in IMMATERIAL]
    mat_w = [f.weight for f in MATERIAL]
    n_mat = round(n * material_share)
    targets = {1: n_mat, 0: n - n_mat}
    counts = {0: 0, 1: 0}
    attempts = 0
    while counts[0] + counts[1] < n:
        attempts += 1
        if attempts > 20 * n + 1000:
            raise RuntimeError("could not generate enough distinct pairs")
        label = 1 if counts[1] < targets[1] and (counts[0] >= targets[0] or rng.random() < material_share) else 0
        if label:
            rec = rng.choices(MATERIAL, weights=mat_w)[0].make(gen)
        else:
            rec = rng.choices(IMMATERIAL, weights=imm_w)[0].make(gen)
        if rec is None or not rec.name1.strip() or not rec.name2.strip():
            continue
        key = pair_key(rec.name1, rec.name2)
        if alnum(key[0]) == alnum(key[1]):
            # differs in case / spacing / punctuation only: teaches nothing that normalisation does not do (such
            # variants still appear stacked on other changes)
            continue
        if key in seen or key in excluded or pair_hash(key) in EXCLUDED_PAIR_HASHES:
            continue
        seen.add(key)
        out.append(rec)
        counts[rec.label] += 1
    return out


def generate_pairs(
    n: int = DEFAULT_N, seed: int = DEFAULT_SEED, material_share: float = DEFAULT_MATERIAL_SHARE
) -> list[tuple[str, str, int]]:
    """``n`` distinct ``(name1, name2, label)`` pairs, label 1 = MATERIAL; same seed, same list."""
    return [(r.name1, r.name2, r.label) for r in generate_labelled(n, seed, material_share)]


def write_csv(records: list[Record], out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["name1", "name2", "label", "source"])
    for r in records:
        w.writerow([r.name1, r.name2, r.label, r.kind])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate labelled legal-name pairs (label 1 = MATERIAL).")
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", default="-", help="CSV path (name1,name2,label,source); '-' for stdout")
    parser.add_argument("--hash-pairs", metavar="PATH", help="print the exclusion hashes of a pairs CSV and exit")
    args = parser.parse_args(argv)
    if args.hash_pairs:
        print(" ".join(hash_pairs_file(args.hash_pairs)))
        return 0
    records = generate_labelled(args.n, args.seed)
    if args.out == "-":
        write_csv(records, sys.stdout)
    else:
        with open(args.out, "w", newline="", encoding="utf-8") as fh:
            write_csv(records, fh)
        n1 = sum(r.label for r in records)
        print(
            f"wrote {len(records)} pairs ({n1} material, {len(records) - n1} immaterial) to {args.out}", file=sys.stderr
        )
    return 0
