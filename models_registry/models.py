from django.conf import settings
from django.db import models
from django.db.models import Q

from legalname.common.models import BaseModel


class ModelVersion(BaseModel):
    """One trained, registered version of a comparison model (an MLflow model version)."""

    class Status(models.TextChoices):
        REGISTERED = "registered", "Registered"
        CHALLENGER = "challenger", "Challenger (under test)"
        REJECTED = "rejected", "Rejected by the promotion gate"
        RETIRED = "retired", "Retired"
        FAILED = "failed", "Failed to load"

    name = models.CharField(max_length=100, default="legal-name-comparator", db_index=True)
    version = models.PositiveIntegerField()
    mlflow_run_id = models.CharField(max_length=64, blank=True)
    model_uri = models.CharField(max_length=500, help_text="MLflow model URI, e.g. models:/legal-name-comparator/3")
    artifact_path = models.CharField(max_length=500, blank=True, help_text="Local copy of the serialised model")
    feature_version = models.CharField(max_length=32, blank=True)
    threshold = models.FloatField(default=0.5)
    is_active = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REGISTERED)
    status_detail = models.TextField(blank=True, help_text="Why the status is what it is, e.g. the load error")
    activated_at = models.DateTimeField(null=True, blank=True)
    # What the model saw at training, for drift: per engine feature, probability_material, the verdict rate, name
    # length and script, over a held sample (models_registry.monitoring.drift writes and reads it).
    baseline = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="model_version_unique_name_version"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(is_active=True), name="model_version_one_active_per_name"
            ),
            models.CheckConstraint(
                condition=Q(threshold__gte=0) & Q(threshold__lte=1), name="model_version_threshold_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}{' (active)' if self.is_active else ''}"


class ModelMetric(BaseModel):
    """One measured value of one model version over one window (or one evaluation set).

    The one store of measured metrics: a version's evaluation summary (validation, golden, dev...; ``n`` per set,
    ``train_seconds`` under ``training``) is these rows without a window, read by ``model_version_metrics``."""

    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="metric_rows")
    metric_name = models.CharField(max_length=100)
    metric_value = models.FloatField()
    dataset = models.CharField(max_length=50, blank=True, help_text="validation, golden, dev, feedback, traffic...")
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    threshold = models.FloatField(
        null=True, blank=True, help_text="The line the value was judged against when it was stored (drift), if any"
    )
    recorded_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [
            models.Index(fields=["model_version", "metric_name", "recorded_at"], name="metric_version_name_time")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_end__gte=models.F("window_start")),
                name="model_metric_window_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric_name}={self.metric_value:.4f} ({self.model_version})"


class ModelDeployment(BaseModel):
    """One switch of the serving model: who moved which model name from which version to which, and why."""

    class Action(models.TextChoices):
        ACTIVATE = "activate", "Activate"
        ROLLBACK = "rollback", "Roll back"
        RETIRE = "retire", "Retire"
        PROMOTE = "promote", "Promote (experiment winner)"
        CHALLENGER = "challenger", "Mark challenger"

    model_name = models.CharField(max_length=100, db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    from_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="deployments_from"
    )
    to_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="deployments_to"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.model_name}: {self.from_version_id} -> {self.to_version_id}"


class GateOutcome(models.TextChoices):
    """What the promotion gate did with a version (models_registry.services.promotion): a PromotionDecision's
    outcome, and its training run's."""

    ACTIVATED = "activated", "Activated"
    CHALLENGER = "challenger", "Kept as challenger"
    REJECTED = "rejected", "Rejected"
    NOT_SWITCHED = "not_switched", "Passed, but the switch was refused"


