"""Real local stand-ins for the alert channels, shared by the alert and scenario tests: an aiosmtpd SMTP server and
a loopback HTTP server for the webhook (and a closed loopback port for a channel that is down)."""

import json
import threading
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from comparisons.engine import Comparator
from comparisons.engine.datagen import generate_pairs
from models_registry.monitoring.drift import baseline_compute, baseline_sample
from tests.processes import free_port


class _Recorder:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(message_from_bytes(envelope.content))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a loopback port, with Django's SMTP backend pointed at it."""
    recorder = _Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.LEGALNAME_ALERT_EMAILS = ["ops@example.com", "ml@example.com"]
    settings.LEGALNAME_ALERT_FROM_EMAIL = "alerts@legalname.example.com"
    yield recorder
    controller.stop()


class _Hook(BaseHTTPRequestHandler):
    posts: list[dict]

    def do_POST(self):  # noqa: N802 (http.server's hook name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append({"path": self.path, "type": self.headers["Content-Type"], "json": json.loads(body)})
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format, *args):  # quiet test output
        pass


@pytest.fixture
def webhook(settings):
    """A loopback HTTP server recording the POSTs of a Slack-compatible incoming webhook."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.posts = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.LEGALNAME_ALERT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_address[1]}/services/T0/B0/x"
    yield server.posts
    server.shutdown()
    server.server_close()


@pytest.fixture
def dead_port() -> int:
    """A loopback port nothing listens on: connections are refused at once."""
    return free_port()


@pytest.fixture(scope="module")
def comparator(small_comparator_path):
    """The session's small trained comparator, loaded."""
    return Comparator.load(small_comparator_path)


@pytest.fixture(scope="module")
def baseline(comparator):
    """The drift baseline training stores for the small comparator: a sample of the pairs it was trained on."""
    trained_on = [(a, b) for a, b, _ in generate_pairs(n=4000, seed=7)]  # as in tests/conftest.py
    return baseline_compute(comparator=comparator, pairs=baseline_sample(trained_on, seed=7), seed=7)
