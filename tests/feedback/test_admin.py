import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from feedback.admin import FeedbackAdmin
from feedback.models import Feedback
from feedback.services import feedback_create
from legalname.common.admin import ReadOnlyAdminMixin
from tests.comparisons.factories import PredictionFactory


@pytest.mark.django_db
def test_feedback_is_append_only_and_shows_the_confidence_rounded(client, admin_user, analyst):
    feedback = feedback_create(
        prediction=PredictionFactory(user=analyst),
        user=analyst,
        user_correction=False,
        confidence_score=0.8333333333333334,
    )
    assert isinstance(FeedbackAdmin(Feedback, site), ReadOnlyAdminMixin)
    assert FeedbackAdmin(Feedback, site).confidence_rounded(feedback) == "0.83"

    client.force_login(admin_user)
    change = reverse("admin:feedback_feedback_change", args=[feedback.pk])
    page = client.get(change).content.decode()
    assert "0.83" in page and "0.8333333" not in page
    client.post(change, {"user_correction": "on"})
    feedback.refresh_from_db()
    assert feedback.user_correction is False
    assert client.get(reverse("admin:feedback_feedback_add")).status_code == 403
    assert (
        client.post(reverse("admin:feedback_feedback_delete", args=[feedback.pk]), {"post": "yes"}).status_code == 403
    )
    assert Feedback.objects.count() == 1
