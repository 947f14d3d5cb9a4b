import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from experiments.models import Experiment
from tests.models_registry.factories import ModelVersionFactory


@pytest.mark.django_db
class TestExperimentConstraints:
    @pytest.mark.parametrize("split", [0.0, 0.25, 1.0])
    def test_split_inside_0_1_is_accepted(self, split):
        Experiment.objects.create(
            name=f"e{split}", model_a=ModelVersionFactory(), model_b=ModelVersionFactory(), traffic_split=split
        )

    @pytest.mark.parametrize("split", [-0.01, 1.01, 2])
    def test_split_outside_0_1_is_refused(self, split):
        a, b = ModelVersionFactory(), ModelVersionFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Experiment.objects.create(name="bad", model_a=a, model_b=b, traffic_split=split)
        assert not Experiment.objects.filter(name="bad").exists()

    def test_same_model_on_both_arms_is_refused(self):
        a = ModelVersionFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Experiment.objects.create(name="same", model_a=a, model_b=a, traffic_split=0.5)

    def test_model_in_an_experiment_cannot_be_deleted(self):
        a, b = ModelVersionFactory(), ModelVersionFactory()
        Experiment.objects.create(name="e", model_a=a, model_b=b)
        with pytest.raises(ProtectedError):
            b.delete()
