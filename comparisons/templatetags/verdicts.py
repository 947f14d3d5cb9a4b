"""How pages show a verdict, in one place:

- ``{{ material|verdict }}``: the label, MATERIAL / IMMATERIAL (the engine's ``verdict_label``);
- ``{% verdict_badge material %}`` (``small=True`` in tables): the coloured badge with that label;
- ``{{ confidence|confidence_band }}``: the word for a confidence (borderline, likely, confident, near certain);
- ``{{ material|verdict_class }}``: the colour class (``material`` / ``immaterial``) for other elements, e.g. a meter.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from comparisons.engine.explain import confidence_band as engine_confidence_band
from comparisons.engine.explain import verdict_label

register = template.Library()


@register.filter(name="verdict")
def verdict(material: bool | None) -> str:
    """``MATERIAL`` for True, ``IMMATERIAL`` for False, an empty string for None (no verdict yet)."""
    return "" if material is None else verdict_label(bool(material))


@register.filter
def verdict_class(material: bool) -> str:
    return "material" if material else "immaterial"


@register.simple_tag
def verdict_badge(material: bool, small: bool = False, testid: str = "") -> SafeString:
    """``<span class="verdict [small] material|immaterial">MATERIAL</span>``."""
    classes = f"verdict {'small ' if small else ''}{verdict_class(material)}"
    if testid:
        return format_html('<span class="{}" data-testid="{}">{}</span>', classes, testid, verdict(material))
    return format_html('<span class="{}">{}</span>', classes, verdict(material))


@register.filter
def confidence_band(confidence: float | None) -> str:
    return "" if confidence is None else engine_confidence_band(float(confidence))
