"""Shared admin pieces."""

from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """A ModelAdmin over rows that are records or evidence (predictions, feedback, deployment history, training runs,
    measured metrics): staff may look, nobody adds, edits or deletes them here; the services write them."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


def decimal_display(value: float | None, places: int = 3) -> str:
    """A probability, threshold or metric as people read it (``0.302``, not ``0.30231682528770104``)."""
    return "-" if value is None else f"{value:.{places}f}"
