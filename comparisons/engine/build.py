"""Compile the engine's hot modules to C extensions with mypyc (optional: the engine runs without it).

    python -m comparisons.engine.build           # compile in place (``make install`` runs this)
    python -m comparisons.engine.build --clean   # remove the compiled modules: back to pure Python

The ``.py`` files stay the source of truth. mypyc turns each of ``COMPILED`` into a ``.so`` file beside
it (a build product, ignored by git), which Python imports instead of the ``.py`` file; the modules
behave the same, only faster (checked by ``tests/comparisons/engine/test_speed_equivalence.py``, which
runs compiled and pure Python). If compilation fails for any reason (no C compiler, no Python headers,
a mypyc error), this prints a warning, removes any partial output and exits 0: the engine then runs as
plain Python, slower. Set ``LEGALNAME_ENGINE_PURE=1`` to ignore compiled modules at run time.

Rebuild after editing a compiled module: a stale ``.so`` would shadow the edited ``.py``
(``comparisons.engine.compiled_status()`` reports compiled modules older than their source).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ENGINE = Path(__file__).resolve().parent
ROOT = ENGINE.parents[1]
COMPILED = ("normalize", "tokens", "legal_forms", "analysis", "features")
GROUP = "comparisons.engine._mypyc_runtime"  # mypyc's shared runtime library, kept inside the package


def built_files() -> list[Path]:
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    files = [ENGINE / f"{name}{suffix}" for name in COMPILED]
    files.append(ENGINE / f"_mypyc_runtime__mypyc{suffix}")
    return files


def clean() -> None:
    for path in ENGINE.glob("*.so"):
        path.unlink()
    for path in ENGINE.glob("*.pyd"):
        path.unlink()


_SETUP = """
import sys
from setuptools import setup
from mypyc.build import mypycify

paths = sys.argv[1:]
setup(
    name="legalname-engine-compiled",
    packages=[],
    py_modules=[],
    ext_modules=mypycify(
        ["--config-file", {config!r}, "--ignore-missing-imports", "--follow-imports=silent", *paths],
        opt_level="3",
        group_name={group!r},
    ),
    script_args=["build_ext", "--inplace", "--build-temp", {temp!r}],
)
"""


def build(verbose: bool = False) -> bool:
    """Compile ``COMPILED`` in place; True on success. Never raises: a failure leaves pure Python."""
    try:
        import mypyc  # noqa: F401
    except ImportError:
        print("WARNING: mypyc (package mypy) is not installed; the comparison engine runs as pure Python (slower).")
        return False
    clean()
    paths = [f"comparisons/engine/{name}.py" for name in COMPILED]
    with tempfile.TemporaryDirectory(prefix="legalname-mypyc-") as tmp:
        setup_py = Path(tmp) / "setup_mypyc.py"
        # mypyc type-checks with its own empty configuration: the project's [tool.mypy] (plugins that need Django,
        # strictness flags such as warn_unused_ignores) is for the mypy check in CI, not for compiling the engine
        config = Path(tmp) / "mypyc.ini"
        config.write_text("[mypy]\n", encoding="utf-8")
        setup_py.write_text(
            _SETUP.format(group=GROUP, temp=str(Path(tmp) / "build"), config=str(config)), encoding="utf-8"
        )
        env = {**os.environ, "MYPY_CACHE_DIR": str(Path(tmp) / "mypy_cache")}
        proc = subprocess.run(
            [sys.executable, str(setup_py), *paths],
            cwd=ROOT,
            env=env,
            capture_output=not verbose,
            text=True,
        )
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    missing = [p.name for p in built_files() if not p.is_file()]
    if proc.returncode != 0 or missing:
        clean()
        detail = (proc.stderr or proc.stdout or "").strip()[-2000:] if not verbose else ""
        print(
            "WARNING: compiling the comparison engine with mypyc failed; it runs as pure Python (slower).\n"
            f"{detail}".rstrip()
        )
        return False
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import comparisons.engine as e; assert e.compiled_status()['compiled'], e.compiled_status()",
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "LEGALNAME_ENGINE_PURE"},
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        if os.environ.get("LEGALNAME_BUILD_KEEP"):
            print(check.stderr)
            return False
        clean()
        print(
            f"WARNING: the compiled comparison engine does not import (exit {check.returncode}); removed it, the "
            "engine runs as pure Python.\n" + (check.stderr + check.stdout).strip()[-2000:]
        )
        return False
    print(f"comparison engine compiled with mypyc: {', '.join(COMPILED)}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compile the comparison engine with mypyc (optional speed-up).")
    parser.add_argument("--clean", action="store_true", help="remove compiled modules (pure Python again)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show the compiler's output")
    args = parser.parse_args(argv)
    if args.clean:
        clean()
        print("compiled engine modules removed: pure Python")
        return 0
    build(verbose=args.verbose)
    return 0  # a failed build is not an error: pure Python works


if __name__ == "__main__":
    raise SystemExit(main())
