"""LegalName's comparison engine: plain Python, no Django, shared by web, workers, training and benchmarks.

from comparisons.engine import Comparator
comparator = Comparator.load(path)
comparator.compare("Acme LLC", "Acme Inc")  # Verdict(material=True, ...)

The hot modules may be compiled with mypyc (``python -m comparisons.engine.build``, run by ``make
install``): the compiled ``.so`` files beside the ``.py`` files are then imported instead. They are
ignored, and the ``.py`` sources imported, when ``LEGALNAME_ENGINE_PURE=1`` is set or when any
compiled module is older than its source (edited since the build: rebuild to get the speed back).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import sysconfig
import warnings
from pathlib import Path

_HERE = Path(__file__).resolve().parent
COMPILED_MODULES = ("normalize", "tokens", "legal_forms", "analysis", "features")  # the modules build.py compiles
_EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"


def _stale_compiled() -> list[str]:
    stale = []
    for name in COMPILED_MODULES:
        ext, src = _HERE / f"{name}{_EXT_SUFFIX}", _HERE / f"{name}.py"
        if ext.is_file() and src.is_file() and ext.stat().st_mtime < src.stat().st_mtime:
            stale.append(name)
    return stale


class _SourceFinder:
    """Imports the engine's compiled modules from their ``.py`` sources (all of them or none: compiled
    modules call each other directly, so they must not be mixed with sources)."""

    names = {f"{__name__}.{name}": _HERE / f"{name}.py" for name in COMPILED_MODULES}

    @classmethod
    def find_spec(
        cls, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = cls.names.get(fullname)
        return importlib.util.spec_from_file_location(fullname, source) if source is not None else None


_PURE_REASON = None
if os.environ.get("LEGALNAME_ENGINE_PURE", "") not in ("", "0"):
    _PURE_REASON = "LEGALNAME_ENGINE_PURE is set"
elif _stale := _stale_compiled():
    _PURE_REASON = f"compiled {', '.join(_stale)} older than the source"
    warnings.warn(
        f"comparison engine: {_PURE_REASON}; running pure Python (rebuild: python -m comparisons.engine.build)",
        RuntimeWarning,
        stacklevel=2,
    )
if _PURE_REASON is not None:
    sys.meta_path.insert(0, _SourceFinder)

from comparisons.engine.analysis import normalize_name  # noqa: E402
from comparisons.engine.explain import Reason, ReasonKind, confidence_band, verdict_label  # noqa: E402
from comparisons.engine.features import FEATURE_NAMES, FEATURE_VERSION, feature_matrix, features_for  # noqa: E402
from comparisons.engine.model import Comparator, ModelVersionError, Verdict  # noqa: E402


def compiled_status() -> dict:
    """Which engine modules run compiled (mypyc) and which as Python source."""
    modules = {}
    for name in COMPILED_MODULES:
        module = sys.modules.get(f"{__name__}.{name}")
        file = getattr(module, "__file__", "") or ""
        modules[name] = "compiled" if file.endswith((".so", ".pyd")) else "python"
    return {
        "compiled": all(kind == "compiled" for kind in modules.values()),
        "modules": modules,
        "pure_python_reason": _PURE_REASON,
    }


__all__ = [
    "FEATURE_NAMES",
    "FEATURE_VERSION",
    "Comparator",
    "ModelVersionError",
    "Reason",
    "ReasonKind",
    "Verdict",
    "confidence_band",
    "compiled_status",
    "feature_matrix",
    "features_for",
    "normalize_name",
    "verdict_label",
]
