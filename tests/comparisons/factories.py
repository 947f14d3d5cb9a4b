import factory

from comparisons.models import BatchJob, Prediction
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


def batch_job_with_predictions(
    user, *, material: int, immaterial: int, filename: str = "pairs.csv", total: int | None = None
) -> BatchJob:
    """A finished batch of ``material + immaterial`` pairs, each with its prediction (the first ``material`` MATERIAL)."""
    n = material + immaterial
    job = BatchJob.objects.create(
        user=user,
        filename=filename,
        status="done",
        total=total or n,
        done=total or n,
        pairs=[{"name1": f"Batch {i} GmbH", "name2": f"Batch {i} AG", "reference": ""} for i in range(n)],
    )
    for i in range(n):
        PredictionFactory(
            user=user,
            batch=job,
            source="batch",
            name1=f"Batch {i} GmbH",
            name2=f"Batch {i} AG",
            material=i < material,
            confidence=0.8,
        )
    return job
