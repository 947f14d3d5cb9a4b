"""LegalName's comparison engine: plain Python, no Django, shared by web, workers, training and benchmarks.

from comparisons.engine import Comparator
comparator = Comparator.load(path)
comparator.compare("Acme LLC", "Acme Inc")  # Verdict(material=True, ...)
"""

from comparisons.engine.features import FEATURE_NAMES, FEATURE_VERSION, feature_matrix, features_for
from comparisons.engine.model import Comparator, ModelVersionError, Verdict
from comparisons.engine.normalize import normalize_name

__all__ = [
    "FEATURE_NAMES",
    "FEATURE_VERSION",
    "Comparator",
    "ModelVersionError",
    "Verdict",
    "feature_matrix",
    "features_for",
    "normalize_name",
]
