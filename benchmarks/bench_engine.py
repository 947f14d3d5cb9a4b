"""Benchmark: LegalName's engine against open-source peers, measured in the same run on one core.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_engine.py [--model PATH] [--markdown]

Quality on ``../shared/data/dev_pairs.csv`` (real pairs, evaluation only) and on the golden set
(``comparisons/engine/data/golden_pairs.csv``): ROC AUC, balanced accuracy and F1 (material class).
Ours uses its own fixed threshold (chosen on its own generated validation data); each peer is given the
threshold that is best for it *on the file* (maximum balanced accuracy), an upper bound for the peer.

Speed: pairs per second on one pinned core with 1 BLAS/OpenMP thread, on the same fresh generated pairs
(a seed never used for training) for ours and logic-v2, in interleaved rounds that are all cold (our per-name
caches cleared; logic-v2 in a fresh process, warmed up on other pairs); single-pair ``compare()`` median latency;
training time for 100,000 generated pairs; model size on disk and RSS growth when loading it.

Peers:
- rapidfuzz ``WRatio`` on ``rapidfuzz.utils.default_process`` (material score = 1 - similarity);
- OpenSanctions nomenklatura ``logic-v2`` (yente's default matcher) on followthemoney ``Company`` entities,
  run in the separate benchmark environment (``.venv-bench``, ``benchmarks/requirements.txt``: nomenklatura
  pins scikit-learn 1.9 while the app pins 1.7) as a subprocess of this script (``--peer-worker``).

Nothing here is a test and nothing asserts a wall-clock time.
"""

from __future__ import annotations

import os

for _var in (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "RAYON_NUM_THREADS",
):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from importlib.metadata import version  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from rapidfuzz import fuzz, utils  # noqa: E402
from sklearn import metrics as skm  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DEV = REPO.parent / "shared" / "data" / "dev_pairs.csv"
DEFAULT_GOLDEN = REPO / "comparisons" / "engine" / "data" / "golden_pairs.csv"
DEFAULT_BENCH_PYTHON = REPO / ".venv-bench" / "bin" / "python"
SPEED_SEED = 99_991  # pairs for the speed runs: a seed never used for training
PEER_TIMEOUT_S = 1800  # one logic-v2 worker run (quality sets or one speed round); about 5 s for 20,000 pairs


