"""One DRF exception handler: ApplicationError and Django's ValidationError become JSON, never a 500."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from legalname.common.exceptions import ApplicationError


def drf_exception_handler(exc: Exception, ctx: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, "errors": exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, ctx)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        # Always {"detail": ..., "errors": {field: [messages]}} so clients find the field by name.
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": "Invalid input.", "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": response.data["detail"], "errors": {}}
    return response
