"""The application's Prometheus metrics: counters that move on real compares, decisions, batch chunks and training
runs through the services, and the gauges the monitoring collector reads from ModelMetric rows at scrape time."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from comparisons.models import BatchJob
from comparisons.services import batch_job_process, prediction_create, prediction_create_many
from feedback.services import feedback_create
from models_registry.models import ModelMetric, TrainingRun
from models_registry.monitoring import prometheus
from models_registry.services.training import training_run_create, training_run_fail
from tests.models_registry.factories import ModelVersionFactory


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = generate_latest(prometheus.registry).decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def labels_of(version, verdict: str, source: str) -> dict[str, str]:
    return {"model_name": version.name, "model_version": str(version.version), "verdict": verdict, "source": source}


@pytest.mark.django_db
class TestRecordedMetrics:
    def test_a_compare_counts_one_prediction_and_observes_both_latencies(
        self, analyst, active_model_version, django_capture_on_commit_callbacks
    ):
        before = {
            v: sample("legalname_predictions_total", **labels_of(active_model_version, v, "api"))
            for v in ("material", "immaterial")
        }
        engine = sample("legalname_compare_latency_seconds_count", stage="engine")
        end_to_end = sample("legalname_compare_latency_seconds_count", stage="end_to_end")
        end_to_end_sum = sample("legalname_compare_latency_seconds_sum", stage="end_to_end")
        with django_capture_on_commit_callbacks(execute=True):
            prediction = prediction_create(user=analyst, name1="Acme LLC", name2="Acme Inc", source="api")
        verdict = "material" if prediction.material else "immaterial"
        other = "immaterial" if prediction.material else "material"
        assert sample("legalname_predictions_total", **labels_of(active_model_version, verdict, "api")) == (
            before[verdict] + 1
        )
        assert sample("legalname_predictions_total", **labels_of(active_model_version, other, "api")) == before[other]
        assert sample("legalname_compare_latency_seconds_count", stage="engine") == engine + 1
        assert sample("legalname_compare_latency_seconds_count", stage="end_to_end") == end_to_end + 1
        # end to end includes storing the row, so it is at least the engine's time, which the row records
        added = sample("legalname_compare_latency_seconds_sum", stage="end_to_end") - end_to_end_sum
        assert added >= prediction.latency_ms / 1000 > 0

    def test_a_bulk_compare_counts_every_row_by_verdict_and_observes_no_latency(
        self, analyst, active_model_version, django_capture_on_commit_callbacks
    ):
        before = {
            v: sample("legalname_predictions_total", **labels_of(active_model_version, v, "api"))
            for v in ("material", "immaterial")
        }
        latency = sample("legalname_compare_latency_seconds_count", stage="engine")
        pairs = [
            {"name1": "Acme LLC", "name2": "Acme Inc"},
            {"name1": "Acme LLC", "name2": "ACME L.L.C."},
            {"name1": "Fund I LP", "name2": "Fund II LP"},
        ]
        with django_capture_on_commit_callbacks(execute=True):
            predictions = prediction_create_many(user=analyst, pairs=pairs, source="api")
        material = sum(p.material for p in predictions)
        after = {
            v: sample("legalname_predictions_total", **labels_of(active_model_version, v, "api"))
            for v in ("material", "immaterial")
        }
        assert after["material"] - before["material"] == material
        assert after["immaterial"] - before["immaterial"] == 3 - material
        assert sample("legalname_compare_latency_seconds_count", stage="engine") == latency

    def test_a_prediction_rolled_back_is_not_counted(
        self, analyst, active_model_version, django_capture_on_commit_callbacks
    ):
        before = sum(
            sample("legalname_predictions_total", **labels_of(active_model_version, v, "web"))
            for v in ("material", "immaterial")
        )
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                prediction_create(user=analyst, name1="Acme LLC", name2="Acme Inc")
                raise RuntimeError("the surrounding transaction fails")
        assert callbacks == []
        after = sum(
            sample("legalname_predictions_total", **labels_of(active_model_version, v, "web"))
            for v in ("material", "immaterial")
        )
        assert after == before

    def test_a_batch_job_counts_its_rows_once(self, analyst, active_model_version, django_capture_on_commit_callbacks):
        pairs = [{"name1": f"Acme {i} LLC", "name2": f"Acme {i} Inc", "reference": f"r{i}"} for i in range(7)]
        job = BatchJob.objects.create(user=analyst, filename="x.csv", total=7, pairs=pairs)
        rows = sample("legalname_batch_rows_scored_total")
        batch = sum(
            sample("legalname_predictions_total", **labels_of(active_model_version, v, "batch"))
            for v in ("material", "immaterial")
        )
        with django_capture_on_commit_callbacks(execute=True):
            batch_job_process(job_id=job.pk, chunk_size=3)
            batch_job_process(job_id=job.pk, chunk_size=3)  # a redelivered task finds the job done
        assert sample("legalname_batch_rows_scored_total") == rows + 7
        after = sum(
            sample("legalname_predictions_total", **labels_of(active_model_version, v, "batch"))
            for v in ("material", "immaterial")
        )
        assert after == batch + 7

    def test_feedback_counts_agreement_with_the_verdict(
        self, analyst, active_model_version, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            prediction = prediction_create(user=analyst, name1="Acme LLC", name2="Acme Inc")
        agree, disagree = (
            sample("legalname_feedback_total", agreement="agree"),
            sample("legalname_feedback_total", agreement="disagree"),
        )
        with django_capture_on_commit_callbacks(execute=True):
            feedback_create(prediction=prediction, user=analyst, user_correction=prediction.material)
            feedback_create(prediction=prediction, user=analyst, user_correction=not prediction.material)
            feedback_create(prediction=prediction, user=analyst, user_correction=prediction.material)
        assert sample("legalname_feedback_total", agreement="agree") == agree + 2
        assert sample("legalname_feedback_total", agreement="disagree") == disagree + 1

    def test_a_finished_training_run_is_counted_with_its_duration(self):
        run = training_run_create(trigger="test", params={"n_pairs": 10})
        run.status, run.started_at = TrainingRun.Status.RUNNING, timezone.now() - timedelta(seconds=42)
        run.save(update_fields=["status", "started_at"])
        failed = sample("legalname_training_runs_total", status="failed")
        count = sample("legalname_training_duration_seconds_count", status="failed")
        total = sample("legalname_training_duration_seconds_sum", status="failed")
        training_run_fail(training_run_id=run.pk, error="killed")
        assert sample("legalname_training_runs_total", status="failed") == failed + 1
        assert sample("legalname_training_duration_seconds_count", status="failed") == count + 1
        assert 41 < sample("legalname_training_duration_seconds_sum", status="failed") - total < 60


def metric(version, dataset: str, name: str, value: float, start, end) -> ModelMetric:
    return ModelMetric.objects.create(
        model_version=version,
        metric_name=name,
        metric_value=value,
        dataset=dataset,
        window_start=start,
        window_end=end,
        recorded_at=end + timedelta(minutes=5),
    )


def window_key(version, dataset: str, window: str, name: str) -> tuple:
    labels = {
        "model_name": version.name,
        "model_version": str(version.version),
        "dataset": dataset,
        "window": window,
        "metric": name,
    }
    return ("legalname_window_metric", tuple(sorted(labels.items())))


def drift_key(model_name: str, statistic: str, feature: str) -> tuple:
    labels = {"model_name": model_name, "statistic": statistic, "feature": feature}
    return ("legalname_drift_value", tuple(sorted(labels.items())))


@pytest.mark.django_db
class TestMonitoringCollector:
    def test_reads_the_latest_window_of_each_version_dataset_and_length(self, django_assert_num_queries):
        active = ModelVersionFactory(is_active=True)
        old = ModelVersionFactory()
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        hour, day = timedelta(hours=1), timedelta(days=1)
        metric(active, "audit", "accuracy", 0.50, now - 2 * hour, now - hour)  # an earlier hour
        metric(active, "audit", "accuracy", 0.91, now - hour, now)
        metric(active, "audit", "accuracy_low", 0.86, now - hour, now)
        metric(active, "audit", "precision", 0.70, now - 2 * hour, now - hour)  # absent from the latest hour
        metric(active, "all_reviews", "accuracy", 0.62, now - hour, now)
        metric(active, "audit", "accuracy", 0.88, now - day, now)
        metric(old, "audit", "accuracy", 0.80, now - 2 * hour, now - hour)  # the old version's latest hour
        metric(old, "audit", "accuracy", 0.99, now - 10 * day - hour, now - 10 * day)  # beyond the lookback
        ModelMetric.objects.create(  # an evaluation at training: no window, not a window metric
            model_version=active, metric_name="accuracy", metric_value=0.97, dataset="golden", recorded_at=now
        )
        with django_assert_num_queries(3):
            scraped = scrape()
        assert scraped[window_key(active, "audit", "hour", "accuracy")] == 0.91
        assert scraped[window_key(active, "audit", "hour", "accuracy_low")] == 0.86
        assert window_key(active, "audit", "hour", "precision") not in scraped
        assert scraped[window_key(active, "all_reviews", "hour", "accuracy")] == 0.62
        assert scraped[window_key(active, "audit", "day", "accuracy")] == 0.88
        assert scraped[window_key(old, "audit", "hour", "accuracy")] == 0.80
        windows = [k for k in scraped if k[0] == "legalname_window_metric"]
        assert len(windows) == 5
        assert scraped[("legalname_monitoring_collector_up", ())] == 1

    def test_drift_rows_become_statistic_and_feature_of_the_model_name(self):
        version = ModelVersionFactory(is_active=True)
        now = timezone.now()
        day = timedelta(days=1)
        for name, value in {"psi:jaro_winkler": 0.05, "drift_share": 0.0}.items():
            metric(version, "drift", name, value, now - day - timedelta(hours=1), now - timedelta(hours=1))
        latest = {"psi:jaro_winkler": 0.31, "ks_p:jaro_winkler": 0.001, "js:script": 0.22, "drift_share": 0.4}
        for name, value in latest.items():
            metric(version, "drift", name, value, now - day, now)
        scraped = scrape()
        assert scraped[drift_key(version.name, "psi", "jaro_winkler")] == 0.31
        assert scraped[drift_key(version.name, "ks_p", "jaro_winkler")] == 0.001
        assert scraped[drift_key(version.name, "js", "script")] == 0.22
        assert scraped[drift_key(version.name, "drift_share", "")] == 0.4
        assert not [k for k in scraped if k[0] == "legalname_window_metric"]  # drift is not a window metric

    def test_active_versions_are_reported_as_info(self):
        active = ModelVersionFactory(name="acme-model", is_active=True)
        ModelVersionFactory(name="acme-model")
        scraped = scrape()
        info = {k: v for k, v in scraped.items() if k[0] == "legalname_active_model_info"}
        assert info == {
            ("legalname_active_model_info", (("model_name", "acme-model"), ("model_version", str(active.version)))): 1
        }

    def test_the_endpoint_serves_the_gauges_beside_the_recorded_metrics(self, client):
        version = ModelVersionFactory(is_active=True)
        now = timezone.now()
        metric(version, "audit", "accuracy", 0.9, now - timedelta(hours=1), now)
        body = client.get("/metrics").content.decode()
        assert 'legalname_window_metric{dataset="audit"' in body
        assert "legalname_active_model_info{" in body
        assert "# TYPE legalname_predictions_total counter" in body
