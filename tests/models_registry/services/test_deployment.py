import pytest

from legalname.common.exceptions import ApplicationError
from models_registry.models import ModelDeployment, ModelVersion
from models_registry.services.deployment import (
    model_version_activate,
    model_version_challenger_set,
    model_version_retire,
    model_version_rollback,
)
from models_registry.services.mlflow_registry import mlflow_alias_versions
from models_registry.serving import model_server
from tests.models_registry.utils import champion_version, corrupt, mlflow_number


def _unwritable_store(settings, tmp_path):
    """A tracking URI whose SQLite file would have to live below a regular file: every MLflow call fails."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the store's folder should be")
    settings.MLFLOW_TRACKING_URI = f"sqlite:///{blocker / 'mlflow.db'}"


@pytest.mark.django_db
class TestModelVersionActivate:
    def test_activate_moves_flag_alias_and_history_together(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user, reason="first")
        model_version_activate(model_version=v2, user=admin_user, reason="better on golden")

        v1.refresh_from_db(), v2.refresh_from_db()
        assert (v1.is_active, v2.is_active) == (False, True)
        assert v2.activated_at is not None
        assert champion_version() == mlflow_number(v2)
        last = ModelDeployment.objects.order_by("-created_at").first()
        assert (last.action, last.from_version, last.to_version, last.user, last.reason) == (
            ModelDeployment.Action.ACTIVATE,
            v1,
            v2,
            admin_user,
            "better on golden",
        )

    def test_registration_does_not_leak_the_store_into_the_environment(self, register_version, monkeypatch):
        import os

        monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
        register_version()
        assert "MLFLOW_TRACKING_URI" not in os.environ

    def test_mlflow_failure_rolls_the_database_back(self, register_version, admin_user, settings, tmp_path):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user, reason="first")
        good_store = settings.MLFLOW_TRACKING_URI
        _unwritable_store(settings, tmp_path)

        with pytest.raises(ApplicationError, match="MLflow alias could not be moved"):
            model_version_activate(model_version=v2, user=admin_user, reason="should not happen")

        v1.refresh_from_db(), v2.refresh_from_db()
        assert (v1.is_active, v2.is_active) == (True, False)
        assert v2.activated_at is None
        assert ModelDeployment.objects.count() == 1
        settings.MLFLOW_TRACKING_URI = good_store
        assert champion_version() == mlflow_number(v1)

    def test_corrupt_artifact_is_refused_and_the_old_version_keeps_serving(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user, reason="first")
        assert model_server.current().version_id == str(v1.pk)
        corrupt(v2)

        with pytest.raises(ApplicationError, match="refused"):
            model_version_activate(model_version=v2, user=admin_user, reason="broken")

        v1.refresh_from_db(), v2.refresh_from_db()
        assert v1.is_active and not v2.is_active
        assert v2.status == ModelVersion.Status.FAILED  # the refusal is recorded although nothing switched
        assert ModelDeployment.objects.filter(to_version=v2).count() == 0
        assert champion_version() == mlflow_number(v1)
        assert model_server.current().version_id == str(v1.pk)

    def test_retired_and_already_active_versions_are_refused(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        with pytest.raises(ApplicationError, match="already active"):
            model_version_activate(model_version=v1, user=admin_user)
        model_version_retire(model_version=v2, user=admin_user, reason="obsolete")
        with pytest.raises(ApplicationError, match="retired"):
            model_version_activate(model_version=v2, user=admin_user)
        assert ModelDeployment.objects.filter(action=ModelDeployment.Action.ACTIVATE).count() == 1


@pytest.mark.django_db
class TestModelVersionRollback:
    def test_rollback_reactivates_the_previous_version(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_activate(model_version=v2, user=admin_user)

        restored = model_version_rollback(model_name=v1.name, user=admin_user, reason="v2 misbehaves")

        assert restored == v1
        assert ModelVersion.objects.get(is_active=True) == v1
        assert champion_version() == mlflow_number(v1)
        last = ModelDeployment.objects.order_by("-created_at").first()
        assert (last.action, last.from_version, last.to_version, last.user, last.reason) == (
            ModelDeployment.Action.ROLLBACK,
            v2,
            v1,
            admin_user,
            "v2 misbehaves",
        )

    def test_rollback_without_a_previous_version_is_an_error(self, register_version, admin_user):
        v1 = register_version()
        model_version_activate(model_version=v1, user=admin_user)
        with pytest.raises(ApplicationError, match="no previous version"):
            model_version_rollback(model_name=v1.name, user=admin_user)
        assert ModelVersion.objects.get(is_active=True) == v1

    def _chain(self, register_version, admin_user, n=3, name="legal-name-comparator"):
        versions = [register_version(name=name) for _ in range(n)]
        for version in versions:
            model_version_activate(model_version=version, user=admin_user)
        return versions

    def test_rollback_goes_back_not_forth(self, register_version, admin_user):
        a, b, c = self._chain(register_version, admin_user)

        assert model_version_rollback(model_name=a.name, user=admin_user) == b
        assert model_version_rollback(model_name=a.name, user=admin_user) == a  # not back to C
        with pytest.raises(ApplicationError, match="no previous version") as raised:
            model_version_rollback(model_name=a.name, user=admin_user)

        assert raised.value.status_code == 400
        assert ModelVersion.objects.get(is_active=True) == a
        assert champion_version() == mlflow_number(a)
        rollbacks = ModelDeployment.objects.filter(action=ModelDeployment.Action.ROLLBACK).order_by("created_at")
        assert [(d.from_version, d.to_version) for d in rollbacks] == [(c, b), (b, a)]

    def test_a_version_activated_again_after_a_rollback_is_back_on_the_history(self, register_version, admin_user):
        a, b, c = self._chain(register_version, admin_user)
        d = register_version()
        model_version_rollback(model_name=a.name, user=admin_user)  # C -> B
        model_version_activate(model_version=d, user=admin_user)  # B -> D
        assert model_version_rollback(model_name=a.name, user=admin_user) == b
        model_version_activate(model_version=c, user=admin_user)  # C chosen again on purpose
        assert model_version_rollback(model_name=a.name, user=admin_user) == b
        assert model_version_rollback(model_name=a.name, user=admin_user) == a

    def test_retired_and_failed_versions_are_skipped(self, register_version, admin_user):
        a, b, c, d = self._chain(register_version, admin_user, n=4)
        model_version_retire(model_version=c, user=admin_user)
        ModelVersion.objects.filter(pk=b.pk).update(status=ModelVersion.Status.FAILED)

        assert model_version_rollback(model_name=a.name, user=admin_user) == a

    def test_each_model_name_has_its_own_history(self, register_version, admin_user):
        a, b = self._chain(register_version, admin_user, n=2)
        uk1, uk2 = self._chain(register_version, admin_user, n=2, name="uk-policy")
        assert model_version_rollback(model_name="uk-policy", user=admin_user) == uk1
        assert model_version_rollback(model_name=a.name, user=admin_user) == a
        with pytest.raises(ApplicationError, match="no previous version"):
            model_version_rollback(model_name="uk-policy", user=admin_user)

    def test_nothing_active_is_a_clear_error(self, register_version, admin_user):
        register_version()
        with pytest.raises(ApplicationError, match="no version is active") as raised:
            model_version_rollback(model_name="legal-name-comparator", user=admin_user)
        assert raised.value.status_code == 400 and not ModelDeployment.objects.exists()

    def test_a_history_from_toggling_rollbacks_still_goes_back(self, register_version, admin_user):
        """A rollback recorded under the old meaning (back to the version just left) replaces that version."""
        a, b, c = self._chain(register_version, admin_user)
        model_version_rollback(model_name=a.name, user=admin_user)  # C -> B
        # what the old toggle did next: B -> C, recorded as a rollback
        model_version_activate(model_version=c, user=admin_user, action=ModelDeployment.Action.ROLLBACK)

        assert model_version_rollback(model_name=a.name, user=admin_user) == a

    def test_a_switch_by_someone_else_meanwhile_is_a_409_and_changes_nothing(self, register_version, admin_user):
        a, b, c = self._chain(register_version, admin_user)
        before = ModelDeployment.objects.count()
        # the rollback chose B while it saw A active; C has been activated since
        with pytest.raises(ApplicationError, match="someone else") as raised:
            model_version_activate(
                model_version=b, user=admin_user, action=ModelDeployment.Action.ROLLBACK, replacing=a
            )
        assert raised.value.status_code == 409
        with pytest.raises(ApplicationError, match="someone else"):  # and the target itself already active
            model_version_activate(model_version=c, user=admin_user, replacing=b)
        assert ModelVersion.objects.get(is_active=True) == c and ModelDeployment.objects.count() == before
        assert champion_version() == mlflow_number(c)


@pytest.mark.django_db
class TestModelVersionRetire:
    def test_active_version_cannot_be_retired(self, register_version, admin_user):
        v1 = register_version()
        model_version_activate(model_version=v1, user=admin_user)
        with pytest.raises(ApplicationError, match="is active"):
            model_version_retire(model_version=v1, user=admin_user)
        v1.refresh_from_db()
        assert v1.status == ModelVersion.Status.REGISTERED

    def test_retire_records_history(self, register_version, admin_user):
        v1 = register_version()
        model_version_retire(model_version=v1, user=admin_user, reason="superseded")
        v1.refresh_from_db()
        assert v1.status == ModelVersion.Status.RETIRED
        assert ModelDeployment.objects.get().action == ModelDeployment.Action.RETIRE


@pytest.mark.django_db
class TestModelVersionChallengerSet:
    def test_status_and_alias_move_together(self, register_version, admin_user):
        v1, v2, v3 = register_version(), register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_challenger_set(model_version=v2, user=admin_user, reason="try v2")
        model_version_challenger_set(model_version=v3, user=admin_user, reason="try v3 instead")

        statuses = dict(ModelVersion.objects.values_list("version", "status"))
        assert statuses == {v1.version: "registered", v2.version: "registered", v3.version: "challenger"}
        aliases = mlflow_alias_versions(model_name=v1.name)
        assert aliases == {"champion": mlflow_number(v1), "challenger": mlflow_number(v3)}
        assert ModelDeployment.objects.filter(action=ModelDeployment.Action.CHALLENGER).count() == 2

    def test_promoting_the_challenger_drops_the_challenger_alias(self, register_version, admin_user):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_challenger_set(model_version=v2, user=admin_user)
        model_version_activate(model_version=v2, user=admin_user, reason="challenger won")

        v2.refresh_from_db()
        assert v2.is_active and v2.status == ModelVersion.Status.REGISTERED
        assert mlflow_alias_versions(model_name=v1.name) == {"champion": mlflow_number(v2)}

    def test_active_version_cannot_be_challenger(self, register_version, admin_user):
        v1 = register_version()
        model_version_activate(model_version=v1, user=admin_user)
        with pytest.raises(ApplicationError, match="champion"):
            model_version_challenger_set(model_version=v1, user=admin_user)

    def test_mlflow_failure_leaves_the_status_unchanged(self, register_version, admin_user, settings, tmp_path):
        v1 = register_version()
        _unwritable_store(settings, tmp_path)
        with pytest.raises(ApplicationError, match="MLflow"):
            model_version_challenger_set(model_version=v1, user=admin_user)
        v1.refresh_from_db()
        assert v1.status == ModelVersion.Status.REGISTERED
        assert not ModelDeployment.objects.exists()


@pytest.mark.django_db
class TestSwitchConflicts:
    def test_a_constraint_refusal_becomes_a_409_and_changes_nothing(self, register_version, admin_user):
        """The database refusing the switch (as the one-active constraint does when two switches race) is a 409."""
        from django.db import connection

        if connection.vendor != "sqlite":
            pytest.skip("the refusal is injected with a SQLite trigger")
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TRIGGER refuse_activation BEFORE UPDATE OF is_active ON models_registry_modelversion "
                "WHEN NEW.is_active = 1 BEGIN SELECT RAISE(ABORT, "
                "'UNIQUE constraint failed: models_registry_modelversion.name'); END"
            )
        try:
            with pytest.raises(ApplicationError) as raised:
                model_version_activate(model_version=v2, user=admin_user, reason="races another switch")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TRIGGER refuse_activation")

        assert raised.value.status_code == 409
        v1.refresh_from_db(), v2.refresh_from_db()
        assert (v1.is_active, v2.is_active) == (True, False)
        assert ModelDeployment.objects.count() == 1
        assert champion_version() == mlflow_number(v1)

    def test_a_failed_challenger_alias_removal_moves_the_champion_back(
        self, register_version, admin_user, mlflow_store
    ):
        """The second MLflow call of a promotion fails after the first moved ``champion``: neither side changes."""
        import sqlite3

        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=admin_user)
        model_version_challenger_set(model_version=v2, user=admin_user)
        store = sqlite3.connect(mlflow_store / "mlflow.db")
        store.execute(
            "CREATE TRIGGER keep_challenger BEFORE DELETE ON registered_model_aliases "
            "WHEN OLD.alias = 'challenger' BEGIN SELECT RAISE(ABORT, 'alias store is read-only'); END"
        )
        store.commit()
        try:
            with pytest.raises(ApplicationError, match="MLflow alias could not be moved"):
                model_version_activate(model_version=v2, user=admin_user, reason="challenger won")
        finally:
            store.execute("DROP TRIGGER keep_challenger")
            store.commit()
            store.close()

        assert mlflow_alias_versions(model_name=v1.name) == {
            "champion": mlflow_number(v1),
            "challenger": mlflow_number(v2),
        }
        v1.refresh_from_db(), v2.refresh_from_db()
        assert v1.is_active and not v2.is_active and v2.status == ModelVersion.Status.CHALLENGER


def test_concurrent_activations_of_one_name_never_500(transactional_db, register_version, admin_user):
    import threading

    versions = [register_version() for _ in range(4)]
    outcomes: list = []

    def activate(version):
        from django.db import connection

        try:
            model_version_activate(model_version=version, user=admin_user)
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.status_code)
        except Exception as exc:  # an IntegrityError here is the bug
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=activate, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 4 and not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert ModelVersion.objects.filter(is_active=True).count() == 1
    assert ModelDeployment.objects.count() == outcomes.count("ok")
