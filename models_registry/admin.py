"""The control room: model versions side by side, promote / roll back / retire / mark challenger / train, history.

Every action calls a service (the same ones the API uses) and reports with ``message_user``; domain errors become
error messages, never a 500. Training is only queued here: a Celery worker runs it."""

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from legalname.common.admin import ReadOnlyAdminMixin, decimal_display
from legalname.common.exceptions import ApplicationError
from models_registry.models import (
    Alert,
    ModelDeployment,
    ModelMetric,
    ModelVersion,
    MonitoringJobRun,
    MonitoringThreshold,
    PromotionDecision,
    RetrainingCheck,
    TrainingRun,
)
from models_registry.monitoring.alerts import alert_acknowledge, alert_resolve
from models_registry.monitoring.drift import drift_level, drift_status_list
from models_registry.monitoring.performance import THRESHOLD_METRICS, performance_latest_get, threshold_get
from models_registry.selectors import model_metric_summary, model_version_metric_rows_prefetch
from models_registry.services.deployment import (
    model_version_activate,
    model_version_challenger_set,
    model_version_retire,
    model_version_rollback,
)
from models_registry.services.promotion import model_version_gate
from models_registry.services.training import training_run_queue

# The metrics a changelist row shows per evaluation set; the change page shows them all.
SHORT_METRICS = (("balanced_accuracy", "bAcc"), ("roc_auc", "AUC"), ("f1", "F1"))


class ActiveListFilter(admin.SimpleListFilter):
    title = "active"
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", "Active"), ("no", "Inactive")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_active=True)
        if self.value() == "no":
            return queryset.filter(is_active=False)
        return queryset


def _count(model, field: str):
    """A correlated COUNT subquery: several counts on one changelist without multiplying joined rows."""
    return Coalesce(
        Subquery(
            model.objects.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(c=Count("pk"))
            .values("c"),
            output_field=IntegerField(),
        ),
        0,
    )


