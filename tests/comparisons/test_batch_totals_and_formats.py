"""Issue 9, item 13: a finished batch shows its verdict totals; numbers and times read the same on every page
(History's search and batch folding: tests/feedback/test_history.py)."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from comparisons.models import BatchJob
from comparisons.selectors import batch_job_verdict_totals
from comparisons.templatetags.formats import count, percent, when
from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory, batch_job_with_predictions

WHEN = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.mark.django_db
class TestBatchJobVerdictTotals:
    def test_counts_each_verdict_in_one_query(self, analyst, django_assert_num_queries):
        job = batch_job_with_predictions(analyst, material=3, immaterial=1)
        batch_job_with_predictions(analyst, material=5, immaterial=5)  # another batch: not counted
        with django_assert_num_queries(1):
            totals = batch_job_verdict_totals(job_id=job.pk)
        assert totals == {"total": 4, "material": 3, "immaterial": 1, "material_share": 0.75, "immaterial_share": 0.25}

    def test_nothing_scored_has_no_share(self, analyst):
        job = BatchJob.objects.create(user=analyst, total=0)
        assert batch_job_verdict_totals(job_id=job.pk) == {
            "total": 0,
            "material": 0,
            "immaterial": 0,
            "material_share": None,
            "immaterial_share": None,
        }


@pytest.mark.django_db
class TestBatchDetailTotals:
    def test_a_finished_batch_shows_the_totals_with_their_share(self, analyst_client, analyst):
        job = batch_job_with_predictions(analyst, material=3, immaterial=1)
        html = analyst_client.get(reverse("comparisons:batch_detail", args=[job.pk])).content.decode()
        material = re.search(r'data-testid="total-material">(.*?)</div>', html, re.S).group(1)
        immaterial = re.search(r'data-testid="total-immaterial">(.*?)</div>', html, re.S).group(1)
        assert "MATERIAL" in material and "3" in material and "(75%)" in material
        assert "IMMATERIAL" in immaterial and "1" in immaterial and "(25%)" in immaterial
        assert "80%" in html  # confidence as a percentage, as on the compare page

    def test_an_unfinished_batch_shows_no_totals(self, analyst_client, analyst):
        job = BatchJob.objects.create(user=analyst, total=2, status="running", pairs=[])
        html = analyst_client.get(reverse("comparisons:batch_detail", args=[job.pk])).content.decode()
        assert "verdict-totals" not in html

    def test_large_counts_have_thousands_separators(self, analyst_client, analyst):
        job = BatchJob.objects.create(
            user=analyst, filename="big.csv", total=12500, done=3400, status="running", pairs=[]
        )
        html = analyst_client.get(reverse("comparisons:batch_detail", args=[job.pk])).content.decode()
        assert "3,400</span> / 12,500 pairs" in html
        listing = analyst_client.get(reverse("comparisons:batch_create")).content.decode()
        assert "3,400 / 12,500" in listing


@pytest.mark.django_db
def test_times_read_the_same_on_every_page(analyst_client, analyst):
    other_format = re.compile(r"\b\d{1,2} \w{3,9} \d{4}\b|\b\w{3}\. \d{1,2}, \d{4}\b")  # Django's default date style
    job = batch_job_with_predictions(analyst, material=1, immaterial=0)
    prediction = PredictionFactory(user=analyst)
    feedback_create(prediction=prediction, user=analyst, user_correction=True)
    for url in (
        reverse("feedback:history"),
        reverse("comparisons:batch_create"),
        reverse("comparisons:batch_detail", args=[job.pk]),
        reverse("feedback:list"),
    ):
        html = analyst_client.get(url).content.decode()
        assert WHEN.search(html), url
        assert not other_format.search(html), url


def test_format_filters():
    assert count(1234567) == "1,234,567" and count(0) == "0" and count(None) == ""
    assert percent(0.8749) == "87%" and percent(1) == "100%" and percent(None) == ""
    assert when(dt.datetime(2026, 3, 1, 9, 5, tzinfo=dt.UTC)) == "2026-03-01 09:05"
