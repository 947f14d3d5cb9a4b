"""The project's URLs plus one API view that fails, to see what a client gets from an unhandled exception."""

from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from legalname.urls import urlpatterns as project_urlpatterns


class FailingApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("a bug")


def failing_plain_view(request):
    raise RuntimeError("a bug outside DRF")


urlpatterns = [
    path("api/v1/failing/", FailingApi.as_view()),
    path("api/v1/failing-plain/", failing_plain_view),
    *project_urlpatterns,
]
