from django.urls import path

from comparisons.api.apis import ComparisonBatchCreateApi, ComparisonCreateApi, PredictionDetailApi, PredictionListApi

urlpatterns = [
    path("comparisons/", ComparisonCreateApi.as_view(), name="comparison-create"),
    path("comparisons/batch/", ComparisonBatchCreateApi.as_view(), name="comparison-batch-create"),
    path("predictions/", PredictionListApi.as_view(), name="prediction-list"),
    path("predictions/<uuid:prediction_id>/", PredictionDetailApi.as_view(), name="prediction-detail"),
]
