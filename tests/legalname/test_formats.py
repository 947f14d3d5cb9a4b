"""One date and number format for the site: the admin (Django's localised formats) and the pages' filters agree."""

import datetime as dt

from django.utils import formats

from comparisons.templatetags.formats import count, day, when


def test_the_admin_and_the_pages_write_dates_alike():
    instant = dt.datetime(2026, 3, 1, 14, 5, tzinfo=dt.UTC)
    assert formats.date_format(instant, "DATETIME_FORMAT") == "2026-03-01 14:05" == when(instant)
    assert formats.date_format(instant.date(), "DATE_FORMAT") == "2026-03-01" == day(instant.date())


def test_numbers_group_thousands_with_a_comma():
    assert formats.number_format(50000, force_grouping=True) == "50,000" == count(50000)
