"""Drift against the training baseline (models_registry.monitoring.drift): the statistics on known inputs, the
baseline's shape and size, a shifted stream raising the alert and an unshifted one of the same size raising none,
idempotent windows, and no conclusion from too little traffic."""

import datetime as dt
import json
import math
import threading

import numpy as np
import pytest
from django.db import connection, transaction

from comparisons.engine import FEATURE_NAMES, FEATURE_VERSION
from comparisons.engine.datagen import generate_pairs
from comparisons.models import Prediction
from models_registry.models import ModelMetric, MonitoringThreshold
from models_registry.monitoring.drift import (
    DRIFT_MIN_N,
    PSI_EPSILON,
    SCRIPTS,
    baseline_compute,
    baseline_sample,
    bin_shares,
    decile_edges,
    drift_compute,
    drift_level,
    drift_status_list,
    js_distance,
    ks,
    name_script,
    psi,
)
from tests.models_registry.factories import ModelVersionFactory

UTC = dt.UTC
NOW = dt.datetime(2026, 3, 5, 14, 0, tzinfo=UTC)
DAY = (NOW - dt.timedelta(hours=24), NOW)
N_TRAFFIC = 600  # the shifted and the unshifted streams have the same size
MODEL = "legal-name-comparator"


# --------------------------------------------------------------------------------------------- pure statistics
class TestStatistics:
    def test_psi_on_known_shares(self):
        assert psi([0.5, 0.5], [0.5, 0.5]) == 0
        assert psi([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.25 * math.log(2) + 0.25 * math.log(1.5))

    def test_psi_replaces_an_empty_bin_by_epsilon(self):
        expected = (0.5 - 1) * math.log(0.5 / 1) + (0.5 - PSI_EPSILON) * math.log(0.5 / PSI_EPSILON)
        assert psi([1.0, 0.0], [0.5, 0.5]) == pytest.approx(expected)
        assert psi([0.0, 1.0], [0.0, 1.0]) == 0  # empty on both sides adds nothing

    def test_js_distance_on_known_shares(self):
        assert js_distance({"a": 0.3, "b": 0.7}, {"a": 0.3, "b": 0.7}) == pytest.approx(0, abs=1e-12)
        assert js_distance({"a": 1.0}, {"b": 1.0}) == pytest.approx(1.0)  # disjoint: 1 in base 2
        m = np.array([0.75, 0.25])
        divergence = 0.5 * (np.log2(1 / m[0])) + 0.5 * (0.5 * np.log2(0.5 / m[0]) + 0.5 * np.log2(0.5 / m[1]))
        assert js_distance({"a": 1.0}, {"a": 0.5, "b": 0.5}) == pytest.approx(math.sqrt(divergence))

    def test_ks_statistic_and_p_value(self):
        assert ks([1, 2, 3, 4], [1, 2, 3, 4]) == (0.0, 1.0)
        statistic, p = ks(list(range(50)), list(range(100, 150)))
        assert statistic == 1.0 and p < 1e-10
        rng = np.random.default_rng(0)
        statistic, p = ks(rng.normal(size=1000), rng.normal(loc=0.5, size=1000))
        assert 0.15 < statistic < 0.25 and p < 1e-6

    def test_deciles_drop_ties_and_an_edge_value_falls_above(self):
        assert decile_edges(np.arange(100)) == pytest.approx([9.9 + 9.9 * i for i in range(9)], abs=0.2)
        tied = np.array([0.0] * 70 + list(np.linspace(0.5, 1, 30)))
        edges = decile_edges(tied)
        assert edges[0] == 0 and len(edges) < 9
        assert bin_shares(np.array([0.0, 0.0, 1.0, 5.0]), [0.0, 2.0]) == [0.0, 0.75, 0.25]
        assert bin_shares(np.array([]), [1.0]) == [0.0, 0.0]

    @pytest.mark.parametrize(
        ("name", "script"),
        [
            ("Acme Widget Corp.", "latin"),
            ("Société Générale", "latin"),
            ("ООО Ромашка", "cyrillic"),
            ("Ελληνική Εταιρεία", "greek"),
            ("三星电子", "cjk"),
            ("삼성전자", "cjk"),
            ("トヨタ自動車", "cjk"),
            ("شركة أرامكو", "arabic"),
            ("חברה בע״מ", "other"),
            ("Acme ООО", "mixed"),
            ("123 / 456", "other"),
        ],
    )
    def test_name_script(self, name, script):
        assert name_script(name) == script


# --------------------------------------------------------------------------------------------------- baseline
class TestBaseline:
    def test_covers_every_feature_and_is_bounded_json(self, baseline):
        assert baseline["feature_version"] == FEATURE_VERSION and baseline["n"] == 4000
        features = baseline["features"]
        assert set(features) == {*FEATURE_NAMES, "probability_material", "verdict", "name_length", "name_script"}
        assert len(json.dumps(baseline)) < 250_000  # the docstring's ~120 KB, with room
        for name in ("probability_material", "name_length", "sim_jw"):
            spec = features[name]
            assert spec["kind"] == "continuous"
            assert len(spec["edges"]) <= 9 and len(spec["shares"]) == len(spec["edges"]) + 1
            assert sum(spec["shares"]) == pytest.approx(1, abs=1e-4)
            assert len(spec["sample"]) == 1000
        for name in ("eq_core", "lf_same", "verdict", "name_script"):
            assert features[name]["kind"] == "categorical"
            assert sum(features[name]["shares"].values()) == pytest.approx(1)
        assert set(features["name_script"]["shares"]) == set(SCRIPTS)
        assert 0 < features["verdict"]["shares"]["material"] < 1

    def test_sample_is_seeded_and_bounded(self):
        pairs = [(str(i), str(i + 1)) for i in range(20)]
        assert baseline_sample(pairs, seed=1, size=5) == baseline_sample(pairs, seed=1, size=5)
        assert len(baseline_sample(pairs, seed=1, size=5)) == 5
        assert baseline_sample(pairs, seed=1, size=50) == pairs

    def test_no_pairs_no_baseline(self, comparator):
        assert baseline_compute(comparator=comparator, pairs=[]) == {}


# ------------------------------------------------------------------------------------------ drift on real rows
def traffic_create(version, user, comparator, pairs, *, at=NOW - dt.timedelta(hours=1)) -> None:
    """The predictions ``version`` made on ``pairs`` at ``at``, as the compare service stores them."""
    probabilities = comparator.predict_proba(pairs)
    created = Prediction.objects.bulk_create(
        Prediction(
            user=user,
            model_version=version,
            name1=a,
            name2=b,
            material=bool(p >= comparator.threshold),
            probability_material=float(p),
            confidence=float(max(p, 1 - p)),
        )
        for (a, b), p in zip(pairs, probabilities, strict=True)
    )
    Prediction.objects.filter(pk__in=[p.pk for p in created]).update(created_at=at)


def stored(version, window=DAY) -> dict[str, float]:
    return dict(
        ModelMetric.objects.filter(
            model_version=version, dataset="drift", window_start=window[0], window_end=window[1]
        ).values_list("metric_name", "metric_value")
    )


@pytest.fixture
def version(db, baseline, small_comparator_path):
    return ModelVersionFactory(
        name=MODEL, artifact_path=str(small_comparator_path), is_active=True, baseline=baseline, threshold=0.5
    )


def unshifted(n=N_TRAFFIC, seed=101) -> list[tuple[str, str]]:
    """Pairs from the training distribution that the model never saw (another seed of the same generator)."""
    return [(a, b) for a, b, _ in generate_pairs(n=n, seed=seed)]


class TestDriftCompute:
    def test_a_shifted_stream_raises_the_alert(self, version, analyst, comparator):
        # names that gained a holding's words and a legal form: longer, less alike, more often MATERIAL
        traffic_create(version, analyst, comparator, [(a, f"{b} Holdings GmbH") for a, b in unshifted(seed=202)])

        rows = drift_compute(now=NOW, model_name=MODEL)

        values = stored(version)
        assert {r.metric_name for r in rows} == set(values)
        assert values["n"] == N_TRAFFIC and values["n_sample"] == N_TRAFFIC
        assert values["drift_share"] >= MonitoringThreshold(model_name=MODEL).drift_share_alert
        assert values["psi:name_length"] >= 0.25 and values["ks_p:name_length"] < 0.01
        assert values["js:verdict"] > 0
        findings = drift_status_list(model_name=MODEL)
        assert drift_level(findings) == "alert"
        first = findings[0]
        assert (first.statistic, first.level, first.window_start, first.window_end) == ("drift_share", "alert", *DAY)
        psi_length = next(f for f in findings if (f.statistic, f.feature) == ("psi", "name_length"))
        assert psi_length.level == "alert" and psi_length.threshold == 0.25
        assert "PSI" in psi_length.reason and "name_length" in psi_length.reason
        assert f"{psi_length.value:.3f}" in psi_length.reason and "0.25" in psi_length.reason

    def test_an_unshifted_stream_of_the_same_size_raises_none(self, version, analyst, comparator):
        traffic_create(version, analyst, comparator, unshifted(seed=101))

        drift_compute(now=NOW, model_name=MODEL)

        values = stored(version)
        assert values["n"] == N_TRAFFIC
        assert values["drift_share"] < 0.1
        assert all(v < 0.1 for k, v in values.items() if k.startswith(("psi:", "js:"))), values
        findings = drift_status_list(model_name=MODEL)
        assert drift_level(findings) != "alert"
        assert not [f for f in findings if f.statistic in ("psi", "js") and f.level != "ok"]

    def test_recomputing_a_window_replaces_its_rows(self, version, analyst, comparator):
        traffic_create(version, analyst, comparator, unshifted(n=300))
        first = drift_compute(now=NOW, model_name=MODEL)
        again = drift_compute(now=NOW, model_name=MODEL)

        assert len(first) == len(again) == len(stored(version))
        # every row names its statistic and feature (metric_name) and carries the alert line it was judged against
        lines = {r.metric_name.split(":", 1)[0]: r.threshold for r in first}
        assert lines["psi"] == 0.25 and lines["js"] == 0.2 and lines["ks_p"] == 0.01 and lines["drift_share"] == 0.3
        assert lines["n"] is None and lines["ks_stat"] is None
        assert ModelMetric.objects.filter(model_version=version, dataset="drift").count() == len(first)
        assert {r.metric_name: r.metric_value for r in first} == pytest.approx(stored(version))
        # another window is other rows, and the latest window is the one read
        later = NOW + dt.timedelta(hours=1)
        drift_compute(now=later, model_name=MODEL)
        assert ModelMetric.objects.filter(model_version=version, dataset="drift").count() == 2 * len(first)
        assert drift_status_list(model_name=MODEL)[0].window_end == later

    def test_only_the_window_and_the_version_count(self, version, analyst, comparator):
        pairs = unshifted(n=300)
        traffic_create(version, analyst, comparator, pairs[:250])
        traffic_create(version, analyst, comparator, pairs[250:260], at=NOW)  # the window ends before NOW
        traffic_create(version, analyst, comparator, pairs[260:270], at=NOW - dt.timedelta(hours=25))
        other = ModelVersionFactory(name="other-model", is_active=True, baseline={})
        traffic_create(other, analyst, comparator, pairs[270:])

        drift_compute(now=NOW)  # every active version

        assert stored(version)["n"] == 250
        assert stored(other) == {"n": 30}

    def test_too_small_a_window_concludes_nothing(self, version, analyst, comparator):
        traffic_create(version, analyst, comparator, unshifted(n=DRIFT_MIN_N - 1))

        drift_compute(now=NOW, model_name=MODEL)

        assert stored(version) == {"n": DRIFT_MIN_N - 1}
        [finding] = drift_status_list(model_name=MODEL)
        assert (finding.statistic, finding.level, finding.threshold) == ("n", "ok", DRIFT_MIN_N)
        assert "no conclusion" in finding.reason
        assert drift_level([finding]) == "ok"

    def test_a_version_without_a_baseline_measures_nothing(self, version, analyst, comparator):
        version.baseline = {}
        version.save(update_fields=["baseline"])
        traffic_create(version, analyst, comparator, unshifted(n=DRIFT_MIN_N))

        drift_compute(now=NOW, model_name=MODEL)

        assert stored(version) == {"n": DRIFT_MIN_N}
        [finding] = drift_status_list(model_name=MODEL)
        assert "no baseline" in finding.reason

    def test_thresholds_set_by_admins_are_used(self, version, analyst, comparator):
        MonitoringThreshold.objects.create(model_name=MODEL, psi_warn=0.0, psi_alert=0.0, drift_share_alert=0.05)
        traffic_create(version, analyst, comparator, unshifted(n=300))

        drift_compute(now=NOW, model_name=MODEL)

        assert stored(version)["drift_share"] > 0.05  # every continuous feature now drifts on PSI
        assert drift_level(drift_status_list(model_name=MODEL)) == "alert"

    def test_needs_an_aware_datetime(self, db):
        with pytest.raises(ValueError, match="aware"):
            drift_compute(now=dt.datetime(2026, 3, 5, 14))  # noqa: DTZ001 - the point of the test

    def test_no_active_version_or_no_window_yet_is_no_finding(self, db, version):
        assert drift_status_list(model_name=MODEL) == []
        assert drift_status_list(model_name="unknown") == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL row locks)")
def test_a_run_overlapping_another_leaves_no_duplicates(analyst, comparator, baseline):
    """Run A holds the version's lock while it replaces the window's rows; run B, started meanwhile, waits, and its
    DELETE then sees A's rows (the same ``metric_rows_replace`` as performance)."""
    version = ModelVersionFactory(name=MODEL, is_active=True, baseline=baseline)
    traffic_create(version, analyst, comparator, unshifted(n=DRIFT_MIN_N))
    errors: list[BaseException] = []

    def run_b() -> None:
        try:
            drift_compute(now=NOW, model_name=MODEL)
        except BaseException as error:  # reported to the test's thread below
            errors.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        expected = len(drift_compute(now=NOW, model_name=MODEL))  # run A, inside a transaction that stays open
        b = threading.Thread(target=run_b)
        b.start()
        b.join(timeout=0.5)
        assert b.is_alive(), "run B waits for run A's lock"
    b.join(timeout=60)
    assert not b.is_alive() and errors == []
    assert ModelMetric.objects.filter(model_version=version, dataset="drift").count() == expected
