from django.conf import settings
from django.db import models
from django.db.models import Q

from comparisons.engine.explain import verdict_label
from legalname.common.models import BaseModel


class Feedback(BaseModel):
    """One analyst decision on one prediction (append-only: a later row supersedes an earlier one)."""

    prediction = models.ForeignKey("comparisons.Prediction", on_delete=models.PROTECT, related_name="feedback")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback")
    user_correction = models.BooleanField(help_text="The verdict the analyst says is right: True = MATERIAL")
    confidence_score = models.FloatField(null=True, blank=True, help_text="Analyst's own certainty, 0..1")
    feedback_text = models.TextField(blank=True)
    audit = models.BooleanField(
        default=False, help_text="Decided on an item the review queue drew at random (the unbiased audit slice)"
    )
    holdout = models.BooleanField(
        default=False,
        help_text="An audit decision held out of training for good: the promotion gate's frozen sample of decisions",
    )
    processed = models.BooleanField(default=False, help_text="Used by a training run")
    processed_at = models.DateTimeField(null=True, blank=True)
    training_run = models.ForeignKey(
        "models_registry.TrainingRun", null=True, blank=True, on_delete=models.PROTECT, related_name="feedback"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        indexes = [
            models.Index(fields=["prediction", "created_at"], name="feedback_prediction_time"),
            models.Index(fields=["user", "created_at"], name="feedback_user_time"),
            models.Index(fields=["processed", "created_at"], name="feedback_processed_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence_score__isnull=True) | (Q(confidence_score__gte=0) & Q(confidence_score__lte=1)),
                name="feedback_confidence_0_1",
            )
        ]

    def __str__(self) -> str:
        return f"{verdict_label(self.user_correction)} on {self.prediction_id}"


# Which decision is in force on a prediction: the latest one (ties broken by id). Everything that asks uses this;
# it sits with the table so that filters and selectors share one definition.
DECISION_ORDER = ("-created_at", "-pk")