def _metric_display(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name == "n":
        return f"{int(value):,}"
    if name.endswith("_seconds"):
        return f"{value:.1f} s"
    return decimal_display(value)


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    change_list_template = "admin/models_registry/modelversion/change_list.html"
    list_display = (
        "__str__",
        "active_badge",
        "status_badge",
        "status_problem",
        "threshold_rounded",
        "evaluation",
        "n_predictions",
        "n_deployments",
        "activated_at",
        "created_at",
    )
    list_display_links = ("__str__",)
    list_filter = (ActiveListFilter, "status", "name")
    search_fields = ("name", "model_uri", "mlflow_run_id")
    ordering = ("name", "-version")
    list_select_related = ("created_by",)
    raw_id_fields = ("created_by",)
    fields = (
        "id",
        "name",
        "version",
        "is_active",
        "status",
        "status_detail",
        "promotion_decisions_list",
        "threshold_rounded",
        "metrics_table",
        "monitoring_panel",
        "activated_at",
        "mlflow_run_id",
        "model_uri",
        "artifact_path",
        "feature_version",
        "created_by",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields
    actions = (
        "activate_version",
        "run_promotion_gate",
        "rollback_to_previous",
        "retire_versions",
        "mark_challenger",
        "train_new_version",
    )

    def get_queryset(self, request):
        # The predictions table is reached through its foreign key (apps meet through FKs, not imports).
        predictions = ModelVersion._meta.get_field("predictions").related_model
        return (
            super()
            .get_queryset(request)
            .annotate(
                _n_predictions=_count(predictions, "model_version"),
                _n_deployments=_count(ModelDeployment, "to_version"),
            )
            .prefetch_related(model_version_metric_rows_prefetch())
        )

    def has_add_permission(self, request):
        return False  # versions come from training, not from a form; the actions need the change permission

    # -- columns --------------------------------------------------------------------------------------------------

    @admin.display(description="active", boolean=True, ordering="is_active")
    def active_badge(self, obj):
        return obj.is_active

    @admin.display(description="threshold", ordering="threshold")
    def threshold_rounded(self, obj):
        return decimal_display(obj.threshold)

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj):
        """The status in words, coloured where it needs a look: a challenger waits for a decision, a rejected or
        failed version is not served (the status detail beside it says why)."""
        colour = {
            ModelVersion.Status.CHALLENGER: "#1f6fb2",
            ModelVersion.Status.REJECTED: "#ba2121",
            ModelVersion.Status.FAILED: "#ba2121",
            ModelVersion.Status.RETIRED: "#777",
        }.get(obj.status)
        if colour is None:
            return obj.get_status_display()
        return format_html('<strong style="color:{}">{}</strong>', colour, obj.get_status_display())

    @admin.display(description="promotion decisions")
    def promotion_decisions_list(self, obj):
        """The gate's decisions about this version, newest first, each linked to its numbers."""
        decisions = obj.promotion_decisions.select_related("active").order_by("-created_at")
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} {} (against {}): {}",
                (
                    (
                        _link(d, f"{d.created_at:%Y-%m-%d %H:%M}"),
                        _outcome_badge(d.outcome, d.get_outcome_display()),
                        f"v{d.active.version}" if d.active else "none active",
                        d.detail,
                    )
                    for d in decisions
                ),
            )
            or "-"
        )

    @admin.display(description="status detail")
    def status_problem(self, obj):
        """The load error of a FAILED version, shortened; the change page shows it whole."""
        detail = obj.status_detail or ""
        if not detail:
            return "-"
        return format_html('<span title="{}">{}</span>', detail, detail if len(detail) <= 80 else detail[:79] + "…")

    @admin.display(description="predictions", ordering="_n_predictions")
    def n_predictions(self, obj):
        return obj._n_predictions

    @admin.display(description="switches to it", ordering="_n_deployments")
    def n_deployments(self, obj):
        return obj._n_deployments

    @admin.display(description="evaluation")
    def evaluation(self, obj):
        """One line per evaluation set: the headline metrics and n (from the prefetched ModelMetric rows)."""
        lines = []
        for dataset, values in model_metric_summary(obj.metric_rows.all()).items():
            shown = [(label, values[key]) for key, label in SHORT_METRICS if values.get(key) is not None]
            if not shown:
                continue
            cells = format_html_join(" ", "{}&nbsp;<b>{}</b>", ((label, decimal_display(v)) for label, v in shown))
            n = format_html(" <small>(n={})</small>", int(values["n"])) if values.get("n") else ""
            lines.append((dataset, cells, n))
        if not lines:
            return "-"
        return format_html_join(mark_safe("<br>"), "<small>{}</small> {}{}", lines)

    @admin.display(description="metrics")
    def metrics_table(self, obj):
        """Every metric measured at training, one row per evaluation set (from the prefetched ModelMetric rows, as the
        evaluation column: the change page's object comes from ``get_queryset`` too, so this costs no query)."""
        summary = model_metric_summary(obj.metric_rows.all())
        if not summary:
            return "-"
        names = sorted({name for values in summary.values() for name in values})
        head = format_html_join("", "<th>{}</th>", ((name,) for name in names))
        body = format_html_join(
            "",
            "<tr><th>{}</th>{}</tr>",
            (
                (
                    dataset,
                    format_html_join("", "<td>{}</td>", ((_metric_display(name, values.get(name)),) for name in names)),
                )
                for dataset, values in summary.items()
            ),
        )
        return format_html(
            '<table class="metrics"><thead><tr><th>set</th>{}</tr></thead><tbody>{}</tbody></table>', head, body
        )

    @admin.display(description="monitoring")
    def monitoring_panel(self, obj):
        """The latest day window from analysts' decisions (audit slice and all reviews, each rate with its 95%
        interval) and the label-free estimate, against the thresholds; drift of the active version (green / amber /
        red with the statistic); the model's open alerts."""
        threshold = threshold_get(model_name=obj.name)
        latest = performance_latest_get(model_version=obj, kind="day")
        floors = {metric: getattr(threshold, f"{metric}_min") for metric in THRESHOLD_METRICS}

        def cell(values: dict, metric: str, judged: bool):
            if metric not in values:
                return "-"
            if f"{metric}_low" not in values:
                return format_html("{}", decimal_display(values[metric]))
            low, high = values[f"{metric}_low"], values[f"{metric}_high"]
            below = judged and metric in floors and high < floors[metric]  # the breach rule, as alerts apply it
            return format_html(
                '<span class="{}">{}</span> <small>[{}\u2013{}]</small>',
                "breach" if below else "",
                decimal_display(values[metric]),
                decimal_display(low),
                decimal_display(high),
            )

        metrics = (*THRESHOLD_METRICS, "f1")
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td>{}</tr>",
            (
                (
                    label,
                    int(latest[dataset].get("n", 0)),
                    format_html_join(
                        "",
                        "<td>{}</td>",
                        (
                            (
                                cell(
                                    latest[dataset],
                                    m,
                                    dataset == "audit" and latest[dataset].get("n", 0) >= threshold.min_audit_n,
                                ),
                            )
                            for m in metrics
                        ),
                    ),
                )
                for dataset, label in (
                    ("audit", "audit slice (unbiased)"),
                    ("all_reviews", "all reviews (biased to uncertain items)"),
                    ("estimate", "label-free estimate"),
                )
                if dataset in latest
            ),
        )
        head = format_html_join("", "<th>{}</th>", ((m,) for m in metrics))
        floors_row = format_html_join(
            "", "<td>{}</td>", ((decimal_display(floors[m]) if m in floors else "-",) for m in metrics)
        )
        table = format_html(
            '<table class="metrics"><thead><tr><th>latest day</th><th>n</th>{}</tr></thead><tbody>{}'
            "<tr><th>thresholds (min n {})</th><td></td>{}</tr></tbody></table>",
            head,
            rows or format_html('<tr><td colspan="6">no reviewed traffic yet</td></tr>'),
            threshold.min_audit_n,
            floors_row,
        )
        drift = format_html("<p>drift: not measured (inactive version)</p>")
        if obj.is_active:
            findings = drift_status_list(model_name=obj.name)
            level = drift_level(findings)
            colour = {"ok": "green", "warn": "#b26b00", "alert": "#ba2121"}[level]
            worst = findings[0].reason if findings else "no drift window measured yet"
            drift = format_html(
                '<p>drift: <strong style="color:{}">{}</strong> <small>{}</small></p>', colour, level, worst
            )
        alerts = Alert.objects.filter(model_name=obj.name, resolved_at__isnull=True).order_by("-last_seen_at")[:10]
        alert_list = format_html_join(
            "", "<li>[{}] {} <small>(x{})</small></li>", ((a.severity, a.subject, a.count) for a in alerts)
        )
        return format_html(
            "{}{}<p>open alerts:</p><ul>{}</ul>", table, drift, alert_list or format_html("<li>none</li>")
        )

    # -- actions ----------------------------------------------------------------------------------------------------

    def _run(self, request, call, **kwargs):
        try:
            return call(**kwargs)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return None

    @admin.action(description="Activate the selected version (exactly one)", permissions=["change"])
    def activate_version(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to activate.", messages.ERROR)
            return
        version = self._run(
            request,
            model_version_activate,
            model_version=queryset.get(),
            user=request.user,
            reason="activated from the admin",
        )
        if version:
            self.message_user(
                request,
                f"{version.name} v{version.version} is now active; every process serves it "
                f"within {settings.LEGALNAME_MODEL_CHECK_SECONDS:g} s.",
                messages.SUCCESS,
            )

    @admin.action(description="Run the promotion gate on the selected versions", permissions=["change"])
    def run_promotion_gate(self, request, queryset):
        """Each selected version against its name's active one, as a training's version would be (the one policy:
        ``model_version_gate``): activated, kept as challenger or rejected, each a PromotionDecision row. It scores
        both versions on the evaluation sets and the held-out decisions, a few seconds per version."""
        levels = {
            PromotionDecision.Outcome.ACTIVATED: messages.SUCCESS,
            PromotionDecision.Outcome.CHALLENGER: messages.INFO,
            PromotionDecision.Outcome.REJECTED: messages.WARNING,
            PromotionDecision.Outcome.NOT_SWITCHED: messages.WARNING,
        }
        for version in queryset.order_by("name", "version"):
            decision = self._run(
                request, model_version_gate, candidate=version, user=request.user, reason="gate run from the admin"
            )
            if decision:
                self.message_user(
                    request,
                    format_html(
                        "{} v{}: {} ({})",
                        version.name,
                        version.version,
                        decision.detail,
                        _link(decision, "the numbers"),
                    ),
                    levels.get(decision.outcome, messages.INFO),
                )

    @admin.action(description="Roll back the selected models to their previous version", permissions=["change"])
    def rollback_to_previous(self, request, queryset):
        names = sorted(set(queryset.values_list("name", flat=True)))
        for name in names:
            version = self._run(
                request, model_version_rollback, model_name=name, user=request.user, reason="rolled back from the admin"
            )
            if version:
                self.message_user(request, f"{name} rolled back to v{version.version}.", messages.SUCCESS)

    @admin.action(description="Retire the selected versions", permissions=["change"])
    def retire_versions(self, request, queryset):
        retired = 0
        for version in queryset:
            if self._run(
                request, model_version_retire, model_version=version, user=request.user, reason="retired from the admin"
            ):
                retired += 1
        if retired:
            self.message_user(request, f"{retired} version(s) retired.", messages.SUCCESS)

    @admin.action(description="Mark the selected version as challenger (exactly one)", permissions=["change"])
    def mark_challenger(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version to mark as challenger.", messages.ERROR)
            return
        version = self._run(
            request,
            model_version_challenger_set,
            model_version=queryset.get(),
            user=request.user,
            reason="marked challenger from the admin",
        )
        if version:
            self.message_user(request, f"{version.name} v{version.version} is the challenger.", messages.SUCCESS)

    @admin.action(description="Train a new version of the selected models (queued)", permissions=["change"])
    def train_new_version(self, request, queryset):
        for name in sorted(set(queryset.values_list("name", flat=True))):
            self._queue_training(request, name)

    def _queue_training(self, request, name: str) -> None:
        run = self._run(request, training_run_queue, trigger="admin", requested_by=request.user, model_name=name)
        if run:
            url = reverse("admin:models_registry_trainingrun_change", args=[run.pk])
            self.message_user(
                request,
                format_html(
                    'Training of {} queued (<a href="{}">run {}</a>); the new version '
                    "appears here when the worker finishes.",
                    name,
                    url,
                    run.pk,
                ),
                messages.SUCCESS,
            )

    # -- "train a new version" without selecting rows (a button above the list) --------------------------------------

    def get_urls(self):
        return [
            path("train/", self.admin_site.admin_view(self.train_view), name="models_registry_modelversion_train"),
            *super().get_urls(),
        ]

    def train_view(self, request):
        if request.method != "POST" or not self.has_change_permission(request):
            self.message_user(
                request, "Training is started with the button on the list (POST, change permission).", messages.ERROR
            )
        else:
            self._queue_training(request, request.POST.get("name") or settings.LEGALNAME_MODEL_NAME)
        # back to the list the button was on (the versions' or the training runs'), never off the site
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("admin:models_registry_modelversion_changelist")
        return HttpResponseRedirect(back)


@admin.register(ModelMetric)
class ModelMetricAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Measured values: written by training and monitoring, read here."""

    list_display = ("model_version", "metric_name", "value", "dataset", "window_start", "window_end", "recorded_at")
    list_filter = ("metric_name", "dataset")
    search_fields = ("metric_name", "model_version__name")
    ordering = ("-recorded_at",)
    list_select_related = ("model_version",)
    raw_id_fields = ("model_version",)
    show_full_result_count = False

    @admin.display(description="value", ordering="metric_value")
    def value(self, obj):
        return _metric_display(obj.metric_name, obj.metric_value)


@admin.register(ModelDeployment)
class ModelDeploymentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who switched which model from which version to which, when and why. A record: read-only."""

    list_display = ("created_at", "model_name", "action", "from_version", "to_version", "user", "reason")
    list_filter = ("action", "model_name")
    search_fields = ("reason", "user__username", "model_name")
    ordering = ("-created_at",)
    list_select_related = ("from_version", "to_version", "user")
    date_hierarchy = "created_at"
    show_full_result_count = False


# -- retraining: runs, the checks that queued them, the gate's decisions -------------------------------------------

_OUTCOME_COLOURS = {"activated": "green", "challenger": "#1f6fb2", "rejected": "#ba2121", "not_switched": "#b26b00"}


def _outcome_badge(value: str, label: str) -> str:
    if not value:
        return "-"
    return format_html('<strong style="color:{}">{}</strong>', _OUTCOME_COLOURS.get(value, "inherit"), label)


def _link(obj, label=None) -> str:
    """A link to ``obj``'s admin page (no query: the URL comes from its model and pk)."""
    if obj is None:
        return "-"
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label if label is not None else str(obj))


def _shorten(text: str, length: int = 100) -> str:
    if not text:
        return "-"
    return format_html('<span title="{}">{}</span>', text, text if len(text) <= length else text[: length - 1] + "…")


def _json_display(value) -> str:
    """A JSON value as people read it: numbers rounded, yes/no, lists comma-separated, objects and lists of objects
    as small tables (never a JSON dump). Keys are sorted: PostgreSQL's jsonb does not keep their order, and the page
    reads the same on either database."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 10_000 else f"{value:.4g}"
    if isinstance(value, dict):
        return _json_table(value)
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):
            columns = sorted({key for item in value for key in item})
            head = format_html_join("", "<th>{}</th>", ((column,) for column in columns))
            rows = format_html_join(
                "",
                "<tr>{}</tr>",
                (
                    (format_html_join("", "<td>{}</td>", ((_json_display(item.get(column)),) for column in columns)),)
                    for item in value
                ),
            )
            return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, rows)
        return format_html_join(", ", "{}", ((_json_display(item),) for item in value))
    return str(value)


def _json_table(values: dict) -> str:
    """A JSON object as a two-column table, each value through ``_json_display``."""
    if not values:
        return "-"
    rows = format_html_join(
        "", "<tr><th>{}</th><td>{}</td></tr>", ((key, _json_display(values[key])) for key in sorted(values))
    )
    return format_html("<table>{}</table>", rows)


def _triggers_panel(details: dict, fired) -> str:
    """The retraining triggers as the check recorded them (``RetrainingCheck.details``, a run's
    ``params["triggers"]``): per trigger, fired yes/no, its sentence and its numbers; the fired ones first."""
    if not details:
        return "-"
    fired = set(fired or ())
    blocks = []
    for name in sorted(details, key=lambda name: (name not in fired and not details[name].get("fired"), name)):
        numbers = details[name] or {}
        went_off = bool(numbers.get("fired"))
        blocks.append(
            (
                name.replace("_", " "),
                "#ba2121" if went_off else "green",
                "yes" if went_off else "no",
                numbers.get("summary", "-"),
                format_html_join(
                    "",
                    "<tr><th>{}</th><td>{}</td></tr>",
                    ((key, _json_display(numbers[key])) for key in sorted(numbers) if key not in ("fired", "summary")),
                ),
            )
        )
    return format_html_join(
        "",
        '<table class="trigger" style="margin-bottom:1em"><caption>{}</caption>'
        '<tr><th>fired</th><td><strong style="color:{}">{}</strong></td></tr>'
        "<tr><th>summary</th><td>{}</td></tr>{}</table>",
        blocks,
    )


class TrainingRunTriggerListFilter(admin.SimpleListFilter):
    """Runs by what started them; a run started by several triggers (``performance+drift``) is under each."""

    title = "trigger"
    parameter_name = "trigger"

    def lookups(self, request, model_admin):
        # The names that occur, read from the rows: no second copy of the trigger list to keep in step.
        values = TrainingRun.objects.order_by().values_list("trigger", flat=True).distinct()
        names = sorted({name for value in values for name in value.split("+") if name})
        return [(name, name.replace("_", " ")) for name in names]

    def queryset(self, request, queryset):
        name = self.value()
        if not name:
            return queryset
        return queryset.filter(
            Q(trigger=name)
            | Q(trigger__startswith=f"{name}+")
            | Q(trigger__endswith=f"+{name}")
            | Q(trigger__contains=f"+{name}+")
        )


@admin.register(TrainingRun)
class TrainingRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Training runs as the worker wrote them (stage and progress, heartbeat, the data used, timings, the error, the
    promotion gate's outcome): read-only. A training is queued from the model versions' list (button or action)."""

    change_list_template = "admin/models_registry/trainingrun/change_list.html"
    list_display = (
        "created_at",
        "model_name",
        "status",
        "stage_progress",
        "trigger_display",
        "data_used",
        "duration",
        "version_link",
        "outcome_badge",
        "requested_by",
    )
    list_filter = ("status", "outcome", TrainingRunTriggerListFilter, "model_name")
    search_fields = ("error", "model_name", "trigger", "promotion")
    ordering = ("-created_at",)
    list_select_related = ("model_version", "requested_by")
    show_full_result_count = False
    fields = (
        "id",
        "model_name",
        "status",
        "stage_progress",
        "heartbeat",
        "trigger_display",
        "requested_by",
        "retraining_checks_list",
        "created_at",
        "started_at",
        "finished_at",
        "duration",
        "data_used",
        "data_counts_table",
        "params_table",
        "version_link",
        "outcome_badge",
        "promotion",
        "promotion_decisions_list",
        "error_text",
    )
    readonly_fields = fields

    @admin.display(description="stage", ordering="progress")
    def stage_progress(self, obj):
        return f"{obj.stage} {obj.progress:.0%}"

    @admin.display(description="trigger", ordering="trigger")
    def trigger_display(self, obj):
        return ", ".join(name.replace("_", " ") for name in obj.trigger.split("+") if name) or "-"

    @admin.display(description="data used")
    def data_used(self, obj):
        """Generated pairs and analysts' decisions (corrections / confirmations), from ``data_counts``."""
        counts = obj.data_counts or {}
        if not counts:
            return f"{obj.n_pairs:,} pairs, {obj.n_feedback:,} decisions" if obj.n_pairs else "-"
        return (
            f"{counts.get('generated', 0):,} generated / {counts.get('decisions', 0):,} decisions "
            f"({counts.get('corrections', 0):,} corrections, {counts.get('confirmations', 0):,} confirmations)"
        )

    @admin.display(description="duration (s)")
    def duration(self, obj):
        seconds = obj.duration_seconds
        return f"{seconds:.1f}" if seconds is not None else "-"

    @admin.display(description="version", ordering="model_version__version")
    def version_link(self, obj):
        return _link(obj.model_version, f"v{obj.model_version.version}" if obj.model_version else None)

    @admin.display(description="outcome", ordering="outcome")
    def outcome_badge(self, obj):
        return _outcome_badge(obj.outcome, obj.get_outcome_display())

    @admin.display(description="heartbeat")
    def heartbeat(self, obj):
        if obj.heartbeat_at is None:
            return "-"
        return f"{obj.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC ({timesince(obj.heartbeat_at)} ago)"

    @admin.display(description="data counts")
    def data_counts_table(self, obj):
        return _json_table(obj.data_counts)

    @admin.display(description="parameters")
    def params_table(self, obj):
        """The settings it trained with; the triggers that queued it as the check measured them."""
        params = dict(obj.params or {})
        triggers = params.pop("triggers", None)
        if not triggers:
            return _json_table(params)
        return format_html("{}<p>triggers that queued it:</p>{}", _json_table(params), _triggers_panel(triggers, ()))

    @admin.display(description="promotion decisions")
    def promotion_decisions_list(self, obj):
        decisions = obj.promotion_decisions.select_related("candidate").order_by("-created_at")
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} {}: {}",
                (
                    (
                        _link(d, f"{d.created_at:%Y-%m-%d %H:%M}"),
                        _outcome_badge(d.outcome, d.get_outcome_display()),
                        d.detail,
                    )
                    for d in decisions
                ),
            )
            or "-"
        )

    @admin.display(description="retraining check")
    def retraining_checks_list(self, obj):
        checks = obj.retraining_checks.order_by("-checked_at")
        return (
            format_html_join(
                mark_safe("<br>"),
                "{} ({})",
                ((_link(c, f"check of {c.checked_at:%Y-%m-%d %H:%M}"), ", ".join(c.fired) or "-") for c in checks),
            )
            or "-"
        )

    @admin.display(description="error")
    def error_text(self, obj):
        """A failed run's error and traceback as written, preformatted so the traceback reads as one."""
        if not obj.error:
            return "-"
        return format_html('<pre style="white-space:pre-wrap;max-height:40em;overflow:auto">{}</pre>', obj.error)


