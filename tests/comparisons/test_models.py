import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tests.comparisons.factories import PredictionFactory


@pytest.mark.django_db
class TestPredictionConstraints:
    def test_probability_outside_0_1_is_refused(self, analyst):
        with pytest.raises(IntegrityError), transaction.atomic():
            PredictionFactory(user=analyst, probability_material=1.2)

    def test_confidence_below_half_is_refused(self, analyst):
        with pytest.raises(IntegrityError), transaction.atomic():
            PredictionFactory(user=analyst, confidence=0.3)

    def test_user_with_predictions_cannot_be_deleted(self, analyst):
        PredictionFactory(user=analyst)
        with pytest.raises(ProtectedError):
            analyst.delete()
