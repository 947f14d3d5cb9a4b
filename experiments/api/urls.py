from django.urls import path

from experiments.api.apis import ExperimentListApi, ExperimentResultsApi

urlpatterns = [
    path("experiments/", ExperimentListApi.as_view(), name="experiment-list"),
    path("experiments/<uuid:experiment_id>/results/", ExperimentResultsApi.as_view(), name="experiment-results"),
]
