from django.contrib import admin
from django.utils.html import format_html, format_html_join

from comparisons.engine.explain import Reason
from comparisons.models import BatchJob, Prediction
from legalname.common.admin import ReadOnlyAdminMixin, decimal_display


@admin.register(Prediction)
class PredictionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Predictions are evidence: read-only here, and never deleted."""

    list_display = (
        "created_at",
        "name1",
        "name2",
        "verdict",
        "confidence_rounded",
        "model_version",
        "user",
        "source",
        "latency",
    )
    list_filter = ("material", "source", "model_version")
    search_fields = ("name1", "name2", "reference")
    ordering = ("-created_at",)
    list_select_related = ("model_version", "user")
    raw_id_fields = ("user", "model_version", "experiment")
    show_full_result_count = False
    list_per_page = 50
    fields = (
        "name1",
        "name2",
        "normalized1",
        "normalized2",
        "verdict",
        "probability_rounded",
        "confidence_rounded",
        "reasons_display",
        "model_version",
        "user",
        "source",
        "reference",
        "batch",
        "experiment",
        "variant",
        "latency",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="verdict", ordering="material")
    def verdict(self, obj):
        return obj.verdict

    @admin.display(description="reasons")
    def reasons_display(self, obj):
        """Each reason's sentence with its kind, as a list (not the stored JSON)."""
        if not obj.reasons:
            return "-"
        items = format_html_join(
            "",
            '<li>{} <span class="quiet">({})</span></li>',
            ((r.text, r.kind) for r in map(Reason.from_dict, obj.reasons)),
        )
        return format_html('<ul class="reasons">{}</ul>', items)

    @admin.display(description="probability material", ordering="probability_material")
    def probability_rounded(self, obj):
        return decimal_display(obj.probability_material)

    @admin.display(description="confidence", ordering="confidence")
    def confidence_rounded(self, obj):
        return decimal_display(obj.confidence)

    @admin.display(description="latency (ms)", ordering="latency_ms")
    def latency(self, obj):
        return decimal_display(obj.latency_ms, places=1)


@admin.register(BatchJob)
class BatchJobAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Uploaded batches: staff see progress, failures and who uploaded what (read-only: the task owns the rows)."""

    list_display = ("created_at", "user", "filename", "status", "done", "total", "finished_at")
    list_filter = ("status",)
    search_fields = ("filename", "user__username", "error")
    ordering = ("-created_at",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    exclude = ("pairs",)
    readonly_fields = ("user", "filename", "status", "total", "done", "error", "started_at", "finished_at")
