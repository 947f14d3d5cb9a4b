from django.contrib import admin

from feedback.models import Feedback
from legalname.common.admin import ReadOnlyAdminMixin, decimal_display


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Append-only: a correction is a new row, never an edit or a delete."""

    list_display = ("created_at", "prediction", "user_correction", "user", "processed", "confidence_rounded")
    list_filter = ("user_correction", "processed")
    search_fields = ("feedback_text", "prediction__name1", "prediction__name2", "user__username")
    ordering = ("-created_at",)
    list_select_related = ("prediction", "user")
    raw_id_fields = ("prediction", "user", "training_run")
    show_full_result_count = False
    fields = (
        "prediction",
        "user",
        "user_correction",
        "confidence_rounded",
        "feedback_text",
        "processed",
        "processed_at",
        "training_run",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="analyst's confidence", ordering="confidence_score")
    def confidence_rounded(self, obj):
        return decimal_display(obj.confidence_score, places=2)
