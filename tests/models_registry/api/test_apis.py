import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from models_registry.models import ModelDeployment, ModelVersion
from models_registry.services.deployment import model_version_activate
from tests.models_registry.utils import champion_version, mlflow_number


def _client(user=None) -> APIClient:
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
class TestModelVersionListApi:
    def test_lists_versions_with_metrics_and_active_flag_in_bounded_queries(
        self, register_version, admin_user, analyst
    ):
        from django.utils import timezone

        from models_registry.models import ModelMetric

        versions = [register_version() for _ in range(3)] + [register_version(name="uk-policy")]
        model_version_activate(model_version=versions[1], user=admin_user)
        for version in versions:
            ModelMetric.objects.create(
                model_version=version,
                metric_name="roc_auc",
                metric_value=0.9,
                dataset="golden",
                recorded_at=timezone.now(),
            )
        client = _client(analyst)

        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/models/")

        assert response.status_code == 200, response.json()
        assert len(queries) <= 6  # session/user + count + versions + prefetched metric rows; not one per version
        body = response.json()
        assert body["count"] == 4
        by_id = {row["id"]: row for row in body["results"]}
        assert by_id[str(versions[1].pk)]["is_active"] is True
        assert by_id[str(versions[0].pk)]["is_active"] is False
        metrics = by_id[str(versions[0].pk)]["metrics"]  # from the ModelMetric rows; the later value wins
        assert metrics["golden"] == {"roc_auc": 0.9, "balanced_accuracy": 0.88, "n": 285}
        assert metrics["validation"]["f1"] == 0.9 and "metric_rows" not in by_id[str(versions[0].pk)]

    def test_filters_by_name_and_active(self, register_version, admin_user, analyst):
        register_version(), register_version(name="uk-policy")
        active = register_version(name="uk-policy")
        model_version_activate(model_version=active, user=admin_user)
        client = _client(analyst)

        names = {r["name"] for r in client.get("/api/v1/models/", {"name": "uk-policy"}).json()["results"]}
        assert names == {"uk-policy"}
        rows = client.get("/api/v1/models/", {"is_active": "true"}).json()["results"]
        assert [r["id"] for r in rows] == [str(active.pk)]

    @pytest.mark.parametrize("query, field", [({"is_active": "maybe"}, "is_active"), ({"status": "gone"}, "status")])
    def test_bad_filter_is_400_naming_the_field(self, analyst, query, field):
        response = _client(analyst).get("/api/v1/models/", query)
        assert response.status_code == 400 and set(response.json()["errors"]) == {field}

    def test_needs_credentials(self, db):
        assert _client().get("/api/v1/models/").status_code == 401


@pytest.mark.django_db
class TestModelVersionActivateApi:
    def test_admin_activates(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)

        response = _client(admin_user).post(
            f"/api/v1/models/{v2.pk}/activate/", {"reason": "wins on golden"}, format="json"
        )

        assert response.status_code == 200, response.json()
        assert response.json()["is_active"] is True
        assert ModelVersion.objects.get(name=v1.name, is_active=True) == v2
        deployment = ModelDeployment.objects.order_by("-created_at").first()
        assert (deployment.user, deployment.reason, deployment.from_version, deployment.to_version) == (
            admin_user,
            "wins on golden",
            v1,
            v2,
        )
        assert champion_version() == mlflow_number(v2)

    def test_analyst_is_forbidden_and_nothing_changes(self, register_version, admin_user, analyst):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)

        response = _client(analyst).post(f"/api/v1/models/{v2.pk}/activate/", {}, format="json")

        assert response.status_code == 403
        assert response.json()["detail"] == "This needs the admin role."
        assert ModelVersion.objects.get(name=v1.name, is_active=True) == v1
        assert ModelDeployment.objects.count() == 1
        assert champion_version() == mlflow_number(v1)

    def test_anonymous_gets_401(self, register_version):
        v1 = register_version()
        assert _client().post(f"/api/v1/models/{v1.pk}/activate/", {}, format="json").status_code == 401
        v1.refresh_from_db()
        assert not v1.is_active

    def test_unknown_version_is_404(self, admin_user):
        import uuid

        response = _client(admin_user).post(f"/api/v1/models/{uuid.uuid4()}/activate/", {}, format="json")
        assert response.status_code == 404
        assert set(response.json()) == {"detail", "errors"}

    def test_refused_activation_is_a_400_with_the_reason(self, register_version, admin_user):
        from tests.models_registry.utils import corrupt

        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        corrupt(v2)

        response = _client(admin_user).post(f"/api/v1/models/{v2.pk}/activate/", {}, format="json")

        assert response.status_code == 400
        assert "refused" in response.json()["detail"]
        assert ModelVersion.objects.get(name=v1.name, is_active=True) == v1


@pytest.mark.django_db
class TestModelVersionRollbackApi:
    def test_admin_rolls_back(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_activate(model_version=v2, user=admin_user)

        response = _client(admin_user).post("/api/v1/models/rollback/", {"name": v1.name}, format="json")

        assert response.status_code == 200, response.json()
        assert response.json()["id"] == str(v1.pk)
        assert ModelVersion.objects.get(name=v1.name, is_active=True) == v1
        assert ModelDeployment.objects.order_by("-created_at").first().action == ModelDeployment.Action.ROLLBACK

    def test_a_second_rollback_goes_further_back(self, register_version, admin_user):
        a, b, c = register_version(), register_version(), register_version()
        for version in (a, b, c):
            model_version_activate(model_version=version, user=admin_user)
        client = _client(admin_user)

        first = client.post("/api/v1/models/rollback/", {"name": a.name, "reason": "c misbehaves"}, format="json")
        second = client.post("/api/v1/models/rollback/", {"name": a.name}, format="json")
        third = client.post("/api/v1/models/rollback/", {"name": a.name}, format="json")

        assert (first.json()["id"], second.json()["id"]) == (str(b.pk), str(a.pk))
        assert third.status_code == 400 and "no previous version" in third.json()["detail"]
        assert ModelVersion.objects.get(name=a.name, is_active=True) == a
        assert ModelDeployment.objects.filter(action=ModelDeployment.Action.ROLLBACK).count() == 2

    def test_nothing_to_roll_back_is_a_400(self, admin_user):
        response = _client(admin_user).post("/api/v1/models/rollback/", {"name": "nothing-here"}, format="json")
        assert response.status_code == 400
        assert "nothing to roll back" in response.json()["detail"]

    def test_name_is_required_and_analyst_forbidden(self, admin_user, analyst):
        response = _client(admin_user).post("/api/v1/models/rollback/", {}, format="json")
        assert response.status_code == 400
        assert "name" in response.json()["errors"]
        assert _client(analyst).post("/api/v1/models/rollback/", {"name": "x"}, format="json").status_code == 403


def test_schema_describes_the_model_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    assert "get" in paths["/api/v1/models/"]
    listing = paths["/api/v1/models/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"name", "is_active", "status", "limit", "offset"}
    assert listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaginatedModelVersionList"
    )
    activate = paths["/api/v1/models/{version_id}/activate/"]["post"]
    assert activate["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ModelVersionActivateInput"
    )
    assert "200" in activate["responses"]
    rollback = paths["/api/v1/models/rollback/"]["post"]
    assert {"200", "400", "409"} <= set(rollback["responses"])
    rollback_input = schema["components"]["schemas"]["ModelVersionRollbackInput"]
    assert rollback_input["required"] == ["name"]
    assert "model name" in rollback_input["properties"]["name"]["description"]
