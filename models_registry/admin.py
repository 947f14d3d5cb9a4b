from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html

from models_registry.models import ModelDeployment, ModelMetric, ModelVersion, TrainingRun


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


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "active_badge", "status", "threshold", "metrics_summary", "n_predictions", "created_at")
    list_filter = (ActiveListFilter, "status", "name")
    search_fields = ("name", "model_uri", "mlflow_run_id")
    ordering = ("name", "-version")
    readonly_fields = ("id", "created_at", "updated_at", "activated_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_n_predictions=Count("predictions"))

    @admin.display(description="active", boolean=True, ordering="is_active")
    def active_badge(self, obj):
        return obj.is_active

    @admin.display(description="predictions", ordering="_n_predictions")
    def n_predictions(self, obj):
        return obj._n_predictions

    @admin.display(description="metrics")
    def metrics_summary(self, obj):
        parts = []
        for dataset in ("validation", "golden", "dev"):
            values = (obj.metrics or {}).get(dataset) or {}
            if values.get("roc_auc") is not None:
                parts.append(f"{dataset}: AUC {values['roc_auc']:.3f} / bAcc {values.get('balanced_accuracy') or 0:.3f}")
        return format_html("<br>".join(["{}"] * len(parts)), *parts) if parts else "-"


@admin.register(ModelMetric)
class ModelMetricAdmin(admin.ModelAdmin):
    list_display = ("model_version", "metric_name", "metric_value", "dataset", "window_start", "window_end", "recorded_at")
    list_filter = ("metric_name", "dataset")
    search_fields = ("metric_name", "model_version__name")
    ordering = ("-recorded_at",)
    list_select_related = ("model_version",)
    raw_id_fields = ("model_version",)
    show_full_result_count = False


@admin.register(ModelDeployment)
class ModelDeploymentAdmin(admin.ModelAdmin):
    list_display = ("created_at", "model_name", "action", "from_version", "to_version", "user", "reason")
    list_filter = ("action", "model_name")
    search_fields = ("reason", "user__username", "model_name")
    ordering = ("-created_at",)
    list_select_related = ("from_version", "to_version", "user")

    # The history is a record: nobody edits or deletes it.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(TrainingRun)
class TrainingRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "model_name", "status", "trigger", "n_pairs", "n_feedback", "duration", "model_version")
    list_filter = ("status", "trigger", "model_name")
    search_fields = ("error", "model_name")
    ordering = ("-created_at",)
    list_select_related = ("model_version",)
    readonly_fields = [f.name for f in TrainingRun._meta.fields]

    @admin.display(description="duration (s)")
    def duration(self, obj):
        seconds = obj.duration_seconds
        return f"{seconds:.1f}" if seconds is not None else "-"

    def has_add_permission(self, request):
        return False
