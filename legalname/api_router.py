"""Every API route under /api/v1/, one include per app."""

from django.urls import include, path
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

urlpatterns = [
    path("auth/token/", TokenObtainPairView.as_view(), name="token-obtain"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
    path("", include("comparisons.api.urls")),
    path("", include("feedback.api.urls")),
    path("", include("models_registry.api.urls")),
    path("", include("experiments.api.urls")),
]
