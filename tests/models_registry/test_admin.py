import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_registry.admin import ModelVersionAdmin
from models_registry.models import Alert, ModelDeployment, ModelMetric, ModelVersion, TrainingRun
from models_registry.services.deployment import model_version_activate
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.conftest import metric_rows_create
from tests.models_registry.factories import ModelVersionFactory
from tests.models_registry.utils import champion_version, mlflow_number

CHANGELIST = "/admin/models_registry/modelversion/"


def _action(client, action: str, versions) -> list[str]:
    response = client.post(
        CHANGELIST, {"action": action, "_selected_action": [str(v.pk) for v in versions]}, follow=True
    )
    assert response.status_code == 200
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def admin_client_logged_in(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
class TestModelVersionAdminChangelist:
    def test_changelist_shows_metrics_side_by_side_in_bounded_queries(self, admin_client_logged_in, analyst):
        metrics = {
            "validation": {"roc_auc": 0.951, "balanced_accuracy": 0.9, "n": 600},
            "golden": {"roc_auc": 0.932, "balanced_accuracy": 0.88, "n": 285},
            "dev": {"roc_auc": 0.914, "balanced_accuracy": 0.85, "n": 834},
        }
        versions = [ModelVersionFactory() for _ in range(5)]
        for version in versions:
            metric_rows_create(version, metrics)
        for _ in range(3):
            PredictionFactory(user=analyst, model_version=versions[0])
        ModelDeployment.objects.create(model_name=versions[0].name, action="activate", to_version=versions[0])

        with CaptureQueriesContext(connection) as queries:
            response = admin_client_logged_in.get(CHANGELIST)

        assert response.status_code == 200
        assert len(queries) <= 12, [q["sql"] for q in queries]  # a fixed number, whatever the number of rows
        html = response.content.decode()
        for value in ("0.951", "0.932", "0.914"):
            assert value in html
        assert "Train a new version" in html
        row = ModelVersionAdmin(ModelVersion, site).get_queryset(None).get(pk=versions[0].pk)
        assert (row._n_predictions, row._n_deployments) == (3, 1)

    def test_evaluation_column_and_metrics_table_read_the_metric_rows(self, admin_client_logged_in):
        version = ModelVersionFactory(threshold=0.30231682528770104)
        metric_rows_create(
            version, {"golden": {"roc_auc": 0.9321, "f1": 0.5, "n": 285}, "training": {"train_seconds": 12.345}}
        )
        admin = ModelVersionAdmin(ModelVersion, site)
        row = admin.get_queryset(None).get(pk=version.pk)

        assert (
            admin.evaluation(row)
            == "<small>golden</small> AUC&nbsp;<b>0.932</b> F1&nbsp;<b>0.500</b> <small>(n=285)</small>"
        )
        assert admin.evaluation(ModelVersionFactory()) == "-"
        table = admin.metrics_table(row)
        assert "<th>golden</th><td>0.500</td><td>285</td><td>0.932</td><td>-</td>" in table
        assert "<td>12.3 s</td>" in table and "{" not in table  # a table, not a JSON blob
        assert admin.threshold_rounded(version) == "0.302"

        with CaptureQueriesContext(connection) as queries:
            page = admin_client_logged_in.get(f"{CHANGELIST}{version.pk}/change/").content.decode()
        assert "0.302" in page and "0.30231682528770104" not in page and '<table class="metrics">' in page
        metric_reads = [q["sql"] for q in queries if "models_registry_modelmetric" in q["sql"]]
        # the prefetch of get_queryset, plus the monitoring panel's one look-up of the latest window (none here)
        assert len(metric_reads) == 2, metric_reads

    def test_a_failed_version_shows_its_load_error_in_the_list_and_on_its_page(self, admin_client_logged_in):
        error = "cannot load model from /models/v9.joblib: UnpicklingError: invalid load key, '\\x00'."
        version = ModelVersionFactory(status=ModelVersion.Status.FAILED, status_detail=error)

        changelist = admin_client_logged_in.get(CHANGELIST)
        change = admin_client_logged_in.get(f"{CHANGELIST}{version.pk}/change/")

        assert changelist.status_code == 200 and "UnpicklingError" in changelist.content.decode()
        assert change.status_code == 200 and "UnpicklingError: invalid load key" in change.content.decode()

    def test_deployment_history_is_read_only(self, admin_client_logged_in, admin_user):
        version = ModelVersionFactory()
        deployment = ModelDeployment.objects.create(
            model_name=version.name, action="activate", to_version=version, user=admin_user, reason="first"
        )
        response = admin_client_logged_in.get("/admin/models_registry/modeldeployment/")
        assert response.status_code == 200
        assert "first" in response.content.decode()
        change = admin_client_logged_in.post(
            f"/admin/models_registry/modeldeployment/{deployment.pk}/change/", {"reason": "rewritten"}
        )
        assert change.status_code in (200, 403)
        deployment.refresh_from_db()
        assert deployment.reason == "first"
        assert admin_client_logged_in.get("/admin/models_registry/modeldeployment/add/").status_code == 403


@pytest.mark.django_db
class TestModelVersionAdminActions:
    def test_activate_exactly_one(self, admin_client_logged_in, register_version, admin_user):
        v1, v2 = register_version(), register_version()

        messages = _action(admin_client_logged_in, "activate_version", [v1, v2])
        assert messages == ["Select exactly one version to activate."]
        assert not ModelVersion.objects.filter(is_active=True).exists()

        messages = _action(admin_client_logged_in, "activate_version", [v2])
        assert "is now active" in messages[0]
        assert ModelVersion.objects.get(is_active=True) == v2
        deployment = ModelDeployment.objects.get()
        assert (deployment.user, deployment.to_version, deployment.reason) == (
            admin_user,
            v2,
            "activated from the admin",
        )
        assert champion_version() == mlflow_number(v2)

    def test_rollback_and_errors_become_messages(self, admin_client_logged_in, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        assert "no previous version" in _action(admin_client_logged_in, "rollback_to_previous", [v1])[0]
        model_version_activate(model_version=v2, user=admin_user)

        messages = _action(admin_client_logged_in, "rollback_to_previous", [v2])

        assert messages == [f"{v1.name} rolled back to v{v1.version}."]
        assert ModelVersion.objects.get(is_active=True) == v1
        assert ModelDeployment.objects.order_by("-created_at").first().user == admin_user

    def test_retire_and_mark_challenger(self, admin_client_logged_in, register_version, admin_user):
        v1, v2, v3 = register_version(), register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)

        messages = _action(admin_client_logged_in, "retire_versions", [v1, v3])
        assert any("is active" in m for m in messages) and "1 version(s) retired." in messages
        messages = _action(admin_client_logged_in, "mark_challenger", [v2])
        assert "is the challenger" in messages[0]

        statuses = dict(ModelVersion.objects.values_list("pk", "status"))
        assert statuses == {v1.pk: "registered", v2.pk: "challenger", v3.pk: "retired"}

    def test_train_queues_a_run_after_commit_and_does_not_train(
        self, admin_client_logged_in, admin_user, django_capture_on_commit_callbacks
    ):
        version = ModelVersionFactory(name="uk-policy")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            messages = _action(admin_client_logged_in, "train_new_version", [version])

        run = TrainingRun.objects.get(model_name="uk-policy")
        assert (run.status, run.model_name, run.trigger, run.requested_by) == (
            "queued",
            "uk-policy",
            "admin",
            admin_user,
        )
        assert len(callbacks) == 1  # the Celery task is sent only once the run row is committed
        assert "queued" in messages[0]
        # a second request while one is queued is refused with a message
        assert "already queued" in _action(admin_client_logged_in, "train_new_version", [version])[0]
        assert TrainingRun.objects.filter(model_name="uk-policy").count() == 1

    def test_train_button_without_selection(self, admin_client_logged_in, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = admin_client_logged_in.post(
                reverse("admin:models_registry_modelversion_train"), {"name": "eu-policy"}
            )
        assert response.status_code == 302
        assert TrainingRun.objects.filter(model_name="eu-policy", status="queued").count() == 1
        assert len(callbacks) == 1
        assert admin_client_logged_in.get(reverse("admin:models_registry_modelversion_train")).status_code == 302
        assert TrainingRun.objects.filter(model_name="eu-policy").count() == 1

    def test_analyst_cannot_reach_the_control_room(self, client, analyst):
        client.force_login(analyst)
        response = client.get(CHANGELIST)
        assert response.status_code == 302  # not staff: sent to the admin login


def test_the_app_reads_model_registry_and_records_are_read_only(rf, admin_user):
    from django.apps import apps

    from legalname.common.admin import ReadOnlyAdminMixin
    from models_registry.admin import ModelDeploymentAdmin, ModelMetricAdmin, TrainingRunAdmin
    from models_registry.models import ModelMetric

    assert apps.get_app_config("models_registry").verbose_name == "Model registry"
    request = rf.get("/")
    request.user = admin_user
    for admin_class, model in (
        (ModelDeploymentAdmin, ModelDeployment),
        (ModelMetricAdmin, ModelMetric),
        (TrainingRunAdmin, TrainingRun),
    ):
        model_admin = admin_class(model, site)
        assert isinstance(model_admin, ReadOnlyAdminMixin) and not model_admin.has_change_permission(request)
    # versions are not added by hand, but the actions need the change permission
    versions = ModelVersionAdmin(ModelVersion, site)
    assert not versions.has_add_permission(request) and versions.has_change_permission(request)


@pytest.mark.django_db
def test_monitoring_panel_shows_the_latest_day_against_thresholds_drift_and_open_alerts(client, admin_user):
    version = ModelVersionFactory(is_active=True)
    day_end = dt.datetime(2026, 3, 5, tzinfo=dt.UTC)
    window = {"window_start": day_end - dt.timedelta(days=1), "window_end": day_end, "recorded_at": day_end}
    ModelMetric.objects.bulk_create(
        ModelMetric(model_version=version, dataset="audit", metric_name=name, metric_value=value, **window)
        for name, value in {"n": 120, "accuracy": 0.7, "accuracy_low": 0.61, "accuracy_high": 0.78}.items()
    )
    Alert.objects.create(
        kind="threshold_breach",
        key="breach:x",
        model_name=version.name,
        subject="accuracy is below 0.85",
        first_seen_at=day_end,
        last_seen_at=day_end,
    )
    html = str(ModelVersionAdmin(ModelVersion, admin.site).monitoring_panel(version))
    assert "audit slice (unbiased)" in html and "<td>120</td>" in html
    assert '<span class="breach">0.700</span> <small>[0.610\u20130.780]</small>' in html  # upper bound below 0.85
    # under min_audit_n audit decisions no verdict is drawn, so nothing is marked
    ModelMetric.objects.filter(dataset="audit", metric_name="n").update(metric_value=20)
    assert 'class="breach"' not in str(ModelVersionAdmin(ModelVersion, admin.site).monitoring_panel(version))
    assert "thresholds (min n 50)" in html and "0.850" in html
    assert "drift: <strong" in html and "no drift window measured yet" in html
    assert "accuracy is below 0.85" in html
    client.force_login(admin_user)
    page = client.get(reverse("admin:models_registry_modelversion_change", args=[version.pk]))
    assert page.status_code == 200 and "audit slice (unbiased)" in page.content.decode()
