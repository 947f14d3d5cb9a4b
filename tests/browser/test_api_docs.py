"""The API documentation works with no internet: Swagger UI and Redoc come from our own static files."""

from playwright.sync_api import expect


def test_swagger_ui_lists_the_operations_offline(live_server, offline_page):
    page = offline_page
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-summary-path[data-path='/api/v1/comparisons/']").first).to_be_visible()
    expect(
        page.locator(".opblock-summary-path[data-path='/api/v1/predictions/{prediction_id}/']").first
    ).to_be_visible()
    assert page.locator(".opblock").count() >= 7
    assert page.blocked_requests == []


def test_redoc_lists_the_operations_offline(live_server, offline_page):
    page = offline_page
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.get_by_text("/api/v1/comparisons/", exact=True).first).to_be_attached()
    expect(page.get_by_role("heading", name="LegalName API")).to_be_visible()
    assert page.blocked_requests == []