class TrainingRun(BaseModel):
    """One execution of the training pipeline: what started it, where it is (stage, progress, heartbeat), the data it
    used, how long it took and how it ended (the version it registered and what the promotion gate did with it).

    At most one run per model name is queued or running (a database constraint): two beat ticks, an admin and a
    command racing to queue a training queue one."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Stage(models.TextChoices):
        QUEUED = "queued", "Queued"
        COLLECTING = "collecting", "Collecting decisions"
        GENERATING = "generating", "Generating base pairs"
        FITTING = "fitting", "Fitting"
        EVALUATING = "evaluating", "Evaluating"
        REGISTERING = "registering", "Registering"
        GATING = "gating", "Promotion gate"
        DONE = "done", "Done"

    Outcome = GateOutcome  # what the promotion gate did with its version

    model_name = models.CharField(max_length=100, default="legal-name-comparator")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    trigger = models.CharField(
        max_length=200,
        default="manual",
        help_text="What started it: manual, command, admin, or the retraining "
        "triggers that fired (performance, feedback_volume, age, drift, schedule), '+'-joined",
    )
    params = models.JSONField(default=dict, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.QUEUED)
    progress = models.FloatField(default=0.0, help_text="0..1 through the stages")
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the worker running it (a stale one means it died)"
    )
    data_counts = models.JSONField(
        default=dict, blank=True, help_text="The data it trained on, per source (generated, corrections, ...)"
    )
    n_pairs = models.PositiveIntegerField(default=0)
    n_feedback = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    model_version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="training_runs"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    promotion = models.TextField(
        blank=True, help_text="What the promotion gate decided about the version: activated, or why not"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["model_name"],
                condition=Q(status__in=["queued", "running"]),
                name="training_run_one_active_per_model",
            ),
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=1), name="training_run_progress_0_1"),
        ]

    def __str__(self) -> str:
        return f"training {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class PromotionDecision(BaseModel):
    """One decision of the promotion gate about a candidate version, with the numbers it was made on: per frozen
    evaluation set both versions' metrics on the same data and the margin, and on the held-out audit decisions the
    paired comparison (discordant counts, McNemar's exact p-value)."""

    Outcome = GateOutcome

    candidate = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="promotion_decisions")
    active = models.ForeignKey(
        ModelVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version it was compared with (none was active: nothing to compare)",
    )
    training_run = models.ForeignKey(
        TrainingRun, null=True, blank=True, on_delete=models.PROTECT, related_name="promotion_decisions"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    detail = models.TextField(help_text="Why, in a sentence")
    numbers = models.JSONField(default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.candidate}: {self.outcome}"


class RetrainingCheck(BaseModel):
    """One evaluation of the retraining triggers for one model name, recorded whether anything fired or not:
    each trigger's numbers under ``details`` (performance, feedback_volume, age, drift, schedule), the ones that fired
    in ``fired``, and what was done about it (a run queued, or why not)."""

    class Outcome(models.TextChoices):
        QUEUED = "queued", "Training queued"
        ALREADY_ACTIVE = "already_active", "Not queued: a training is queued or running"
        NOTHING_FIRED = "nothing_fired", "Nothing fired"
        FAILED = "failed", "Check failed"

    model_name = models.CharField(max_length=100)
    checked_at = models.DateTimeField(db_index=True)
    scheduled = models.BooleanField(default=False, help_text="The daily scheduled retraining, not the hourly check")
    fired = models.JSONField(default=list, blank=True, help_text="The triggers that fired")
    details = models.JSONField(default=dict, blank=True, help_text="Each trigger's numbers")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    outcome_detail = models.TextField(blank=True)
    training_run = models.ForeignKey(
        TrainingRun, null=True, blank=True, on_delete=models.PROTECT, related_name="retraining_checks"
    )

    class Meta:
        ordering = ["-checked_at"]
        indexes = [models.Index(fields=["model_name", "checked_at"], name="retraining_check_name_time")]

    def __str__(self) -> str:
        return f"check {self.model_name} {self.checked_at:%Y-%m-%d %H:%M}: {self.outcome}"


class MonitoringThreshold(BaseModel):
    """What counts as a problem for one model name: the floors of the audited metrics, the least audit decisions
    that can carry a verdict, the drift lines, and how long an alert stays quiet before it is sent again."""

    model_name = models.CharField(max_length=100, unique=True)
    accuracy_min = models.FloatField(default=0.85)
    precision_min = models.FloatField(default=0.80)
    recall_min = models.FloatField(default=0.80)
    min_audit_n = models.PositiveIntegerField(
        default=50, help_text="Below this many audit decisions in a window no threshold verdict is drawn"
    )
    psi_warn = models.FloatField(default=0.1, help_text="Population stability index: warn at or above")
    psi_alert = models.FloatField(default=0.25, help_text="Population stability index: alert at or above")
    js_warn = models.FloatField(default=0.1, help_text="Jensen-Shannon distance (categorical): warn at or above")
    js_alert = models.FloatField(default=0.2, help_text="Jensen-Shannon distance (categorical): alert at or above")
    ks_p_alert = models.FloatField(default=0.01, help_text="Two-sample KS: a p-value below this is drift")
    drift_share_alert = models.FloatField(default=0.3, help_text="Alert when at least this share of the features drift")
    alert_cooldown_minutes = models.PositiveIntegerField(
        default=360, help_text="The same condition within this time updates its alert instead of sending again"
    )

    class Meta:
        ordering = ["model_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accuracy_min__gte=0)
                & Q(accuracy_min__lte=1)
                & Q(precision_min__gte=0)
                & Q(precision_min__lte=1)
                & Q(recall_min__gte=0)
                & Q(recall_min__lte=1),
                name="monitoring_threshold_floors_0_1",
            ),
            models.CheckConstraint(condition=Q(psi_alert__gte=models.F("psi_warn")), name="monitoring_psi_ordered"),
            models.CheckConstraint(condition=Q(js_alert__gte=models.F("js_warn")), name="monitoring_js_ordered"),
        ]

    def __str__(self) -> str:
        return f"thresholds of {self.model_name}"


class Alert(BaseModel):
    """One condition that needs people: raised, repeated (counted, not re-sent within the cooldown), resolved,
    acknowledged. ``key`` names the condition (e.g. ``breach:legal-name-comparator:accuracy``); at most one open
    alert per key."""

    class Kind(models.TextChoices):
        THRESHOLD_BREACH = "threshold_breach", "Threshold breach"
        DRIFT = "drift", "Drift"
        MODEL_LOAD_FAILED = "model_load_failed", "Model failed to load"
        TRAINING_FAILED = "training_failed", "Training failed"
        JOB_MISSED = "job_missed", "Scheduled job did not run"

    class Severity(models.TextChoices):
        WARNING = "warning", "Warning"
        CRITICAL = "critical", "Critical"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.WARNING)
    key = models.CharField(max_length=200)
    model_name = models.CharField(max_length=100, blank=True)
    subject = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True, help_text="The numbers behind the alert")
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)
    notified_at = models.DateTimeField(null=True, blank=True, help_text="When it was last sent (e-mail, webhook)")
    delivery = models.JSONField(default=dict, blank=True, help_text="The last delivery attempt per channel")
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["kind", "last_seen_at"], name="alert_kind_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(resolved_at__isnull=True), name="alert_one_open_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"[{self.severity}] {self.subject}"


class MonitoringJobRun(BaseModel):
    """One run of a scheduled monitoring job: when it ran, how long it took, how it ended (so a job that did not
    run can be told apart from one that found nothing)."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.FloatField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "started_at"], name="monitoring_job_time")]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
