import factory

from comparisons.models import Prediction
from tests.models_registry.factories import ModelVersionFactory


class PredictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prediction

    model_version = factory.SubFactory(ModelVersionFactory)
    name1 = "Acme LLC"
    name2 = "Acme Inc"
    material = True
    probability_material = 0.9
    confidence = 0.9
    reasons = factory.LazyFunction(
        lambda: [
            {"kind": "legal_form_changed", "text": "legal form differs: LLC vs Inc", "left": ["llc"], "right": ["inc"]}
        ]
    )
