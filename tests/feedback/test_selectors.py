import random

import pytest

from feedback.selectors import review_queue_next
from feedback.services import feedback_create
from tests.comparisons.factories import PredictionFactory


class _RacingRandom(random.Random):
    """Draws the audit slice, and lets 'another analyst' decide items between the count and the fetch."""

    def __init__(self, on_draw):
        super().__init__(0)
        self.on_draw = on_draw

    def random(self):
        return 0.0  # always the audit slice

    def randrange(self, n):
        self.on_draw()
        return n - 1  # the last offset, which no longer exists once others decided


@pytest.mark.django_db
class TestReviewQueueNext:
    def test_least_certain_first(self, analyst):
        PredictionFactory(user=analyst, confidence=0.9)
        unsure = PredictionFactory(user=analyst, confidence=0.55)
        assert review_queue_next(audit_share=0) == (unsure, False)

    def test_items_decided_during_an_audit_draw_do_not_break_the_queue(self, analyst):
        predictions = [PredictionFactory(user=analyst, confidence=0.6 + i / 100) for i in range(5)]

        def others_decide():
            for p in predictions[1:]:
                feedback_create(prediction=p, user=analyst, user_correction=True)

        item, _ = review_queue_next(audit_share=1.0, rng=_RacingRandom(others_decide))
        assert item == predictions[0]  # the one still open, not an IndexError

    def test_empty_queue(self, db):
        assert review_queue_next(audit_share=1.0) == (None, False)
