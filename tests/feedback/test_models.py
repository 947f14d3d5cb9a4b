import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from comparisons.models import Prediction
from feedback.models import Feedback
from feedback.selectors import feedback_for_training_list
from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory


@pytest.mark.django_db
class TestFeedback:
    def test_prediction_with_feedback_cannot_be_deleted(self, analyst):
        prediction = PredictionFactory(user=analyst)
        feedback_create(prediction=prediction, user=analyst, user_correction=False)
        with pytest.raises(ProtectedError):
            prediction.delete()
        assert Prediction.objects.filter(pk=prediction.pk).exists()
        assert Feedback.objects.count() == 1

    def test_user_with_feedback_cannot_be_deleted(self, analyst):
        prediction = PredictionFactory(user=analyst)
        feedback_create(prediction=prediction, user=analyst, user_correction=True)
        with pytest.raises(ProtectedError):
            analyst.delete()

    def test_later_decision_supersedes_earlier_and_both_are_kept(self, analyst, manager):
        prediction = PredictionFactory(user=analyst)
        first = feedback_create(prediction=prediction, user=analyst, user_correction=False)
        second = feedback_create(prediction=prediction, user=analyst, user_correction=True, feedback_text="oops")
        other = feedback_create(prediction=PredictionFactory(user=analyst), user=analyst, user_correction=False)
        assert Feedback.objects.count() == 3
        used = list(feedback_for_training_list())
        assert [f.pk for f in used] == [second.pk, other.pk]
        assert first.pk not in {f.pk for f in used}

    def test_processed_feedback_is_not_offered_again(self, analyst):
        prediction = PredictionFactory(user=analyst)
        fb = feedback_create(prediction=prediction, user=analyst, user_correction=True)
        Feedback.objects.filter(pk=fb.pk).update(processed=True)
        assert list(feedback_for_training_list()) == []

    def test_confidence_score_outside_0_1_is_refused(self, analyst):
        with pytest.raises(ValidationError):
            feedback_create(
                prediction=PredictionFactory(user=analyst), user=analyst, user_correction=True, confidence_score=3
            )
        assert Feedback.objects.count() == 0
