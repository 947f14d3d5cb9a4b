"""Issue 9, item 13: a finished batch shows its verdict totals; History searches by name and source and folds a
batch's rows under the batch; numbers and times read the same on every page."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from comparisons.models import BatchJob
from comparisons.selectors import batch_job_verdict_totals
from comparisons.templatetags.formats import count, percent, when
from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory

WHEN = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b")


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


def _batch(user, *, material: int, immaterial: int, filename="pairs.csv", total=None) -> BatchJob:
    n = material + immaterial
    job = BatchJob.objects.create(
        user=user,
        filename=filename,
        status="done",
        total=total or n,
        done=total or n,
        pairs=[{"name1": f"Batch {i} GmbH", "name2": f"Batch {i} AG", "reference": ""} for i in range(n)],
    )
    for i in range(n):
        PredictionFactory(
            user=user,
            batch=job,
            source="batch",
            name1=f"Batch {i} GmbH",
            name2=f"Batch {i} AG",
            material=i < material,
            confidence=0.8,
        )
    return job


@pytest.mark.django_db
class TestBatchJobVerdictTotals:
    def test_counts_each_verdict_in_one_query(self, analyst, django_assert_num_queries):
        job = _batch(analyst, material=3, immaterial=1)
        _batch(analyst, material=5, immaterial=5)  # another batch: not counted
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
        job = _batch(analyst, material=3, immaterial=1)
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
class TestHistory:
    def test_a_batch_folds_under_one_row_with_its_filename_and_count(
        self, analyst_client, analyst, django_assert_max_num_queries
    ):
        with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)):
            PredictionFactory(user=analyst, name1="Single Web LLC", source="web")
        with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)):
            job = _batch(analyst, material=2, immaterial=1, filename="march.csv")
        with django_assert_max_num_queries(12):
            html = analyst_client.get(reverse("comparisons:history")).content.decode()
        groups = re.findall(r'<details class="batch-group".*?</details>', html, re.S)
        assert len(groups) == 1
        assert "march.csv" in groups[0] and "3 of 3 pairs" in groups[0] and "Batch 0 GmbH" in groups[0]
        assert reverse("comparisons:batch_detail", args=[job.pk]) in groups[0]
        assert "Single Web LLC" not in groups[0] and "Single Web LLC" in html
        assert "2026-03-01 09:00" in html and "2026-03-02 09:00" in html

    def test_searches_by_name_and_by_source(self, analyst_client, analyst):
        PredictionFactory(user=analyst, name1="Nordwind Shipping GmbH", name2="Nordwind AG", source="web")
        PredictionFactory(user=analyst, name1="Acme Holdings LLC", name2="ACME LLC", source="api")
        url = reverse("comparisons:history")

        def names(**params):
            html = analyst_client.get(url, params).content.decode()
            return {n for n in ("Nordwind Shipping GmbH", "Acme Holdings LLC") if n in html}

        assert names(q="nordwind") == {"Nordwind Shipping GmbH"}
        assert names(q="acme llc") == {"Acme Holdings LLC"}  # either name, any case
        assert names(source="api") == {"Acme Holdings LLC"}
        assert names(source="web", q="acme") == set()

    def test_renders_every_filter_of_the_filterset(self, analyst_client):
        response = analyst_client.get(reverse("comparisons:history"))
        html = response.content.decode()
        for name in response.context["filter"].form.fields:
            assert f'name="{name}"' in html, name

    def test_a_bad_filter_value_names_the_field_and_shows_no_rows(self, analyst_client, analyst):
        PredictionFactory(user=analyst, name1="Visible Ltd")
        response = analyst_client.get(reverse("comparisons:history"), {"date_from": "yesterday"})
        html = response.content.decode()
        assert response.status_code == 200 and "Visible Ltd" not in html and 'class="error small"' in html


@pytest.mark.django_db
def test_times_read_the_same_on_every_page(analyst_client, analyst):
    other_format = re.compile(r"\b\d{1,2} \w{3,9} \d{4}\b|\b\w{3}\. \d{1,2}, \d{4}\b")  # Django's default date style
    job = _batch(analyst, material=1, immaterial=0)
    prediction = PredictionFactory(user=analyst)
    feedback_create(prediction=prediction, user=analyst, user_correction=True)
    for url in (
        reverse("comparisons:history"),
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
