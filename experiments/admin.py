"""Experiments in the control room: created through the form (checked by the service's rules), started and stopped
by actions that go through ``experiments.services`` (one running experiment per model name; a refusal is a message,
never a 500). What a started experiment measures is read-only. The results report and promoting the winner are not
here yet (issue 12, item 4)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from experiments.models import FROZEN_ONCE_STARTED, Experiment
from experiments.services import experiment_arms_check, experiment_create, experiment_start, experiment_stop
from legalname.common.exceptions import ApplicationError


class ExperimentForm(forms.ModelForm):
    class Meta:
        model = Experiment
        fields = (
            "name",
            "description",
            "model_a",
            "model_b",
            "traffic_split",
            "shadow",
            "minimum_detectable_difference",
        )

    def clean(self) -> dict:
        data = super().clean() or {}
        model_a, model_b = data.get("model_a"), data.get("model_b")
        split, mdd = data.get("traffic_split"), data.get("minimum_detectable_difference")
        if model_a and model_b and split is not None and mdd is not None:
            try:
                experiment_arms_check(model_a=model_a, model_b=model_b, traffic_split=split, mdd=mdd)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field, errors)
            else:
                self.instance.model_name = model_a.name
        return data


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    form = ExperimentForm
    list_display = (
        "name",
        "model_name",
        "model_a",
        "model_b",
        "traffic_split",
        "shadow",
        "is_active",
        "started_at",
        "ended_at",
    )
    list_filter = ("is_active", "model_name")
    search_fields = ("name", "description")
    ordering = ("-created_at",)
    list_select_related = ("model_a", "model_b")
    actions = ("start_experiments", "stop_experiments")

    def get_fields(self, request, obj=None):
        fields = list(ExperimentForm.Meta.fields)
        return fields if obj is None else [*fields, "model_name", "is_active", "started_at", "ended_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        status = ("model_name", "is_active", "started_at", "ended_at")
        return (*status, *FROZEN_ONCE_STARTED) if obj.started_at else status

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = experiment_create(
            name=obj.name,
            description=obj.description,
            model_a=obj.model_a,
            model_b=obj.model_b,
            traffic_split=obj.traffic_split,
            shadow=obj.shadow,
            minimum_detectable_difference=obj.minimum_detectable_difference,
        )
        obj.pk, obj._state.adding = created.pk, False

    def _each(self, request, queryset, service, done: str) -> None:
        for experiment in queryset:
            try:
                service(experiment=experiment)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, f"{experiment.name}: {done}", messages.SUCCESS)

    @admin.action(description="Start the selected experiments (route comparisons to their arms)")
    def start_experiments(self, request, queryset):
        self._each(request, queryset, experiment_start, "started")

    @admin.action(description="Stop the selected experiments (comparisons go back to the active version)")
    def stop_experiments(self, request, queryset):
        self._each(request, queryset, experiment_stop, "stopped")
