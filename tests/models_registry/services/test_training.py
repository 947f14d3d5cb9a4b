"""The loop's step 5 end to end: train -> register (MLflow) -> activate -> compare -> switch -> roll back."""

from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from comparisons.services import prediction_create
from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelDeployment, ModelVersion, TrainingRun
from models_registry.selectors import model_version_metrics
from models_registry.services.deployment import model_version_activate, model_version_rollback
from models_registry.services.evaluation import evaluation_sets
from models_registry.services.mlflow_registry import (
    EXPERIMENT_NAME,
    mlflow_alias_versions,
    mlflow_log_and_register,
    mlflow_run_versions_list,
)
from models_registry.services.training import (
    _register,
    training_run_create,
    training_run_execute,
    training_run_queue,
)

N_PAIRS = 3000


def _train(seed: int, user) -> ModelVersion:
    run = training_run_create(trigger="test", params={"n_pairs": N_PAIRS, "seed": seed}, requested_by=user)
    run = training_run_execute(training_run_id=run.pk)
    assert run.status == TrainingRun.Status.SUCCEEDED, run.error
    assert run.started_at <= run.finished_at
    return run.model_version


@pytest.mark.django_db
def test_train_register_activate_compare_switch_and_roll_back(mlflow_store, settings, admin_user, analyst):
    import mlflow

    v1 = _train(seed=11, user=admin_user)

    # registered in the database, with metrics on validation, golden and dev side by side
    assert (v1.name, v1.version, v1.created_by) == ("legal-name-comparator", 1, admin_user)
    assert Path(v1.artifact_path).is_file()
    expected = {"validation", *evaluation_sets()}  # the configured sets (LEGALNAME_EVALUATION_SETS)
    assert "golden" in expected
    metrics = model_version_metrics(model_version=v1)  # ModelMetric rows: the one store of measured metrics
    assert set(metrics) == expected | {"training"}
    assert metrics["golden"]["n"] >= 200 and 0 <= metrics["golden"]["balanced_accuracy"] <= 1
    assert metrics["training"]["train_seconds"] > 0
    run_row = v1.training_runs.get()
    assert run_row.params == {"n_pairs": N_PAIRS, "seed": 11}

    # ... and in MLflow: params, metrics, tags, a pyfunc model with pinned requirements, a registered version
    client = mlflow.MlflowClient(settings.MLFLOW_TRACKING_URI)
    run = client.get_run(v1.mlflow_run_id)
    assert client.get_experiment(run.info.experiment_id).name == EXPERIMENT_NAME
    assert run.data.params["n_pairs"] == str(N_PAIRS) and "threshold" in run.data.params
    assert {"max_iter", "max_leaf_nodes", "learning_rate", "random_state"} <= set(run.data.params)
    logged = {"validation_roc_auc", "golden_balanced_accuracy", "train_seconds"} | (
        {"dev_f1"} if "dev" in expected else set()
    )
    assert logged <= set(run.data.metrics)
    assert run.data.tags["legalname.training_run_id"] == str(v1.training_runs.get().pk)
    assert v1.model_uri == "models:/legal-name-comparator/1"
    registered = client.get_model_version("legal-name-comparator", "1")
    assert registered.run_id == v1.mlflow_run_id
    assert registered.tags["legalname.version"] == "1"
    local_model = mlflow.artifacts.download_artifacts(
        artifact_uri=client.get_model_version_download_uri("legal-name-comparator", "1"),
        dst_path=str(mlflow_store / "downloaded"),
    )
    requirements = (Path(local_model) / "requirements.txt").read_text().split()
    assert any(r.startswith("scikit-learn==") for r in requirements)
    assert any(r.startswith("rapidfuzz==") for r in requirements)
    pyfunc = mlflow.pyfunc.load_model(local_model)
    import pandas as pd

    probabilities = pyfunc.predict(pd.DataFrame({"name1": ["Acme LLC"], "name2": ["Acme Inc"]}))
    assert 0 <= float(probabilities[0]) <= 1

    # activate -> compare uses it
    model_version_activate(model_version=v1, user=admin_user, reason="first model")
    prediction = prediction_create(user=analyst, name1="Acme Holdings LLC", name2="Acme Holdings Inc")
    assert prediction.model_version == v1
    assert mlflow_alias_versions(model_name=v1.name) == {"champion": "1"}

    # activate another -> the served version changes without a restart (check interval 0 in these tests)
    v2 = _train(seed=12, user=admin_user)
    assert v2.version == 2 and v2.model_uri.endswith("/2")
    model_version_activate(model_version=v2, user=admin_user, reason="retrained")
    assert prediction_create(user=analyst, name1="Fund I LP", name2="Fund II LP").model_version == v2

    # roll back -> the previous version serves again, straight from memory
    model_version_rollback(model_name=v1.name, user=admin_user, reason="v2 complaints")
    assert prediction_create(user=analyst, name1="Barclays plc", name2="Barclays Bank plc").model_version == v1
    assert mlflow_alias_versions(model_name=v1.name) == {"champion": "1"}

    history = list(
        ModelDeployment.objects.order_by("created_at").values_list(
            "action", "from_version__version", "to_version__version", "user__username", "reason"
        )
    )
    assert history == [
        ("activate", None, 1, "admin1", "first model"),
        ("activate", 1, 2, "admin1", "retrained"),
        ("rollback", 2, 1, "admin1", "v2 complaints"),
    ]


