import threading

import pytest

from comparisons.services import prediction_create
from models_registry.models import ModelVersion
from models_registry.selectors import model_version_rollback_target_get
from models_registry.services.deployment import (
    model_version_activate,
    model_version_retire,
    model_version_rollback,
)
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

        model_version_rollback(model_name=v1.name, user=admin_user)
        assert model_server.current() is first  # the very same object, kept in memory: nothing was loaded again

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
        assert "cannot load model" in v2.status_detail
        assert prediction_create(user=admin_user, name1="Acme LLC", name2="Acme Inc").model_version_id == v1.pk

    def test_a_fresh_process_falls_back_to_the_previously_active_version(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_activate(model_version=v2, user=admin_user)
        corrupt(v2)
        model_server.reset()  # a freshly started worker: nothing loaded yet

        served = model_server.current()

        assert served is not None and served.version_id == str(v1.pk)
        v2.refresh_from_db()
        assert v2.is_active and v2.status == ModelVersion.Status.FAILED
        assert "cannot load model" in v2.status_detail and v2.artifact_path in v2.status_detail
        assert prediction_create(user=admin_user, name1="Acme LLC", name2="Acme Inc").model_version_id == v1.pk

    def test_the_fallback_skips_retired_and_failed_versions(self, register_version, admin_user):
        v1, v2, v3, v4 = register_version(), register_version(), register_version(), register_version()
        for version in (v1, v2, v3, v4):
            model_version_activate(model_version=version, user=admin_user)
        model_version_retire(model_version=v3, user=admin_user)
        ModelVersion.objects.filter(pk=v2.pk).update(status=ModelVersion.Status.FAILED)
        corrupt(v4)

        assert model_server.current().version_id == str(v1.pk)

    def test_the_fallback_follows_rollbacks_back_and_forth(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_activate(model_version=v2, user=admin_user)
        model_version_rollback(model_name=v1.name, user=admin_user)
        model_version_activate(model_version=v2, user=admin_user)
        corrupt(v2)

        assert model_server.current().version_id == str(v1.pk)

    def test_after_a_rollback_a_fresh_process_falls_back_where_the_rollback_would_go(
        self, register_version, admin_user
    ):
        a, b, c = register_version(), register_version(), register_version()
        for version in (a, b, c):
            model_version_activate(model_version=version, user=admin_user)
        model_version_rollback(model_name=a.name, user=admin_user)  # C -> B: the admin left C
        corrupt(b)
        model_server.reset()  # a freshly started worker

        served = model_server.current()

        assert served is not None and served.version_id == str(a.pk)  # not C, the version rolled back from
        assert model_version_rollback_target_get(model_name=a.name) == a  # the rollback's answer is the same

    def test_after_a_rollback_a_process_still_holding_the_version_left_falls_back_too(
        self, register_version, admin_user
    ):
        a, b, c = register_version(), register_version(), register_version()
        for version in (a, b, c):
            model_version_activate(model_version=version, user=admin_user)
        assert model_server.current().version_id == str(c.pk)
        model_version_rollback(model_name=a.name, user=admin_user)  # C -> B
        corrupt(b)  # broken after the rollback's load check, before this process loads it

        assert model_server.current().version_id == str(a.pk)
        b.refresh_from_db()
        assert b.is_active and b.status == ModelVersion.Status.FAILED

    def test_nothing_served_when_no_earlier_version_loads(self, register_version, admin_user):
        v1 = register_version()
        model_version_activate(model_version=v1, user=admin_user)
        corrupt(v1)
        assert model_server.current() is None
        v1.refresh_from_db()
        assert v1.status == ModelVersion.Status.FAILED and v1.status_detail

    def test_a_failed_version_is_retried_only_after_the_retry_interval(
        self, register_version, admin_user, settings, small_comparator_path
    ):
        import shutil

        import time_machine

        settings.LEGALNAME_MODEL_RETRY_SECONDS = 60
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_activate(model_version=v2, user=admin_user)
        corrupt(v2)
        with time_machine.travel(0, tick=False) as traveller:
            assert model_server.current().version_id == str(v1.pk)
            shutil.copyfile(small_comparator_path, v2.artifact_path)  # repaired on disk
            traveller.shift(59)
            assert model_server.current().version_id == str(v1.pk)  # not retried within the interval
            traveller.shift(2)
            assert model_server.current().version_id == str(v2.pk)  # retried, and it loads now

    def test_each_model_name_serves_its_own_active_version(self, register_version, admin_user):
        default, uk = register_version(), register_version(name="uk-policy")
        model_version_activate(model_version=default, user=admin_user)
        model_version_activate(model_version=uk, user=admin_user)

        assert model_server.current().version_id == str(default.pk)
        assert model_server.current("uk-policy").version_id == str(uk.pk)
        assert model_server.current("no-such-model") is None


def _active_intervals(name: str, settled: dict) -> list[tuple]:
    """(version id, from, until) for each switch: a version may be served from its switch's created_at (the switch
    starts inside the transaction that commits it) until the next switch has settled, i.e. until the switching thread
    saw the server hand out the next version (``settled``: deployment id -> that instant)."""
    from models_registry.models import ModelDeployment

    switches = list(ModelDeployment.objects.filter(model_name=name).order_by("created_at"))
    intervals = []
    for i, switch in enumerate(switches):
        until = settled[switches[i + 1].pk] if i + 1 < len(switches) else None
        intervals.append((switch.to_version_id, switch.created_at, until))
    return intervals


def test_compares_during_switches_all_succeed_with_an_active_version(
    transactional_db, register_version, admin_user, analyst
):
    from django.utils import timezone

    from models_registry.models import ModelDeployment

    v1, v2 = register_version(), register_version()
    settled: dict = {}
    errors: list[Exception] = []
    requests: list[tuple] = []  # (start, end, version id)
    stop = threading.Event()

    def switch(call, to, **kwargs):
        call(user=admin_user, **kwargs)
        # Settled once this thread itself is handed the new version: from then on every request gets it.
        while model_server.current().version_id != str(to.pk):
            threading.Event().wait(0.001)
        settled[ModelDeployment.objects.order_by("-created_at").values_list("pk", flat=True).first()] = timezone.now()

    def wait_for(condition):
        while not condition() and not errors:
            threading.Event().wait(0.01)

    def stream():
        from django.db import connection

        try:
            while not stop.is_set():
                start = timezone.now()
                prediction = prediction_create(user=analyst, name1="Acme Holdings LLC", name2="ACME HOLDINGS INC")
                requests.append((start, timezone.now(), prediction.model_version_id))
        except Exception as exc:  # any failure of a request is what this test looks for
            errors.append(exc)
        finally:
            connection.close()

    switch(model_version_activate, v1, model_version=v1, reason="start")
    model_server.get(str(v2.pk))  # preloaded, as after a first switch: every switch below is a reference swap
    threads = [threading.Thread(target=stream) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: len(requests) >= 4)
        for _ in range(3):
            switch(model_version_activate, v2, model_version=v2, reason="switch")
            switch(model_version_rollback, v1, model_name=v1.name, reason="back")
        switch(model_version_activate, v2, model_version=v2, reason="final")
        last = max(settled.values())
        wait_for(lambda: any(start > last for start, _, _ in list(requests)))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    intervals = _active_intervals(v1.name, settled)
    assert len(intervals) == 8
    for start, end, version in requests:
        # the version served was active at some instant while the request ran
        assert any(
            v == version and begin <= end and (until is None or start <= until) for v, begin, until in intervals
        ), (start, end, version, intervals)
    for (_, switched_at, _), settled_at in zip(intervals[1:], sorted(settled.values())[1:], strict=True):
        # and requests were in flight across every switch (between its start and the moment it settled)
        assert any(start <= settled_at and end >= switched_at for start, end, _ in requests), switched_at
    assert {version for _, _, version in requests} == {v1.pk, v2.pk}
