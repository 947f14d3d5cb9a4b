"""Errors under /api/ are JSON in the DRF exception handler's shape in every setting, DEBUG included, while pages
outside /api/ keep Django's HTML."""

import pytest
from django.test import Client, override_settings

from tests.users import make_user

MISSING_ID = "00000000-0000-0000-0000-000000000000"


def _assert_json_error(response, status: int, detail: str | None = None) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["errors"] == {}
    if detail is not None:
        assert body["detail"] == detail


@pytest.fixture
def analyst_client(db):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("errors-analyst", "analyst"))
    return client


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
class TestNotFound:
    def test_unknown_url(self, analyst_client, debug):
        with override_settings(DEBUG=debug):
            response = analyst_client.get("/api/v1/no-such-thing/")
        _assert_json_error(response, 404, "Not found.")
        assert b"urlpatterns" not in response.content  # the debug page lists every URL of the site

    def test_malformed_id(self, analyst_client, debug):
        with override_settings(DEBUG=debug):
            response = analyst_client.get("/api/v1/predictions/not-a-uuid/")
        _assert_json_error(response, 404, "Not found.")

    def test_unknown_id(self, analyst_client, debug):
        with override_settings(DEBUG=debug):
            response = analyst_client.get(f"/api/v1/predictions/{MISSING_ID}/")
        _assert_json_error(response, 404)

    def test_pages_outside_the_api_stay_html(self, analyst_client, debug):
        with override_settings(DEBUG=debug):
            response = analyst_client.get(f"/compare/{MISSING_ID}/")
        assert response.status_code == 404 and response["Content-Type"].startswith("text/html")

    def test_missing_slash_still_redirects(self, analyst_client, debug):
        with override_settings(DEBUG=debug):
            response = analyst_client.get("/api/v1/predictions")
        assert response.status_code == 301 and response["Location"] == "/api/v1/predictions/"


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
@pytest.mark.parametrize("path", ["/api/v1/failing/", "/api/v1/failing-plain/"], ids=["drf", "plain"])
@pytest.mark.urls("tests.legalname.urls_failing")
def test_an_unhandled_exception_is_a_json_500_and_is_still_logged(db, caplog, path, debug):
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=debug):
        response = client.get(path)
    _assert_json_error(response, 500, "A server error occurred.")
    assert b"Traceback" not in response.content
    assert any(record.name == "django.request" and record.exc_info for record in caplog.records)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_a_wrong_method_keeps_its_allow_header(analyst_client, debug):
    with override_settings(DEBUG=debug):
        response = analyst_client.delete("/api/v1/predictions/")
    assert response.status_code == 405 and response.json()["errors"] == {} and "GET" in response["Allow"]
