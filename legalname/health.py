"""Liveness (/health) and readiness (/ready) probes, as JSON.

/ready checks the database, the Celery broker and that an active model is loaded; a 503 names what failed."""

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from legalname.celery import app
from models_registry.serving import model_server


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not ready"
        connection.close()
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def check_broker() -> str | None:
    try:
        # a fresh connection, not the app's pool: the probe must see the broker as it is now
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.LEGALNAME_BROKER_CHECK_TIMEOUT)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip()
    return None


def check_model() -> str | None:
    try:
        served = model_server.current()
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}".strip()
    if served is None:
        return "no active model version is loaded"
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": check_database,
    "broker": check_broker,
    "model": check_model,
}


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    failing: list[str] = []
    for name, check in CHECKS.items():
        started = time.perf_counter()
        error = check()
        results[name] = {"ok": error is None, "ms": round((time.perf_counter() - started) * 1000, 1)}
        if error:
            results[name]["error"] = error
            failing.append(name)
    body: dict[str, object] = {"status": "ok" if not failing else "unavailable", "checks": results}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)
