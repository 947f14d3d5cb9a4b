import factory
from django.utils import timezone

from experiments.models import Experiment
from tests.models_registry.factories import ModelVersionFactory


class ExperimentFactory(factory.django.DjangoModelFactory):
    """A created (not running) experiment between two versions of one model name."""

    class Meta:
        model = Experiment

    name = factory.Sequence(lambda n: f"experiment-{n}")
    model_a = factory.SubFactory(ModelVersionFactory)
    model_b = factory.SubFactory(ModelVersionFactory)
    model_name = factory.LazyAttribute(lambda o: o.model_a.name)
    traffic_split = 0.5

    class Params:
        running = factory.Trait(is_active=True, started_at=factory.LazyFunction(timezone.now))
