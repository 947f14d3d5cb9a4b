from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsAdminRole
from legalname.common.filters import filterset_parameters
from legalname.common.pagination import LimitOffsetPagination, get_paginated_response
from models_registry.filters import ModelVersionFilter
from models_registry.models import ModelVersion
from models_registry.selectors import model_metric_summary, model_version_get, model_version_with_metric_rows_list
from models_registry.services.deployment import model_version_activate, model_version_rollback


class ModelVersionOutputSerializer(serializers.ModelSerializer):
    """A version as every model endpoint returns it (shared, hence not nested in one view)."""

    metrics = serializers.SerializerMethodField(
        help_text="metrics measured at training, per evaluation set ({set: {metric: value}}, n included; "
        "train_seconds under 'training')"
    )

    class Meta:
        model = ModelVersion
        ref_name = "ModelVersion"
        fields = [
            "id",
            "name",
            "version",
            "is_active",
            "status",
            "threshold",
            "feature_version",
            "model_uri",
            "mlflow_run_id",
            "metrics",
            "activated_at",
            "created_at",
        ]

    def get_metrics(self, obj) -> dict[str, dict[str, float]]:
        # From the prefetched ModelMetric rows (model_version_with_metric_rows_list): no query per version.
        return model_metric_summary(obj.metric_rows.all())


class ModelVersionListApi(APIView):
    """Registered versions of every model name, newest first, with their metrics and the active flag."""

    class Pagination(LimitOffsetPagination):
        default_limit = 50

    OutputSerializer = ModelVersionOutputSerializer

    # Also read by drf-spectacular, which then documents the limit/offset envelope of the response.
    pagination_class = Pagination

    @extend_schema(
        parameters=filterset_parameters(ModelVersionFilter), responses={200: ModelVersionOutputSerializer(many=True)}
    )
    def get(self, request):
        return get_paginated_response(
            pagination_class=self.Pagination,
            serializer_class=self.OutputSerializer,
            queryset=model_version_with_metric_rows_list(filters=request.query_params),
            request=request,
            view=self,
        )


class ModelVersionActivateApi(APIView):
    """Make a version the active one of its model name (admin role). Every process serves it within seconds."""

    permission_classes = [IsAdminRole]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ModelVersionActivateInput"

        reason = serializers.CharField(required=False, allow_blank=True, max_length=1000, default="")

    OutputSerializer = ModelVersionOutputSerializer

    @extend_schema(request=InputSerializer, responses={200: ModelVersionOutputSerializer})
    def post(self, request, version_id):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = model_version_get(version_id=version_id)
        if version is None:
            raise NotFound("No such model version.")
        version = model_version_activate(
            model_version=version,
            user=request.user,
            reason=serializer.validated_data["reason"] or "activated through the API",
        )
        version = model_version_with_metric_rows_list().get(pk=version.pk)
        return Response(self.OutputSerializer(version).data)


class ModelVersionRollbackApi(APIView):
    """Go back one step for a model name (admin role): re-activate the most recent version that was active before
    the current one and has not been rolled back from; retired versions and versions that failed to load are
    skipped. A second rollback goes further back (C -> B -> A), never forward to the version just left.

    400 when there is nowhere to go back to (the detail says why); 409 when someone else switched the model
    meanwhile (nothing changed: look again and retry)."""

    permission_classes = [IsAdminRole]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ModelVersionRollbackInput"

        name = serializers.CharField(
            max_length=100,
            help_text="Registered model name to roll back, e.g. legal-name-comparator (each name has its own active "
            "version and its own history).",
        )
        reason = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=1000,
            default="",
            help_text="Why, for the deployment history (who, when, from, to, why).",
        )

    OutputSerializer = ModelVersionOutputSerializer

    @extend_schema(
        request=InputSerializer,
        responses={
            200: OpenApiResponse(ModelVersionOutputSerializer, description="the version now active"),
            400: OpenApiResponse(description="no name given, or nowhere to roll back to (the detail says why)"),
            409: OpenApiResponse(description="someone else switched this model meanwhile; nothing changed"),
        },
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        version = model_version_rollback(
            model_name=data["name"], user=request.user, reason=data["reason"] or "rolled back through the API"
        )
        version = model_version_with_metric_rows_list().get(pk=version.pk)
        return Response(self.OutputSerializer(version).data)
