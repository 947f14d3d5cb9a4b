from django.contrib import admin

from comparisons.models import BatchJob, Prediction


@admin.register(Prediction)
class PredictionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "name1", "name2", "verdict", "confidence", "model_version", "user", "source", "latency_ms")
    list_filter = ("material", "source", "model_version")
    search_fields = ("name1", "name2", "reference")
    ordering = ("-created_at",)
    list_select_related = ("model_version", "user")
    raw_id_fields = ("user", "model_version", "experiment")
    show_full_result_count = False
    list_per_page = 50

    @admin.display(description="verdict", ordering="material")
    def verdict(self, obj):
        return obj.verdict

    # Predictions are evidence: read-only here, and never deleted.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(BatchJob)
class BatchJobAdmin(admin.ModelAdmin):
    """Uploaded batches: staff see progress, failures and who uploaded what (read-only: the task owns the rows)."""

    list_display = ("created_at", "user", "filename", "status", "done", "total", "finished_at")
    list_filter = ("status",)
    search_fields = ("filename", "user__username", "error")
    ordering = ("-created_at",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    exclude = ("pairs",)
    readonly_fields = ("user", "filename", "status", "total", "done", "error", "started_at", "finished_at")

    def has_add_permission(self, request):
        return False
