import datetime as dt
import random

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from feedback.models import Feedback
from feedback.selectors import feedback_latest_for_prediction, review_queue_next
from tests.comparisons.factories import PredictionFactory
from tests.users import make_user


@pytest.fixture
def analyst_client(client, analyst, settings):
    settings.LEGALNAME_REVIEW_AUDIT_SHARE = 0.0  # deterministic order unless a test says otherwise
    client.force_login(analyst)
    return client


@pytest.fixture
def three(analyst):
    """Three unreviewed predictions: confidence 0.9, 0.55 (least certain), 0.7."""
    return [PredictionFactory(user=analyst, confidence=c, name1=f"Name {c}") for c in (0.9, 0.55, 0.7)]


def _shown(client):
    response = client.get(reverse("feedback:queue"))
    assert response.status_code == 200
    return response.context["prediction"], response


def _post(client, prediction, action, note=""):
    return client.post(reverse("feedback:decide"), {"prediction": str(prediction.pk), "action": action, "note": note})


@pytest.mark.django_db
class TestReviewQueue:
    def test_least_certain_first_and_pinned_across_reloads(self, analyst_client, three):
        first, response = _shown(analyst_client)
        assert first == three[1]
        assert b"least certain" in response.content and b"<kbd>c</kbd>" in response.content
        assert _shown(analyst_client)[0] == first

    def test_confirm_records_the_models_verdict(self, analyst_client, analyst, three):
        first, _ = _shown(analyst_client)
        response = _post(analyst_client, first, "confirm", note="looks right")
        assert response.status_code == 302
        fb = Feedback.objects.get()
        assert (fb.prediction, fb.user, fb.user_correction, fb.feedback_text) == (
            first,
            analyst,
            first.material,
            "looks right",
        )
        nxt, response = _shown(analyst_client)
        assert nxt == three[2] and response.context["today"] == 1

    @pytest.mark.parametrize(("share", "audit"), [(1.0, True), (0.0, False)])
    def test_a_decision_on_an_audit_draw_is_marked_audit(self, analyst_client, three, settings, share, audit):
        settings.LEGALNAME_REVIEW_AUDIT_SHARE = share
        shown, _ = _shown(analyst_client)
        _post(analyst_client, shown, "correct")
        assert Feedback.objects.get().audit is audit

    def test_correct_records_the_opposite_verdict(self, analyst_client, three):
        first, _ = _shown(analyst_client)
        _post(analyst_client, first, "correct")
        assert Feedback.objects.get().user_correction is (not first.material)

    def test_skip_records_nothing_and_undo_brings_it_back(self, analyst_client, three):
        first, _ = _shown(analyst_client)
        _post(analyst_client, first, "skip")
        assert not Feedback.objects.exists()
        assert _shown(analyst_client)[0] == three[2]
        analyst_client.post(reverse("feedback:undo"))
        assert _shown(analyst_client)[0] == first

    def test_undo_of_a_decision_reopens_and_a_new_decision_supersedes(self, analyst_client, analyst, three):
        first, _ = _shown(analyst_client)
        _post(analyst_client, first, "confirm")
        analyst_client.post(reverse("feedback:undo"))
        shown, response = _shown(analyst_client)
        assert shown == first and response.context["reopened"] and b"reopened" in response.content
        _post(analyst_client, first, "correct")
        rows = list(Feedback.objects.filter(prediction=first).order_by("created_at"))
        assert [r.user_correction for r in rows] == [first.material, not first.material]  # nothing deleted
        assert feedback_latest_for_prediction(prediction_id=first.pk).user_correction is (not first.material)
        assert _shown(analyst_client)[0] == three[2]

    def test_undo_then_skip_keeps_the_earlier_decision(self, analyst_client, three):
        first, _ = _shown(analyst_client)
        _post(analyst_client, first, "correct")
        analyst_client.post(reverse("feedback:undo"))
        _post(analyst_client, first, "skip")
        assert Feedback.objects.filter(prediction=first).count() == 1
        assert _shown(analyst_client)[0] == three[2]

    def test_nothing_to_undo(self, analyst_client):
        response = analyst_client.post(reverse("feedback:undo"), follow=True)
        assert b"Nothing to undo" in response.content

    def test_empty_queue(self, analyst_client):
        prediction, response = _shown(analyst_client)
        assert prediction is None and b"Nothing left to review" in response.content

    @pytest.mark.parametrize(
        "data",
        [
            {"action": "confirm"},
            {"action": "bogus"},
            {"action": "confirm", "prediction": "not-a-uuid"},
            {"action": "confirm", "prediction": "00000000-0000-0000-0000-000000000000"},
        ],
    )
    def test_bad_posts_record_nothing(self, analyst_client, three, data):
        if data.get("action") == "bogus":
            data = {**data, "prediction": str(three[0].pk)}
        response = analyst_client.post(reverse("feedback:decide"), data, follow=True)
        assert response.status_code == 200 and not Feedback.objects.exists()

    def test_get_is_not_allowed_on_decide(self, analyst_client):
        assert analyst_client.get(reverse("feedback:decide")).status_code == 405

    def test_csrf_is_enforced(self, analyst, three):
        client = Client(enforce_csrf_checks=True)
        client.force_login(analyst)
        assert _post(client, three[0], "confirm").status_code == 403
        assert not Feedback.objects.exists()


