import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.experiments.factories import ExperimentFactory

LIST_URL = "/api/v1/experiments/"


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
class TestExperimentListApi:
    def test_lists_experiments_newest_first(self, manager, django_assert_max_num_queries):
        first = ExperimentFactory(running=True, traffic_split=0.3, shadow=True)
        second = ExperimentFactory()
        with django_assert_max_num_queries(6):  # auth and permissions, count, one page with its versions
            response = _client(manager).get(LIST_URL)
        assert response.status_code == 200
        results = response.json()["results"]
        assert [r["id"] for r in results] == [str(second.pk), str(first.pk)]
        row = results[1]
        assert row["status"] == "running" and row["traffic_split"] == 0.3 and row["shadow"] is True
        assert row["model_a"] == {
            "id": str(first.model_a.pk),
            "name": first.model_a.name,
            "version": first.model_a.version,
        }
        assert row["model_name"] == first.model_a.name and row["minimum_detectable_difference"] == 0.05

    def test_needs_a_role_that_reads_experiments(self, db):
        assert APIClient().get(LIST_URL).status_code in (401, 403)

    def test_is_read_only(self, admin_user):
        assert _client(admin_user).post(LIST_URL, {"name": "x"}, format="json").status_code == 405


@pytest.mark.django_db
class TestExperimentResultsApi:
    def test_returns_the_selectors_numbers(self, manager):
        experiment = ExperimentFactory(running=True)
        response = _client(manager).get(f"{LIST_URL}{experiment.pk}/results/")
        assert response.status_code == 200
        body = response.json()
        assert body["experiment_id"] == str(experiment.pk) and body["verdict"] == "not enough data yet"
        assert set(body["populations"]) == {"audit", "all_reviews"}
        assert body["sample_ratio"]["flagged"] is False and body["minimum_sample_size_per_arm"] > 1000
        assert [arm["variant"] for arm in body["serving"]] == ["A", "B"]

    def test_an_unknown_experiment_is_404(self, manager):
        response = _client(manager).get(f"{LIST_URL}00000000-0000-0000-0000-000000000000/results/")
        assert response.status_code == 404


def test_the_schema_documents_both_endpoints():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    assert "/api/v1/experiments/" in paths and "/api/v1/experiments/{experiment_id}/results/" in paths
