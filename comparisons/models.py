from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from comparisons.engine.explain import verdict_label
from legalname.common.models import BaseModel


class Prediction(BaseModel):
    """One verdict on one pair of names, as made by one model version for one user."""

    class Source(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "API"
        BATCH = "batch", "Batch upload"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="predictions")
    model_version = models.ForeignKey(
        "models_registry.ModelVersion", on_delete=models.PROTECT, related_name="predictions"
    )
    name1 = models.CharField(max_length=500)
    name2 = models.CharField(max_length=500)
    normalized1 = models.CharField(max_length=1000, blank=True)
    normalized2 = models.CharField(max_length=1000, blank=True)
    material = models.BooleanField(help_text="The verdict: True = MATERIAL (different entity)")
    probability_material = models.FloatField()
    confidence = models.FloatField(help_text="Probability of the verdict given, 0.5..1")
    # The engine's structured reasons: [{"kind", "text", "left", "right"}, ...] (comparisons.engine.explain.Reason)
    reasons = models.JSONField(default=list, blank=True)
    latency_ms = models.FloatField(default=0)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    reference = models.CharField(max_length=200, blank=True, help_text="Caller's own id for the pair (batch)")
    experiment = models.ForeignKey(
        "experiments.Experiment", null=True, blank=True, on_delete=models.PROTECT, related_name="predictions"
    )
    variant = models.CharField(max_length=1, blank=True, choices=[("A", "A"), ("B", "B")])
    # Who the experiment routed (``experiments.routing.experiment_subject``): the sample-ratio check counts subjects,
    # the unit of randomisation, not predictions (one subject's comparisons all land in one arm).
    experiment_subject = models.CharField(max_length=200, blank=True)
    # The arm not served, when the experiment scores in shadow: its verdict on the same pair, never shown.
    shadow_material = models.BooleanField(null=True, blank=True)
    shadow_probability = models.FloatField(null=True, blank=True)
    batch = models.ForeignKey(
        "comparisons.BatchJob", null=True, blank=True, on_delete=models.PROTECT, related_name="predictions"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["model_version", "created_at"], name="prediction_version_time"),
            models.Index(fields=["user", "created_at"], name="prediction_user_time"),
            models.Index(fields=["material", "created_at"], name="prediction_verdict_time"),
            models.Index(fields=["experiment", "variant"], name="prediction_experiment_variant"),
            # the review queue: least certain first
            models.Index(fields=["confidence", "created_at"], name="prediction_confidence_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability_material__gte=0) & Q(probability_material__lte=1),
                name="prediction_probability_0_1",
            ),
            models.CheckConstraint(
                condition=Q(shadow_probability__isnull=True)
                | (Q(shadow_probability__gte=0) & Q(shadow_probability__lte=1)),
                name="prediction_shadow_probability_0_1",
            ),
            models.CheckConstraint(
                condition=Q(experiment__isnull=True) | Q(variant__in=["A", "B"]), name="prediction_experiment_variant"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0.5) & Q(confidence__lte=1), name="prediction_confidence_half_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name1} / {self.name2}: {self.verdict}"

    @property
    def verdict(self) -> str:
        return verdict_label(self.material)


def prediction_reviewed() -> Exists:
    """For a Prediction queryset: whether any analyst has decided on the row (a decision row points at it).

    The decisions are reached through their foreign key's reverse relation (``feedback``), so this app needs nothing
    of the feedback app; which decision is in force is feedback's to say (``feedback.models.DECISION_ORDER``)."""
    decisions = Prediction._meta.get_field("feedback").related_model  # the decision table, through the FK
    return Exists(decisions._default_manager.filter(prediction=OuterRef("pk")))


class BatchJob(BaseModel):
    """One uploaded CSV of pairs, scored in chunks by a Celery task; its predictions point back at it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="batch_jobs")
    filename = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # The validated rows ([{"name1", "name2", "reference"}, ...]) so that any worker can read them.
    pairs = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="batchjob_user_time")]
        constraints = [models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="batchjob_done_lte_total")]

    def __str__(self) -> str:
        return f"{self.filename or 'batch'} ({self.done}/{self.total}, {self.status})"

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * self.done / self.total)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
