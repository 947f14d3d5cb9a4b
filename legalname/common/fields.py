from typing import Any

from rest_framework import serializers

from legalname.common.validation import MAX_NAME_LENGTH, MAX_REFERENCE_LENGTH, name_problem, text_problem


class StrictCharField(serializers.CharField):
    """A string (numbers and lists are not silently converted) with no control or invisible characters."""

    default_error_messages = {"not_a_string": "Must be a string, got {type}.", "invalid_text": "{problem}."}

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string", type=type(data).__name__)
        value = super().to_internal_value(data)
        if problem := self.problem(value):
            self.fail("invalid_text", problem=problem[0].upper() + problem[1:])
        return value

    def problem(self, value: str) -> str | None:
        return text_problem(value, max_length=self.max_length or 10_000)


class NameField(StrictCharField):
    """A legal entity name: 1..500 characters with at least one letter or digit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_NAME_LENGTH)
        kwargs.setdefault("allow_blank", False)
        super().__init__(**kwargs)

    def problem(self, value: str) -> str | None:
        return name_problem(value)


class ReferenceField(StrictCharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_REFERENCE_LENGTH)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
