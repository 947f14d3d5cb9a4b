from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.roles import FORBIDDEN, has_role
from accounts.services import demo_users_create


@pytest.mark.django_db
class TestRoles:
    def test_data_migration_creates_the_groups_with_permissions(self):
        Group.objects.all().delete()
        import_module("accounts.migrations.0001_roles").create_roles(apps, None)
        groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
        assert set(groups) == {"analyst", "manager", "admin"}
        assert {p.codename for p in groups["analyst"].permissions.all()} >= {"add_prediction", "add_feedback"}
        assert len(groups["admin"].permissions.all()) > len(groups["manager"].permissions.all()) > 0

    def test_analyst_can_compare_and_give_feedback_but_not_manage_models(self, analyst):
        assert analyst.has_perm("comparisons.add_prediction")
        assert analyst.has_perm("feedback.add_feedback")
        assert not analyst.has_perm("models_registry.change_modelversion")
        assert not analyst.has_perm("experiments.add_experiment")
        assert not analyst.is_staff

    def test_manager_reads_everything_and_writes_nothing(self, manager):
        assert manager.has_perm("comparisons.view_prediction")
        assert manager.has_perm("models_registry.view_modelmetric")
        assert not manager.has_perm("comparisons.add_prediction")
        assert not manager.has_perm("feedback.add_feedback")

    def test_admin_manages_models_experiments_schedules_and_users(self, admin_user):
        for perm in [
            "models_registry.change_modelversion",
            "experiments.add_experiment",
            "django_celery_beat.change_periodictask",
            "auth.add_user",
            "comparisons.add_prediction",
        ]:
            assert admin_user.has_perm(perm), perm
        assert admin_user.is_staff

    @pytest.mark.parametrize("perm", sorted(FORBIDDEN))
    def test_nobody_may_edit_or_delete_predictions_or_feedback(self, admin_user, perm):
        assert not admin_user.has_perm(perm)

    def test_has_role(self, analyst, manager, admin_user):
        assert has_role(analyst, "analyst") and not has_role(analyst, "manager")
        assert has_role(admin_user, "analyst")  # admins can do what analysts do
        assert not has_role(manager, "analyst")


@pytest.mark.django_db
class TestDemoUsers:
    def test_creates_one_user_per_role_once(self):
        created, password = demo_users_create(password="")
        assert created == ["analyst", "manager", "admin"]
        assert len(password) >= 12
        assert demo_users_create(password="x")[0] == []

    def test_command_uses_password_from_settings(self, settings, client, capsys):
        settings.LEGALNAME_DEMO_PASSWORD = "demo-pass-123"
        call_command("create_demo_users")
        assert "demo-pass-123" not in capsys.readouterr().out  # never echo a configured secret
        assert client.login(username="admin", password="demo-pass-123")
        assert client.get("/admin/").status_code == 200
