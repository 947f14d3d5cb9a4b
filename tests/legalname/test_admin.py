"""The control room: every changelist renders for an admin, in a bounded number of queries."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory

OUR_APPS = {"comparisons", "feedback", "models_registry", "experiments"}


def _our_models():
    return sorted(
        (m._meta.app_label, m._meta.model_name) for m in admin.site._registry if m._meta.app_label in OUR_APPS
    )


def test_every_model_of_ours_is_in_the_admin():
    ours = {
        (m._meta.app_label, m._meta.model_name) for label in OUR_APPS for m in apps.get_app_config(label).get_models()
    }
    assert ours == set(_our_models())


@pytest.mark.django_db
@pytest.mark.parametrize("app_label, model_name", _our_models())
def test_changelist_renders_with_bounded_queries(
    client, admin_user, analyst, app_label, model_name, django_assert_max_num_queries
):
    for i in range(5):
        prediction = PredictionFactory(user=analyst, name1=f"Acme {i}")
        feedback_create(prediction=prediction, user=analyst, user_correction=False)
    client.force_login(admin_user)
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    with django_assert_max_num_queries(25):
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(url, {"q": "Acme"}).status_code == 200


@pytest.mark.django_db
def test_analyst_cannot_enter_the_admin(client, analyst):
    client.force_login(analyst)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_feedback_and_predictions_are_read_only_in_the_admin(client, admin_user, analyst):
    prediction = PredictionFactory(user=analyst)
    client.force_login(admin_user)
    delete_url = reverse("admin:comparisons_prediction_delete", args=[prediction.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert type(prediction).objects.filter(pk=prediction.pk).exists()