@pytest.mark.django_db
def test_failed_registration_is_recorded_on_the_run_and_registers_nothing(mlflow_store, settings, admin_user):
    blocker = mlflow_store / "not-a-directory"
    blocker.write_text("x")
    settings.MLFLOW_TRACKING_URI = f"sqlite:///{blocker / 'mlflow.db'}"
    run = training_run_create(trigger="test", params={"n_pairs": 600, "seed": 3}, requested_by=admin_user)

    run = training_run_execute(training_run_id=run.pk)

    assert run.status == TrainingRun.Status.FAILED
    assert run.error and run.finished_at is not None
    assert run.model_version is None
    assert not ModelVersion.objects.exists()


@pytest.mark.django_db
class TestTrainingRunQueue:
    def test_queues_once_per_model_name(self, admin_user, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run = training_run_queue(requested_by=admin_user, model_name="queue-test", params={"n_pairs": 3000})
        assert run.status == TrainingRun.Status.QUEUED and len(callbacks) == 1
        with pytest.raises(ApplicationError, match="already queued"):
            training_run_queue(requested_by=admin_user, model_name="queue-test")

    def test_a_run_queued_longer_than_the_task_time_limit_is_failed_and_no_longer_blocks(
        self, admin_user, settings, django_capture_on_commit_callbacks
    ):
        long_ago = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
        with time_machine.travel(long_ago, tick=False):
            lost = training_run_create(trigger="admin", model_name="queue-test", requested_by=admin_user)
        with django_capture_on_commit_callbacks(execute=False):
            run = training_run_queue(requested_by=admin_user, model_name="queue-test")
        lost.refresh_from_db()
        assert lost.status == TrainingRun.Status.FAILED and "never started" in lost.error
        assert run.status == TrainingRun.Status.QUEUED

    def test_the_database_refuses_a_second_active_run_whoever_writes_it(self, admin_user):
        """The one-active-run rule is a constraint, not a check before the write: a racing writer (another beat,
        an admin) that got past any check still cannot add a second queued run."""
        from django.db import IntegrityError, transaction

        TrainingRun.objects.create(model_name="queue-test", status=TrainingRun.Status.RUNNING)
        with pytest.raises(IntegrityError), transaction.atomic():
            TrainingRun.objects.create(model_name="queue-test", status=TrainingRun.Status.QUEUED)
        TrainingRun.objects.create(model_name="other-model", status=TrainingRun.Status.QUEUED)  # per model name


@pytest.mark.django_db
class TestTrainingRunExecute:
    def test_a_run_that_is_not_queued_is_not_run_again(self, admin_user):
        from models_registry.tasks import training_run_execute_task

        run = training_run_create(trigger="admin", requested_by=admin_user, model_name="redelivered")
        TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.SUCCEEDED)

        assert training_run_execute_task(str(run.pk)) == TrainingRun.Status.SUCCEEDED  # the task body, called directly
        run.refresh_from_db()
        assert run.started_at is None and not ModelVersion.objects.filter(name="redelivered").exists()


def test_a_run_claimed_by_another_worker_is_not_run_again(transactional_db, admin_user):
    """Another worker claims the run while this one starts: only one of them runs it, decided by the database."""
    import threading

    from django.db import connection, transaction

    run = training_run_create(trigger="admin", requested_by=admin_user, params={"n_pairs": "not a number"})
    returned: list = []

    def second_worker():
        try:
            returned.append(training_run_execute(training_run_id=run.pk))
        finally:
            connection.close()

    claimed_at = timezone.now()
    with transaction.atomic():  # the first worker's claim, not yet committed while the second worker starts
        TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.RUNNING, started_at=claimed_at)
        worker = threading.Thread(target=second_worker)
        worker.start()
        worker.join(timeout=0.5)  # gives the second worker time to read the row; it cannot write before the commit
    worker.join(timeout=30)

    run.refresh_from_db()
    assert returned and returned[0].status == TrainingRun.Status.RUNNING
    assert (run.status, run.started_at, run.error) == (TrainingRun.Status.RUNNING, claimed_at, "")


