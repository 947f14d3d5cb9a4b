import datetime
import uuid


def filter_params(validated: dict) -> dict[str, str]:
    """Validated API filter values in the string form django-filter parses (``true``/``false``, ISO dates), so that
    every spelling DRF accepts (``1``, ``yes``, ``on``...) filters the same way; unset filters are left out."""
    params = {}
    for key, value in validated.items():
        if value is None:
            continue
        if isinstance(value, bool):
            params[key] = "true" if value else "false"
        elif isinstance(value, datetime.date | datetime.datetime):
            params[key] = value.isoformat()
        elif isinstance(value, uuid.UUID):
            params[key] = str(value)
        else:
            params[key] = value
    return params
