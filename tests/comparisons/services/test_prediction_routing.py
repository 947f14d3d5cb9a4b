"""Comparisons under a running experiment: routed by subject to arm A or B, stamped with the experiment, and scored
in shadow by the other arm when asked."""

import pytest

from comparisons.models import Prediction
from comparisons.services import batch_job_create, batch_job_process, prediction_create, prediction_create_many
from experiments.routing import experiment_assign, experiment_subject
from experiments.services import experiment_stop
from tests.users import make_user


@pytest.mark.django_db
class TestPredictionCreateRouting:
    def test_without_an_experiment_the_active_version_serves_and_nothing_is_stamped(self, analyst, arms):
        prediction = prediction_create(user=analyst, name1="Acme Ltd", name2="Acme Limited")
        assert prediction.model_version == arms[0]
        assert prediction.experiment is None and prediction.variant == "" and prediction.shadow_material is None

    def test_each_user_is_served_by_its_arm_every_time(self, arms, running_experiment):
        experiment = running_experiment(traffic_split=0.5)
        users = [make_user(f"routed{i}", "analyst") for i in range(20)]
        for user in users:
            expected = experiment_assign(experiment=experiment, subject=experiment_subject(user=user))
            for _ in range(3):
                prediction = prediction_create(user=user, name1="Acme Ltd", name2="Acme Holdings Ltd")
                assert prediction.experiment == experiment and prediction.variant == expected
                assert prediction.model_version == (arms[0] if expected == "A" else arms[1])
                assert prediction.experiment_subject == f"user:{user.pk}"
                assert prediction.shadow_material is None  # shadow scoring is off
        assert set(Prediction.objects.values_list("variant", flat=True)) == {"A", "B"}

    def test_a_callers_subject_decides_the_arm(self, analyst, running_experiment):
        experiment = running_experiment()
        for subject in ("client-1", "client-2", "client-3", "client-4"):
            prediction = prediction_create(user=analyst, name1="A Ltd", name2="B Ltd", subject=subject)
            key = experiment_subject(user=analyst, subject=subject)
            assert prediction.experiment_subject == key
            assert prediction.variant == experiment_assign(experiment=experiment, subject=key)

    def test_shadow_scoring_stores_the_other_arms_verdict(self, analyst, running_experiment):
        running_experiment(shadow=True)
        prediction = prediction_create(user=analyst, name1="Acme Ltd", name2="Acme Holdings Ltd")
        prediction.refresh_from_db()
        # both arms load the same artifact here, so the shadow verdict equals the served one
        assert prediction.shadow_material == prediction.material
        assert prediction.shadow_probability == pytest.approx(prediction.probability_material)

    def test_a_named_version_is_never_routed(self, analyst, arms, running_experiment):
        running_experiment(traffic_split=0.99)
        prediction = prediction_create(user=analyst, name1="A Ltd", name2="B Ltd", model_version_id=arms[0].pk)
        assert prediction.model_version == arms[0] and prediction.experiment is None

    def test_a_stopped_experiment_routes_nothing(self, analyst, arms, running_experiment):
        experiment_stop(experiment=running_experiment(traffic_split=0.99))
        prediction = prediction_create(user=analyst, name1="A Ltd", name2="B Ltd")
        assert prediction.model_version == arms[0] and prediction.experiment is None and prediction.variant == ""

    def test_another_model_names_experiment_does_not_route(self, analyst, arms, running_experiment):
        experiment = running_experiment()
        type(experiment).objects.filter(pk=experiment.pk).update(model_name="another-model")
        prediction = prediction_create(user=analyst, name1="A Ltd", name2="B Ltd")
        assert prediction.experiment is None


@pytest.mark.django_db
class TestPredictionCreateManyRouting:
    def test_each_pair_goes_to_its_subjects_arm_in_input_order(self, analyst, arms, running_experiment):
        experiment = running_experiment(shadow=True)
        pairs = [{"name1": f"Fund {i} Ltd", "name2": f"Fund {i + 1} Ltd", "subject": f"s{i % 7}"} for i in range(40)]
        created = prediction_create_many(user=analyst, pairs=pairs)
        assert [p.name1 for p in created] == [p["name1"] for p in pairs]
        for pair, prediction in zip(pairs, created, strict=True):
            key = experiment_subject(user=analyst, subject=pair["subject"])
            assert prediction.variant == experiment_assign(experiment=experiment, subject=key)
            assert prediction.model_version == (arms[0] if prediction.variant == "A" else arms[1])
            assert prediction.shadow_material == prediction.material
        stored = Prediction.objects.filter(experiment=experiment)
        assert stored.count() == 40 and stored.filter(shadow_material__isnull=True).count() == 0

    def test_a_batch_upload_is_routed_by_its_user(
        self, analyst, running_experiment, django_capture_on_commit_callbacks
    ):
        experiment = running_experiment()
        job = batch_job_create(user=analyst, pairs=[{"name1": "A Ltd", "name2": "B Ltd"}] * 5)
        batch_job_process(job_id=job.pk)
        variants = set(Prediction.objects.filter(batch=job).values_list("variant", flat=True))
        assert variants == {experiment_assign(experiment=experiment, subject=experiment_subject(user=analyst))}


@pytest.mark.django_db
def test_an_arm_that_does_not_load_fails_no_request(analyst, arms, running_experiment, caplog):
    experiment = running_experiment(traffic_split=0.99)
    type(arms[1]).objects.filter(pk=arms[1].pk).update(artifact_path="/no/such/model.joblib")
    prediction = prediction_create(user=analyst, name1="Acme Ltd", name2="Acme Inc")
    assert prediction.model_version == arms[0] and prediction.experiment is None
    assert f"experiment {experiment.name}: an arm does not load" in caplog.text
