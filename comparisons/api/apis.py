from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from comparisons.models import Prediction
from comparisons.selectors import prediction_get, prediction_list
from comparisons.services import prediction_create, prediction_create_many
from legalname.common.fields import NameField, ReferenceField
from legalname.common.filters import filter_params
from legalname.common.pagination import LimitOffsetPagination, get_paginated_response
from legalname.common.permissions import CanViewPredictions, IsAnalyst

MAX_BATCH = 1000


class PredictionOutputSerializer(serializers.ModelSerializer):
    normalized = serializers.SerializerMethodField()
    model_version = serializers.SerializerMethodField()
    user = serializers.CharField(source="user.username")
    verdict = serializers.CharField()

    class Meta:
        model = Prediction
        fields = ["id", "name1", "name2", "material", "verdict", "probability_material", "confidence", "reasons",
                  "normalized", "model_version", "user", "source", "reference", "latency_ms", "variant", "created_at"]

    def get_normalized(self, obj) -> dict:
        return {"name1": obj.normalized1, "name2": obj.normalized2}

    def get_model_version(self, obj) -> dict:
        return {"id": str(obj.model_version_id), "name": obj.model_version.name, "version": obj.model_version.version}


class ComparisonCreateApi(APIView):
    permission_classes = [IsAnalyst]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ComparisonCreateInput"

        name1 = NameField()
        name2 = NameField()
        model = serializers.CharField(required=False, max_length=100, help_text="registered model name (optional)")

    @extend_schema(request=InputSerializer, responses={201: PredictionOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        prediction = prediction_create(
            user=request.user, name1=data["name1"], name2=data["name2"], source=Prediction.Source.API,
            model_name=data.get("model") or None,
        )
        prediction = prediction_get(prediction_id=prediction.pk)
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

        pairs = PairSerializer(many=True, allow_empty=False, max_length=MAX_BATCH)
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
            user=request.user, pairs=data["pairs"], source=Prediction.Source.API,
            model_name=data.get("model") or None,
        )
        body = {"count": len(predictions), "results": predictions}
        return Response(self.OutputSerializer(body).data, status=status.HTTP_201_CREATED)


class PredictionListApi(APIView):
    permission_classes = [CanViewPredictions]

    class FilterSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PredictionListFilter"

        created_after = serializers.DateTimeField(required=False)
        created_before = serializers.DateTimeField(required=False)
        date_from = serializers.DateField(required=False)
        date_to = serializers.DateField(required=False)
        material = serializers.BooleanField(required=False, allow_null=True, default=None)
        model_version = serializers.UUIDField(required=False)
        user = serializers.CharField(required=False)
        source = serializers.ChoiceField(choices=Prediction.Source.choices, required=False)
        reviewed = serializers.BooleanField(required=False, allow_null=True, default=None)

    @extend_schema(parameters=[FilterSerializer], responses={200: PredictionOutputSerializer(many=True)})
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = prediction_list(filters=filter_params(filters.validated_data))
        return get_paginated_response(
            pagination_class=LimitOffsetPagination, serializer_class=PredictionOutputSerializer, queryset=qs,
            request=request, view=self,
        )


class PredictionDetailApi(APIView):
    permission_classes = [CanViewPredictions]

    @extend_schema(responses={200: PredictionOutputSerializer})
    def get(self, request, prediction_id):
        prediction = prediction_get(prediction_id=prediction_id)
        if prediction is None:
            raise NotFound(f"No prediction with id {prediction_id}.")
        return Response(PredictionOutputSerializer(prediction).data)


