from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import CanViewFeedback, IsAnalyst
from comparisons.selectors import prediction_get
from feedback.filters import FeedbackFilter
from feedback.models import Feedback
from feedback.selectors import feedback_list
from feedback.services import feedback_create
from legalname.common.filters import filterset_parameters
from legalname.common.pagination import LimitOffsetPagination, get_paginated_response


class FeedbackOutputSerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")
    agrees_with_model = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "prediction",
            "user",
            "user_correction",
            "agrees_with_model",
            "confidence_score",
            "feedback_text",
            "processed",
            "created_at",
        ]

    def get_agrees_with_model(self, obj) -> bool:
        return obj.user_correction == obj.prediction.material


class FeedbackCreateApi(APIView):
    permission_classes = [IsAnalyst]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FeedbackCreateInput"

        prediction = serializers.UUIDField()
        user_correction = serializers.BooleanField(help_text="The verdict you say is right: true = MATERIAL")
        feedback_text = serializers.CharField(required=False, allow_blank=True, max_length=2000)
        confidence_score = serializers.FloatField(required=False, min_value=0, max_value=1, allow_null=True)

        def validate_prediction(self, value):
            prediction = prediction_get(prediction_id=value)
            if prediction is None:
                raise serializers.ValidationError(f"No prediction with id {value}.")
            return prediction

    @extend_schema(request=InputSerializer, responses={201: FeedbackOutputSerializer})
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feedback = feedback_create(user=request.user, **serializer.validated_data)
        return Response(FeedbackOutputSerializer(feedback).data, status=status.HTTP_201_CREATED)


class FeedbackListApi(APIView):
    permission_classes = [CanViewFeedback]  # analysts, managers and admins
    pagination_class = LimitOffsetPagination  # also read by drf-spectacular, which documents limit/offset

    @extend_schema(
        parameters=filterset_parameters(FeedbackFilter), responses={200: FeedbackOutputSerializer(many=True)}
    )
    def get(self, request):
        return get_paginated_response(
            pagination_class=self.pagination_class,
            serializer_class=FeedbackOutputSerializer,
            queryset=feedback_list(filters=request.query_params),
            request=request,
            view=self,
        )


class FeedbackListCreateApi(FeedbackCreateApi, FeedbackListApi):
    """GET lists, POST records a decision, on the same URL; each method keeps its own permission."""

    def get_permissions(self):
        view = FeedbackListApi if self.request.method in ("GET", "HEAD", "OPTIONS") else FeedbackCreateApi
        return [permission() for permission in view.permission_classes]
