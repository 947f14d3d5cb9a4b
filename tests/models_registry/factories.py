import factory

from models_registry.models import ModelVersion


class ModelVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelVersion

    name = "legal-name-comparator"
    version = factory.Sequence(lambda n: n + 1)
    model_uri = factory.LazyAttribute(lambda o: f"models:/{o.name}/{o.version}")
    threshold = 0.5
