from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from legalname import health
from legalname.common.metrics import metrics_view
from models_registry.monitoring import prometheus

admin.site.site_header = "LegalName control room"
admin.site.site_title = "LegalName"

urlpatterns = [
    path("health", health.health, name="health"),
    path("ready", health.ready, name="ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("legalname.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    # django-prometheus' request metrics, ours, and the monitoring gauges read at scrape time; token/network guarded
    path("metrics", metrics_view, {"registries": (prometheus.registry,)}, name="prometheus-django-metrics"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("feedback.urls")),
    path("analytics/", include("analytics.urls")),
    path("", include("comparisons.urls")),
]
