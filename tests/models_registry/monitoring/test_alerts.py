"""Alerts against real local stand-ins: an aiosmtpd SMTP server and a loopback HTTP server for the webhook (a
closed loopback port for a channel that is down). No mocks: the Celery task runs eagerly through ``apply`` (retries
included) or in an embedded worker for the wiring."""

import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legalname.celery import app
from models_registry.models import Alert, ModelVersion, MonitoringThreshold, TrainingRun
from models_registry.monitoring.alerts import (
    alert_acknowledge,
    alert_cooldown,
    alert_deliver,
    alert_message,
    alert_raise,
    alert_resolve,
)
from models_registry.services.deployment import model_version_activate
from models_registry.services.training import training_run_create, training_run_fail
from models_registry.serving import model_server
from models_registry.tasks import ALERT_DELIVERY_MAX_RETRIES, alert_deliver_task
from tests.models_registry.utils import corrupt

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CHANGELIST = "/admin/models_registry/alert/"


def _raise(**overrides) -> Alert:
    values = {
        "kind": Alert.Kind.THRESHOLD_BREACH,
        "key": "breach:legal-name-comparator:accuracy",
        "subject": "Accuracy of legal-name-comparator v3 below 0.85",
        "details": {"metric": "accuracy", "value": 0.78, "interval": "0.72-0.83", "n": 212, "window": "day"},
        "model_name": "legal-name-comparator",
        **overrides,
    }
    return alert_raise(**values)


def _raise_and_deliver(capture, **overrides) -> tuple[Alert, int]:
    """Raise, then run whatever delivery the raise queued (as a worker would); returns the alert and how many
    deliveries were queued."""
    with capture(execute=False) as callbacks:
        alert = _raise(**overrides)
    queued = len(callbacks)
    if queued:
        alert_deliver_task.apply(args=(str(alert.pk),))
    alert.refresh_from_db()
    return alert, queued


