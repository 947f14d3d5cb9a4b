"""The retraining triggers (models_registry.services.retraining): each trigger at its boundary with its numbers
recorded, one training for several triggers, none while one is queued or running (also when two checks race),
evidence a training already answered, and what the feedback-volume trigger counts."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from feedback.models import Feedback
from feedback.services import feedback_create
from legalname.celery import app
from models_registry.models import ModelMetric, MonitoringThreshold, RetrainingCheck, TrainingRun
from models_registry.monitoring.performance import Window, wilson_interval, window_rows
from models_registry.services.retraining import (
    retraining_check,
    retraining_check_all,
    retraining_triggers_evaluate,
)
from models_registry.services.training import training_run_create
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.factories import ModelVersionFactory

UTC = dt.UTC
MODEL = "legal-name-comparator"
# A Thursday afternoon: the last complete day is Wednesday 4 March.
NOW = dt.datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
DAY = Window("day", dt.datetime(2026, 3, 4, tzinfo=UTC), dt.datetime(2026, 3, 5, tzinfo=UTC))
DRIFT_WINDOW = (NOW - dt.timedelta(hours=24, minutes=30), NOW - dt.timedelta(minutes=30))


def active_version(*, name: str = MODEL, trained_days_ago: float = 3.0, **fields):
    """The active version of ``name``, registered (trained) ``trained_days_ago`` before NOW, activated a day later."""
    trained = NOW - dt.timedelta(days=trained_days_ago)
    version = ModelVersionFactory(name=name, is_active=True, activated_at=trained + dt.timedelta(days=1), **fields)
    type(version).objects.filter(pk=version.pk).update(created_at=trained)
    version.refresh_from_db()
    return version


def audit_window(version, *, n: int, correct: int, window: Window = DAY) -> None:
    """The audit-slice rows monitoring stores for one window: n and accuracy with its Wilson interval."""
    low, high = wilson_interval(correct, n)
    values = {"n": n, "accuracy": correct / n, "accuracy_low": low, "accuracy_high": high}
    ModelMetric.objects.bulk_create(
        window_rows(version=version, dataset="audit", window=window, values=values, recorded_at=NOW)
    )


def drift_window(version, *, share: float, statistics: dict[str, float]) -> None:
    """The drift rows monitoring stores for one window: n, the share of drifting features, each statistic."""
    values = {"n": 500.0, "n_sample": 500.0, "drift_share": share, **statistics}
    ModelMetric.objects.bulk_create(
        ModelMetric(
            model_version=version,
            metric_name=name,
            metric_value=value,
            dataset="drift",
            window_start=DRIFT_WINDOW[0],
            window_end=DRIFT_WINDOW[1],
            recorded_at=NOW,
        )
        for name, value in values.items()
    )


def decisions(user, count: int, *, version=None, **fields) -> list[Feedback]:
    """``count`` predictions, each with one decision (``fields`` passed to feedback_create)."""
    version = version or ModelVersionFactory(name="decisions-source")
    return [
        feedback_create(
            prediction=PredictionFactory(model_version=version, user=user), user=user, user_correction=True, **fields
        )
        for _ in range(count)
    ]


def succeeded_training(*, name: str = MODEL, started_at: dt.datetime) -> TrainingRun:
    run = training_run_create(trigger="test", model_name=name)
    TrainingRun.objects.filter(pk=run.pk).update(
        status=TrainingRun.Status.SUCCEEDED, started_at=started_at, finished_at=started_at + dt.timedelta(minutes=20)
    )
    return run


@pytest.fixture
def quiet(settings):
    """Volume and age out of the way, so that a test sees the trigger it sets up."""
    settings.LEGALNAME_RETRAIN_MIN_FEEDBACK = 10**6
    settings.LEGALNAME_RETRAIN_MAX_AGE_DAYS = 30
    settings.LEGALNAME_RETRAIN_NIGHTLY_MIN_FEEDBACK = 1


@pytest.mark.django_db
class TestPerformanceTrigger:
    def test_a_breach_fires_with_its_interval_n_threshold_and_window(self, quiet):
        version = active_version()
        audit_window(version, n=60, correct=40)  # 0.67, CI 0.54-0.77: wholly below 0.85

        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["performance"]

        low, high = wilson_interval(40, 60)
        assert details["fired"] is True
        assert {k: details[k] for k in ("metric", "n", "threshold", "window", "window_start", "window_end")} == {
            "metric": "accuracy",
            "n": 60,
            "threshold": 0.85,
            "window": "day",
            "window_start": "2026-03-04T00:00:00+00:00",
            "window_end": "2026-03-05T00:00:00+00:00",
        }
        assert (details["value"], details["low"], details["high"]) == pytest.approx((40 / 60, low, high))
        assert len(details["breaches"]) == 1 and details["answered"] == []
        assert details["summary"].startswith("fired: accuracy 0.67 (95% CI 0.54") and "n=60" in details["summary"]

    def test_an_interval_that_still_reaches_the_threshold_does_not_fire_and_shows_its_numbers(self, quiet):
        version = active_version()
        MonitoringThreshold.objects.create(model_name=MODEL, accuracy_min=wilson_interval(40, 60)[1])  # the upper bound

        audit_window(version, n=60, correct=40)

        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["performance"]

        assert details["fired"] is False and details["breaches"] == []
        day = details["windows"]["day"]
        assert day["n"] == 60 and day["accuracy"] == pytest.approx(40 / 60)
        assert day["accuracy_high"] == pytest.approx(details["thresholds"]["accuracy"])
        assert "not fired" in details["summary"] and "day n=60" in details["summary"]

    def test_fewer_audit_decisions_than_the_minimum_do_not_fire(self, quiet):
        version = active_version()
        MonitoringThreshold.objects.create(model_name=MODEL, min_audit_n=61)
        audit_window(version, n=60, correct=40)
        assert retraining_triggers_evaluate(model_name=MODEL, now=NOW)["performance"]["fired"] is False

        MonitoringThreshold.objects.filter(model_name=MODEL).update(min_audit_n=60)
        assert retraining_triggers_evaluate(model_name=MODEL, now=NOW)["performance"]["fired"] is True

    def test_a_breach_a_later_training_answered_fires_again_only_on_a_window_after_it(self, quiet):
        """The candidate of the training that ran on the breach was not activated: the same window must not start
        a training every hour."""
        version = active_version(trained_days_ago=10)
        audit_window(version, n=60, correct=40)
        succeeded_training(started_at=DAY.start + dt.timedelta(hours=1))

        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["performance"]
        assert details["fired"] is False and details["breaches"] == []
        assert [b["window_start"] for b in details["answered"]] == ["2026-03-04T00:00:00+00:00"]
        assert "answered" in details["summary"]

        next_day = Window("day", DAY.end, DAY.end + dt.timedelta(days=1))
        audit_window(version, n=60, correct=40, window=next_day)
        later = retraining_triggers_evaluate(model_name=MODEL, now=NOW + dt.timedelta(days=1))["performance"]
        assert later["fired"] is True and later["window_start"] == "2026-03-05T00:00:00+00:00"

    def test_a_training_that_made_the_active_version_answers_nothing(self, quiet):
        succeeded_training(started_at=NOW - dt.timedelta(days=3, hours=1))  # trained the version below
        version = active_version(trained_days_ago=3)
        audit_window(version, n=60, correct=40)
        assert retraining_triggers_evaluate(model_name=MODEL, now=NOW)["performance"]["fired"] is True


@pytest.mark.django_db
class TestFeedbackVolumeTrigger:
    def test_fires_at_the_minimum_not_below(self, settings, quiet, analyst):
        settings.LEGALNAME_RETRAIN_MIN_FEEDBACK = 3
        decisions(analyst, 2)
        below = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["feedback_volume"]
        assert (below["fired"], below["n"], below["minimum"]) == (False, 2, 3)
        assert below["summary"] == "not fired: 2 unprocessed decisive decisions since the last training (fewer than 3)"

        decisions(analyst, 1)
        at = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["feedback_volume"]
        assert (at["fired"], at["n"], at["minimum"]) == (True, 3, 3)

    def test_counts_only_what_the_next_training_uses(self, settings, quiet, analyst):
        settings.LEGALNAME_TRAINING_MIN_DECISION_CONFIDENCE = 0.6
        counted = decisions(analyst, 2) + decisions(analyst, 1, confidence_score=0.6)  # at the line: decisive
        held_out = decisions(analyst, 2, audit=True)
        Feedback.objects.filter(pk__in=[f.pk for f in held_out]).update(holdout=True)
        processed = decisions(analyst, 2)
        Feedback.objects.filter(pk__in=[f.pk for f in processed]).update(processed=True)
        decisions(analyst, 2, confidence_score=0.59)  # not decisive
        # superseded: a decisive decision replaced by a hesitant one, and a prediction decided twice (counted once)
        [hesitated] = decisions(analyst, 1)
        feedback_create(prediction=hesitated.prediction, user=analyst, user_correction=False, confidence_score=0.3)
        [twice] = decisions(analyst, 1)
        counted.append(feedback_create(prediction=twice.prediction, user=analyst, user_correction=False))

        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["feedback_volume"]
        assert details["n"] == len(counted) == 4

    def test_fires_without_an_active_version_which_the_others_cannot(self, settings, analyst):
        settings.LEGALNAME_RETRAIN_MIN_FEEDBACK = 1
        decisions(analyst, 1)
        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)
        assert details["feedback_volume"]["fired"] is True
        for name in ("performance", "age", "drift"):
            assert details[name]["fired"] is False
            assert details[name]["summary"] == f"no active version of {MODEL}: this trigger cannot fire"


@pytest.mark.django_db
class TestAgeTrigger:
    def test_older_than_the_maximum_fires_exactly_the_maximum_does_not(self, quiet):
        version = active_version(trained_days_ago=30)
        at = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["age"]
        assert at["fired"] is False and at["age_days"] == 30 and at["max_days"] == 30
        assert (at["version"], at["activated_at"]) == (version.version, "2026-02-04T14:30:00+00:00")
        assert at["created_at"] == "2026-02-03T14:30:00+00:00"

        later = retraining_triggers_evaluate(model_name=MODEL, now=NOW + dt.timedelta(minutes=2))["age"]
        assert later["fired"] is True and later["age_days"] == pytest.approx(30.001, abs=1e-3)
        assert later["summary"] == f"fired: v{version.version} was trained 30.0 days ago (more than 30)"

    def test_a_training_that_kept_the_version_restarts_the_count(self, quiet):
        active_version(trained_days_ago=45)
        succeeded_training(started_at=NOW - dt.timedelta(days=10))  # its candidate was not activated

        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["age"]
        assert details["fired"] is False and details["age_days"] == 45
        assert details["answered_at"] == "2026-02-23T14:30:00+00:00"
        again = retraining_triggers_evaluate(model_name=MODEL, now=NOW + dt.timedelta(days=21))["age"]
        assert again["fired"] is True

    def test_a_failed_training_does_not(self, quiet):
        active_version(trained_days_ago=45)
        run = succeeded_training(started_at=NOW - dt.timedelta(days=10))
        TrainingRun.objects.filter(pk=run.pk).update(status=TrainingRun.Status.FAILED)
        assert retraining_triggers_evaluate(model_name=MODEL, now=NOW)["age"]["fired"] is True


@pytest.mark.django_db
class TestDriftTrigger:
    def test_the_alert_level_fires_naming_statistic_and_feature(self, quiet):
        version = active_version()
        drift_window(
            version, share=0.3, statistics={"psi:name_length": 0.4, "psi:token_ratio": 0.05, "js:script": 0.15}
        )

        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["drift"]

        assert details["fired"] is True and details["level"] == "alert"
        assert details["findings"] == [
            {"feature": "", "statistic": "drift_share", "value": 0.3, "threshold": 0.3},
            {"feature": "name_length", "statistic": "psi", "value": 0.4, "threshold": 0.25},
        ]
        assert details["window_end"] == DRIFT_WINDOW[1].isoformat()
        assert (
            details["summary"].startswith("fired: drift share is 0.30") and "psi of name_length" in details["summary"]
        )

    def test_below_the_alert_line_does_not_fire(self, quiet):
        version = active_version()
        drift_window(version, share=0.29, statistics={"psi:name_length": 0.4})

        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["drift"]

        assert details["fired"] is False and details["level"] == "warn"
        assert details["findings"] == [{"feature": "name_length", "statistic": "psi", "value": 0.4, "threshold": 0.25}]
        assert details["summary"].startswith("not fired: level warn")

    def test_no_window_yet_does_not_fire(self, quiet):
        active_version()
        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["drift"]
        assert details["fired"] is False and details["level"] == "ok" and "no drift window" in details["summary"]

    def test_a_window_a_training_answered_does_not_fire(self, quiet):
        version = active_version(trained_days_ago=10)
        drift_window(version, share=0.5, statistics={"psi:name_length": 0.4})
        succeeded_training(started_at=DRIFT_WINDOW[0] + dt.timedelta(hours=2))
        details = retraining_triggers_evaluate(model_name=MODEL, now=NOW)["drift"]
        assert details["fired"] is False and details["level"] == "alert" and "answered" in details["summary"]


@pytest.mark.django_db
class TestScheduleTrigger:
    def test_only_the_scheduled_check_has_it_and_it_needs_new_decisions(self, settings, quiet, analyst):
        settings.LEGALNAME_RETRAIN_NIGHTLY_MIN_FEEDBACK = 2
        assert "schedule" not in retraining_triggers_evaluate(model_name=MODEL, now=NOW)
        decisions(analyst, 1)
        below = retraining_triggers_evaluate(model_name=MODEL, scheduled=True, now=NOW)["schedule"]
        assert (below["fired"], below["n"], below["minimum"]) == (False, 1, 2)
        decisions(analyst, 1)

        check = retraining_check(model_name=MODEL, scheduled=True, now=NOW)

        assert check.scheduled is True and check.fired == ["schedule"]
        assert check.training_run.trigger == "schedule"


@pytest.mark.django_db
class TestRetrainingCheck:
    def test_nothing_fired_is_recorded_with_the_numbers(self, quiet, django_capture_on_commit_callbacks):
        active_version()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            check = retraining_check(model_name=MODEL, now=NOW)
        assert (check.outcome, check.fired, check.training_run) == (RetrainingCheck.Outcome.NOTHING_FIRED, [], None)
        assert set(check.details) == {"performance", "feedback_volume", "age", "drift"}
        assert check.checked_at == NOW and check.scheduled is False
        assert callbacks == [] and not TrainingRun.objects.exists()
        check.refresh_from_db()  # the numbers survive the JSON column
        assert check.details["age"]["age_days"] == 3 and check.details["feedback_volume"]["n"] == 0

    def test_several_firing_queue_one_training_naming_all_of_them(
        self, settings, analyst, django_capture_on_commit_callbacks
    ):
        settings.LEGALNAME_RETRAIN_MIN_FEEDBACK, settings.LEGALNAME_RETRAIN_MAX_AGE_DAYS = 1, 30
        version = active_version(trained_days_ago=31)
        audit_window(version, n=60, correct=40)
        drift_window(version, share=0.5, statistics={"psi:name_length": 0.4})
        decisions(analyst, 1)

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            check = retraining_check(model_name=MODEL, now=NOW)

        assert check.outcome == RetrainingCheck.Outcome.QUEUED
        assert check.fired == ["performance", "feedback_volume", "age", "drift"]
        run = TrainingRun.objects.get()
        assert check.training_run == run and run.status == TrainingRun.Status.QUEUED
        assert run.trigger == "performance+feedback_volume+age+drift" and run.model_name == MODEL
        assert run.params["triggers"] == {name: check.details[name] for name in check.fired}
        assert run.params["triggers"]["performance"]["metric"] == "accuracy"
        assert len(callbacks) == 1  # the training task, sent once the row and the run are committed
        assert str(run.pk) in check.outcome_detail

    @pytest.mark.parametrize("status", [TrainingRun.Status.QUEUED, TrainingRun.Status.RUNNING])
    def test_no_second_training_while_one_is_queued_or_running(
        self, settings, analyst, status, django_capture_on_commit_callbacks
    ):
        settings.LEGALNAME_RETRAIN_MIN_FEEDBACK = 1
        decisions(analyst, 1)
        blocking = training_run_create(trigger="admin", model_name=MODEL)
        alive = timezone.now()  # the worker's heartbeat is fresh: the stale-run sweep leaves it alone
        TrainingRun.objects.filter(pk=blocking.pk).update(status=status, started_at=alive, heartbeat_at=alive)

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            check = retraining_check(model_name=MODEL, now=NOW)

        assert check.outcome == RetrainingCheck.Outcome.ALREADY_ACTIVE and check.fired == ["feedback_volume"]
        assert check.training_run is None and str(blocking.pk) in check.outcome_detail
        assert f"(admin, {status}" in check.outcome_detail
        assert TrainingRun.objects.count() == 1 and callbacks == []

    def test_an_unexpected_error_is_recorded_then_raised(self, settings):
        settings.LEGALNAME_RETRAIN_MAX_AGE_DAYS = "thirty"  # a misconfigured deployment
        active_version()
        with pytest.raises(ValueError, match="thirty"):
            retraining_check(model_name=MODEL, now=NOW)
        check = RetrainingCheck.objects.get()
        assert check.outcome == RetrainingCheck.Outcome.FAILED and "ValueError" in check.outcome_detail
        assert check.checked_at == NOW and not TrainingRun.objects.exists()

    def test_a_naive_now_is_refused(self):
        with pytest.raises(ValueError):
            retraining_check(model_name=MODEL, now=dt.datetime(2026, 3, 5, 14))  # noqa: DTZ001 (the point)
        assert not RetrainingCheck.objects.exists()


@pytest.mark.django_db
class TestRetrainingCheckAll:
    def test_every_name_with_an_active_version_and_the_default_one(self, settings, quiet):
        settings.LEGALNAME_MODEL_NAME = "default-model"
        active_version(name="other-model")
        ModelVersionFactory(name="inactive-model")

        checks = retraining_check_all(now=NOW)

        assert [c.model_name for c in checks] == ["default-model", "other-model"]
        assert all(c.outcome == RetrainingCheck.Outcome.NOTHING_FIRED for c in checks)
        assert checks[0].details["age"]["summary"] == "no active version of default-model: this trigger cannot fire"

    def test_the_scheduled_task_records_its_checks(self, settings, quiet, analyst, django_capture_on_commit_callbacks):
        from models_registry.tasks import retraining_scheduled_task

        settings.LEGALNAME_MODEL_NAME = MODEL
        decisions(analyst, 1)
        with django_capture_on_commit_callbacks(execute=False):
            summary = retraining_scheduled_task()  # the task's body, called directly
        run = TrainingRun.objects.get()
        assert summary == {"checks": {MODEL: "queued"}, "training_runs": [str(run.pk)]}
        assert RetrainingCheck.objects.get().scheduled is True


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL row locks)")
def test_two_checks_racing_queue_one_training(settings, analyst):
    """Check B evaluates while check A's queued run is not yet committed: B's insert waits on the partial unique
    index, then fails; B's row says ALREADY_ACTIVE. The database decides, not a read before the write."""
    settings.LEGALNAME_RETRAIN_MIN_FEEDBACK = 1
    decisions(analyst, 1)
    results: list = []

    def check_b() -> None:
        try:
            results.append(retraining_check(model_name=MODEL, now=NOW))
        except BaseException as error:  # reported to the test's thread below
            results.append(error)
        finally:
            connection.close()

    try:
        with transaction.atomic():
            first = retraining_check(model_name=MODEL, now=NOW)
            b = threading.Thread(target=check_b)
            b.start()
            b.join(timeout=1)
            assert b.is_alive(), "check B waits for check A's run to commit or roll back"
        b.join(timeout=30)
        assert not b.is_alive()
        [second] = results
        assert first.outcome == RetrainingCheck.Outcome.QUEUED
        assert second.outcome == RetrainingCheck.Outcome.ALREADY_ACTIVE, second
        assert str(first.training_run_id) in second.outcome_detail
        assert TrainingRun.objects.count() == 1 and RetrainingCheck.objects.count() == 2
    finally:
        app.control.purge()  # A's commit sent the training task: no worker of a later test should pick it up
