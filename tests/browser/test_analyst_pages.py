"""The three journeys of issue 4 in a real browser: compare, correct in the review queue by keyboard, batch upload."""

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import expect

from comparisons.models import BatchJob, Prediction
from feedback.models import Feedback
from legalname.celery import app
from tests.comparisons.factories import PredictionFactory


def test_compare_two_names_shows_the_verdict(logged_in, active_model_version):
    page, user, _ = logged_in
    page.fill("#id_name1", "Barclays Bank PLC")
    page.fill("#id_name2", "Barclays PLC")
    page.press("#id_name2", "Enter")
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_text("MATERIAL" if Prediction.objects.get().material else "IMMATERIAL")
    prediction = Prediction.objects.get()
    assert prediction.user == user and prediction.source == "web"
    expect(page.locator(".meter-fill")).to_have_attribute("style", f"width: {round(prediction.confidence * 100)}%")
    expect(page.locator("table.diff .tok").first).to_be_visible()


def test_correct_a_verdict_in_the_queue_with_the_keyboard(logged_in, settings):
    settings.LEGALNAME_REVIEW_AUDIT_SHARE = 0.0
    page, user, url = logged_in
    prediction = PredictionFactory(
        user=user, name1="Acme Holdings LLC", name2="Acme LLC", material=True, probability_material=0.6, confidence=0.6
    )
    page.goto(f"{url}/review/")
    expect(page.get_by_test_id("verdict")).to_have_text("MATERIAL")
    page.keyboard.press("x")
    expect(page.locator(".messages")).to_contain_text("Corrected to IMMATERIAL")
    expect(page.get_by_test_id("today-count")).to_have_text("1")
    feedback = Feedback.objects.get()
    assert (feedback.prediction_id, feedback.user_id, feedback.user_correction) == (prediction.pk, user.pk, False)

    page.keyboard.press("u")  # undo reopens it; a new decision is appended, nothing deleted
    expect(page.locator(".badge")).to_have_text("reopened")
    page.keyboard.press("c")
    expect(page.locator(".messages")).to_contain_text("Confirmed MATERIAL")
    assert list(Feedback.objects.order_by("created_at").values_list("user_correction", flat=True)) == [False, True]


@pytest.fixture
def celery_worker_thread(transactional_db):
    """A real Celery worker (solo pool, in a thread of this process) on the configured broker and the test DB."""
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30) as worker:
        yield worker


def test_upload_a_csv_and_watch_the_progress_bar_complete(
    logged_in, active_model_version, celery_worker_thread, tmp_path
):
    page, user, url = logged_in
    rows = ["name1,name2,reference"] + [f"Nordwind {i} GmbH,Nordwind {i} AG,ref-{i}" for i in range(1500)]
    csv_path = tmp_path / "pairs.csv"
    csv_path.write_text("\n".join(rows) + "\n")

    page.goto(f"{url}/batch/")
    page.set_input_files("#id_file", str(csv_path))
    page.get_by_role("button", name="Upload and score").click()
    expect(page.locator("#batch-progress")).to_be_visible()
    expect(page.get_by_test_id("results")).to_be_visible(timeout=120_000)  # the page reloads when the job is done
    expect(page.locator("#batch-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#batch-status")).to_have_text("Done")

    job = BatchJob.objects.get()
    assert (job.user, job.status, job.done, job.total) == (user, "done", 1500, 1500)
    assert Prediction.objects.filter(batch=job, source="batch").count() == 1500

    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert lines[0] == "name1,name2,reference,verdict,probability_material,confidence,reasons,reason_kinds"
    assert len(lines) == 1501 and lines[1].startswith("Nordwind 0 GmbH,Nordwind 0 AG,ref-0,")


def test_a_malformed_csv_names_the_row(logged_in, tmp_path):
    page, _, url = logged_in
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text("name1,name2\nAcme LLC,Acme Inc\nAcme LLC,\n")
    page.goto(f"{url}/batch/")
    page.set_input_files("#id_file", str(csv_path))
    page.get_by_role("button", name="Upload and score").click()
    expect(page.get_by_test_id("upload-errors")).to_contain_text("Row 3: name2 is empty.")
    assert not BatchJob.objects.exists()
