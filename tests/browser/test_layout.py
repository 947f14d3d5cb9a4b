"""Layouts hold on a phone (390 px) and on a wide screen (1440 px): no page scrolls sideways, the header's links stay
inside the bar, and the admin's model-version list shows every column. Real pages, real data, real Chromium."""

import pytest
from django.urls import reverse
from django.utils import timezone

from comparisons.models import BatchJob
from feedback.services import feedback_create
from models_registry.models import ModelMetric
from tests.browser.conftest import PASSWORD
from tests.comparisons.factories import PredictionFactory
from tests.models_registry.factories import ModelVersionFactory
from tests.users import make_user

WIDTHS = {"phone": (390, 844), "wide": (1440, 900)}
# Long names are what real uploads contain; one has a 60-letter token that cannot wrap at a space.
LONG1 = "Internationale Nederlanden Groep Verzekeringen Beleggingen en Pensioenen Maatschappij N.V."
LONG2 = "Internationale Nederlanden Groep Verzekeringen " + "B" * 60 + " Holding B.V."

# What the page's layout looks like from the inside: the page's width, and anything in the header bar that sticks
# out of it.
MEASURE = """() => {
  const bar = document.querySelector('header.topbar').getBoundingClientRect();
  const outside = [...document.querySelectorAll('header.topbar a, header.topbar button, header.topbar .who')]
    .filter(el => el.getClientRects().length)
    .map(el => [el.textContent.trim(), el.getBoundingClientRect()])
    .filter(([, r]) => r.left < bar.left - 0.5 || r.right > bar.right + 0.5 || r.top < bar.top - 0.5
                       || r.bottom > bar.bottom + 0.5)
    .map(([text]) => text);
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, outside,
          barRight: bar.right};
}"""


@pytest.fixture
def analyst_pages(live_server, db):
    """An analyst with something on every page: a compared pair, a finished batch, an item to review, a decision."""
    user = make_user("layout-analyst", "analyst", password=PASSWORD)
    version = ModelVersionFactory(is_active=True)
    compared = PredictionFactory(user=user, model_version=version, name1=LONG1, name2=LONG2, source="web")
    decided = PredictionFactory(user=user, model_version=version, name1=LONG2, name2="ING Groep N.V.", source="api")
    feedback_create(prediction=decided, user=user, user_correction=False, feedback_text="same group " * 12)
    PredictionFactory(
        user=make_user("layout-other", "analyst"),
        model_version=version,
        name1=LONG1,
        name2=LONG2,
        material=True,
        probability_material=0.55,
        confidence=0.55,
    )  # for the review queue
    pairs = [{"name1": LONG1, "name2": f"{LONG2} {i}", "reference": f"customer-reference-{i:08d}"} for i in range(3)]
    job = BatchJob.objects.create(
        user=user,
        filename="a-rather-long-upload-file-name-from-the-crm-export.csv",
        status="done",
        total=3,
        done=3,
        pairs=pairs,
    )
    for pair in pairs:
        PredictionFactory(user=user, model_version=version, batch=job, source="batch", **pair)
    return user, {
        "compare": reverse("comparisons:create"),
        "compare result": reverse("comparisons:detail", args=[compared.pk]),
        "batch": reverse("comparisons:batch_create"),
        "batch detail": reverse("comparisons:batch_detail", args=[job.pk]),
        "review queue": reverse("feedback:queue"),
        "decisions": reverse("feedback:list"),
        "history": reverse("feedback:history"),
    }


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_no_analyst_page_scrolls_sideways(live_server, browser, analyst_pages, width):
    user, pages = analyst_pages
    context = browser.new_context(viewport=dict(zip(("width", "height"), WIDTHS[width], strict=True)))
    try:
        page = context.new_page()
        _log_in(page, live_server.url, user.username)
        problems = {}
        for name, path in pages.items():
            page.goto(f"{live_server.url}{path}")
            for details in page.locator("details").all():  # open every fold: the widest state counts
                details.evaluate("el => el.open = true")
            m = page.evaluate(MEASURE)
            if m["scrollWidth"] > m["innerWidth"] or m["outside"]:
                problems[name] = m
        assert not problems, problems
    finally:
        context.close()


def test_the_header_keeps_log_out_in_the_bar_on_a_phone(live_server, browser, analyst_pages):
    user, pages = analyst_pages
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        _log_in(page, live_server.url, user.username)
        page.goto(f"{live_server.url}{pages['compare']}")
        logout = page.get_by_role("button", name="Log out").bounding_box()
        bar = page.locator("header.topbar").bounding_box()
        assert logout["x"] >= bar["x"] and logout["x"] + logout["width"] <= bar["x"] + bar["width"]
        page.get_by_role("button", name="Log out").click()
        page.wait_for_url(f"{live_server.url}/accounts/logout/")
    finally:
        context.close()


def test_the_model_version_list_shows_every_column_on_a_wide_screen(live_server, browser, db):
    admin = make_user("layout-admin", "admin", password=PASSWORD)
    measured = {"balanced_accuracy": 0.9412, "roc_auc": 0.9876, "f1": 0.9011, "n": 12345}
    for number in range(1, 4):
        version = ModelVersionFactory(
            version=number,
            is_active=number == 3,
            status_detail="FileNotFoundError: " + "x" * 120 if number == 2 else "",
        )
        for dataset in ("validation", "golden", "dev"):
            for name, value in measured.items():
                ModelMetric.objects.create(
                    model_version=version,
                    metric_name=name,
                    metric_value=value,
                    dataset=dataset,
                    recorded_at=timezone.now(),
                )
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        _log_in(page, live_server.url, admin.username)
        page.goto(f"{live_server.url}{reverse('admin:models_registry_modelversion_changelist')}")
        m = page.evaluate("""() => {
          const box = document.querySelector('#changelist .results');
          const table = document.querySelector('#result_list');
          const right = box.getBoundingClientRect().right;
          const cut = [...table.querySelectorAll('thead th')]
            .filter(th => th.getBoundingClientRect().right > right + 0.5).map(th => th.textContent.trim());
          return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, cut,
                  boxScroll: box.scrollWidth, boxWidth: box.clientWidth};
        }""")
        assert m["scrollWidth"] <= m["innerWidth"], m
        assert not m["cut"] and m["boxScroll"] <= m["boxWidth"], m
    finally:
        context.close()
