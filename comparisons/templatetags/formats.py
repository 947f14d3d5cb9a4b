"""The one way pages write numbers, shares and times, so every page reads the same:

- ``{{ n|count }}``: a whole number with thousands separators, ``50,000``;
- ``{{ x|percent }}``: a share or probability (0..1) as a whole percentage, ``87%``;
- ``{{ t|when }}``: an instant in the site's time zone as ISO ``2026-03-01 14:05`` (``|day`` for the date alone),
  in the site's formats (``legalname/common/formats``), which the admin uses too.

Numbers group with a comma whatever the locale: the names compared are international, the readers are not all
en-gb, and an unambiguous format beats a localised one here."""

from django import template
from django.utils import dateformat, timezone
from django.utils.formats import get_format

register = template.Library()


@register.filter
def count(value) -> str:
    if value is None or value == "":
        return ""
    return f"{int(value):,}"


@register.filter
def percent(value) -> str:
    if value is None or value == "":
        return ""
    return f"{round(float(value) * 100)}%"


@register.filter
def when(value) -> str:
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, get_format("DATETIME_FORMAT"))


@register.filter
def day(value) -> str:
    return dateformat.format(value, get_format("DATE_FORMAT")) if value else ""
