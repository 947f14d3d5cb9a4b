import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from experiments.models import Experiment
from tests.experiments.factories import ExperimentFactory
from tests.models_registry.factories import ModelVersionFactory


@pytest.mark.django_db
class TestExperimentConstraints:
    @pytest.mark.parametrize("split", [0.01, 0.25, 0.99])
    def test_split_inside_0_1_is_accepted(self, split):
        ExperimentFactory(traffic_split=split)

    @pytest.mark.parametrize("split", [0.0, 1.0, -0.01, 1.01, 2])
    def test_split_outside_0_1_exclusive_is_refused(self, split):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExperimentFactory(name="bad", traffic_split=split)
        assert not Experiment.objects.filter(name="bad").exists()

    @pytest.mark.parametrize("mdd", [0.0, 1.0, -0.1])
    def test_minimum_detectable_difference_outside_0_1_is_refused(self, mdd):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExperimentFactory(minimum_detectable_difference=mdd)

    def test_same_model_on_both_arms_is_refused(self):
        a = ModelVersionFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            ExperimentFactory(model_a=a, model_b=a)

    def test_model_in_an_experiment_cannot_be_deleted(self):
        experiment = ExperimentFactory()
        with pytest.raises(ProtectedError):
            experiment.model_b.delete()

    def test_one_running_experiment_per_model_name(self):
        ExperimentFactory(running=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            ExperimentFactory(running=True)
        # not running, or running on another model name: fine
        ExperimentFactory()
        other = ModelVersionFactory(name="other-model")
        ExperimentFactory(running=True, model_a=other, model_b=ModelVersionFactory(name="other-model"))
        assert Experiment.objects.filter(is_active=True).count() == 2

    def test_running_means_started_and_not_ended(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExperimentFactory(is_active=True)
        with pytest.raises(IntegrityError), transaction.atomic():
            ExperimentFactory(running=True, ended_at=timezone.now())


@pytest.mark.django_db
class TestExperimentClean:
    @pytest.mark.parametrize(
        "field, value", [("traffic_split", 0.3), ("shadow", True), ("minimum_detectable_difference", 0.1)]
    )
    def test_a_started_experiment_refuses_a_change_of_its_terms(self, field, value):
        experiment = ExperimentFactory(running=True)
        setattr(experiment, field, value)
        with pytest.raises(ValidationError) as caught:
            experiment.full_clean()
        assert set(caught.value.message_dict) == {field}

    def test_a_started_experiment_refuses_another_arm(self):
        experiment = ExperimentFactory(running=True)
        experiment.model_b = ModelVersionFactory()
        with pytest.raises(ValidationError) as caught:
            experiment.full_clean()
        assert "model_b" in caught.value.message_dict

    def test_a_created_experiment_may_change_and_a_started_one_its_description(self):
        experiment = ExperimentFactory()
        experiment.traffic_split = 0.3
        experiment.full_clean()
        experiment.save()
        experiment.is_active, experiment.started_at = True, timezone.now()
        experiment.save()
        experiment.description = "why we run it"
        experiment.full_clean()
