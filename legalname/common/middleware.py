from collections.abc import Callable
from http import HTTPStatus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions


class ApiRequestSizeLimitMiddleware:
    """Refuse oversized API bodies before anything parses them (DRF's JSON parser reads the whole body and does
    not apply DATA_UPLOAD_MAX_MEMORY_SIZE). A batch of 1,000 pairs of 500-character names is about 1 MB."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            limit = settings.LEGALNAME_API_MAX_BODY_BYTES
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return JsonResponse({"detail": "Invalid Content-Length header.", "errors": {}}, status=400)
            if length > limit:
                return JsonResponse(
                    {"detail": f"Request body too large: {length} bytes, the limit is {limit}.", "errors": {}},
                    status=413,
                )
        return self.get_response(request)


# The detail each status carries, worded as DRF's own exceptions word it, so a client sees one vocabulary.
_API_ERROR_DETAIL = {
    400: exceptions.ParseError.default_detail,
    401: exceptions.NotAuthenticated.default_detail,
    403: exceptions.PermissionDenied.default_detail,
    404: exceptions.NotFound.default_detail,
    405: "Method not allowed.",
    500: exceptions.APIException.default_detail,
}


class ApiJsonErrorMiddleware:
    """Every error under ``/api/`` is JSON in the shape the DRF exception handler uses (``{"detail", "errors"}``),
    in every setting.

    DRF views already answer JSON; what is left are the errors Django renders itself: an unmatched URL or a
    malformed id (the URL pattern does not match), an exception that escapes a view, a refused host. With
    DEBUG=True Django answers those with its HTML technical pages (``handler404``/``handler500`` are not used),
    and the 404 page lists every URL of the site. The response is replaced after Django has built it, so the
    exception has already been logged and ``got_request_exception`` sent (Sentry, ADMINS mail) as usual; the
    traceback is in the log, not in the response.

    It sits near the top of MIDDLEWARE so that errors raised by the middleware below it (a refused host in
    CommonMiddleware) are covered too; APPEND_SLASH still works, as CommonMiddleware redirects on the 404 status
    whatever the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and "json" not in response.get("Content-Type", "")
        ):
            detail = _API_ERROR_DETAIL.get(response.status_code) or _status_phrase(response.status_code)
            json_response = JsonResponse({"detail": str(detail), "errors": {}}, status=response.status_code)
            for header in ("Allow", "WWW-Authenticate", "Retry-After"):
                if header in response:
                    json_response[header] = response[header]
            response = json_response
        return response


def _status_phrase(status: int) -> str:
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return "Error."
