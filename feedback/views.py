"""Analysts' decisions: the review queue, their own decisions, and the history of their comparisons with the decision
in force on each (feedback owns which decision is in force, so the history page lives here).

The review queue: one prediction at a time, least certain first plus a random audit slice.

Every confirm or correct is a new Feedback row (append-only). The queue's own state lives in the session:
the item on screen (pinned, so reloading cannot re-draw the audit sample), the items skipped and an undo stack.
Undo never deletes: undoing a skip brings the item back; undoing a decision reopens the item so that the next
confirm or correct appends a row that supersedes the earlier one (``s`` keeps the earlier decision).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import AuthenticatedHttpRequest, analyst_required
from comparisons.engine.explain import verdict_label
from comparisons.selectors import batch_job_list, prediction_get
from feedback.filters import DecisionFilter, HistoryFilter
from feedback.selectors import (
    feedback_count_today,
    feedback_latest_for_prediction,
    feedback_user_list,
    prediction_history_list,
    review_queue_list,
    review_queue_next,
)
from feedback.services import feedback_create

SESSION_KEY = "review_queue"
MAX_SKIPPED = 1000
MAX_UNDO = 50
NOTE_MAX_LENGTH = 2000
DECISIONS_PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 50


def _state(request: HttpRequest) -> dict:
    state = request.session.get(SESSION_KEY) or {}
    return {
        "current": state.get("current"),
        "audit": bool(state.get("audit")),
        "reopened": state.get("reopened"),
        "skipped": list(state.get("skipped", [])),
        "undo": list(state.get("undo", [])),
    }


def _save(request: HttpRequest, state: dict) -> None:
    state["skipped"] = state["skipped"][-MAX_SKIPPED:]
    state["undo"] = state["undo"][-MAX_UNDO:]
    request.session[SESSION_KEY] = state


def _still_open(prediction_id, skipped: list) -> bool:
    return prediction_id not in skipped and review_queue_list().filter(pk=prediction_id).exists()


@analyst_required
@require_GET
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = _state(request)
    prediction, audit, previous = None, False, None
    if state["reopened"]:
        prediction = prediction_get(prediction_id=state["reopened"])
        previous = feedback_latest_for_prediction(prediction_id=state["reopened"]) if prediction else None
        if prediction is None:
            state["reopened"] = None
    if prediction is None and state["current"] and _still_open(state["current"], state["skipped"]):
        prediction, audit = prediction_get(prediction_id=state["current"]), state["audit"]
    if prediction is None:
        prediction, audit = review_queue_next(exclude_ids=state["skipped"])
        state["current"], state["audit"] = (str(prediction.pk) if prediction else None), audit
    _save(request, state)
    return render(
        request,
        "feedback/queue.html",
        {
            "prediction": prediction,
            "audit": audit,
            "previous": previous,
            "reopened": bool(state["reopened"]),
            "today": feedback_count_today(user=request.user),
            "can_undo": bool(state["undo"]),
            "skipped": len(state["skipped"]),
            "audit_share": settings.LEGALNAME_REVIEW_AUDIT_SHARE,
        },
    )


@analyst_required
@require_POST
def decide(request: AuthenticatedHttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    prediction = (
        prediction_get(prediction_id=request.POST.get("prediction", ""))
        if _is_uuid(request.POST.get("prediction", ""))
        else None
    )
    if action not in ("confirm", "correct", "skip") or prediction is None:
        messages.error(request, "Unknown decision or prediction; nothing was recorded.")
        return redirect("feedback:queue")
    note = request.POST.get("note", "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        messages.error(request, f"The note is longer than {NOTE_MAX_LENGTH} characters; nothing was recorded.")
        return redirect("feedback:queue")
    state, pk = _state(request), str(prediction.pk)
    if action == "skip":
        if state["reopened"] != pk:  # skipping a reopened item keeps its earlier decision: nothing to hide
            state["skipped"].append(pk)
        state["undo"].append(["skip", pk])
        messages.info(request, "Skipped.")
    else:
        verdict = prediction.material if action == "confirm" else not prediction.material
        # An audit decision is one on the item the queue drew at random and pinned on screen (never a reopened one).
        audit = state["audit"] and state["current"] == pk and state["reopened"] != pk
        feedback_create(
            prediction=prediction, user=request.user, user_correction=verdict, feedback_text=note, audit=audit
        )
        state["undo"].append(["decision", pk])
        word = "Confirmed" if action == "confirm" else "Corrected to"
        messages.success(request, f"{word} {verdict_label(verdict)}.")
    if state["current"] == pk:
        state["current"] = None
    if state["reopened"] == pk:
        state["reopened"] = None
    _save(request, state)
    return redirect("feedback:queue")


@analyst_required
@require_POST
def undo(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = _state(request)
    if not state["undo"]:
        messages.info(request, "Nothing to undo.")
        return redirect("feedback:queue")
    kind, pk = state["undo"].pop()
    if kind == "skip" and pk in state["skipped"]:
        state["skipped"].remove(pk)
    state["reopened"] = pk
    if kind == "decision":
        messages.info(
            request,
            "Reopened: press c or x to record a new decision (it supersedes the earlier one; "
            "nothing is deleted), or s to keep the earlier decision.",
        )
    else:
        messages.info(request, "Skip undone.")
    _save(request, state)
    return redirect("feedback:queue")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@analyst_required
@require_GET
def decision_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The analyst's own decisions, newest first. A bad filter value shows the form's errors and no rows."""
    filterset = DecisionFilter(request.GET)  # the form the page renders; the selector applies the same FilterSet
    try:
        decisions = feedback_user_list(user=request.user, filters=request.GET)
    except ValidationError:
        decisions = feedback_user_list(user=request.user).none()
    page = Paginator(decisions, DECISIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "feedback/decision_list.html", {"filter": filterset, "page": page, "query": query.urlencode()}
    )


@analyst_required
@require_GET
def history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The analyst's predictions, newest first, each with the decision in force; the rows of one batch fold under
    that batch (the template groups consecutive rows by ``batch_id``). A bad filter value shows the form's errors
    and no rows."""
    filterset = HistoryFilter(request.GET)  # the form the page renders; the selector applies the same FilterSet
    try:
        predictions = prediction_history_list(user=request.user, filters=request.GET)
    except ValidationError:
        predictions = prediction_history_list(user=request.user).none()
    page = Paginator(predictions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    batch_ids = {p.batch_id for p in page if p.batch_id}
    if batch_ids:  # one query for the page's batches (their upload rows deferred), not one per row
        batches = {job.pk: job for job in batch_job_list(user=request.user).filter(pk__in=batch_ids)}
        for prediction in page:
            if prediction.batch_id:
                prediction.batch = batches[prediction.batch_id]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "feedback/history.html", {"filter": filterset, "page": page, "query": query.urlencode()})
