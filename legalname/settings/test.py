"""Test suite: fast hashing, in-memory mail; the database and broker come from the environment like anywhere."""

from .base import *  # noqa: F403
from .base import DATA_DIR, DATABASES, env

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
