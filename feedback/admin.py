from django.contrib import admin

from feedback.models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("created_at", "prediction", "user_correction", "user", "processed", "confidence_score")
    list_filter = ("user_correction", "processed")
    search_fields = ("feedback_text", "prediction__name1", "prediction__name2", "user__username")
    ordering = ("-created_at",)
    list_select_related = ("prediction", "user")
    raw_id_fields = ("prediction", "user", "training_run")
    show_full_result_count = False

    # Append-only: a correction is a new row, never an edit or a delete.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
