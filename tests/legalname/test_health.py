import pytest
from django.db import connection

from models_registry.serving import model_server


@pytest.fixture(autouse=True)
def _fresh_server():
    model_server.reset()
    yield
    model_server.reset()


def test_health_is_always_ok(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_ready_names_the_missing_model(client):
    response = client.get("/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["model"]
    assert body["checks"]["database"]["ok"] and body["checks"]["broker"]["ok"]
    assert "no active model" in body["checks"]["model"]["error"]


@pytest.mark.django_db
def test_ready_is_ok_with_an_active_loaded_model(client, active_model_version):
    response = client.get("/ready")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ok"


def test_ready_503_names_the_database_when_it_is_unreachable(client, django_db_blocker):
    saved = dict(connection.settings_dict)
    with django_db_blocker.unblock():
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent-folder/legalname.sqlite3"
        else:
            connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "1"
        try:
            response = client.get("/ready")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(saved)
    assert response.status_code == 503
    body = response.json()
    assert "database" in body["failing"]
    assert body["checks"]["database"]["error"]


@pytest.mark.django_db
def test_ready_503_names_the_broker_when_it_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.LEGALNAME_BROKER_CHECK_TIMEOUT = 0.5
    response = client.get("/ready")
    assert response.status_code == 503
    assert "broker" in response.json()["failing"]
