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
def celery_worker(tmp_path: Path, *, hostname: str, env: dict[str, str] | None = None) -> Iterator[tuple]:
    """A real ``celery worker`` (solo pool) on the test settings, database and broker; yields (process, its log)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "legalname.settings.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": app.conf.broker_url,
        "LEGALNAME_DATA_DIR": str(tmp_path / "worker-data"),
        **(env or {}),
    }
    log: IO[str] = open(tmp_path / "worker.log", "w+")  # noqa: SIM115 (closed below, after the process)
    command = [sys.executable, "-m", "celery", "-A", "legalname", "worker", "--pool", "solo", "--loglevel", "INFO"]
    command += ["--without-gossip", "--without-mingle", "--hostname", f"{hostname}-{os.getpid()}@%h"]
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
