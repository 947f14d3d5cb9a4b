import pytest
from django.core.exceptions import ValidationError

from experiments.models import Experiment
from experiments.services import experiment_create
from models_registry.models import ModelVersion
from tests.models_registry.factories import ModelVersionFactory


@pytest.mark.django_db
class TestExperimentCreate:
    def test_creates_a_not_running_experiment_on_the_model_name(self):
        a, b = ModelVersionFactory(), ModelVersionFactory()
        experiment = experiment_create(
            name="v1 vs v2", model_a=a, model_b=b, traffic_split=0.3, shadow=True, minimum_detectable_difference=0.02
        )
        experiment.refresh_from_db()
        assert experiment.model_name == a.name and experiment.status == "created" and not experiment.is_active
        assert (experiment.traffic_split, experiment.shadow, experiment.minimum_detectable_difference) == (
            0.3,
            True,
            0.02,
        )

    @pytest.mark.parametrize(
        "case, field",
        [
            ("same version twice", "model_b"),
            ("different model names", "model_b"),
            ("failed version", "model_b"),
            ("retired version", "model_a"),
            ("split 0", "traffic_split"),
            ("split 1", "traffic_split"),
            ("split negative", "traffic_split"),
            ("split above 1", "traffic_split"),
            ("mdd 0", "minimum_detectable_difference"),
            ("mdd 1", "minimum_detectable_difference"),
            ("name taken", "name"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, case, field):
        a, b = ModelVersionFactory(), ModelVersionFactory()
        experiment_create(name="taken", model_a=a, model_b=b)
        kwargs: dict = {"name": "new", "model_a": a, "model_b": b}
        if case == "same version twice":
            kwargs["model_b"] = a
        elif case == "different model names":
            kwargs["model_b"] = ModelVersionFactory(name="another-model")
        elif case == "failed version":
            kwargs["model_b"] = ModelVersionFactory(status=ModelVersion.Status.FAILED)
        elif case == "retired version":
            kwargs["model_a"] = ModelVersionFactory(status=ModelVersion.Status.RETIRED)
        elif case.startswith("split"):
            kwargs["traffic_split"] = {"split 0": 0.0, "split 1": 1.0, "split negative": -0.2, "split above 1": 1.5}[
                case
            ]
        elif case.startswith("mdd"):
            kwargs["minimum_detectable_difference"] = {"mdd 0": 0.0, "mdd 1": 1.0}[case]
        elif case == "name taken":
            kwargs["name"] = "taken"
        with pytest.raises(ValidationError) as caught:
            experiment_create(**kwargs)
        assert field in caught.value.message_dict, caught.value.message_dict
        assert Experiment.objects.count() == 1
