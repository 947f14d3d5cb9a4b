import pytest
from django.contrib.admin.sites import site
from django.urls import reverse

from comparisons.admin import BatchJobAdmin, PredictionAdmin
from comparisons.models import BatchJob, Prediction
from legalname.common.admin import ReadOnlyAdminMixin
from tests.comparisons.factories import PredictionFactory


def test_predictions_and_batches_are_read_only_through_the_one_mixin(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    for admin_class, model in ((PredictionAdmin, Prediction), (BatchJobAdmin, BatchJob)):
        model_admin = admin_class(model, site)
        assert isinstance(model_admin, ReadOnlyAdminMixin)
        assert not (
            model_admin.has_add_permission(request)
            or model_admin.has_change_permission(request)
            or model_admin.has_delete_permission(request)
        )
        assert model_admin.has_view_permission(request)


@pytest.mark.django_db
def test_probabilities_are_shown_rounded(client, admin_user, analyst):
    prediction = PredictionFactory(
        user=analyst, probability_material=0.30231682528770104, confidence=0.69768317471229896, latency_ms=1.23456
    )
    model_admin = PredictionAdmin(Prediction, site)
    assert (model_admin.probability_rounded(prediction), model_admin.confidence_rounded(prediction)) == (
        "0.302",
        "0.698",
    )
    assert model_admin.latency(prediction) == "1.2"

    client.force_login(admin_user)
    page = client.get(reverse("admin:comparisons_prediction_change", args=[prediction.pk])).content.decode()
    assert "0.302" in page and "0.698" in page and "0.3023168" not in page
    assert "0.698" in client.get(reverse("admin:comparisons_prediction_changelist")).content.decode()


@pytest.mark.django_db
def test_reasons_are_a_list_of_sentences_not_json(client, admin_user, analyst):
    prediction = PredictionFactory(user=analyst)
    html = str(PredictionAdmin(Prediction, site).reasons_display(prediction))
    assert (
        html
        == '<ul class="reasons"><li>legal form differs: LLC vs Inc <span class="quiet">(legal_form_changed)</span></li></ul>'
    )
    client.force_login(admin_user)
    page = client.get(reverse("admin:comparisons_prediction_change", args=[prediction.pk])).content.decode()
    assert "legal form differs: LLC vs Inc" in page and '"kind"' not in page and "&quot;kind&quot;" not in page
