"""History: the analyst's own comparisons with the decision in force on each, searchable, a batch's rows folded
under the batch (feedback.views.history)."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory, batch_job_with_predictions
from tests.users import make_user


@pytest.fixture
def analyst_client(client, analyst):
    client.force_login(analyst)
    return client


@pytest.mark.django_db
class TestHistoryPage:
    def test_shows_only_own_predictions_with_their_decision(
        self, analyst_client, analyst, django_assert_max_num_queries
    ):
        mine = PredictionFactory(user=analyst, name1="Mine One", material=True)
        PredictionFactory(user=make_user("other", "analyst"), name1="Not Mine")
        feedback_create(prediction=mine, user=analyst, user_correction=False)
        with django_assert_max_num_queries(12):
            html = analyst_client.get(reverse("feedback:history")).content.decode()
        assert "Mine One" in html and "Not Mine" not in html and "(corrected)" in html

    def test_filters_by_verdict_reviewed_and_date(self, analyst_client, analyst):
        with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
            old = PredictionFactory(user=analyst, name1="Old One", material=False)
        PredictionFactory(user=analyst, name1="New Material", material=True)
        reviewed = PredictionFactory(user=analyst, name1="New Reviewed", material=False)
        feedback_create(prediction=reviewed, user=analyst, user_correction=False)
        url = reverse("feedback:history")

        def names(**params):
            html = analyst_client.get(url, params).content.decode()
            return {n for n in ("Old One", "New Material", "New Reviewed") if n in html}

        assert names() == {"Old One", "New Material", "New Reviewed"}
        assert names(material="true") == {"New Material"}
        assert names(material="false") == {"Old One", "New Reviewed"}
        assert names(reviewed="true") == {"New Reviewed"}
        assert names(reviewed="false") == {"Old One", "New Material"}
        assert names(date_to="2026-01-06") == {"Old One"}
        assert names(date_from=old.created_at.date().replace(day=6).isoformat()) == {"New Material", "New Reviewed"}

    def test_paginates(self, analyst_client, analyst):
        PredictionFactory.create_batch(55, user=analyst)
        first = analyst_client.get(reverse("feedback:history"))
        assert first.context["page"].paginator.num_pages == 2 and len(first.context["page"]) == 50
        second = analyst_client.get(reverse("feedback:history"), {"page": 2, "material": "true"})
        assert len(second.context["page"]) == 5


@pytest.mark.django_db
class TestHistoryBatchesAndSearch:
    def test_a_batch_folds_under_one_row_with_its_filename_and_count(
        self, analyst_client, analyst, django_assert_max_num_queries
    ):
        with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)):
            PredictionFactory(user=analyst, name1="Single Web LLC", source="web")
        with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)):
            job = batch_job_with_predictions(analyst, material=2, immaterial=1, filename="march.csv")
        with django_assert_max_num_queries(12):
            html = analyst_client.get(reverse("feedback:history")).content.decode()
        groups = re.findall(r'<details class="batch-group".*?</details>', html, re.S)
        assert len(groups) == 1
        assert "march.csv" in groups[0] and "3 of 3 pairs" in groups[0] and "Batch 0 GmbH" in groups[0]
        assert reverse("comparisons:batch_detail", args=[job.pk]) in groups[0]
        assert "Single Web LLC" not in groups[0] and "Single Web LLC" in html
        assert "2026-03-01 09:00" in html and "2026-03-02 09:00" in html

    def test_searches_by_name_and_by_source(self, analyst_client, analyst):
        PredictionFactory(user=analyst, name1="Nordwind Shipping GmbH", name2="Nordwind AG", source="web")
        PredictionFactory(user=analyst, name1="Acme Holdings LLC", name2="ACME LLC", source="api")
        url = reverse("feedback:history")

        def names(**params):
            html = analyst_client.get(url, params).content.decode()
            return {n for n in ("Nordwind Shipping GmbH", "Acme Holdings LLC") if n in html}

        assert names(q="nordwind") == {"Nordwind Shipping GmbH"}
        assert names(q="acme llc") == {"Acme Holdings LLC"}  # either name, any case
        assert names(source="api") == {"Acme Holdings LLC"}
        assert names(source="web", q="acme") == set()

    def test_renders_every_filter_of_the_filterset(self, analyst_client):
        response = analyst_client.get(reverse("feedback:history"))
        html = response.content.decode()
        for name in response.context["filter"].form.fields:
            assert f'name="{name}"' in html, name

    def test_a_bad_filter_value_names_the_field_and_shows_no_rows(self, analyst_client, analyst):
        PredictionFactory(user=analyst, name1="Visible Ltd")
        response = analyst_client.get(reverse("feedback:history"), {"date_from": "yesterday"})
        html = response.content.decode()
        assert response.status_code == 200 and "Visible Ltd" not in html and 'class="error small"' in html