@pytest.mark.django_db
class TestAlertRaise:
    def test_a_new_alert_sends_one_email_and_one_webhook_post(self, smtp, webhook, django_capture_on_commit_callbacks):
        alert, queued = _raise_and_deliver(django_capture_on_commit_callbacks)

        assert queued == 1
        assert len(smtp.messages) == 1 and sorted(smtp.recipients[0]) == ["ml@example.com", "ops@example.com"]
        mail = smtp.messages[0]
        assert mail["Subject"] == "[LegalName warning] Accuracy of legal-name-comparator v3 below 0.85"
        assert mail["From"] == "alerts@legalname.example.com"
        assert "value: 0.78" in mail.get_payload() and "n: 212" in mail.get_payload()
        assert len(webhook) == 1 and webhook[0]["type"] == "application/json"
        assert "Accuracy of legal-name-comparator v3 below 0.85" in webhook[0]["json"]["text"]
        assert alert.count == 1 and alert.notified_at is not None
        assert alert.delivery["state"] == "sent" and alert.delivery["attempts"] == 1
        assert alert.delivery["email"]["status"] == alert.delivery["webhook"]["status"] == "sent"

    def test_a_repeat_within_the_cooldown_updates_the_row_and_sends_nothing(
        self, smtp, webhook, django_capture_on_commit_callbacks
    ):
        with time_machine.travel(T0, tick=False):
            first, _ = _raise_and_deliver(django_capture_on_commit_callbacks)
        with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
            again, queued = _raise_and_deliver(
                django_capture_on_commit_callbacks, details={"metric": "accuracy", "value": 0.74, "n": 240}
            )

        assert queued == 0 and again.pk == first.pk
        assert again.count == 2 and again.details["value"] == 0.74
        assert again.first_seen_at == T0 and again.last_seen_at == T0 + timedelta(minutes=30)
        assert len(smtp.messages) == 1 and len(webhook) == 1
        assert Alert.objects.count() == 1

    def test_after_the_cooldown_it_is_sent_again(self, smtp, webhook, django_capture_on_commit_callbacks):
        with time_machine.travel(T0, tick=False):
            _raise_and_deliver(django_capture_on_commit_callbacks)
        with time_machine.travel(T0 + timedelta(minutes=359), tick=False):
            _, queued_early = _raise_and_deliver(django_capture_on_commit_callbacks)
        with time_machine.travel(T0 + timedelta(minutes=361), tick=False):
            alert, queued = _raise_and_deliver(django_capture_on_commit_callbacks)

        assert (queued_early, queued) == (0, 1)
        assert alert.count == 3 and alert.notified_at == T0 + timedelta(minutes=361)
        assert len(smtp.messages) == 2 and len(webhook) == 2
        assert "seen 3 times" in smtp.messages[1].get_payload()

    def test_the_cooldown_runs_on_the_clock_of_the_jobs_that_pass_now(self, smtp, django_capture_on_commit_callbacks):
        """A replayed scenario passes ``now`` (days ago) while the worker sends on today's clock."""
        _raise_and_deliver(django_capture_on_commit_callbacks, now=T0)
        _, within = _raise_and_deliver(django_capture_on_commit_callbacks, now=T0 + timedelta(hours=1))
        alert, after = _raise_and_deliver(django_capture_on_commit_callbacks, now=T0 + timedelta(hours=7))
        assert (within, after) == (0, 1) and len(smtp.messages) == 2
        assert alert.notified_at == T0 + timedelta(hours=7) and alert.count == 3

    def test_the_cooldown_is_the_models_threshold_setting(self, smtp, django_capture_on_commit_callbacks):
        MonitoringThreshold.objects.create(model_name="legal-name-comparator", alert_cooldown_minutes=10)
        assert alert_cooldown(model_name="legal-name-comparator") == timedelta(minutes=10)
        assert alert_cooldown(model_name="") == timedelta(minutes=360)
        with time_machine.travel(T0, tick=False):
            _raise_and_deliver(django_capture_on_commit_callbacks)
        with time_machine.travel(T0 + timedelta(minutes=11), tick=False):
            _, queued = _raise_and_deliver(django_capture_on_commit_callbacks)
        assert queued == 1 and len(smtp.messages) == 2

    def test_an_escalation_to_critical_is_sent_at_once(self, smtp, django_capture_on_commit_callbacks):
        with time_machine.travel(T0, tick=False):
            _raise_and_deliver(django_capture_on_commit_callbacks)
        with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
            alert, queued = _raise_and_deliver(django_capture_on_commit_callbacks, severity=Alert.Severity.CRITICAL)
        assert queued == 1 and alert.severity == Alert.Severity.CRITICAL
        assert smtp.messages[1]["Subject"].startswith("[LegalName critical]")

    def test_a_repeat_while_a_delivery_is_queued_does_not_queue_another(self, smtp, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _raise()
            _raise()
        assert len(callbacks) == 1

    def test_with_every_channel_off_the_row_is_the_alert(self, settings, django_capture_on_commit_callbacks):
        settings.LEGALNAME_ALERT_EMAILS, settings.LEGALNAME_ALERT_WEBHOOK_URL = [], ""
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            alert = _raise()
        assert callbacks == [] and alert.delivery["state"] == "off" and alert.notified_at is None

    @pytest.mark.django_db(transaction=True)
    def test_concurrent_raises_of_one_key_make_one_row(self, settings):
        """Threads race to open the same key: the unique constraint turns the losers' inserts into updates."""
        if connection.vendor == "sqlite":
            pytest.skip("SQLite serialises writers with a file lock: the race needs PostgreSQL")
        settings.LEGALNAME_ALERT_EMAILS, settings.LEGALNAME_ALERT_WEBHOOK_URL = [], ""
        barrier, errors = threading.Barrier(8), []

        def worker():
            try:
                barrier.wait()
                _raise()
            except Exception as exc:  # any failure is what this test looks for
                errors.append(exc)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        alert = Alert.objects.get()
        assert alert.count == 8


@pytest.mark.django_db
class TestAlertResolve:
    def test_a_sent_alert_is_resolved_with_a_short_note(self, smtp, webhook, django_capture_on_commit_callbacks):
        alert, _ = _raise_and_deliver(django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            resolved = alert_resolve(key=alert.key)
        alert_deliver_task.apply(args=(str(alert.pk),))

        assert resolved is not None and resolved.pk == alert.pk and resolved.resolved_at is not None
        assert len(callbacks) == 1
        assert smtp.messages[1]["Subject"] == f"[LegalName resolved] {alert.subject}"
        assert webhook[1]["json"]["text"].startswith(f"*[LegalName resolved] {alert.subject}*")

    def test_an_alert_never_sent_resolves_quietly(self, settings, django_capture_on_commit_callbacks):
        settings.LEGALNAME_ALERT_EMAILS = ["ops@example.com"]
        alert = _raise()  # queued, never delivered
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            alert_resolve(key=alert.key)
        assert callbacks == []

    def test_the_next_occurrence_opens_a_new_alert_sent_once_the_cooldown_has_passed(
        self, smtp, django_capture_on_commit_callbacks
    ):
        start = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
        first, _ = _raise_and_deliver(django_capture_on_commit_callbacks, now=start)
        alert_resolve(key=first.key, now=start + timedelta(hours=1))
        resolved_notes = len(smtp.messages)
        # it flaps back within the cooldown (6 h): a new row, held, nothing sent
        second, queued = _raise_and_deliver(django_capture_on_commit_callbacks, now=start + timedelta(hours=2))
        assert second.pk != first.pk and second.count == 1 and queued == 0
        assert second.delivery["state"] == "held" and second.notified_at == first.notified_at
        assert len(smtp.messages) == resolved_notes
        # still there once the cooldown since the last sending has passed: sent
        again, queued = _raise_and_deliver(django_capture_on_commit_callbacks, now=start + timedelta(hours=7))
        assert again.pk == second.pk and again.count == 2 and queued == 1
        assert Alert.objects.filter(key=first.key).count() == 2

    def test_a_flap_that_escalates_to_critical_is_sent_at_once(self, smtp, django_capture_on_commit_callbacks):
        start = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
        first, _ = _raise_and_deliver(django_capture_on_commit_callbacks, now=start)
        alert_resolve(key=first.key, now=start + timedelta(hours=1))
        _, queued = _raise_and_deliver(
            django_capture_on_commit_callbacks, now=start + timedelta(hours=2), severity=Alert.Severity.CRITICAL
        )
        assert queued == 1

    def test_an_alert_resolved_before_its_worker_ran_is_not_sent(self, smtp, webhook):
        alert = _raise()  # queued
        alert_resolve(key=alert.key)

        alert_deliver_task.apply(args=(str(alert.pk),))

        alert.refresh_from_db()
        assert smtp.messages == [] and webhook == []
        assert alert.delivery["state"] == "skipped" and alert.notified_at is None

    def test_resolving_a_key_with_no_open_alert_is_a_no_op(self, db):
        assert alert_resolve(key="breach:nothing:accuracy") is None


@pytest.mark.django_db
class TestAlertDelivery:
    def test_a_failing_webhook_is_retried_without_repeating_the_email_and_the_final_failure_is_recorded(
        self, smtp, settings, dead_port
    ):
        settings.LEGALNAME_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{dead_port}/hook"
        alert = _raise()

        result = alert_deliver_task.apply(args=(str(alert.pk),))

        assert result.failed()
        alert.refresh_from_db()
        assert len(smtp.messages) == 1  # sent in the first attempt, never again in the retries
        assert alert.notified_at is not None  # someone was told
        assert alert.delivery["attempts"] == ALERT_DELIVERY_MAX_RETRIES + 1
        assert alert.delivery["email"]["status"] == "sent"
        assert alert.delivery["webhook"]["status"] == "failed"
        assert "Connection refused" in alert.delivery["webhook"]["error"]
        assert alert.delivery["state"] == "failed"
        assert "gave up after 5 retries" in alert.delivery["error"] and "webhook" in alert.delivery["error"]

    def test_a_dead_smtp_server_does_not_stop_the_webhook(self, settings, webhook, dead_port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", dead_port
        settings.LEGALNAME_ALERT_EMAILS = ["ops@example.com"]
        alert = _raise()

        alert = alert_deliver(alert_id=alert.pk)

        assert len(webhook) == 1 and alert.notified_at is not None
        assert alert.delivery["email"]["status"] == "failed" and alert.delivery["state"] == "retrying"

    def test_a_webhook_that_recovers_is_sent_on_a_retry(self, smtp, settings, webhook, dead_port):
        url = settings.LEGALNAME_ALERT_WEBHOOK_URL
        settings.LEGALNAME_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{dead_port}/hook"
        alert = _raise()
        alert_deliver(alert_id=alert.pk)  # the first attempt: e-mail sent, webhook refused
        settings.LEGALNAME_ALERT_WEBHOOK_URL = url  # the webhook is back

        alert = alert_deliver(alert_id=alert.pk)  # the retry

        assert len(smtp.messages) == 1 and len(webhook) == 1
        assert alert.delivery["state"] == "sent" and alert.delivery["attempts"] == 2

    def test_a_webhook_that_never_answers_times_out(self, settings):
        settings.LEGALNAME_ALERT_TIMEOUT = 0.3
        with socket.socket() as silent:  # listens, never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen()
            settings.LEGALNAME_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
            alert = alert_deliver(alert_id=_raise().pk)
        assert alert.delivery["webhook"]["status"] == "failed" and "timed out" in alert.delivery["webhook"]["error"]

    def test_a_webhook_answering_an_error_status_is_a_failure(self, settings):
        class Refusing(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's hook name)
                self.send_response(500)
                self.end_headers()

            def log_message(self, format, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Refusing)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            settings.LEGALNAME_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_address[1]}/hook"
            alert = alert_deliver(alert_id=_raise().pk)
        finally:
            server.shutdown()
            server.server_close()
        assert alert.delivery["webhook"]["status"] == "failed"
        assert "HTTP Error 500" in alert.delivery["webhook"]["error"] and alert.notified_at is None

    def test_a_round_that_reached_nobody_does_not_hold_back_the_next_occurrence(
        self, settings, dead_port, django_capture_on_commit_callbacks
    ):
        settings.LEGALNAME_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{dead_port}/hook"
        alert = _raise()
        alert_deliver_task.apply(args=(str(alert.pk),))  # every attempt refused: given up
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _raise()
        assert len(callbacks) == 1

    def test_the_message_lists_the_numbers(self, db):
        alert = _raise(now=T0)
        subject, body = alert_message(alert=alert)
        assert subject == "[LegalName warning] Accuracy of legal-name-comparator v3 below 0.85"
        assert "Threshold breach, warning, model legal-name-comparator" in body
        assert "interval: 0.72-0.83" in body and "key: breach:legal-name-comparator:accuracy" in body


@pytest.mark.django_db(transaction=True)
def test_a_raised_alert_is_delivered_by_an_embedded_worker(smtp, webhook):
    """The wiring: alert_raise -> on_commit -> broker -> worker thread -> SMTP server and webhook."""
    with start_worker(app, perform_ping_check=False, shutdown_timeout=30):
        alert = _raise()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (smtp.messages and webhook):
            time.sleep(0.1)
    alert.refresh_from_db()
    assert len(smtp.messages) == 1 and len(webhook) == 1
    assert alert.delivery["state"] == "sent"


@pytest.mark.django_db
class TestAlertHooks:
    def test_a_model_that_fails_to_load_raises_a_critical_alert(
        self, register_version, admin_user, settings, django_capture_on_commit_callbacks
    ):
        settings.LEGALNAME_ALERT_EMAILS = ["ops@example.com"]
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_server.current()
        model_version_activate(model_version=v2, user=admin_user)
        corrupt(v2)

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            served = model_server.current()

        assert served is not None and served.version_id == str(v1.pk)  # serving goes on
        alert = Alert.objects.get(key=f"load:{v2.pk}")
        assert alert.kind == Alert.Kind.MODEL_LOAD_FAILED and alert.severity == Alert.Severity.CRITICAL
        assert alert.model_name == v2.name and f"v{v2.version}" in alert.subject
        assert "cannot load model" in alert.details["error"]
        assert ModelVersion.objects.get(pk=v2.pk).status == ModelVersion.Status.FAILED
        assert len(callbacks) == 1

    def test_a_failed_training_run_raises_an_alert(self, settings, django_capture_on_commit_callbacks):
        settings.LEGALNAME_ALERT_EMAILS = ["ops@example.com"]
        run = training_run_create(trigger="schedule")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            training_run_fail(training_run_id=run.pk, error="task failed: SoftTimeLimitExceeded: soft limit")

        alert = Alert.objects.get(key=f"training:{run.pk}")
        assert alert.kind == Alert.Kind.TRAINING_FAILED and alert.model_name == run.model_name
        assert alert.details["error"] == "task failed: SoftTimeLimitExceeded: soft limit"
        assert alert.details["trigger"] == "schedule"
        assert TrainingRun.objects.get(pk=run.pk).status == TrainingRun.Status.FAILED
        assert len(callbacks) == 1


@pytest.fixture
def admin_client_logged_in(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
class TestAlertAdmin:
    def test_the_changelist_shows_open_alerts_by_default(self, admin_client_logged_in, admin_user):
        open_alert = _raise()
        closed = _raise(key="drift:legal-name-comparator:psi", subject="PSI drift on name length")
        alert_resolve(key=closed.key)
        for i in range(5):
            _raise(key=f"training:{i}", subject=f"Training {i} failed", kind=Alert.Kind.TRAINING_FAILED)

        with CaptureQueriesContext(connection) as queries:
            response = admin_client_logged_in.get(CHANGELIST)
        assert response.status_code == 200
        assert open_alert.subject in response.content.decode()
        assert closed.subject not in response.content.decode()
        for i in range(5, 15):
            alert_acknowledge(
                alert=_raise(key=f"training:{i}", subject=f"Training {i} failed", kind=Alert.Kind.TRAINING_FAILED),
                user=admin_user,
            )
        with CaptureQueriesContext(connection) as more_queries:
            admin_client_logged_in.get(CHANGELIST)
        assert len(more_queries) == len(queries)  # no query per row (acknowledged_by comes with the rows)

        response = admin_client_logged_in.get(CHANGELIST, {"state": "resolved"})
        assert closed.subject in response.content.decode()
        assert open_alert.subject not in response.content.decode()
        response = admin_client_logged_in.get(CHANGELIST, {"state": "all"})
        assert closed.subject in response.content.decode() and open_alert.subject in response.content.decode()

    def test_the_change_page_shows_details_as_a_table(self, admin_client_logged_in):
        alert = _raise()
        response = admin_client_logged_in.get(f"{CHANGELIST}{alert.pk}/change/")
        assert response.status_code == 200
        assert "<tr><th>interval</th><td>0.72-0.83</td></tr>" in response.content.decode()

    def test_acknowledge_action(self, admin_client_logged_in, admin_user):
        first = _raise()
        second = _raise(key="drift:legal-name-comparator:psi", subject="PSI drift")
        alert_acknowledge(alert=second, user=admin_user)
        acknowledged_at = Alert.objects.get(pk=second.pk).acknowledged_at

        response = admin_client_logged_in.post(
            CHANGELIST, {"action": "acknowledge", "_selected_action": [str(first.pk), str(second.pk)]}, follow=True
        )

        assert response.status_code == 200
        assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 alert acknowledged."]
        first.refresh_from_db()
        assert first.acknowledged_by == admin_user and first.acknowledged_at is not None
        assert Alert.objects.get(pk=second.pk).acknowledged_at == acknowledged_at  # the first acknowledgement stands

    def test_resolve_action(self, admin_client_logged_in):
        alert = _raise(key="training:1", kind=Alert.Kind.TRAINING_FAILED, subject="Training failed")
        response = admin_client_logged_in.post(
            CHANGELIST, {"action": "resolve", "_selected_action": [str(alert.pk)]}, follow=True
        )
        assert [str(m) for m in get_messages(response.wsgi_request)] == ["1 alert resolved."]
        assert Alert.objects.get(pk=alert.pk).resolved_at is not None

    def test_display_methods(self, admin_user):
        model_admin = site._registry[Alert]
        alert = _raise(severity=Alert.Severity.CRITICAL)
        assert "Critical" in model_admin.severity_badge(alert)
        assert model_admin.acknowledged(alert) == "-" and model_admin.resolved(alert) == "-"
        alert_acknowledge(alert=alert, user=admin_user)
        assert model_admin.acknowledged(alert).startswith(f"{admin_user} at ")
        assert model_admin.details_table(alert).startswith("<table><tr><th>metric</th><td>accuracy</td></tr>")
        assert model_admin.details_table(Alert(details={})) == "-"
