"""Test suite: fast hashing, in-memory mail; the database and broker come from the environment like anywhere."""

import os
from pathlib import Path

# pytest-xdist: each worker process gets its own data folder (test database file, embedded broker, model files,
# MLflow store), so that parallel workers never write the same file. Set before base reads it.
if _worker := os.environ.get("PYTEST_XDIST_WORKER"):
    _root = os.environ.get("LEGALNAME_DATA_DIR_ROOT") or os.environ.get(
        "LEGALNAME_DATA_DIR", str(Path(__file__).resolve().parents[2] / "var")
    )
    os.environ["LEGALNAME_DATA_DIR_ROOT"] = _root
    os.environ["LEGALNAME_DATA_DIR"] = str(Path(_root) / f"xdist-{_worker}")

from .base import *  # noqa: E402, F403
from .base import DATA_DIR, DATABASES, env  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A file (not :memory:) so that a real Celery worker process started by a test sees the same test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "100000/minute", "anon": "100000/minute"}}  # noqa: F405
# Keep the test broker apart from the one `make run` uses.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=f"sqla+sqlite:///{DATA_DIR / 'test-celery-broker.sqlite3'}")
LEGALNAME_BROKER_CHECK_TIMEOUT = env.float("LEGALNAME_BROKER_CHECK_TIMEOUT", default=2.0)
# On a shared Redis broker (CI), each xdist worker's tasks go to its own queue; a worker process started by a test
# inherits PYTEST_XDIST_WORKER and so listens on the same one.
if _worker:
    CELERY_TASK_DEFAULT_QUEUE = f"celery-{_worker}"
