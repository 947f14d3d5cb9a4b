"""The one template filter that spells a verdict: ``{{ prediction.material|verdict }}`` -> MATERIAL / IMMATERIAL."""

from django import template

from comparisons.engine.explain import verdict_label

register = template.Library()


@register.filter(name="verdict")
def verdict(material: bool | None) -> str:
    """``MATERIAL`` for True, ``IMMATERIAL`` for False, an empty string for None (no verdict yet)."""
    return "" if material is None else verdict_label(bool(material))
