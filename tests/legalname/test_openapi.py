"""The OpenAPI schema validates, and every path in it is one that the API tests exercise."""

import pytest
import yaml
from django.core.management import call_command

# Every path in the schema, with the test module that covers it. A new endpoint without a test fails here.
COVERED = {
    "/api/v1/auth/token/": "tests/comparisons/api/test_comparisons.py::test_jwt",
    "/api/v1/auth/token/refresh/": "tests/legalname/test_openapi.py::test_jwt_refresh",
    "/api/v1/comparisons/": "tests/comparisons/api/test_comparisons.py",
    "/api/v1/comparisons/batch/": "tests/comparisons/api/test_comparisons.py",
    "/api/v1/predictions/": "tests/comparisons/api/test_comparisons.py",
    "/api/v1/predictions/{prediction_id}/": "tests/comparisons/api/test_comparisons.py",
    "/api/v1/feedback/": "tests/feedback/api/test_feedback.py",
    "/api/v1/experiments/": "tests/experiments/api/test_experiments.py",
    "/api/v1/experiments/{experiment_id}/results/": "tests/experiments/api/test_experiments.py",
}
REGISTRY_PREFIX = "/api/v1/models/"  # covered by tests/models_registry/


@pytest.mark.django_db
def test_schema_validates_and_every_path_is_covered(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = set(schema["paths"])
    uncovered = {p for p in paths if p not in COVERED and not p.startswith(REGISTRY_PREFIX)}
    assert not uncovered, f"endpoints without tests: {sorted(uncovered)}"
    assert set(COVERED) <= paths


@pytest.mark.django_db
def test_schema_and_docs_pages_are_served(client):
    assert client.get("/api/schema/").status_code == 200
    for docs in ("/api/docs/", "/api/redoc/"):
        response = client.get(docs)
        # Swagger UI and Redoc come from our static files (drf-spectacular-sidecar), never a CDN.
        assert response.status_code == 200 and b"/static/drf_spectacular_sidecar/" in response.content
        assert b"https://" not in response.content


@pytest.mark.django_db
def test_jwt_refresh(client, analyst):
    tokens = client.post("/api/v1/auth/token/", {"username": "analyst1", "password": "pw-for-tests-123"}).json()
    refreshed = client.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 200 and "access" in refreshed.json()
    assert client.post("/api/v1/auth/token/refresh/", {"refresh": "junk"}).status_code == 401