@admin.register(RetrainingCheck)
class RetrainingCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every evaluation of the retraining triggers, fired or not, with each trigger's numbers: why a training was
    queued, or why not. Written by ``models_registry.services.retraining``; read-only."""

    list_display = ("checked_at", "model_name", "scheduled", "fired_display", "outcome", "run_link")
    list_filter = ("outcome", "scheduled", "model_name")
    search_fields = ("model_name", "outcome_detail")
    ordering = ("-checked_at",)
    list_select_related = ("training_run",)
    date_hierarchy = "checked_at"
    show_full_result_count = False
    fields = (
        "model_name",
        "checked_at",
        "scheduled",
        "fired_display",
        "outcome",
        "outcome_detail",
        "run_link",
        "triggers_panel",
    )
    readonly_fields = fields

    @admin.display(description="fired")
    def fired_display(self, obj):
        return ", ".join(name.replace("_", " ") for name in obj.fired or ()) or "—"

    @admin.display(description="training run")
    def run_link(self, obj):
        run = obj.training_run
        return _link(run, f"{run.status} run of {run.created_at:%Y-%m-%d %H:%M}" if run else None)

    @admin.display(description="triggers")
    def triggers_panel(self, obj):
        return _triggers_panel(obj.details, obj.fired)


@admin.register(PromotionDecision)
class PromotionDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The promotion gate's decisions with the numbers they were made on: per evaluation set both versions' metric,
    the margin and floor; on the held-out decisions both accuracies with their 95% intervals, the discordant counts
    and McNemar's p-value. Written by ``models_registry.services.promotion``; read-only."""

    list_display = (
        "created_at",
        "candidate_link",
        "active_link",
        "outcome_badge",
        "short_detail",
        "decided_by",
        "run_link",
    )
    list_filter = ("outcome", "candidate__name")
    search_fields = ("detail", "candidate__name")
    ordering = ("-created_at",)
    list_select_related = ("candidate", "active", "training_run", "decided_by")
    show_full_result_count = False
    fields = (
        "created_at",
        "candidate_link",
        "active_link",
        "outcome_badge",
        "detail",
        "decided_by",
        "run_link",
        "sets_table",
        "decisions_table",
        "measured_at",
    )
    readonly_fields = fields

    @admin.display(description="candidate", ordering="candidate__version")
    def candidate_link(self, obj):
        return _link(obj.candidate)

    @admin.display(description="compared with", ordering="active__version")
    def active_link(self, obj):
        return _link(obj.active) if obj.active_id else "- (none active)"

    @admin.display(description="outcome", ordering="outcome")
    def outcome_badge(self, obj):
        return _outcome_badge(obj.outcome, obj.get_outcome_display())

    @admin.display(description="detail")
    def short_detail(self, obj):
        return _shorten(obj.detail)

    @admin.display(description="training run")
    def run_link(self, obj):
        run = obj.training_run
        return _link(run, f"run of {run.created_at:%Y-%m-%d %H:%M} ({run.trigger})" if run else None)

    @admin.display(description="measured at")
    def measured_at(self, obj):
        return (obj.numbers or {}).get("measured_at") or "-"

    @admin.display(description="evaluation sets")
    def sets_table(self, obj):
        """One row per frozen evaluation set: both versions' metric on it, the difference, the margin and floor."""
        numbers = obj.numbers or {}
        sets = numbers.get("sets") or {}
        if not sets:
            return "no evaluation set compared" if numbers else "nothing compared (no version was active)"

        def number(value) -> str:
            return "-" if value is None else f"{value:.4f}"

        def verdict(row) -> str:
            if row.get("below_floor"):
                return format_html('<strong style="color:#ba2121">{}</strong>', "below floor")
            if row.get("worse"):
                return format_html('<strong style="color:#ba2121">{}</strong>', "worse")
            return "ok"

        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    name,
                    row.get("metric", "-"),
                    _json_display(row.get("n")),
                    number(row.get("candidate")),
                    number(row.get("active")),
                    "-" if row.get("delta") is None else f"{row['delta']:+.4f}",
                    number(row.get("margin")),
                    number(row.get("floor")),
                    verdict(row),
                )
                for name, row in sorted(sets.items())
            ),
        )
        return format_html(
            '<table class="metrics"><thead><tr><th>set</th><th>metric</th><th>n</th><th>candidate {}</th>'
            "<th>active {}</th><th>delta</th><th>margin</th><th>floor</th><th>verdict</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            numbers.get("candidate", ""),
            numbers.get("active", ""),
            rows,
        )

    @admin.display(description="held-out decisions")
    def decisions_table(self, obj):
        """The paired comparison on the held-out audit decisions: n, each version's accuracy with its Wilson 95%
        interval, the discordant counts b / c, McNemar's exact p-value against alpha, and the two verdicts."""
        numbers = obj.numbers or {}
        d = numbers.get("decisions")
        if not d:
            return "-"

        def accuracy(values: dict) -> str:
            if not values or values.get("accuracy") is None:
                return "- (no decisions)"
            return (
                f"{values['accuracy']:.1%} (95% interval {values['low']:.1%}\u2013{values['high']:.1%}; "
                f"{values['correct']:,} of {values['n']:,} right)"
            )

        rows = (
            ("held-out decisions (n)", f"{d.get('n', 0):,} (at least {d.get('min_n', 0):,} needed)"),
            (f"candidate {numbers.get('candidate', '')} right", accuracy(d.get("candidate") or {})),
            (f"active {numbers.get('active', '')} right", accuracy(d.get("active") or {})),
            ("only the candidate right (b)", f"{d.get('only_candidate_right', 0):,}"),
            ("only the active version right (c)", f"{d.get('only_active_right', 0):,}"),
            ("test", d.get("test", "-")),
            ("p-value", "-" if d.get("p_value") is None else f"{d['p_value']:.4g}"),
            ("alpha", _json_display(d.get("alpha"))),
            ("enough decisions", _json_display(d.get("enough"))),
            ("shown better", _json_display(d.get("better"))),
        )
        return format_html(
            '<table class="metrics">{}</table>', format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows)
        )


