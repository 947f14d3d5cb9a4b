"""Performance from analysts' decisions (models_registry.monitoring.performance): Wilson intervals, aligned windows,
the audit slice and all reviews on real rows, the decision in force, idempotent recomputation, threshold breaches."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse

from feedback.services import feedback_create
from models_registry.models import ModelMetric, MonitoringThreshold
from models_registry.monitoring.performance import (
    Breach,
    performance_breaches_list,
    performance_latest_get,
    performance_windows_compute,
    threshold_get,
    wilson_interval,
    windows_at,
)
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.factories import ModelVersionFactory

UTC = dt.UTC
# A Thursday afternoon: the last complete hour is 13:00-14:00, the day is Wednesday 4 March, the week is the one
# that ended on Monday 2 March.
NOW = dt.datetime(2026, 3, 5, 14, 30, tzinfo=UTC)
IN_HOUR = dt.datetime(2026, 3, 5, 13, 20, tzinfo=UTC)
IN_DAY = dt.datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
IN_WEEK = dt.datetime(2026, 2, 25, 9, 0, tzinfo=UTC)
HOUR = (dt.datetime(2026, 3, 5, 13, tzinfo=UTC), dt.datetime(2026, 3, 5, 14, tzinfo=UTC))
DAY = (dt.datetime(2026, 3, 4, tzinfo=UTC), dt.datetime(2026, 3, 5, tzinfo=UTC))
WEEK = (dt.datetime(2026, 2, 23, tzinfo=UTC), dt.datetime(2026, 3, 2, tzinfo=UTC))


def predict(version, user, at, *, material: bool):
    with time_machine.travel(at, tick=False):
        return PredictionFactory(
            model_version=version, user=user, material=material, probability_material=0.9 if material else 0.1
        )


def decide(prediction, user, at, *, label: bool, audit: bool):
    with time_machine.travel(at, tick=False):
        return feedback_create(prediction=prediction, user=user, user_correction=label, audit=audit)


def reviewed(version, user, at, *, cells: dict[tuple[bool, bool], int], audit: bool) -> None:
    """``cells[(verdict, label)]`` predictions made at ``at``, each decided an hour later."""
    for (material, label), count in cells.items():
        for _ in range(count):
            decide(
                predict(version, user, at, material=material),
                user,
                at + dt.timedelta(hours=1),
                label=label,
                audit=audit,
            )


def stored(version, dataset: str, window: tuple[dt.datetime, dt.datetime]) -> dict[str, float]:
    rows = ModelMetric.objects.filter(
        model_version=version, dataset=dataset, window_start=window[0], window_end=window[1]
    )
    values = {row.metric_name: row.metric_value for row in rows}
    assert len(values) == rows.count(), "one row per metric name and key"
    return values


def snapshot() -> list[tuple]:
    return sorted(
        ModelMetric.objects.values_list(
            "model_version_id", "dataset", "window_start", "window_end", "metric_name", "metric_value"
        )
    )


class TestWilsonInterval:
    def test_known_values(self):
        low, high = wilson_interval(8, 10)
        assert (round(low, 3), round(high, 3)) == (0.490, 0.943)
        low, high = wilson_interval(40, 60)
        assert (round(low, 3), round(high, 3)) == (0.541, 0.773)

    def test_edges_stay_inside_zero_one(self):
        assert wilson_interval(0, 0) == (0.0, 1.0)
        low, high = wilson_interval(0, 10)
        assert low == 0.0 and round(high, 3) == 0.278
        low, high = wilson_interval(10, 10)
        assert round(low, 3) == 0.722 and high == 1.0

    def test_symmetric_and_narrows_with_n(self):
        low, high = wilson_interval(3, 10)
        mirror_low, mirror_high = wilson_interval(7, 10)
        assert low == pytest.approx(1 - mirror_high) and high == pytest.approx(1 - mirror_low)
        assert wilson_interval(300, 1000)[1] - wilson_interval(300, 1000)[0] < high - low

    def test_rejects_impossible_counts(self):
        with pytest.raises(ValueError):
            wilson_interval(11, 10)


class TestWindowsAt:
    def test_last_complete_windows_aligned_in_utc(self):
        windows = {w.kind: (w.start, w.end) for w in windows_at(now=NOW)}
        assert windows == {"hour": HOUR, "day": DAY, "week": WEEK}

    def test_a_window_ending_exactly_now_is_complete(self):
        windows = {w.kind: (w.start, w.end) for w in windows_at(now=dt.datetime(2026, 3, 2, tzinfo=UTC))}
        assert windows["hour"] == (dt.datetime(2026, 3, 1, 23, tzinfo=UTC), dt.datetime(2026, 3, 2, tzinfo=UTC))
        assert windows["day"] == (dt.datetime(2026, 3, 1, tzinfo=UTC), dt.datetime(2026, 3, 2, tzinfo=UTC))
        assert windows["week"] == WEEK

    def test_other_time_zones_are_aligned_in_utc(self):
        plus_two = dt.timezone(dt.timedelta(hours=2))
        windows = {w.kind: (w.start, w.end) for w in windows_at(now=NOW.astimezone(plus_two))}
        assert windows == {"hour": HOUR, "day": DAY, "week": WEEK}

    def test_naive_now_is_refused(self):
        with pytest.raises(ValueError):
            windows_at(now=dt.datetime(2026, 3, 5, 14, 30))  # noqa: DTZ001 (the point of the test)


@pytest.mark.django_db
class TestPerformanceWindowsCompute:
    def test_audit_slice_and_all_reviews_per_window(self, analyst, django_assert_max_num_queries):
        version = ModelVersionFactory()
        one_each = {(True, True): 1, (True, False): 1, (False, True): 1, (False, False): 1}
        reviewed(version, analyst, IN_DAY, cells=one_each, audit=True)
        reviewed(version, analyst, IN_DAY, cells={(True, True): 1, (False, True): 1}, audit=False)
        predict(version, analyst, IN_DAY, material=True)  # never reviewed: counts nowhere
        reviewed(version, analyst, IN_WEEK, cells={(True, True): 3}, audit=True)
        reviewed(version, analyst, IN_HOUR, cells={(False, False): 2}, audit=True)

        with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(8):
            rows = performance_windows_compute(now=NOW)

        audit_day = stored(version, "audit", DAY)
        assert {k: audit_day[k] for k in ("n", "tp", "fp", "fn", "tn")} == {"n": 4, "tp": 1, "fp": 1, "fn": 1, "tn": 1}
        assert audit_day["accuracy"] == audit_day["precision"] == audit_day["recall"] == audit_day["f1"] == 0.5
        assert (audit_day["accuracy_low"], audit_day["accuracy_high"]) == pytest.approx(wilson_interval(2, 4))
        assert (audit_day["precision_low"], audit_day["precision_high"]) == pytest.approx(wilson_interval(1, 2))

        all_day = stored(version, "all_reviews", DAY)
        assert {k: all_day[k] for k in ("n", "tp", "fp", "fn", "tn")} == {"n": 6, "tp": 2, "fp": 1, "fn": 2, "tn": 1}
        assert all_day["accuracy"] == pytest.approx(3 / 6)
        assert all_day["precision"] == pytest.approx(2 / 3)
        assert all_day["recall"] == pytest.approx(2 / 4)
        assert all_day["f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 2))
        assert (all_day["recall_low"], all_day["recall_high"]) == pytest.approx(wilson_interval(2, 4))

        assert stored(version, "audit", WEEK)["n"] == 3 and stored(version, "audit", WEEK)["precision"] == 1.0
        hour = stored(version, "audit", HOUR)
        # no MATERIAL verdict and no MATERIAL label: precision, recall and F1 are undefined, not 0
        assert hour["n"] == 2 and hour["accuracy"] == 1.0
        assert not {"precision", "recall", "f1"} & set(hour)
        assert len(rows) == ModelMetric.objects.count()
        assert {row.recorded_at for row in rows} == {NOW}

    def test_a_window_is_assigned_by_when_the_model_predicted_not_when_the_analyst_decided(self, analyst):
        version = ModelVersionFactory()
        late = predict(version, analyst, IN_DAY, material=True)
        decide(late, analyst, NOW - dt.timedelta(minutes=5), label=True, audit=True)
        performance_windows_compute(now=NOW)
        assert stored(version, "audit", DAY)["n"] == 1
        assert stored(version, "audit", HOUR) == {}

    def test_superseded_decisions_count_once_with_the_latest(self, analyst):
        version = ModelVersionFactory()
        # audit first, then a later ordinary decision: the one in force is not an audit decision
        first = predict(version, analyst, IN_DAY, material=True)
        decide(first, analyst, IN_DAY + dt.timedelta(hours=1), label=False, audit=True)
        decide(first, analyst, IN_DAY + dt.timedelta(hours=2), label=True, audit=False)
        # two audit decisions: counts once, with the later label
        second = predict(version, analyst, IN_DAY, material=False)
        decide(second, analyst, IN_DAY + dt.timedelta(hours=1), label=True, audit=True)
        decide(second, analyst, IN_DAY + dt.timedelta(hours=3), label=False, audit=True)

        performance_windows_compute(now=NOW)

        audit = stored(version, "audit", DAY)
        assert (audit["n"], audit["tn"], audit["accuracy"]) == (1, 1, 1.0)
        everything = stored(version, "all_reviews", DAY)
        assert (everything["n"], everything["tp"], everything["tn"], everything["accuracy"]) == (2, 1, 1, 1.0)

    def test_a_window_with_predictions_and_no_decisions_stores_n_zero_only(self, analyst):
        served = ModelVersionFactory()
        idle = ModelVersionFactory()
        predict(served, analyst, IN_HOUR, material=True)
        performance_windows_compute(now=NOW)
        assert stored(served, "audit", HOUR) == {"n": 0.0}
        assert stored(served, "all_reviews", HOUR) == {"n": 0.0}
        # it served in no other window, and a version that served nothing gets nothing
        assert ModelMetric.objects.filter(model_version=served).count() == 2
        assert not ModelMetric.objects.filter(model_version=idle).exists()

    def test_running_twice_gives_the_same_rows_and_a_new_decision_replaces_them(self, analyst):
        version = ModelVersionFactory()
        reviewed(version, analyst, IN_DAY, cells={(True, True): 2, (True, False): 1}, audit=True)
        performance_windows_compute(now=NOW)
        first = snapshot()
        performance_windows_compute(now=NOW + dt.timedelta(minutes=10))  # same windows
        assert snapshot() == first

        reviewed(version, analyst, IN_DAY, cells={(False, False): 1}, audit=True)
        performance_windows_compute(now=NOW)
        audit = stored(version, "audit", DAY)
        assert (audit["n"], audit["accuracy"]) == (4, 0.75)
        assert ModelMetric.objects.filter(model_version=version, metric_name="n", window_start=DAY[0]).count() == 2

    def test_other_windows_and_other_model_names_are_left_alone(self, analyst):
        version = ModelVersionFactory()
        other = ModelVersionFactory(name="other-comparator")
        reviewed(version, analyst, IN_DAY, cells={(True, True): 1}, audit=True)
        reviewed(other, analyst, IN_DAY, cells={(True, True): 1}, audit=True)
        performance_windows_compute(now=NOW, model_name="legal-name-comparator")
        assert not ModelMetric.objects.filter(model_version=other).exists()

        yesterday = performance_windows_compute(now=NOW - dt.timedelta(days=1))  # another day window
        assert yesterday == [] or all(row.window_end != DAY[1] for row in yesterday)
        assert stored(version, "audit", DAY)["n"] == 1

    def test_naive_now_is_refused(self, analyst):
        with pytest.raises(ValueError):
            performance_windows_compute(now=dt.datetime(2026, 3, 5, 14, 30))  # noqa: DTZ001 (the point of the test)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL row locks)")
class TestOverlappingRuns:
    def test_a_run_overlapping_another_leaves_no_duplicates(self, analyst):
        """Run A holds the versions' lock while it replaces the rows; run B, started meanwhile, waits for it, and its
        DELETE then sees A's rows. Without the lock B's DELETE would miss the rows A inserted and B would add a
        second copy of every row."""
        version = ModelVersionFactory()
        reviewed(version, analyst, IN_DAY, cells={(True, True): 2, (False, True): 1}, audit=True)
        expected = len(performance_windows_compute(now=NOW))
        errors: list[BaseException] = []

        def run_b() -> None:
            try:
                performance_windows_compute(now=NOW)
            except BaseException as error:  # reported to the test's thread below
                errors.append(error)
            finally:
                connection.close()

        with transaction.atomic():
            performance_windows_compute(now=NOW)  # run A, inside a transaction that stays open
            b = threading.Thread(target=run_b)
            b.start()
            b.join(timeout=0.5)
            assert b.is_alive(), "run B waits for run A's lock"
        b.join(timeout=30)
        assert not b.is_alive() and errors == []
        assert ModelMetric.objects.count() == expected
        assert stored(version, "audit", DAY)["n"] == 3


@pytest.mark.django_db
class TestThresholdGet:
    def test_defaults_when_no_row(self):
        threshold = threshold_get(model_name="legal-name-comparator")
        assert threshold.pk is not None  # BaseModel's UUID default: the row is unsaved, not keyless
        assert not MonitoringThreshold.objects.exists()
        assert (threshold.accuracy_min, threshold.precision_min, threshold.recall_min) == (0.85, 0.80, 0.80)
        assert threshold.min_audit_n == 50

    def test_the_stored_row(self):
        MonitoringThreshold.objects.create(model_name="legal-name-comparator", accuracy_min=0.9, min_audit_n=10)
        threshold = threshold_get(model_name="legal-name-comparator")
        assert (threshold.accuracy_min, threshold.min_audit_n) == (0.9, 10)


# 60 audit decisions: accuracy 40/60 = 0.67 (CI 0.54-0.77, below 0.85); precision and recall 30/40 = 0.75 with
# CI 0.60-0.86, whose upper bound still reaches 0.80: no verdict on them.
BAD_DAY = {(True, True): 30, (True, False): 10, (False, True): 10, (False, False): 10}


@pytest.mark.django_db
class TestPerformanceBreachesList:
    def test_a_breach_names_metric_value_interval_n_and_window(self, analyst, django_assert_max_num_queries):
        version = ModelVersionFactory(is_active=True)
        reviewed(version, analyst, IN_DAY, cells=BAD_DAY, audit=True)
        performance_windows_compute(now=NOW)

        with django_assert_max_num_queries(3):
            breaches = performance_breaches_list(model_name="legal-name-comparator", now=NOW)

        low, high = wilson_interval(40, 60)
        assert breaches == [
            Breach(
                metric="accuracy",
                value=pytest.approx(40 / 60),
                low=pytest.approx(low),
                high=pytest.approx(high),
                n=60,
                threshold=0.85,
                window="day",
                window_start=DAY[0],
                window_end=DAY[1],
                reason="accuracy 0.67 (95% CI 0.54\u20130.77, n=60, audit slice, day 2026-03-04) is below 0.85",
            )
        ]

    def test_no_verdict_below_the_minimum_audit_n(self, analyst):
        version = ModelVersionFactory(is_active=True)
        reviewed(version, analyst, IN_DAY, cells={(True, False): 20, (True, True): 20}, audit=True)  # n=40 < 50
        performance_windows_compute(now=NOW)
        assert performance_breaches_list(model_name="legal-name-comparator", now=NOW) == []

        MonitoringThreshold.objects.create(model_name="legal-name-comparator", min_audit_n=40)
        breaches = performance_breaches_list(model_name="legal-name-comparator", now=NOW)
        assert [(b.metric, b.window, b.n) for b in breaches] == [("accuracy", "day", 40), ("precision", "day", 40)]

    def test_no_breach_while_the_upper_bound_reaches_the_threshold(self, analyst):
        version = ModelVersionFactory(is_active=True)
        # accuracy 48/60 = 0.80 is below 0.85, but its interval (0.68-0.88) reaches it
        reviewed(version, analyst, IN_DAY, cells={(True, True): 48, (False, True): 0, (True, False): 12}, audit=True)
        performance_windows_compute(now=NOW)
        assert stored(version, "audit", DAY)["accuracy"] == pytest.approx(0.8)
        assert performance_breaches_list(model_name="legal-name-comparator", now=NOW) == []

    def test_all_reviews_and_inactive_versions_carry_no_verdict(self, analyst):
        retired = ModelVersionFactory(is_active=False)
        reviewed(retired, analyst, IN_DAY, cells=BAD_DAY, audit=True)
        active = ModelVersionFactory(is_active=True)
        reviewed(active, analyst, IN_DAY, cells=BAD_DAY, audit=False)  # biased slice only
        performance_windows_compute(now=NOW)
        assert performance_breaches_list(model_name="legal-name-comparator", now=NOW) == []

    def test_reads_the_latest_stored_window_of_each_kind(self, analyst):
        version = ModelVersionFactory(is_active=True)
        reviewed(version, analyst, IN_DAY, cells=BAD_DAY, audit=True)
        reviewed(version, analyst, IN_DAY + dt.timedelta(days=1), cells={(True, True): 60}, audit=True)
        performance_windows_compute(now=NOW)
        assert [b.window_start for b in performance_breaches_list(model_name="legal-name-comparator", now=NOW)] == [
            DAY[0]
        ]
        # the next day is good, and a window stored after ``now`` is not read
        tomorrow = NOW + dt.timedelta(days=1)
        performance_windows_compute(now=tomorrow)
        assert performance_breaches_list(model_name="legal-name-comparator", now=tomorrow) == []
        assert len(performance_breaches_list(model_name="legal-name-comparator", now=NOW)) == 1

    def test_the_latest_day_is_the_aligned_window_not_drifts_24_hours(self, analyst):
        """Drift stores 24-hour windows that end when its job runs (later than midnight): the latest day of the
        window metrics must not be taken from them."""
        version = ModelVersionFactory(is_active=True)
        reviewed(version, analyst, IN_DAY, cells=BAD_DAY, audit=True)
        performance_windows_compute(now=NOW)
        drift_end = NOW + dt.timedelta(minutes=15)
        ModelMetric.objects.create(
            model_version=version,
            metric_name="psi:sim_ratio",
            metric_value=0.3,
            dataset="drift",
            window_start=drift_end - dt.timedelta(days=1),
            window_end=drift_end,
            recorded_at=drift_end,
        )

        latest = performance_latest_get(model_version=version, kind="day")

        assert "audit" in latest and "drift" not in latest
        assert latest["audit"]["window_start"] == DAY[0].timestamp()

    def test_no_active_version_no_breach(self):
        assert performance_breaches_list(model_name="legal-name-comparator", now=NOW) == []


@pytest.mark.django_db
class TestMonitoringThresholdAdmin:
    """Admins set the thresholds in the admin; the breach rule reads what they saved (the admin class lives in
    models_registry.admin; its tests sit here, beside the rule it feeds)."""

    FORM = {
        "model_name": "legal-name-comparator",
        "accuracy_min": "0.9",
        "precision_min": "0.8",
        "recall_min": "0.8",
        "min_audit_n": "30",
        "psi_warn": "0.1",
        "psi_alert": "0.25",
        "js_warn": "0.1",
        "js_alert": "0.2",
        "ks_p_alert": "0.01",
        "drift_share_alert": "0.3",
        "alert_cooldown_minutes": "360",
    }

    def test_changelist_and_add(self, client, admin_user, django_assert_max_num_queries):
        client.force_login(admin_user)
        MonitoringThreshold.objects.create(model_name="other-comparator")
        with django_assert_max_num_queries(12):
            response = client.get(reverse("admin:models_registry_monitoringthreshold_changelist"))
        assert response.status_code == 200 and "other-comparator" in response.content.decode()

        response = client.post(reverse("admin:models_registry_monitoringthreshold_add"), self.FORM)
        assert response.status_code == 302
        threshold = threshold_get(model_name="legal-name-comparator")
        assert (threshold.accuracy_min, threshold.min_audit_n) == (0.9, 30)

    def test_a_floor_outside_zero_one_is_refused(self, client, admin_user):
        client.force_login(admin_user)
        response = client.post(
            reverse("admin:models_registry_monitoringthreshold_add"), {**self.FORM, "accuracy_min": "1.5"}
        )
        assert response.status_code == 200 and "errornote" in response.content.decode()
        assert not MonitoringThreshold.objects.exists()

    def test_managers_may_not_change_them(self, client, manager):
        client.force_login(manager)
        response = client.post(reverse("admin:models_registry_monitoringthreshold_add"), self.FORM)
        assert response.status_code == 403
        assert not MonitoringThreshold.objects.exists()
