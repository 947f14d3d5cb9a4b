"""Headless Chromium (Debian's package, nothing downloaded) driving the live test server through Playwright."""

import os
import shutil
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.users import make_user

# Playwright's sync API keeps an event loop running in the test thread; the test itself still uses the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "pw-for-browser-tests"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason="chromium is not installed (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def logged_in(live_server, page):
    """An analyst logged in through the real login form; returns (page, user, base url)."""
    user = make_user("browser-analyst", "analyst", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/?next=/compare/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{live_server.url}/compare/")
    return page, user, live_server.url


@pytest.fixture
def offline_page(live_server, page):
    """The page with the internet cut off: any request to a host other than the live server's is aborted and
    recorded, so a page that needs a CDN fails its test."""
    local_hosts = {"localhost", "127.0.0.1"}
    blocked: list[str] = []

    def only_local(route, request):
        if urlsplit(request.url).hostname in local_hosts or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(request.url)
            route.abort("internetdisconnected")

    page.route("**/*", only_local)
    page.blocked_requests = blocked
    return page
