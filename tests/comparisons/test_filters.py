"""The predictions list's FilterSet, applied by ``prediction_list``: typed values, a bad one names its field."""

import pytest
from django.core.exceptions import ValidationError

from comparisons.selectors import prediction_list
from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory


@pytest.mark.django_db
def test_prediction_list_rejects_a_bad_query():
    with pytest.raises(ValidationError) as raised:
        prediction_list(filters={"model_version": "v3", "created_after": "soon"})
    assert set(raised.value.message_dict) == {"model_version", "created_after"}


@pytest.mark.django_db
def test_reviewed_means_an_analyst_has_decided(analyst):
    decided = PredictionFactory(user=analyst, name1="Decided")
    open_ = PredictionFactory(user=analyst, name1="Open")
    feedback_create(prediction=decided, user=analyst, user_correction=True)
    feedback_create(prediction=decided, user=analyst, user_correction=False)  # two decisions: still one row
    assert list(prediction_list(filters={"reviewed": "true"})) == [decided]
    assert list(prediction_list(filters={"reviewed": "false"})) == [open_]
    assert prediction_list(filters={}).count() == 2
