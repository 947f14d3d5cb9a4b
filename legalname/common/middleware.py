from django.conf import settings
from django.http import JsonResponse


class ApiRequestSizeLimitMiddleware:
    """Refuse oversized API bodies before anything parses them (DRF's JSON parser reads the whole body and does
    not apply DATA_UPLOAD_MAX_MEMORY_SIZE). A batch of 1,000 pairs of 500-character names is about 1 MB."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
