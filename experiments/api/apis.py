from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import CanViewExperiments
from experiments.models import Experiment
from experiments.selectors import experiment_get, experiment_list, experiment_results
from legalname.common.pagination import LimitOffsetPagination, get_paginated_response


class ExperimentOutputSerializer(serializers.ModelSerializer):
    model_a = serializers.SerializerMethodField()
    model_b = serializers.SerializerMethodField()
    status = serializers.CharField(help_text="created, running or stopped")

    class Meta:
        model = Experiment
        ref_name = "Experiment"
        fields = [
            "id",
            "name",
            "description",
            "model_name",
            "model_a",
            "model_b",
            "traffic_split",
            "shadow",
            "minimum_detectable_difference",
            "status",
            "is_active",
            "started_at",
            "ended_at",
            "created_at",
        ]

    @staticmethod
    def _version(version) -> dict:
        return {"id": str(version.pk), "name": version.name, "version": version.version}

    def get_model_a(self, obj) -> dict:
        return self._version(obj.model_a)

    def get_model_b(self, obj) -> dict:
        return self._version(obj.model_b)


class ExperimentListApi(APIView):
    """Every A/B experiment, newest first (read-only; admins create, start and stop them)."""

    permission_classes = [CanViewExperiments]
    pagination_class = LimitOffsetPagination

    @extend_schema(responses={200: ExperimentOutputSerializer(many=True)})
    def get(self, request):
        return get_paginated_response(
            pagination_class=self.pagination_class,
            serializer_class=ExperimentOutputSerializer,
            queryset=experiment_list(),
            request=request,
            view=self,
        )


class RateOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "ExperimentRate"

    value = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(help_text="Wilson 95% interval")
    high = serializers.FloatField()
    successes = serializers.IntegerField()
    n = serializers.IntegerField()


class ExperimentResultsApi(APIView):
    """Every number of one experiment (``experiments.selectors.experiment_results``): per arm n served, subjects and
    latency p50/p95; the sample-ratio check; per population (audit, all_reviews) accuracy, precision and recall with
    Wilson intervals, the difference B - A with Newcombe's interval, the two-proportion test, paired results
    (McNemar exact, agreement); the minimum sample size per arm and the verdict ("not enough data yet" until then)."""

    permission_classes = [CanViewExperiments]

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ExperimentResults"

        class ServingSerializer(serializers.Serializer):
            class Meta:
                ref_name = "ExperimentArmServing"

            variant = serializers.CharField()
            model_version_id = serializers.UUIDField()
            model_label = serializers.CharField()
            n_served = serializers.IntegerField()
            n_subjects = serializers.IntegerField()
            latency_p50_ms = serializers.FloatField(allow_null=True)
            latency_p95_ms = serializers.FloatField(allow_null=True)

        class SampleRatioSerializer(serializers.Serializer):
            class Meta:
                ref_name = "ExperimentSampleRatio"

            n_subjects_a = serializers.IntegerField()
            n_subjects_b = serializers.IntegerField()
            expected_share_b = serializers.FloatField()
            p_value = serializers.FloatField(allow_null=True, help_text="chi-square goodness of fit")
            flagged = serializers.BooleanField(help_text="p < alpha: the assignment is broken")
            alpha = serializers.FloatField()

        class PopulationSerializer(serializers.Serializer):
            class Meta:
                ref_name = "ExperimentPopulationResults"

            class ArmSerializer(serializers.Serializer):
                class Meta:
                    ref_name = "ExperimentArmQuality"

                variant = serializers.CharField()
                n_reviewed = serializers.IntegerField()
                accuracy = RateOutputSerializer()
                precision = RateOutputSerializer()
                recall = RateOutputSerializer()

            class PairedSerializer(serializers.Serializer):
                class Meta:
                    ref_name = "ExperimentPaired"

                n = serializers.IntegerField()
                both_right = serializers.IntegerField()
                a_only_right = serializers.IntegerField()
                b_only_right = serializers.IntegerField()
                both_wrong = serializers.IntegerField()
                agreement = RateOutputSerializer()
                mcnemar_p_value = serializers.FloatField(allow_null=True)

            population = serializers.CharField()
            arms = ArmSerializer(many=True)
            accuracy_difference = serializers.FloatField(allow_null=True, help_text="B - A")
            accuracy_difference_low = serializers.FloatField()
            accuracy_difference_high = serializers.FloatField()
            difference_interval_method = serializers.CharField()
            two_proportion_p_value = serializers.FloatField(allow_null=True)
            paired = PairedSerializer()

        experiment_id = serializers.UUIDField()
        status = serializers.CharField()
        serving = ServingSerializer(many=True)
        sample_ratio = SampleRatioSerializer()
        minimum_detectable_difference = serializers.FloatField()
        minimum_sample_size_per_arm = serializers.IntegerField()
        populations = serializers.DictField(child=PopulationSerializer(), help_text="audit and all_reviews")
        verdict = serializers.CharField()
        verdict_population = serializers.CharField()
        verdict_test = serializers.CharField()
        verdict_p_value = serializers.FloatField(allow_null=True)
        alpha = serializers.FloatField()
        power = serializers.FloatField()
        notes = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request, experiment_id):
        experiment = experiment_get(experiment_id=experiment_id)
        if experiment is None:
            raise NotFound(f"No experiment with id {experiment_id}.")
        return Response(self.OutputSerializer(experiment_results(experiment=experiment).as_dict()).data)
