from django.db import models
from django.db.models import F, Q

from legalname.common.models import BaseModel


class Experiment(BaseModel):
    """One A/B test: traffic_split of the requests go to model_b, the rest to model_a."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    model_a = models.ForeignKey(
        "models_registry.ModelVersion", on_delete=models.PROTECT, related_name="experiments_as_a"
    )
    model_b = models.ForeignKey(
        "models_registry.ModelVersion", on_delete=models.PROTECT, related_name="experiments_as_b"
    )
    traffic_split = models.FloatField(default=0.5, help_text="Share of traffic sent to model B, in [0, 1]")
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=False, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(traffic_split__gte=0) & Q(traffic_split__lte=1), name="experiment_traffic_split_0_1"
            ),
            models.CheckConstraint(condition=~Q(model_a=F("model_b")), name="experiment_distinct_models"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="experiment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name
