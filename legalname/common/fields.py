import re

from rest_framework import serializers

CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class NameField(serializers.CharField):
    """A legal entity name: a string (numbers are not silently converted), 1..500 characters, no control characters."""

    default_error_messages = {
        "not_a_string": "Must be a string, got {type}.",
        "control_characters": "Must not contain control characters (found {char!r} at position {pos}).",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("allow_blank", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("not_a_string", type=type(data).__name__)
        match = CONTROL_CHARS.search(data)
        if match:
            self.fail("control_characters", char=match.group(), pos=match.start())
        return super().to_internal_value(data)
