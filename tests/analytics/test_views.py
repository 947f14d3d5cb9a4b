"""Each role lands on its own start page; a manager's is an overview of what they can read, not a 403."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.urls import reverse

from analytics.views import ADMIN_VIEWS
from tests.users import make_user

PASSWORD = "pw-for-tests-123"


@pytest.mark.django_db
class TestStartPage:
    @pytest.mark.parametrize(
        "role, start",
        [("analyst", "/compare/"), ("manager", "/analytics/"), ("admin", "/admin/")],
    )
    def test_login_lands_each_role_on_its_start_page(self, client, role, start):
        make_user(f"{role}-login", role)
        response = client.post(reverse("login"), {"username": f"{role}-login", "password": PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0] == start and response.status_code == 200

    def test_a_superuser_without_a_role_starts_in_the_admin(self, client):
        client.force_login(User.objects.create_superuser("root", password=PASSWORD))
        assert client.get("/").url == reverse("admin:index")

    def test_a_user_without_a_role_is_told_so(self, client):
        client.force_login(User.objects.create_user("nobody", password=PASSWORD))
        response = client.get("/")
        assert response.status_code == 403 and b"no role yet" in response.content

    def test_anonymous_goes_to_the_login_page(self, client):
        assert client.get("/").url == f"{reverse('login')}?next=/"


@pytest.mark.django_db
class TestManagerHome:
    def test_lists_what_a_manager_can_read(self, client, manager, django_assert_max_num_queries):
        client.force_login(manager)
        with django_assert_max_num_queries(8):
            response = client.get(reverse("analytics:home"))
        html = response.content.decode()
        assert response.status_code == 200
        for url_name in (
            "admin:comparisons_prediction_changelist",
            "admin:feedback_feedback_changelist",
            "admin:models_registry_modelversion_changelist",
            "admin:models_registry_modelmetric_changelist",
        ):
            assert f'href="{reverse(url_name)}"' in html, url_name
        assert 'href="/api/v1/predictions/"' in html and 'href="/api/v1/feedback/"' in html
        assert 'href="/api/docs/"' in html and "Coming next" in html
        # the nav shows the manager their overview and the admin, not the analyst pages they cannot use
        assert 'href="/analytics/" aria-current="page"' in html and 'href="/admin/"' in html
        assert 'href="/compare/"' not in html

    def test_every_listed_admin_view_opens_read_only(self, client, manager):
        client.force_login(manager)
        html = client.get(reverse("analytics:home")).content.decode()
        for _, _, _, url_name in ADMIN_VIEWS:
            url = reverse(url_name)
            assert url in html
            page = client.get(url)
            assert page.status_code == 200, url
            assert b'name="action"' not in page.content and b"addlink" not in page.content, url

    def test_a_manager_changes_nothing_in_the_admin(self, client, manager, model_version):
        client.force_login(manager)
        change = reverse("admin:models_registry_modelversion_change", args=[model_version.pk])
        assert client.post(change, {"threshold": "0.1"}).status_code == 403
        assert client.get(reverse("admin:auth_user_changelist")).status_code == 403

    def test_an_analyst_is_refused(self, client, analyst):
        client.force_login(analyst)
        response = client.get(reverse("analytics:home"))
        assert response.status_code == 403 and b"manager role" in response.content

    def test_an_admin_may_look(self, client, admin_user):
        client.force_login(admin_user)
        assert client.get(reverse("analytics:home")).status_code == 200


@pytest.mark.django_db
def test_managers_made_before_the_change_become_staff():
    manager = make_user("old-manager", "manager")
    analyst = make_user("old-analyst", "analyst")
    User.objects.filter(pk__in=[manager.pk, analyst.pk]).update(is_staff=False)
    import_module("accounts.migrations.0002_managers_are_staff").managers_are_staff(apps, None)
    manager.refresh_from_db(), analyst.refresh_from_db()
    assert manager.is_staff and not analyst.is_staff
    assert Group.objects.get(name="manager").permissions.filter(codename__startswith="change_").count() == 0