class AlertStateListFilter(admin.SimpleListFilter):
    """Open alerts by default: the changelist is a to-do list; resolved ones are one click away."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("open", "Open"),
            ("unacknowledged", "Open, not acknowledged"),
            ("resolved", "Resolved"),
            ("all", "All"),
        ]

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(resolved_at__isnull=True)
        if value == "unacknowledged":
            return queryset.filter(resolved_at__isnull=True, acknowledged_at__isnull=True)
        if value == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset

    def choices(self, changelist):
        # no "All" link from Django: "all" is a lookup of its own, and no parameter means "open"
        value = self.value() or "open"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Alerts as monitoring raised them: staff acknowledge them (and close the ones that do not close themselves,
    such as a failed training); the rows are otherwise written by the alert services only."""

    list_display = (
        "severity_badge",
        "kind",
        "subject",
        "count",
        "first_seen_at",
        "last_seen_at",
        "resolved",
        "acknowledged",
        "delivery_state",
    )
    list_filter = (AlertStateListFilter, "kind", "severity", "model_name")
    search_fields = ("subject", "key", "model_name")
    ordering = ("-last_seen_at",)
    list_select_related = ("acknowledged_by",)
    show_full_result_count = False
    actions = ("acknowledge", "resolve")
    fields = (
        "severity",
        "kind",
        "subject",
        "model_name",
        "key",
        "details_table",
        "count",
        "first_seen_at",
        "last_seen_at",
        "notified_at",
        "delivery_table",
        "resolved_at",
        "acknowledged_by",
        "acknowledged_at",
    )
    readonly_fields = fields

    def has_change_permission(self, request, obj=None) -> bool:
        # Rows change only through the actions (acknowledge, resolve), which need the change permission on the
        # changelist; one alert's page stays view-only.
        return obj is None and request.user.has_perm("models_registry.change_alert")

    @admin.display(description="severity", ordering="severity")
    def severity_badge(self, obj):
        color = "#ba2121" if obj.severity == Alert.Severity.CRITICAL else "#b36b00"
        return format_html('<strong style="color: {}">{}</strong>', color, obj.get_severity_display())

    @admin.display(description="resolved", ordering="resolved_at")
    def resolved(self, obj):
        return obj.resolved_at.strftime("%Y-%m-%d %H:%M") if obj.resolved_at else "-"

    @admin.display(description="acknowledged", ordering="acknowledged_at")
    def acknowledged(self, obj):
        if obj.acknowledged_at is None:
            return "-"
        return f"{obj.acknowledged_by} at {obj.acknowledged_at:%Y-%m-%d %H:%M}"

    @admin.display(description="sent")
    def delivery_state(self, obj):
        return obj.delivery.get("state", "-")

    @admin.display(description="details")
    def details_table(self, obj):
        return _key_value_table(obj.details)

    @admin.display(description="delivery")
    def delivery_table(self, obj):
        rows = {
            key: ", ".join(f"{k}: {v}" for k, v in value.items()) if isinstance(value, dict) else value
            for key, value in obj.delivery.items()
        }
        return _key_value_table(rows)

    @admin.action(description="Acknowledge the selected alerts", permissions=["change"])
    def acknowledge(self, request, queryset):
        count = 0
        for alert in queryset.filter(acknowledged_at__isnull=True):
            alert_acknowledge(alert=alert, user=request.user)
            count += 1
        self.message_user(request, f"{count} alert{'s' if count != 1 else ''} acknowledged.", messages.SUCCESS)

    @admin.action(description="Mark the selected alerts resolved", permissions=["change"])
    def resolve(self, request, queryset):
        count = 0
        for key in queryset.filter(resolved_at__isnull=True).values_list("key", flat=True):
            count += alert_resolve(key=key) is not None
        self.message_user(request, f"{count} alert{'s' if count != 1 else ''} resolved.", messages.SUCCESS)