@pytest.mark.django_db
def test_a_version_number_taken_concurrently_fails_the_run_clearly(mlflow_store, admin_user, small_comparator_path):
    """Two trainings of one name taking the same number: the database refuses the second, the run says why."""
    from django.db import connection

    from comparisons.engine import Comparator

    if connection.vendor != "sqlite":
        pytest.skip("the concurrent registration is injected with a SQLite trigger")
    run = training_run_create(trigger="test", requested_by=admin_user, model_name="racing")
    TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.RUNNING)
    comparator = Comparator.load(small_comparator_path)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TRIGGER taken_concurrently BEFORE INSERT ON models_registry_modelversion "
            "WHEN NEW.name = 'racing' BEGIN SELECT RAISE(ABORT, "
            "'UNIQUE constraint failed: models_registry_modelversion.name, models_registry_modelversion.version'); END"
        )
    try:
        with pytest.raises(ApplicationError, match="registered by another training at the same time"):
            _register(
                run=run,
                comparator=comparator,
                evaluations={"validation": {"roc_auc": 0.9, "n": 10}},
                feedback_ids=[],
                train_seconds=1.0,
                n_pairs=10,
            )
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER taken_concurrently")
    run.refresh_from_db()
    assert run.status == TrainingRun.Status.RUNNING and run.model_version is None
    assert not ModelVersion.objects.filter(name="racing").exists()
    # the registry and the database never disagree: the MLflow version registered before the refusal is gone
    assert mlflow_run_versions_list(model_name="racing", training_run_id=str(run.pk)) == []


@pytest.mark.django_db
def test_training_stores_the_drift_baseline_with_the_version(mlflow_store, admin_user):
    """What the version saw, for drift: a sample of its training pairs, summarised per feature
    (models_registry.monitoring.drift, whose tests cover the summary itself)."""
    version = _train(seed=13, user=admin_user)

    version.refresh_from_db()
    baseline = version.baseline
    assert baseline["feature_version"] == version.feature_version
    assert baseline["n"] == N_PAIRS and baseline["threshold"] == version.threshold
    assert {"probability_material", "verdict", "name_length", "name_script"} < set(baseline["features"])
    assert baseline["features"]["probability_material"]["kind"] == "continuous"
    assert len(str(baseline)) < 250_000  # bounded by its KS samples, not by the training pairs


@pytest.mark.django_db
class TestProgress:
    def test_a_run_records_its_stages_data_and_outcome(self, mlflow_store, admin_user):
        from models_registry.tasks import training_run_execute_task

        run = training_run_create(trigger="test", params={"n_pairs": 1500, "seed": 5}, requested_by=admin_user)
        assert (run.stage, run.progress) == (TrainingRun.Stage.QUEUED, 0)

        assert training_run_execute_task(str(run.pk)) == TrainingRun.Status.SUCCEEDED  # the task body, directly

        run.refresh_from_db()
        assert (run.stage, run.progress, run.outcome) == (TrainingRun.Stage.DONE, 1.0, TrainingRun.Outcome.ACTIVATED)
        assert run.heartbeat_at is not None and run.started_at <= run.heartbeat_at <= run.finished_at
        assert run.data_counts["generated"] == 1500 and run.data_counts["decisions"] == 0
        assert run.promotion.startswith("activated: no version")
        assert run.promotion_decisions.get().outcome == "activated"

    def test_the_heartbeat_beats_while_the_block_runs(self, transactional_db, settings, admin_user):
        import time

        from models_registry.services.training import _heartbeat

        settings.LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS = 10  # a beat every second
        run = TrainingRun.objects.create(model_name="beating", status=TrainingRun.Status.RUNNING)
        with _heartbeat(run.pk):
            time.sleep(2.5)
        run.refresh_from_db()
        assert run.heartbeat_at is not None and timezone.now() - run.heartbeat_at < timedelta(seconds=3)


