from django.urls import path

from models_registry.api.apis import ModelVersionActivateApi, ModelVersionListApi, ModelVersionRollbackApi

urlpatterns = [
    path("models/", ModelVersionListApi.as_view(), name="model-version-list"),
    path("models/rollback/", ModelVersionRollbackApi.as_view(), name="model-version-rollback"),
    path("models/<uuid:version_id>/activate/", ModelVersionActivateApi.as_view(), name="model-version-activate"),
]
