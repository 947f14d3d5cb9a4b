import pytest

from experiments.models import Experiment
from experiments.routing import assignment_unit, experiment_assign, experiment_running_get, experiment_subject
from experiments.statistics import sample_ratio_p_value
from tests.experiments.factories import ExperimentFactory


class TestAssignment:
    def test_the_same_subject_always_gets_the_same_arm(self):
        experiment = ExperimentFactory.build(traffic_split=0.5)
        arms = {experiment_assign(experiment=experiment, subject="user:42") for _ in range(50)}
        assert len(arms) == 1

    def test_units_are_in_0_1_and_depend_on_the_experiment(self):
        units = [assignment_unit("e1", f"s{i}") for i in range(1000)]
        assert all(0 <= u < 1 for u in units)
        assert units != [assignment_unit("e2", f"s{i}") for i in range(1000)]

    @pytest.mark.parametrize("split", [0.1, 0.3, 0.5, 0.9])
    def test_subjects_spread_over_the_arms_in_the_split(self, split):
        experiment = ExperimentFactory.build(traffic_split=split)
        arms = [experiment_assign(experiment=experiment, subject=f"user:{i}") for i in range(20_000)]
        n_b = arms.count(Experiment.Variant.B)
        assert set(arms) == {"A", "B"}
        p_value = sample_ratio_p_value(len(arms) - n_b, n_b, split)
        assert p_value is not None and p_value > 0.001

    def test_a_callers_subject_is_namespaced_by_its_user(self, analyst, admin_user):
        assert experiment_subject(user=analyst) == f"user:{analyst.pk}"
        assert experiment_subject(user=analyst, subject="c-1") != experiment_subject(user=admin_user, subject="c-1")
        assert experiment_subject(user=analyst, subject="") == experiment_subject(user=analyst)


@pytest.mark.django_db
class TestExperimentRunningGet:
    def test_only_a_running_experiment_of_the_model_name(self, settings):
        ExperimentFactory()
        assert experiment_running_get() is None
        running = ExperimentFactory(running=True)
        assert experiment_running_get() == running
        assert experiment_running_get(model_name=settings.LEGALNAME_MODEL_NAME) == running
        assert experiment_running_get(model_name="another-model") is None
