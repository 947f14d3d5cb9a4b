"""The compare API under a running experiment: sticky arms by subject, the split honoured (within the sample-ratio
check), the response naming the experiment and the arm, and the shadow verdict never shown."""

from collections import defaultdict

import pytest
from rest_framework.test import APIClient

from comparisons.models import Prediction
from experiments import routing
from experiments.routing import experiment_assign, experiment_subject
from experiments.selectors import experiment_results

URL = "/api/v1/comparisons/"
BATCH_URL = "/api/v1/comparisons/batch/"


@pytest.fixture
def api(analyst):
    client = APIClient()
    client.force_authenticate(analyst)
    return client


def _post_subjects(api, n_subjects: int, per_subject: int) -> None:
    """``n_subjects`` x ``per_subject`` comparisons through the batch API, interleaved across requests of 1000."""
    pairs = [
        {"name1": f"Fund {s} {k} Ltd", "name2": f"Fund {s} {k} Limited", "subject": f"customer-{s}"}
        for k in range(per_subject)
        for s in range(n_subjects)
    ]
    for start in range(0, len(pairs), 1000):
        response = api.post(BATCH_URL, {"pairs": pairs[start : start + 1000]}, format="json")
        assert response.status_code == 201, response.json()


@pytest.mark.django_db
class TestComparisonsUnderAnExperiment:
    def test_the_response_names_the_experiment_and_the_arm_and_hides_the_shadow(self, api, analyst, running_experiment):
        experiment = running_experiment(shadow=True)
        response = api.post(URL, {"name1": "Acme Ltd", "name2": "Acme Inc", "subject": "customer-7"}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        key = experiment_subject(user=analyst, subject="customer-7")
        assert body["experiment"] == str(experiment.pk)
        assert body["variant"] == experiment_assign(experiment=experiment, subject=key)
        assert not any(field.startswith("shadow") or field == "experiment_subject" for field in body)
        row = Prediction.objects.get(pk=body["id"])
        assert row.variant == body["variant"] and row.shadow_material is not None

    def test_without_an_experiment_the_response_says_none(self, api, active_model_version):
        body = api.post(URL, {"name1": "Acme Ltd", "name2": "Acme Inc"}, format="json").json()
        assert body["experiment"] is None and body["variant"] == ""

    @pytest.mark.parametrize(
        "subject, fragment", [("x" * 101, "100"), ("a b", "letters"), ("", "blank"), ("é", "letters")]
    )
    def test_a_bad_subject_is_400_naming_it_and_nothing_is_written(self, api, running_experiment, subject, fragment):
        running_experiment()
        response = api.post(URL, {"name1": "Acme Ltd", "name2": "Acme Inc", "subject": subject}, format="json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert "subject" in errors and fragment in str(errors["subject"]), errors
        pairs = [{"name1": "A Ltd", "name2": "B Ltd", "subject": subject}]
        assert api.post(BATCH_URL, {"pairs": pairs}, format="json").status_code == 400
        assert Prediction.objects.count() == 0

    def test_ten_thousand_comparisons_of_500_subjects_under_30_70(self, api, analyst, running_experiment):
        experiment = running_experiment(traffic_split=0.7)  # the share sent to B
        _post_subjects(api, n_subjects=500, per_subject=20)
        arms_of = defaultdict(set)
        for subject, variant in Prediction.objects.filter(experiment=experiment).values_list(
            "experiment_subject", "variant"
        ):
            arms_of[subject].add(variant)
        assert len(arms_of) == 500
        assert all(len(arms) == 1 for arms in arms_of.values())  # each subject saw one arm only
        for s in range(500):  # the stored arm is the assignment's
            key = experiment_subject(user=analyst, subject=f"customer-{s}")
            assert arms_of[key] == {experiment_assign(experiment=experiment, subject=key)}
        results = experiment_results(experiment=experiment)
        assert sum(arm.n_served for arm in results.serving) == 10_000
        assert results.sample_ratio.n_subjects_a + results.sample_ratio.n_subjects_b == 500
        assert not results.sample_ratio.flagged, results.sample_ratio
        assert 0.6 < results.sample_ratio.n_subjects_b / 500 < 0.8

    def test_a_broken_assignment_trips_the_sample_ratio_check(self, api, running_experiment, monkeypatch):
        """Test-only sabotage of the hash: B gets 0.3 / 0.6 = half of the subjects instead of 30%."""
        experiment = running_experiment(traffic_split=0.3)
        honest = routing.assignment_unit
        monkeypatch.setattr(routing, "assignment_unit", lambda key, subject: honest(key, subject) * 0.6)
        _post_subjects(api, n_subjects=500, per_subject=2)
        results = experiment_results(experiment=experiment)
        assert results.sample_ratio.flagged and results.sample_ratio.p_value < 0.001
        assert results.verdict.startswith("sample ratio mismatch")
