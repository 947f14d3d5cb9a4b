from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import CanViewPredictions, IsAnalyst
from comparisons.engine.explain import ReasonKind, confidence_band
from comparisons.filters import PredictionFilter
from comparisons.models import Prediction
from comparisons.selectors import prediction_get, prediction_list
from comparisons.services import prediction_create, prediction_create_many
from experiments.routing import SUBJECT_MAX_LENGTH, SUBJECT_PATTERN
from legalname.common.fields import NameField, ReferenceField
from legalname.common.filters import filterset_parameters
from legalname.common.pagination import LimitOffsetPagination, get_paginated_response

MAX_BATCH = 1000


def subject_field() -> serializers.RegexField:
    return serializers.RegexField(
        SUBJECT_PATTERN,
        required=False,
        max_length=SUBJECT_MAX_LENGTH,
        help_text="Your own id of the end user this comparison is for (optional): under a running A/B experiment "
        "each subject always gets the same arm. Default: the authenticated user. Letters, digits and . _ : @ -, "
        f"at most {SUBJECT_MAX_LENGTH} characters.",
        error_messages={"invalid": "Use only letters, digits and . _ : @ - in a subject id."},
    )


class ReasonOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "Reason"

    kind = serializers.ChoiceField(choices=[k.value for k in ReasonKind], help_text="What the reason is about.")
    text = serializers.CharField(help_text="The reason as a sentence for people.")
    left = serializers.ListField(
        child=serializers.CharField(), help_text="Words of the first name it is about (as normalised)."
    )
    right = serializers.ListField(
        child=serializers.CharField(), help_text="Words of the second name it is about (as normalised)."
    )


class PredictionOutputSerializer(serializers.ModelSerializer):
    normalized = serializers.SerializerMethodField()
    model_version = serializers.SerializerMethodField()
    user = serializers.CharField(source="user.username")
    verdict = serializers.CharField(help_text="MATERIAL (can denote different entities) or IMMATERIAL.")
    confidence = serializers.FloatField(
        help_text="How sure the verdict is, 0.5..1: 0.5 = the pair sits on the model's decision threshold, "
        "1 = certain. The one number to show beside the verdict."
    )
    confidence_level = serializers.SerializerMethodField(
        help_text="The confidence in words: borderline (< 0.6), likely (< 0.8), confident (< 0.95), near certain."
    )
    probability_material = serializers.FloatField(
        help_text="The model's calibrated score that the names denote different entities; the verdict is MATERIAL "
        "when it is at or above model_version.threshold. Not the same scale as confidence."
    )
    reasons = ReasonOutputSerializer(many=True)

    class Meta:
        model = Prediction
        fields = [
            "id",
            "name1",
            "name2",
            "material",
            "verdict",
            "confidence",
            "confidence_level",
            "probability_material",
            "reasons",
            "normalized",
            "model_version",
            "user",
            "source",
            "reference",
            "latency_ms",
            "experiment",
            "variant",
            "created_at",
        ]
        extra_kwargs = {
            "experiment": {"help_text": "The A/B experiment that routed this comparison (null when none ran)."},
            "variant": {"help_text": "The experiment's arm that served it: A or B (empty when no experiment ran)."},
        }

    def get_normalized(self, obj) -> dict:
        return {"name1": obj.normalized1, "name2": obj.normalized2}

    def get_confidence_level(self, obj) -> str:
        return confidence_band(obj.confidence)

    @extend_schema_field(
        inline_serializer(
            "PredictionModelVersion",
            {
                "id": serializers.UUIDField(),
                "name": serializers.CharField(),
                "version": serializers.IntegerField(),
                "threshold": serializers.FloatField(help_text="probability_material at or above it is MATERIAL"),
            },
        )
    )
    def get_model_version(self, obj) -> dict:
        mv = obj.model_version
        return {
            "id": str(obj.model_version_id),
            "name": mv.name,
            "version": mv.version,
            "threshold": round(mv.threshold, 4),
        }


class ComparisonCreateApi(APIView):
    permission_classes = [IsAnalyst]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComparisonCreateInput"

        name1 = NameField()
        name2 = NameField()
        model = serializers.CharField(required=False, max_length=100, help_text="registered model name (optional)")
        subject = subject_field()

    @extend_schema(request=InputSerializer, responses={201: PredictionOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        prediction = prediction_create(
            user=request.user,
            name1=data["name1"],
            name2=data["name2"],
            source=Prediction.Source.API,
            model_name=data.get("model") or None,
            subject=data.get("subject") or None,
        )
        # The new row already holds its model version and user: no second read before answering.
        return Response(PredictionOutputSerializer(prediction).data, status=status.HTTP_201_CREATED)


class ComparisonBatchCreateApi(APIView):
    permission_classes = [IsAnalyst]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComparisonBatchCreateInput"

        class PairSerializer(serializers.Serializer):
            class Meta:
                ref_name = "ComparisonBatchCreatePair"

            name1 = NameField()
            name2 = NameField()
            reference = ReferenceField()
            subject = subject_field()

        # many=True makes a ListSerializer, which takes max_length; the stubs type the child's signature instead
        pairs = PairSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)  # type: ignore[call-arg]
        model = serializers.CharField(required=False, max_length=100)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComparisonBatchCreateOutput"

        count = serializers.IntegerField()
        results = PredictionOutputSerializer(many=True)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        predictions = prediction_create_many(
            user=request.user,
            pairs=data["pairs"],
            source=Prediction.Source.API,
            model_name=data.get("model") or None,
        )
        body = {"count": len(predictions), "results": predictions}
        return Response(self.OutputSerializer(body).data, status=status.HTTP_201_CREATED)


class PredictionListApi(APIView):
    permission_classes = [CanViewPredictions]
    pagination_class = LimitOffsetPagination  # also read by drf-spectacular, which documents limit/offset

    @extend_schema(
        parameters=filterset_parameters(PredictionFilter), responses={200: PredictionOutputSerializer(many=True)}
    )
    def get(self, request):
        return get_paginated_response(
            pagination_class=self.pagination_class,
            serializer_class=PredictionOutputSerializer,
            queryset=prediction_list(filters=request.query_params),
            request=request,
            view=self,
        )


class PredictionDetailApi(APIView):
    permission_classes = [CanViewPredictions]

    @extend_schema(responses={200: PredictionOutputSerializer})
    def get(self, request, prediction_id):
        prediction = prediction_get(prediction_id=prediction_id)
        if prediction is None:
            raise NotFound(f"No prediction with id {prediction_id}.")
        return Response(PredictionOutputSerializer(prediction).data)
