from django.contrib import admin

from experiments.models import Experiment


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ("name", "model_a", "model_b", "traffic_split", "is_active", "started_at", "ended_at")
    list_filter = ("is_active",)
    search_fields = ("name", "description")
    ordering = ("-created_at",)
    list_select_related = ("model_a", "model_b")