def pin_one_core() -> int | None:
    """Pin this process (and its children) to one CPU; returns it (None where unsupported)."""
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):
        return None


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def read_pairs(path: Path) -> tuple[list[tuple[str, str]], list[int]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    return [(r["name1"], r["name2"]) for r in rows], [int(r["label"]) for r in rows]


# --------------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------------


def metrics_fixed(labels, scores, threshold: float) -> dict:
    y, s = np.asarray(labels), np.asarray(scores, dtype=float)
    pred = (s >= threshold).astype(int)
    return {
        "roc_auc": float(skm.roc_auc_score(y, s)),
        "balanced_accuracy": float(skm.balanced_accuracy_score(y, pred)),
        "f1": float(skm.f1_score(y, pred, zero_division=0)),
        "accuracy": float(skm.accuracy_score(y, pred)),
        "threshold": float(threshold),
    }


def metrics_best(labels, scores) -> dict:
    """The peer at the threshold that maximises its balanced accuracy on this very file."""
    s = np.asarray(scores, dtype=float)
    cands = np.unique(s)
    mids = np.concatenate([[cands[0] - 1e-9], (cands[:-1] + cands[1:]) / 2, [cands[-1] + 1e-9]])
    best = max(mids, key=lambda t: metrics_fixed(labels, s, t)["balanced_accuracy"])
    return metrics_fixed(labels, s, float(best))


# --------------------------------------------------------------------------------------------------
# Peers
# --------------------------------------------------------------------------------------------------


def rapidfuzz_scores(pairs) -> list[float]:
    proc = utils.default_process
    return [1.0 - fuzz.WRatio(a, b, processor=proc) / 100.0 for a, b in pairs]


def logic_v2_worker(in_path: str, out_path: str) -> None:
    """Runs inside .venv-bench: score {"sets": {name: [[a, b], ...]}, "speed": [[a, b], ...]}."""
    pin_one_core()
    from followthemoney import model  # the peers exist only in .venv-bench, where this worker runs
    from nomenklatura.matching import LogicV2  # (nomenklatura pins another scikit-learn than the app)

    config = LogicV2.default_config()
    job = json.loads(Path(in_path).read_text(encoding="utf-8"))

    def entities(pairs):
        out = []
        for i, (a, b) in enumerate(pairs):
            ea, eb = model.make_entity("Company"), model.make_entity("Company")
            ea.id, eb.id = f"a{i}", f"b{i}"
            ea.add("name", a)
            eb.add("name", b)
            out.append((ea, eb))
        return out

    result: dict = {"sets": {}, "version": _version("nomenklatura")}
    for name, pairs in job["sets"].items():
        # material score = 1 - match score
        result["sets"][name] = [1.0 - LogicV2.compare(a, b, config).score for a, b in entities(pairs)]
    # one-time start-up (data tables, automata) is not speed: warm up on other pairs, as ours was by the quality runs
    for a, b in entities(job.get("warmup", [])):
        LogicV2.compare(a, b, config)
    ents = entities(job["speed"])
    if ents:
        t0 = time.perf_counter()
        for a, b in ents:
            LogicV2.compare(a, b, config)
        elapsed = time.perf_counter() - t0
        result["speed"] = {"pairs": len(ents), "seconds": elapsed, "pairs_per_s": len(ents) / elapsed}
    Path(out_path).write_text(json.dumps(result), encoding="utf-8")


def _version(dist: str) -> str:
    try:
        return version(dist)
    except Exception:  # noqa: BLE001 - informative only
        return "?"


def run_logic_v2(bench_python: Path, sets: dict, speed_pairs, warmup_pairs=()) -> dict:
    if not bench_python.is_file():
        return {
            "error": f"{bench_python} not found: create it with python3 -m venv .venv-bench && "
            ".venv-bench/bin/pip install -r benchmarks/requirements.txt"
        }
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        job = {"sets": sets, "speed": list(speed_pairs), "warmup": list(warmup_pairs)}
        src.write_text(json.dumps(job), encoding="utf-8")
        try:
            proc = subprocess.run(
                [str(bench_python), __file__, "--peer-worker", str(src), str(dst)],
                capture_output=True,
                text=True,
                env=os.environ.copy(),
                timeout=PEER_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired:
            return {"error": f"logic-v2 worker did not finish within {PEER_TIMEOUT_S} s"}
        if proc.returncode != 0 or not dst.is_file():
            return {"error": f"logic-v2 worker failed ({proc.returncode}): {proc.stderr.strip()[-800:]}"}
        return json.loads(dst.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------------
# Ours
# --------------------------------------------------------------------------------------------------


def clear_engine_caches() -> None:
    """Cold per-name caches: the ``analyze_name`` LRU and the token / legal-form memo dicts."""
    # the hot modules: every per-name cache lives in one of them
    from comparisons.engine import COMPILED_MODULES  # importable once main() has put the repo on sys.path

    for mod_name in COMPILED_MODULES:
        try:
            mod = importlib.import_module(f"comparisons.engine.{mod_name}")
        except ImportError:
            continue
        for attr in vars(mod).values():
            if callable(getattr(attr, "cache_clear", None)):
                attr.cache_clear()
        for name, attr in vars(mod).items():
            if name.startswith("_cache") and isinstance(attr, dict):
                attr.clear()


def model_memory(path: Path) -> dict:
    """RSS growth when loading the model in a fresh interpreter (engine modules imported first)."""
    code = (
        f"import sys; sys.path.insert(0, {str(REPO)!r}); import gc\n"
        "def rss():\n"
        "  return [int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS:')][0] / 1024\n"
        "from comparisons.engine import Comparator\n"
        "import sklearn.ensemble, sklearn.calibration, sklearn.pipeline\n"
        f"gc.collect(); before = rss(); m = Comparator.load({str(path)!r}); gc.collect(); after = rss()\n"
        "print(before, after)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    before, after = float(out[0]), float(out[1])
    return {
        "rss_before_mb": before,
        "rss_after_mb": after,
        "rss_delta_mb": after - before,
        "file_mb": path.stat().st_size / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, help="a saved Comparator (default: train one on --train-n pairs)")
    parser.add_argument("--train-n", type=int, default=100_000, help="generated pairs to train on (default 100000)")
    parser.add_argument("--dev", type=Path, default=DEFAULT_DEV)
    parser.add_argument("--golden", type=Path, default=DEFAULT_GOLDEN)
    parser.add_argument("--speed-n", type=int, default=20_000, help="fresh pairs for our / rapidfuzz speed")
    parser.add_argument(
        "--peer-speed-n", type=int, help="fresh pairs for logic-v2 speed (default: the same --speed-n pairs as ours)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="speed rounds, ours and logic-v2 interleaved, each cold (default 3)"
    )
    parser.add_argument("--latency-n", type=int, default=1_000, help="single compare() calls for the latency")
    parser.add_argument("--bench-python", type=Path, default=DEFAULT_BENCH_PYTHON)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    parser.add_argument("--peer-worker", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for option in ("train_n", "speed_n", "peer_speed_n", "rounds", "latency_n"):
        value = getattr(args, option)
        if value is not None and value < 1:
            parser.error(f"--{option.replace('_', '-')} must be at least 1 (got {value})")
    if args.peer_worker:
        logic_v2_worker(*args.peer_worker)
        return 0

    cpu = pin_one_core()
    sys.path.insert(0, str(REPO))
    from comparisons.engine import Comparator, compiled_status, datagen  # only now on sys.path (line above)

    report: dict = {"cpu": cpu, "threads": os.environ.get("OMP_NUM_THREADS"), "python": sys.version.split()[0]}
    report["engine"] = compiled_status()  # mypyc-compiled modules or pure Python (comparisons/engine/build.py)

    # ---- the model
    tmpdir = tempfile.mkdtemp(prefix="bench-engine-")
    if args.model:
        comparator = Comparator.load(args.model)
        model_path = args.model
        report["model"] = str(args.model)
    else:
        t0 = time.perf_counter()
        train = datagen.generate_pairs(args.train_n)
        t_gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        comparator = Comparator.train([(a, b) for a, b, _ in train], [y for _, _, y in train], random_state=0)
        t_train = time.perf_counter() - t0
        model_path = Path(tmpdir) / "model.joblib"
        comparator.save(model_path)
        report["training"] = {"pairs": args.train_n, "generate_s": t_gen, "train_s": t_train}
        del train
    report["threshold"] = comparator.threshold
    report["memory"] = model_memory(Path(model_path))

    # ---- quality
    sets = {}
    for name, path in (("dev_pairs", args.dev), ("golden", args.golden)):
        if path.is_file():
            sets[name] = read_pairs(path)
        else:
            report.setdefault("missing", []).append(str(path))
    peer_speed_n = args.speed_n if args.peer_speed_n is None else args.peer_speed_n
    speed = [(a, b) for a, b, _ in datagen.generate_pairs(max(args.speed_n, peer_speed_n), seed=SPEED_SEED)]

    quality: dict = {"ours": {}, "rapidfuzz_wratio": {}, "logic_v2": {}}
    for name, (pairs, labels) in sets.items():
        quality["ours"][name] = metrics_fixed(labels, comparator.predict_proba(pairs), comparator.threshold)
        quality["rapidfuzz_wratio"][name] = metrics_best(labels, rapidfuzz_scores(pairs))

    lv2 = run_logic_v2(args.bench_python, {n: p for n, (p, _) in sets.items()}, [])
    if "error" in lv2:
        report["logic_v2_error"] = lv2["error"]
        del quality["logic_v2"]
    else:
        report["nomenklatura_version"] = lv2.get("version")
        for name, (_, labels) in sets.items():
            quality["logic_v2"][name] = metrics_best(labels, lv2["sets"][name])
    report["quality"] = quality

    # ---- speed (one core). Rounds interleave ours and logic-v2 so that both see the same machine load;
    # every round is cold for both: our per-name caches are cleared, logic-v2 runs in a fresh process.
    # The headline is each side's best round (the least disturbed one); every round's ratio is kept too.
    ours_pairs, peer_pairs = speed[: args.speed_n], speed[:peer_speed_n]
    timed_names = {name for pair in peer_pairs for name in pair}
    warmup = [
        (a, b)
        for a, b, _ in datagen.generate_pairs(400, seed=SPEED_SEED + 1)
        if a not in timed_names and b not in timed_names
    ][:300]

    def time_ours(one: dict) -> None:
        clear_engine_caches()
        gc.collect()
        t0 = time.perf_counter()
        comparator.predict_proba(ours_pairs)
        one["ours_batch_cold"] = len(ours_pairs) / (time.perf_counter() - t0)

    rounds: list[dict] = []
    for k in range(args.rounds):
        one: dict = {}
        if k % 2 == 0:  # alternate who goes first, so neither always runs on the fresher machine
            time_ours(one)
        if "error" not in lv2:
            peer = run_logic_v2(args.bench_python, {}, peer_pairs, warmup)
            if "error" in peer:
                lv2 = peer  # a round failed: logic-v2's speed is reported as not measured, not as partial
            else:
                one["logic_v2"] = peer["speed"]["pairs_per_s"]
        if k % 2 == 1:
            time_ours(one)
        if "logic_v2" in one:
            one["ours_over_logic_v2"] = one["ours_batch_cold"] / one["logic_v2"]
        rounds.append(one)
    throughput: dict = {"ours_batch_cold": max(r["ours_batch_cold"] for r in rounds)}
    t0 = time.perf_counter()
    comparator.predict_proba(ours_pairs)
    throughput["ours_batch_warm"] = len(ours_pairs) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    rapidfuzz_scores(ours_pairs)
    throughput["rapidfuzz_wratio"] = len(ours_pairs) / (time.perf_counter() - t0)
    if "error" in lv2:
        report["logic_v2_error"] = lv2["error"]
        for one in rounds:  # no partial peer numbers beside "not measured"
            one.pop("logic_v2", None)
            one.pop("ours_over_logic_v2", None)
    else:
        throughput["logic_v2"] = max(r["logic_v2"] for r in rounds)
        throughput["ours_over_logic_v2"] = throughput["ours_batch_cold"] / throughput["logic_v2"]
        ratios = [r["ours_over_logic_v2"] for r in rounds]
        throughput["ours_over_logic_v2_rounds"] = {"min": min(ratios), "median": statistics.median(ratios)}
    report["speed_pairs"] = {"ours": len(ours_pairs), "logic_v2": len(peer_pairs), "rounds": len(rounds)}
    report["speed_rounds"] = rounds
    report["pairs_per_s"] = throughput

    clear_engine_caches()
    lat = []
    for a, b in speed[: args.latency_n]:
        t0 = time.perf_counter()
        comparator.compare(a, b)
        lat.append(time.perf_counter() - t0)
    report["compare_latency_ms"] = {"median": statistics.median(lat) * 1e3, "p95": float(np.percentile(lat, 95)) * 1e3}

    shutil.rmtree(tmpdir, ignore_errors=True)
    if args.json:
        print(json.dumps(report, indent=2, default=float))
    else:
        print(markdown(report))
    return 0


def engine_label(status: dict) -> str:
    modules = status.get("modules", {})
    compiled = [name for name, kind in modules.items() if kind == "compiled"]
    if compiled and len(compiled) == len(modules):
        return f"compiled with mypyc ({', '.join(compiled)})"
    reason = status.get("pure_python_reason") or "not built (python -m comparisons.engine.build)"
    return f"pure Python: {reason}"


def markdown(r: dict) -> str:
    lines = [
        "### Quality (ours at its fixed threshold; each peer at its best threshold on the file)",
        "",
        "| set | matcher | ROC AUC | balanced accuracy | F1 (material) | threshold |",
        "|---|---|---|---|---|---|",
    ]
    names = {
        "ours": "LegalName engine",
        "rapidfuzz_wratio": "rapidfuzz WRatio (default_process)",
        "logic_v2": f"nomenklatura logic-v2 {r.get('nomenklatura_version', '')}".strip(),
    }
    for set_name in ("dev_pairs", "golden"):
        for key, label in names.items():
            m = r["quality"].get(key, {}).get(set_name)
            if m:
                lines.append(
                    f"| {set_name} | {label} | {m['roc_auc']:.3f} | {m['balanced_accuracy']:.3f} | "
                    f"{m['f1']:.3f} | {m['threshold']:.3f} |"
                )
    t = r["pairs_per_s"]
    lines += [
        "",
        "### Speed (one pinned core, 1 thread)",
        "",
        "| what | value |",
        "|---|---|",
        f"| engine code | {engine_label(r.get('engine', {}))} |",
        f"| speed pairs | {r['speed_pairs']['ours']:,} fresh generated pairs for ours and rapidfuzz, "
        f"{r['speed_pairs']['logic_v2']:,} of them for logic-v2; {r['speed_pairs']['rounds']} interleaved rounds |",
        f"| ours, batch predict_proba, cold per-name caches | {t['ours_batch_cold']:,.0f} pairs/s |",
        f"| ours, batch predict_proba, warm caches | {t['ours_batch_warm']:,.0f} pairs/s |",
        f"| rapidfuzz WRatio | {t['rapidfuzz_wratio']:,.0f} pairs/s |",
    ]
    if "logic_v2" in t:
        per_round = t["ours_over_logic_v2_rounds"]
        lines += [
            f"| nomenklatura logic-v2 | {t['logic_v2']:,.0f} pairs/s |",
            f"| **ours / logic-v2** (best round of each) | **{t['ours_over_logic_v2']:.1f}x** |",
            f"| ours / logic-v2, round by round | min {per_round['min']:.1f}x, median {per_round['median']:.1f}x |",
        ]
    else:
        lines.append(f"| nomenklatura logic-v2 | not measured: {r.get('logic_v2_error')} |")
    lat = r["compare_latency_ms"]
    lines.append(f"| single compare() latency | median {lat['median']:.3f} ms, p95 {lat['p95']:.3f} ms |")
    if "training" in r:
        tr = r["training"]
        lines.append(
            f"| training on {tr['pairs']:,} generated pairs | {tr['train_s']:.1f} s "
            f"(+ {tr['generate_s']:.1f} s to generate them) |"
        )
    mem = r["memory"]
    lines.append(f"| model memory | +{mem['rss_delta_mb']:.1f} MB RSS on load; {mem['file_mb']:.2f} MB on disk |")
    lines.append(f"| model threshold | {r['threshold']:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
