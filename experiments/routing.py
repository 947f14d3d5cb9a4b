"""Experiment routing: which running experiment a comparison falls under, and which arm its subject gets.

The assignment is a pure function of (experiment id, subject): SHA-256 of the two, its first 64 bits read as a number
in [0, 1), arm B when that number is below ``traffic_split``. So the same subject always gets the same arm for the
life of the experiment (the split is frozen once started), in every process, with nothing stored to look up, and
subjects spread over the arms in the split's proportions (SHA-256 is uniform for this purpose). Keying the hash by
the experiment id re-draws the arms in each new experiment, so one experiment's arm B is not the next one's.

The subject is the unit of randomisation: the user (an API client is its user), or the id a caller supplies for its
own end users, namespaced by the caller's user so that two clients' ids never collide.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings

from experiments.models import Experiment

if TYPE_CHECKING:
    from django.contrib.auth.models import User

SUBJECT_MAX_LENGTH = 100  # a caller-supplied subject id (the API field's limit)
SUBJECT_PATTERN = r"^[A-Za-z0-9._:@-]+$"


def experiment_running_get(*, model_name: str | None = None) -> Experiment | None:
    """The running experiment on ``model_name`` (default model if None), if any: one indexed query (at most one row,
    a database constraint)."""
    name = model_name or settings.LEGALNAME_MODEL_NAME
    return Experiment.objects.filter(model_name=name, is_active=True).select_related("model_a", "model_b").first()


def experiment_subject(*, user: User, subject: str | None = None) -> str:
    """The subject key a comparison is routed by: the user, or the caller's own subject id under its user."""
    if subject:
        return f"user:{user.pk}/subject:{subject}"
    return f"user:{user.pk}"


def assignment_unit(experiment_key: str, subject: str) -> float:
    """A number in [0, 1) drawn from (experiment key, subject) by SHA-256; the same inputs give the same number."""
    digest = hashlib.sha256(f"{experiment_key}\x1f{subject}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def experiment_assign(*, experiment: Experiment, subject: str) -> str:
    """The arm ("A" or "B") of ``subject`` in ``experiment``: B when its hash unit falls below the split."""
    if assignment_unit(str(experiment.pk), subject) < experiment.traffic_split:
        return Experiment.Variant.B
    return Experiment.Variant.A