@pytest.mark.django_db
class TestReviewQueueNext:
    def test_audit_slice_draws_from_all_unreviewed(self, three):
        rng = random.Random(3)
        picks = [review_queue_next(audit_share=1.0, rng=rng) for _ in range(30)]
        assert all(audit for _, audit in picks)
        assert {p for p, _ in picks} == set(three)

    def test_share_zero_is_least_certain(self, three):
        assert review_queue_next(audit_share=0.0) == (three[1], False)

    def test_share_of_audit_items_follows_the_setting(self, three):
        rng = random.Random(11)
        audits = sum(review_queue_next(audit_share=0.1, rng=rng)[1] for _ in range(1000))
        assert 60 < audits < 140

    def test_reviewed_and_excluded_are_left_out(self, analyst, three):
        Feedback.objects.create(prediction=three[1], user=analyst, user_correction=True)
        assert review_queue_next(audit_share=0.0, exclude_ids=[str(three[2].pk)]) == (three[0], False)


@pytest.mark.django_db
class TestDecisionList:
    def test_lists_own_decisions(self, analyst_client, analyst, three):
        Feedback.objects.create(
            prediction=three[0], user=analyst, user_correction=not three[0].material, feedback_text="mine"
        )
        Feedback.objects.create(
            prediction=three[1], user=make_user("other", "analyst"), user_correction=True, feedback_text="theirs"
        )
        html = analyst_client.get(reverse("feedback:list")).content.decode()
        assert "mine" in html and "theirs" not in html and "(correction)" in html
        # an impossible date is the form's error on its field, and no rows (never a silently dropped filter)
        response = analyst_client.get(reverse("feedback:list"), {"date_from": "2026-02-30"})
        html = response.content.decode()
        assert response.status_code == 200 and "mine" not in html and 'class="error small"' in html
        assert response.context["filter"].errors.keys() == {"date_from"}

    def test_filters_by_date(self, analyst_client, analyst, three):
        with time_machine.travel(dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)):
            Feedback.objects.create(prediction=three[0], user=analyst, user_correction=True, feedback_text="january")
        Feedback.objects.create(prediction=three[1], user=analyst, user_correction=True, feedback_text="today")
        html = analyst_client.get(reverse("feedback:list"), {"date_to": "2026-01-06"}).content.decode()
        assert "january" in html and "today" not in html
        html = analyst_client.get(reverse("feedback:list"), {"date_from": "2026-01-06"}).content.decode()
        assert "today" in html and "january" not in html
