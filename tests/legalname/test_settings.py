import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _settings(module: str, env: dict, code: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "REDIS_URL", "MLFLOW_", "LEGALNAME_"))
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); from django.conf import settings as s; {code}"],
        env={**base, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestSettingsFromEnv:
    def test_embedded_defaults(self, tmp_path):
        out = _settings(
            "legalname.settings.local",
            {"LEGALNAME_DATA_DIR": str(tmp_path)},
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'],"
            " s.EMAIL_BACKEND, s.MLFLOW_TRACKING_URI)",
        )
        assert out.returncode == 0, out.stderr
        engine, broker, cache, email, mlflow = out.stdout.split()
        assert engine == "django.db.backends.sqlite3"
        assert broker == f"sqla+sqlite:///{tmp_path}/celery-broker.sqlite3"
        assert cache.endswith("LocMemCache")
        assert email.endswith("console.EmailBackend")
        assert mlflow == f"sqlite:///{tmp_path}/mlflow.db"

    def test_servers_from_env(self, tmp_path):
        out = _settings(
            "legalname.settings.local",
            {
                "LEGALNAME_DATA_DIR": str(tmp_path),
                "DATABASE_URL": "postgres://u:p@db.example:5432/ln",
                "CELERY_BROKER_URL": "redis://cache.example:6379/1",
                "REDIS_URL": "redis://cache.example:6379/2",
            },
            "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.CELERY_BROKER_URL,"
            " s.CACHES['default']['BACKEND'])",
        )
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == [
            "django.db.backends.postgresql",
            "db.example",
            "redis://cache.example:6379/1",
            "django.core.cache.backends.redis.RedisCache",
        ]

    def test_production_refuses_to_start_without_secret_key(self, tmp_path):
        out = _settings(
            "legalname.settings.production",
            {"LEGALNAME_DATA_DIR": str(tmp_path), "DJANGO_ALLOWED_HOSTS": "x.example"},
            "print(1)",
        )
        assert out.returncode != 0
        assert "DJANGO_SECRET_KEY" in out.stderr

    @pytest.mark.slow
    def test_production_check_deploy_has_no_warnings(self, tmp_path):
        base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env = {
            **base,
            "DJANGO_SETTINGS_MODULE": "legalname.settings.production",
            "LEGALNAME_DATA_DIR": str(tmp_path),
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789!@#",
            "DJANGO_ALLOWED_HOSTS": "legalname.example.com",
        }
        out = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert out.returncode == 0, out.stdout + out.stderr
        assert "System check identified no issues" in out.stdout
