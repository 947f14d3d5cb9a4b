from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from legalname.common.models import BaseModel

# Fields that define what an experiment measures: once it has started they are frozen (start a new one instead), so
# that every prediction of an experiment was routed and scored under the same terms.
FROZEN_ONCE_STARTED = ("model_a", "model_b", "model_name", "traffic_split", "shadow", "minimum_detectable_difference")


class Experiment(BaseModel):
    """One A/B test of two versions of one model name: ``traffic_split`` of the subjects go to model_b (arm B), the
    rest to model_a (arm A). Created, then running (``is_active``), then stopped (``ended_at``); never restarted."""

    class Variant(models.TextChoices):
        A = "A", "A"
        B = "B", "B"

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    model_a = models.ForeignKey(
        "models_registry.ModelVersion", on_delete=models.PROTECT, related_name="experiments_as_a"
    )
    model_b = models.ForeignKey(
        "models_registry.ModelVersion", on_delete=models.PROTECT, related_name="experiments_as_b"
    )
    # The model name both arms belong to (a copy of model_a.name, written by experiment_create), so that "one running
    # experiment per model name" is a database constraint rather than a check that two requests could both pass.
    model_name = models.CharField(max_length=100, db_index=True)
    traffic_split = models.FloatField(default=0.5, help_text="Share of subjects sent to model B, in (0, 1)")
    shadow = models.BooleanField(
        default=False, help_text="The arm not served also scores each pair (stored, never shown): paired data"
    )
    minimum_detectable_difference = models.FloatField(
        default=0.05, help_text="The smallest difference of accuracy worth detecting; sets the sample size per arm"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=False, db_index=True, help_text="Running: comparisons are routed to it")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(traffic_split__gt=0) & Q(traffic_split__lt=1), name="experiment_traffic_split_0_1"
            ),
            models.CheckConstraint(
                condition=Q(minimum_detectable_difference__gt=0) & Q(minimum_detectable_difference__lt=1),
                name="experiment_mdd_0_1",
            ),
            models.CheckConstraint(condition=~Q(model_a=F("model_b")), name="experiment_distinct_models"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(started_at__isnull=True) | Q(ended_at__gte=F("started_at")),
                name="experiment_ends_after_start",
            ),
            # running means started and not ended
            models.CheckConstraint(
                condition=Q(is_active=False) | (Q(started_at__isnull=False) & Q(ended_at__isnull=True)),
                name="experiment_running_is_started",
            ),
            models.UniqueConstraint(
                fields=["model_name"],
                condition=Q(is_active=True),
                name="experiment_one_running_per_model",
                violation_error_message="Another experiment on this model is already running.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status(self) -> str:
        if self.ended_at is not None:
            return "stopped"
        return "running" if self.is_active else "created"

    def clean(self) -> None:
        """Refuse a change of what a started experiment measures (its arms, split, shadow, detectable difference):
        the subjects already routed would otherwise be counted under terms they were not routed by."""
        if self._state.adding or self.pk is None:
            return
        attnames = [f"{f}_id" if f in ("model_a", "model_b") else f for f in FROZEN_ONCE_STARTED]
        stored = Experiment.objects.filter(pk=self.pk).values("started_at", *attnames).first()
        if stored is None or stored["started_at"] is None:
            return
        errors = {}
        for field, attname in zip(FROZEN_ONCE_STARTED, attnames, strict=True):
            if getattr(self, attname) != stored[attname]:
                errors[field] = "An experiment that has started cannot change this; stop it and start a new one."
        if errors:
            raise ValidationError(errors)
