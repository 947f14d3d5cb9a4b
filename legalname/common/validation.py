"""The one definition of an acceptable legal-entity name, shared by the API, the pages and the batch upload."""

import unicodedata

MAX_NAME_LENGTH = 500
MAX_REFERENCE_LENGTH = 200
# control (Cc), format (Cf: zero-width, bidi overrides) and line/paragraph separators (Zl, Zp)
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def text_problem(value: str, *, max_length: int) -> str | None:
    """What is wrong with a free-text value (a name or a reference), or None."""
    if len(value) > max_length:
        return f"is longer than {max_length} characters ({len(value)})"
    for position, ch in enumerate(value):
        if unicodedata.category(ch) in _FORBIDDEN_CATEGORIES:
            return f"contains a control or invisible character (U+{ord(ch):04X} at position {position})"
    return None


def name_problem(value: str) -> str | None:
    """What is wrong with a (stripped) name, or None: empty, too long, invisible characters, no letter or digit."""
    if not value:
        return "is empty"
    if problem := text_problem(value, max_length=MAX_NAME_LENGTH):
        return problem
    if not any(ch.isalnum() for ch in value):
        return "has no letter or digit"
    return None