def _key_value_table(values: dict) -> str:
    """A JSON object as a two-column table people can read (numbers, reasons, errors), not a JSON dump."""
    if not values:
        return "-"
    rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", ((key, value) for key, value in values.items()))
    return format_html("<table>{}</table>", rows)


@admin.register(MonitoringThreshold)
class MonitoringThresholdAdmin(admin.ModelAdmin):
    """What counts as a problem, per model name: admins edit it here, monitoring reads it through
    ``models_registry.monitoring.performance.threshold_get`` (a model name without a row uses the defaults).

    Editable, unlike the measured rows around it: the check constraints (floors in 0..1, alert lines at or above
    warn lines) are validated by the form's ``full_clean`` before saving."""

    list_display = (
        "model_name",
        "accuracy_min",
        "precision_min",
        "recall_min",
        "min_audit_n",
        "psi_warn",
        "psi_alert",
        "js_warn",
        "js_alert",
        "ks_p_alert",
        "drift_share_alert",
        "alert_cooldown_minutes",
        "updated_at",
    )
    list_filter = ("model_name", "updated_at")
    search_fields = ("model_name",)
    ordering = ("model_name",)
    readonly_fields = ("created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("model_name",)}),
        (
            "Performance (audit slice only; a breach needs the whole 95% interval below the floor)",
            {"fields": ("accuracy_min", "precision_min", "recall_min", "min_audit_n")},
        ),
        ("Drift", {"fields": ("psi_warn", "psi_alert", "js_warn", "js_alert", "ks_p_alert", "drift_share_alert")}),
        ("Alerts", {"fields": ("alert_cooldown_minutes", "created_at", "updated_at")}),
    )


@admin.register(MonitoringJobRun)
class MonitoringJobRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Runs of the scheduled monitoring jobs: when each ran, how long it took, what it wrote or why it failed."""

    list_display = ("job", "status", "started_at", "duration", "finished_at")
    list_filter = ("job", "status")
    search_fields = ("job", "error")
    ordering = ("-started_at",)
    show_full_result_count = False
    fields = ("job", "status", "started_at", "finished_at", "duration", "summary", "error")
    readonly_fields = fields

    @admin.display(description="duration (ms)", ordering="duration_ms")
    def duration(self, obj):
        return "-" if obj.duration_ms is None else f"{obj.duration_ms:,.0f}"
