import threading

import pytest

from comparisons.services import prediction_create
from models_registry.models import ModelVersion
from models_registry.services.deployment import model_version_activate, model_version_rollback
from models_registry.serving import model_server
from tests.models_registry.utils import corrupt


@pytest.mark.django_db
class TestModelServerBlueGreen:
    def test_nothing_served_until_a_version_is_active(self, client, register_version):
        register_version()
        assert model_server.current() is None
        assert client.get("/ready").status_code == 503

    def test_switch_is_picked_up_without_restart_and_the_old_model_stays_loaded(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        first = model_server.current()
        assert first.version_id == str(v1.pk)

        model_version_activate(model_version=v2, user=admin_user)
        second = model_server.current()
        assert second.version_id == str(v2.pk)
        assert model_server.previous() is first  # kept in memory for an instant rollback

        model_version_rollback(model_name=v1.name, user=admin_user)
        assert model_server.current() is first  # the very same object: nothing was loaded again

    def test_switch_waits_for_the_check_interval(self, register_version, admin_user, settings):
        import time_machine

        settings.LEGALNAME_MODEL_CHECK_SECONDS = 5
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        with time_machine.travel(0, tick=False) as traveller:
            assert model_server.current().version_id == str(v1.pk)
            model_version_activate(model_version=v2, user=admin_user)
            traveller.shift(4)
            assert model_server.current().version_id == str(v1.pk)  # within the interval: no database read
            traveller.shift(2)
            assert model_server.current().version_id == str(v2.pk)

    def test_requests_do_not_wait_while_another_thread_checks_or_loads(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        first = model_server.current()
        model_version_activate(model_version=v2, user=admin_user)
        with model_server._lock:  # another thread is busy loading
            assert model_server.current() is first  # answered at once with the model in hand
        assert model_server.current().version_id == str(v2.pk)

    def test_server_refuses_a_corrupt_active_version_and_keeps_serving(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        assert model_server.current().version_id == str(v1.pk)
        model_version_activate(model_version=v2, user=admin_user)
        corrupt(v2)  # broken after its activation check, before this process loads it

        served = model_server.current()

        assert served.version_id == str(v1.pk)
        v2.refresh_from_db()
        assert v2.status == ModelVersion.Status.FAILED
        assert prediction_create(user=admin_user, name1="Acme LLC", name2="Acme Inc").model_version_id == v1.pk

    def test_each_model_name_serves_its_own_active_version(self, register_version, admin_user):
        default, uk = register_version(), register_version(name="uk-policy")
        model_version_activate(model_version=default, user=admin_user)
        model_version_activate(model_version=uk, user=admin_user)

        assert model_server.current().version_id == str(default.pk)
        assert model_server.current("uk-policy").version_id == str(uk.pk)
        assert model_server.current("no-such-model") is None


def test_compares_during_switches_all_succeed_with_an_active_version(transactional_db,
                                                                    register_version, admin_user, analyst):
    v1, v2 = register_version(), register_version()
    model_version_activate(model_version=v1, user=admin_user, reason="start")
    errors: list[Exception] = []
    versions: list = []
    stop = threading.Event()

    def stream():
        from django.db import connection

        try:
            while not stop.is_set():
                prediction = prediction_create(user=analyst, name1="Acme Holdings LLC", name2="ACME HOLDINGS INC")
                versions.append(prediction.model_version_id)
        except Exception as exc:  # any failure of a request is what this test looks for
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=stream) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(3):
            model_version_activate(model_version=v2, user=admin_user, reason="switch")
            model_version_rollback(model_name=v1.name, user=admin_user, reason="back")
        model_version_activate(model_version=v2, user=admin_user, reason="final")
        while len(versions) < 40 and not errors:
            threading.Event().wait(0.05)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert set(versions) <= {v1.pk, v2.pk}
    assert v2.pk in versions
