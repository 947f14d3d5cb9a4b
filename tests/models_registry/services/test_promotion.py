import pytest
from django.db import connection

from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelDeployment, ModelVersion, TrainingRun
from models_registry.services.deployment import model_version_activate
from models_registry.services.promotion import model_version_promote_if_better, training_run_promote_if_better
from models_registry.services.training import training_run_create
from tests.models_registry.utils import champion_version, corrupt, mlflow_number


def _golden(score: float) -> dict:
    return {"golden": {"balanced_accuracy": score, "roc_auc": 0.9, "n": 285}}


@pytest.mark.django_db
class TestModelVersionPromoteIfBetter:
    def test_the_first_version_of_a_name_is_activated(self, register_version, admin_user):
        v1 = register_version(metrics={})

        decision = model_version_promote_if_better(candidate=v1, user=admin_user, reason="train_model")

        assert decision.promoted and "no version" in decision.detail
        assert ModelVersion.objects.get(is_active=True) == v1 and champion_version() == mlflow_number(v1)
        deployment = ModelDeployment.objects.get()
        assert deployment.user == admin_user and deployment.reason.endswith("(train_model)")

    def test_a_better_version_replaces_the_active_one(self, register_version, admin_user):
        v1, v2 = register_version(metrics=_golden(0.88)), register_version(metrics=_golden(0.91))
        model_version_activate(model_version=v1, user=admin_user)

        decision = model_version_promote_if_better(candidate=v2)

        assert decision.promoted and (decision.candidate_score, decision.active_score) == (0.91, 0.88)
        assert "golden balanced_accuracy 0.9100 vs 0.8800" in decision.detail
        assert ModelVersion.objects.get(is_active=True) == v2
        assert ModelDeployment.objects.latest("created_at").from_version == v1

    @pytest.mark.parametrize("score", [0.88, 0.80])
    def test_an_equal_or_worse_version_is_not_activated(self, register_version, admin_user, score):
        v1, v2 = register_version(metrics=_golden(0.88)), register_version(metrics=_golden(score))
        model_version_activate(model_version=v1, user=admin_user)

        decision = model_version_promote_if_better(candidate=v2)

        assert not decision.promoted and f"v{v1.version} stays active" in decision.detail
        assert ModelVersion.objects.get(is_active=True) == v1 and ModelDeployment.objects.count() == 1

    def test_the_gate_reads_its_set_and_metric_from_settings(self, register_version, admin_user, settings):
        settings.LEGALNAME_PROMOTION_DATASET, settings.LEGALNAME_PROMOTION_METRIC = "dev", "roc_auc"
        v1 = register_version(metrics={"dev": {"roc_auc": 0.90}, **_golden(0.95)})
        v2 = register_version(metrics={"dev": {"roc_auc": 0.93}, **_golden(0.80)})
        model_version_activate(model_version=v1, user=admin_user)

        assert model_version_promote_if_better(candidate=v2).promoted

    def test_a_version_without_the_metric_is_not_activated(self, register_version, admin_user):
        v1, v2 = register_version(metrics=_golden(0.88)), register_version(metrics={"validation": {"f1": 0.99}})
        model_version_activate(model_version=v1, user=admin_user)

        decision = model_version_promote_if_better(candidate=v2)

        assert not decision.promoted and "has no golden balanced_accuracy" in decision.detail
        assert ModelVersion.objects.get(is_active=True) == v1

    def test_a_switch_expecting_nothing_active_refuses_a_version_activated_meanwhile(
        self, register_version, admin_user
    ):
        """The gate's switch when it saw no active version: v1 was activated since, so nothing changes (409)."""
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)

        with pytest.raises(ApplicationError, match="someone else") as raised:
            model_version_activate(model_version=v2, user=admin_user, replacing=None)

        assert raised.value.status_code == 409
        assert ModelVersion.objects.get(is_active=True) == v1 and ModelDeployment.objects.count() == 1
        assert champion_version() == mlflow_number(v1)
        with pytest.raises(ApplicationError, match="someone else"):  # nor when the candidate itself was activated
            model_version_activate(model_version=v1, user=admin_user, replacing=None)

    def test_an_activation_between_the_gates_read_and_its_switch_is_a_409(self, register_version, admin_user):
        """A real interleaving: another admin activates v1 right after the gate read that nothing is active (the
        gate's next query, its score read, is where it happens)."""
        v1, v2 = register_version(metrics=_golden(0.95)), register_version(metrics=_golden(0.91))
        interleaved: list[str] = []

        def someone_else_activates_v1(execute, sql, params, many, context):
            if not interleaved and "models_registry_modelmetric" in sql:
                interleaved.append(sql)  # first, so the activation's own queries do not come back here
                model_version_activate(model_version=v1, user=admin_user, reason="someone else")
            return execute(sql, params, many, context)

        with connection.execute_wrapper(someone_else_activates_v1), pytest.raises(ApplicationError) as raised:
            model_version_promote_if_better(candidate=v2)

        assert interleaved and raised.value.status_code == 409
        assert ModelVersion.objects.get(is_active=True) == v1 and champion_version() == mlflow_number(v1)
        assert list(ModelDeployment.objects.values_list("to_version", "reason")) == [(v1.pk, "someone else")]


@pytest.mark.django_db
class TestTrainingRunPromoteIfBetter:
    def _run(self, version, user) -> TrainingRun:
        run = training_run_create(trigger="schedule", requested_by=user)
        TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.SUCCEEDED, model_version=version)
        run.refresh_from_db()
        return run

    def test_the_decision_is_written_on_the_run(self, register_version, admin_user):
        v1, v2 = register_version(metrics=_golden(0.88)), register_version(metrics=_golden(0.91))
        model_version_activate(model_version=v1, user=admin_user)
        run = self._run(v2, admin_user)

        decision = training_run_promote_if_better(training_run=run)

        run.refresh_from_db()
        assert decision.promoted and run.promotion == decision.detail
        assert ModelDeployment.objects.latest("created_at").reason.endswith(f"(training run {run.pk} (schedule))")

    def test_a_refused_activation_is_recorded_not_raised(self, register_version, admin_user):
        v1, v2 = register_version(metrics=_golden(0.88)), register_version(metrics=_golden(0.91))
        model_version_activate(model_version=v1, user=admin_user)
        corrupt(v2)

        decision = training_run_promote_if_better(training_run=self._run(v2, admin_user))

        assert not decision.promoted and "refused" in TrainingRun.objects.get().promotion
        assert ModelVersion.objects.get(is_active=True) == v1

    def test_a_run_without_a_version_decides_nothing(self, admin_user):
        run = training_run_create(trigger="admin", requested_by=admin_user)
        assert training_run_promote_if_better(training_run=run) is None


@pytest.mark.django_db
def test_the_training_task_puts_its_version_through_the_gate(mlflow_store, admin_user):
    """The path of the admin's "train" action and of the nightly retraining: the worker's task trains, then the
    same promotion service as the command decides."""
    from models_registry.tasks import training_run_execute_task

    run = training_run_create(trigger="admin", requested_by=admin_user, params={"n_pairs": 1500, "seed": 4})

    assert training_run_execute_task(str(run.pk)) == TrainingRun.Status.SUCCEEDED  # the task body, called directly

    run.refresh_from_db()
    assert run.model_version.is_active and run.promotion.startswith("activated: no version")