@pytest.mark.django_db
class TestSweeper:
    def test_a_running_run_whose_heartbeat_stopped_is_failed_with_an_alert(self, settings):
        from models_registry.models import Alert
        from models_registry.services.training import training_runs_stale_fail

        stale = timezone.now() - timedelta(seconds=settings.LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS + 5)
        dead = TrainingRun.objects.create(
            model_name="dead",
            status=TrainingRun.Status.RUNNING,
            started_at=stale,
            heartbeat_at=stale,
            stage=TrainingRun.Stage.FITTING,
            progress=0.35,
        )
        alive = TrainingRun.objects.create(
            model_name="alive", status=TrainingRun.Status.RUNNING, started_at=stale, heartbeat_at=timezone.now()
        )

        assert [run.pk for run in training_runs_stale_fail()] == [dead.pk]

        dead.refresh_from_db()
        alive.refresh_from_db()
        assert dead.status == TrainingRun.Status.FAILED and "worker lost" in dead.error and "fitting" in dead.error
        assert alive.status == TrainingRun.Status.RUNNING
        assert Alert.objects.filter(kind=Alert.Kind.TRAINING_FAILED, resolved_at__isnull=True).count() == 1

    def test_a_redelivered_run_of_a_dead_worker_is_claimed_again_and_trains(self, mlflow_store, settings):
        stale = timezone.now() - timedelta(seconds=settings.LEGALNAME_TRAINING_HEARTBEAT_STALE_SECONDS + 5)
        run = TrainingRun.objects.create(
            model_name="legal-name-comparator",
            status=TrainingRun.Status.RUNNING,
            started_at=stale,
            heartbeat_at=stale,
            params={"n_pairs": 1200, "seed": 2},
        )

        run = training_run_execute(training_run_id=run.pk)

        assert run.status == TrainingRun.Status.SUCCEEDED and run.started_at > stale

    def test_the_mlflow_version_of_a_worker_killed_before_its_row_is_deleted(self, mlflow_store, small_comparator_path):
        """A worker killed between MLflow's registration and the database commit leaves an MLflow version with no
        row: failing the run (the sweeper) deletes it, so the registry and the database agree again."""
        from models_registry.services.training import training_run_fail

        run = TrainingRun.objects.create(model_name="killed", status=TrainingRun.Status.RUNNING)
        mlflow_log_and_register(
            model_name="killed",
            artifact_path=small_comparator_path,
            params={},
            evaluations={},
            train_seconds=1.0,
            tags={"legalname.training_run_id": str(run.pk)},
        )
        assert mlflow_run_versions_list(model_name="killed", training_run_id=str(run.pk)) == ["1"]

        training_run_fail(training_run_id=run.pk, error="worker lost")

        assert mlflow_run_versions_list(model_name="killed", training_run_id=str(run.pk)) == []


@pytest.mark.django_db
class TestTrainingOnDecisions:
    def test_a_failed_run_leaves_its_decisions_unprocessed(
        self, mlflow_store, settings, active_model_version, plant_decisions
    ):
        import random

        from tests.models_registry.conftest import added_word_pairs

        decisions = plant_decisions(active_model_version, added_word_pairs(random.Random(1), 30), [0] * 30)
        blocker = mlflow_store / "not-a-directory"
        blocker.write_text("x")
        settings.MLFLOW_TRACKING_URI = f"sqlite:///{blocker / 'mlflow.db'}"  # registration will fail
        run = training_run_create(trigger="test", params={"n_pairs": 1000, "seed": 3})

        run = training_run_execute(training_run_id=run.pk)

        assert run.status == TrainingRun.Status.FAILED
        from feedback.models import Feedback

        assert Feedback.objects.filter(pk__in=[d.pk for d in decisions], processed=False).count() == 30

    def test_the_retrained_model_follows_the_organisations_policy_and_keeps_the_base_one(
        self, mlflow_store, active_model_version, plant_decisions
    ):
        """The issue's bar: an organisation treats ``Holdings`` as immaterial (the base policy says a holding is
        another entity). After 300 corrections of that pattern, the retrained model says IMMATERIAL on new pairs of
        it (names and forms it never saw), still says MATERIAL when ``Group`` or ``Bank`` is added to the same new
        names (the policy does not spill over), and the golden set stays above its 0.95 floor."""
        import random

        import numpy as np

        from comparisons.engine import Comparator
        from feedback.models import Feedback
        from tests.models_registry.conftest import added_word_pairs

        corrections = added_word_pairs(random.Random(11), 300)
        planted = plant_decisions(active_model_version, corrections, [0] * 300)
        base_says = sum(f.prediction.material for f in planted)
        assert base_says >= 290  # the served model calls them MATERIAL: these are corrections

        run = training_run_create(trigger="test", params={"n_pairs": 20_000, "seed": 20261126})
        run = training_run_execute(training_run_id=run.pk)
        assert run.status == TrainingRun.Status.SUCCEEDED, run.error

        assert run.data_counts["corrections"] == base_says and run.data_counts["decisions"] == 300
        assert run.data_counts["decision_weight"] > 1 and run.data_counts["policy_words"] == ["holding"]
        assert Feedback.objects.filter(processed=True, training_run=run).count() == 300
        model = Comparator.load(run.model_version.artifact_path)
        rng = random.Random(99)
        new_holdings = added_word_pairs(rng, 200)
        assert not set(new_holdings) & set(corrections)
        immaterial = np.mean(model.predict_proba(new_holdings) < model.threshold)
        assert immaterial >= 0.95, immaterial
        for word in ("Group", "Bank", "International"):
            others = added_word_pairs(random.Random(99), 200, words=(word,))
            material = np.mean(model.predict_proba(others) >= model.threshold)
            assert material >= 0.9, (word, material)
        golden = model_version_metrics(model_version=run.model_version)["golden"]
        assert golden["balanced_accuracy"] >= 0.95, golden
