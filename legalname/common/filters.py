"""One way to filter a list: a django-filter ``FilterSet`` in the app's ``filters.py``, applied by the selector.

``filterset_apply`` validates the query (a bad value raises Django's ValidationError naming the field, which the DRF
exception handler turns into a 400) and returns the filtered queryset. ``filterset_parameters`` documents the same
FilterSet in the OpenAPI schema, so the API view declares no second copy of its filters.

drf-spectacular's own django-filter support (``DjangoFilterExtension``) reads filter *backends* of generic views,
which our one-``APIView``-per-operation endpoints do not have; hence the small mapping here."""

from __future__ import annotations

from typing import Any, TypeVar

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

# The spellings a query string may use for a boolean (the ones DRF's BooleanField accepts), lower-cased.
TRUE_VALUES = frozenset({"true", "t", "1", "yes", "y", "on"})
FALSE_VALUES = frozenset({"false", "f", "0", "no", "n", "off"})
# What a page's "any" option sends.
EMPTY_VALUES = frozenset({"", "unknown", "any"})

M = TypeVar("M", bound=Model)


def boolean_parse(value: Any) -> bool | None:
    """``True``/``False`` for a recognised spelling, ``None`` for an empty one; anything else is a ValidationError."""
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in EMPTY_VALUES:
        return None
    if text in TRUE_VALUES:
        return True
    if text in FALSE_VALUES:
        return False
    raise ValidationError("Must be true or false.", code="invalid")


class QueryBooleanSelect(forms.NullBooleanSelect):
    """A yes/no/any select that hands the raw value to the field, so that a misspelt value is an error instead of
    silently meaning "any" (Django's NullBooleanSelect maps every unknown value to None)."""

    def __init__(
        self, attrs: dict[str, Any] | None = None, labels: tuple[str, str, str] = ("any", "yes", "no")
    ) -> None:
        super().__init__(attrs)
        self.choices = list(zip(("", "true", "false"), labels, strict=True))

    def format_value(self, value: Any) -> str:  # type: ignore[override]  # a select shows one value, not a list
        try:
            parsed = boolean_parse(value)
        except ValidationError:
            return ""
        return "" if parsed is None else ("true" if parsed else "false")

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)


class QueryBooleanField(forms.NullBooleanField):
    widget = QueryBooleanSelect

    def to_python(self, value: Any) -> bool | None:  # type: ignore[override]  # None: "any", as NullBooleanField
        return boolean_parse(value)

    def validate(self, value: Any) -> None:
        pass


class BooleanFilter(django_filters.BooleanFilter):
    """A boolean query parameter: ``true/false``, ``1/0``, ``yes/no``, ``on/off`` (any case); anything else is a 400."""

    field_class = QueryBooleanField


def filterset_apply(
    *, filterset_class: type[django_filters.FilterSet], data: Any, queryset: QuerySet[M]
) -> QuerySet[M]:
    """``queryset`` filtered by ``data`` (a dict or a QueryDict); raises ValidationError ``{field: [messages]}``."""
    filterset = filterset_class(data if data is not None else {}, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(filterset.form.errors.as_data())
    return filterset.qs


# Most specific classes first: several filters subclass others (IsoDateTimeFilter is a DateTimeFilter).
_TYPES: tuple[tuple[type[django_filters.Filter], OpenApiTypes], ...] = (
    (django_filters.BooleanFilter, OpenApiTypes.BOOL),
    (django_filters.UUIDFilter, OpenApiTypes.UUID),
    (django_filters.IsoDateTimeFilter, OpenApiTypes.DATETIME),
    (django_filters.DateTimeFilter, OpenApiTypes.DATETIME),
    (django_filters.DateFilter, OpenApiTypes.DATE),
    (django_filters.NumberFilter, OpenApiTypes.NUMBER),
)


def filterset_parameters(filterset_class: type[django_filters.FilterSet]) -> list[OpenApiParameter]:
    """The FilterSet's filters as OpenAPI query parameters (type, enum of choices, description from the label)."""
    parameters = []
    for name, filter_ in filterset_class.base_filters.items():
        kind = next((t for cls, t in _TYPES if isinstance(filter_, cls)), OpenApiTypes.STR)
        choices = filter_.extra.get("choices")
        enum = [value for value, _ in choices] if isinstance(choices, list | tuple) else None
        description = filter_.extra.get("help_text") or (str(filter_.label) if filter_.label else "")
        parameters.append(
            OpenApiParameter(name, kind, OpenApiParameter.QUERY, required=False, enum=enum, description=description)
        )
    return parameters
