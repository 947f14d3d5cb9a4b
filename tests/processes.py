"""Real processes for tests: a celery worker (or any process) pointed at the test database, a free loopback port."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.db import connection

from legalname.celery import app

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The test database as a DATABASE_URL, for a subprocess that must see the same rows."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _celery(tmp_path: Path, name: str, arguments: list[str], env: dict[str, str] | None) -> Iterator[tuple]:
    """``celery -A legalname <arguments>`` on the test settings, database and broker, its output in
    ``<name>.log``; stopped (then killed) on exit. Yields (process, its log)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "legalname.settings.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": app.conf.broker_url,
        "LEGALNAME_DATA_DIR": str(tmp_path / f"{name}-data"),
        **(env or {}),
    }
    log: IO[str] = open(tmp_path / f"{name}.log", "w+")  # noqa: SIM115 (closed below, after the process)
    command = [sys.executable, "-m", "celery", "-A", "legalname", *arguments, "--loglevel", "INFO"]
    proc = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def celery_worker(tmp_path: Path, *, hostname: str, env: dict[str, str] | None = None) -> Iterator[tuple]:
    """A real ``celery worker`` (solo pool) on the test settings, database and broker; yields (process, its log)."""
    arguments = ["worker", "--pool", "solo", "--without-gossip", "--without-mingle"]
    with _celery(tmp_path, "worker", [*arguments, "--hostname", f"{hostname}-{os.getpid()}@%h"], env) as started:
        yield started


@contextmanager
def celery_beat(tmp_path: Path, *, env: dict[str, str] | None = None) -> Iterator[tuple]:
    """A real ``celery beat`` on the DatabaseScheduler, on the test settings, database and broker; yields (process,
    its log)."""
    with _celery(
        tmp_path, "beat", ["beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"], env
    ) as started:
        yield started
