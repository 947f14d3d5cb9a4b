"""Retraining end to end through real processes (issue 11's bar): a ``celery beat`` on the DatabaseScheduler and a
``celery worker``, both started as subprocesses on the test's PostgreSQL database and the configured broker (Redis
in CI), while the web (pytest-django's live server, in this process) keeps serving comparisons.

Seeded analysts' decisions cross the feedback-volume trigger; at the scheduler's first tick the retraining check
queues one training, the worker trains it on those decisions, puts it through the promotion gate, and the gate
activates it or keeps it as a challenger according to the planted held-out decisions:

- **activated**: 240 decisions that ``X Holdings Ltd`` / ``X Ltd`` is immaterial (the organisation's word policy;
  the base model says material) are trained on, and 60 held-out audit decisions of the same pattern favour the
  candidate (McNemar, 60 discordant decisions all the candidate's) while golden is not worse;
- **challenger**: the same training, but the 40 held-out decisions are pairs of unrelated names, material, which
  both versions get right: not shown better, kept as challenger, the active version unchanged.

A thread keeps posting a Holdings pair to ``/api/v1/comparisons/`` on the live server the whole time; no request
may fail, and once the gate switches, the answers come from the new version (which calls the pair immaterial).
Then the admin's change pages of the run, the check and the decision show the trigger and the gate's numbers.

Small sizes through the subprocesses' environment (settings read them): 5,000 generated pairs (at 3,000 the tiny
candidate's golden balanced accuracy sits within a few thousandths of the 0.01 margin; at 5,000 it matches the
base model's), the volume trigger at 200 decisions, the golden set only. The beat's ``retraining-check`` row,
synced from code, is set to a 3-second interval and every other periodic task is paused, as an admin would; it is
paused again once the first check has queued the run, so the rows after it are few.

Needs PostgreSQL (three processes write the same rows; on SQLite the file lock would serialise them): skipped on
SQLite. The broker is whatever the settings name (the worker test's rule, ``tests.processes``).
"""

from __future__ import annotations

import os
import random
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django_celery_beat.models import IntervalSchedule, PeriodicTask, PeriodicTasks
from rest_framework.authtoken.models import Token

from feedback.models import Feedback
from models_registry.models import ModelVersion, PromotionDecision, RetrainingCheck, TrainingRun
from models_registry.schedules import periodic_tasks_sync
from models_registry.selectors import model_version_active_get
from models_registry.services.deployment import model_version_activate
from tests.models_registry.conftest import added_word_pairs, made_up_base
from tests.processes import celery_beat, celery_worker
from tests.users import make_user

pytestmark = [pytest.mark.slow, pytest.mark.services]

N_TRAINING_DECISIONS = 240
TICK_SECONDS = 3
DEADLINE_SECONDS = 420  # worker and beat start-up, one tick, a 5,000-pair training and the gate, on a loaded machine
PROBE_PAIR = ("Zenquador Holdings Ltd", "Zenquador Ltd")  # base: material; the policy-trained candidate: immaterial


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the end-to-end retraining runs a worker, a beat and the web on one database: it needs PostgreSQL")


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    """What the worker and the beat are configured with (every value a setting read from the environment)."""
    env = {
        "LEGALNAME_TRAINING_N_PAIRS": "5000",
        "LEGALNAME_RETRAIN_MIN_FEEDBACK": "200",
        "LEGALNAME_PROMOTION_MIN_DECISIONS": "30",
        "LEGALNAME_EVALUATION_SETS": "golden=comparisons/engine/data/golden_pairs.csv",
        # the store the test's register_version wrote the base version to: the gate moves its MLflow aliases
        "MLFLOW_TRACKING_URI": settings.MLFLOW_TRACKING_URI,
        "MLFLOW_ARTIFACT_ROOT": settings.MLFLOW_ARTIFACT_ROOT,
        "OMP_NUM_THREADS": "1",
    }
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        # A queue of this run's own on a shared broker, so that no other suite's worker takes these tasks
        # (legalname/settings/test.py names the queue after the xdist worker; its data folder goes under the root).
        env["PYTEST_XDIST_WORKER"] = f"e2e-retraining-{os.getpid()}"
        env["LEGALNAME_DATA_DIR_ROOT"] = str(tmp_path / "subprocess-data")
    return env


def _beat_tick_fast() -> PeriodicTask:
    """The schedules as a deploy writes them, then, as an admin would: ``retraining-check`` every few seconds and
    every other periodic task paused."""
    periodic_tasks_sync()
    every, _ = IntervalSchedule.objects.get_or_create(every=TICK_SECONDS, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.exclude(name="retraining-check").update(enabled=False)
    task = PeriodicTask.objects.get(name="retraining-check")
    task.crontab, task.interval, task.enabled = None, every, True
    task.save()  # save(), not update(): its signal tells the DatabaseScheduler the schedule changed
    return task


@dataclass
class Probe:
    """Posts ``PROBE_PAIR`` to the comparison API in a loop until stopped; records every answer."""

    url: str
    token: str
    answers: list[tuple[float, int, int | None, str]] = field(default_factory=list)  # (time, status, version, verdict)
    errors: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.token}"
        while not self.stop.is_set():
            try:
                response = session.post(self.url, json={"name1": PROBE_PAIR[0], "name2": PROBE_PAIR[1]}, timeout=30)
            except requests.RequestException as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if response.status_code != 201:
                self.errors.append(f"{response.status_code}: {response.text[:300]}")
                self.answers.append((time.monotonic(), response.status_code, None, ""))
                continue
            body = response.json()
            self.answers.append((time.monotonic(), 201, body["model_version"]["version"], body["verdict"]))
            time.sleep(0.05)


def _logs(*logs: tuple[str, IO[str]]) -> str:
    out = []
    for name, log in logs:
        log.seek(0)
        out.append(f"--- {name} log (last 6000 characters) ---\n{log.read()[-6000:]}")
    return "\n".join(out)


def _wait(until: Callable[[], bool], *, deadline: float, procs: dict[str, subprocess.Popen], logs: Callable[[], str]):
    while not until():
        for name, proc in procs.items():
            if proc.poll() is not None:
                pytest.fail(f"the {name} exited with {proc.returncode}\n{logs()}")
        if time.monotonic() > deadline:
            runs = list(TrainingRun.objects.values("status", "stage", "trigger", "outcome", "error"))
            checks = list(RetrainingCheck.objects.values("fired", "outcome", "outcome_detail"))
            pytest.fail(f"timed out\nruns: {runs}\nchecks: {checks}\n{logs()}")
        time.sleep(0.5)


@dataclass
class Scenario:
    name: str
    held_out: Callable[[random.Random], tuple[list[tuple[str, str]], list[int]]]
    outcome: str


def _holdings_held_out(rng: random.Random) -> tuple[list[tuple[str, str]], list[int]]:
    return added_word_pairs(rng, 60), [0] * 60


def _unrelated_held_out(rng: random.Random) -> tuple[list[tuple[str, str]], list[int]]:
    pairs = [(f"{made_up_base(rng)} Ltd", f"{made_up_base(rng)} GmbH") for _ in range(40)]
    return pairs, [1] * 40


SCENARIOS = [
    Scenario("activated", _holdings_held_out, TrainingRun.Outcome.ACTIVATED),
    Scenario("challenger", _unrelated_held_out, TrainingRun.Outcome.CHALLENGER),
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_seeded_decisions_retrain_through_beat_and_worker_and_the_gate_decides(
    scenario, live_server, register_version, plant_decisions, tmp_path, client
):
    started = time.monotonic()
    admin = make_user("admin1", "admin")
    base = model_version_activate(model_version=register_version(), user=admin, reason="base")
    rng = random.Random(11)
    trained_on = plant_decisions(base, added_word_pairs(rng, N_TRAINING_DECISIONS), [0] * N_TRAINING_DECISIONS)
    held_pairs, held_labels = scenario.held_out(random.Random(12))
    held_out = plant_decisions(base, held_pairs, held_labels, holdout=True, username="auditor1")
    check_task = _beat_tick_fast()
    analyst = make_user("analyst1", "analyst")
    probe = Probe(url=f"{live_server.url}/api/v1/comparisons/", token=Token.objects.create(user=analyst).key)

    env = _subprocess_env(tmp_path)
    with ExitStack() as stack:
        worker, worker_log = stack.enter_context(celery_worker(tmp_path, hostname="e2e-retraining", env=env))
        beat, beat_log = stack.enter_context(celery_beat(tmp_path, env=env))
        thread = threading.Thread(target=probe.run, name="probe", daemon=True)
        thread.start()
        stack.callback(thread.join, 60)
        stack.callback(probe.stop.set)
        procs = {"worker": worker, "beat": beat}

        def logs() -> str:
            return _logs(("worker", worker_log), ("beat", beat_log))

        deadline = time.monotonic() + DEADLINE_SECONDS
        _wait(lambda: RetrainingCheck.objects.exists(), deadline=deadline, procs=procs, logs=logs)
        first_check_at = time.monotonic()
        # One tick was the point: pause it (only ``enabled``: the beat writes the row's run counts meanwhile), and
        # tell the scheduler, which re-reads its rows when this marker changes.
        PeriodicTask.objects.filter(pk=check_task.pk).update(enabled=False)
        PeriodicTasks.update_changed()
        _wait(
            lambda: TrainingRun.objects.filter(stage=TrainingRun.Stage.DONE).exists()
            or TrainingRun.objects.filter(status=TrainingRun.Status.FAILED).exists(),
            deadline=deadline,
            procs=procs,
            logs=logs,
        )
        done_at = time.monotonic()
        if scenario.outcome == TrainingRun.Outcome.ACTIVATED:
            # the web serves the new version at its next registry check (every call in tests): a few more answers
            answers = len(probe.answers)
            _wait(lambda: len(probe.answers) >= answers + 5, deadline=deadline, procs=procs, logs=logs)
        probe.stop.set()
        thread.join(60)
        failure_context = logs()

    # the check: at the first tick, feedback volume fired with its numbers, and one run was queued
    check = RetrainingCheck.objects.order_by("checked_at").first()
    assert check.fired == ["feedback_volume"], check.details
    assert check.outcome == RetrainingCheck.Outcome.QUEUED, check.outcome_detail
    volume = check.details["feedback_volume"]
    assert (volume["n"], volume["minimum"], volume["fired"]) == (N_TRAINING_DECISIONS, 200, True)
    assert not any(check.details[name]["fired"] for name in ("performance", "age", "drift"))
    assert not RetrainingCheck.objects.filter(outcome=RetrainingCheck.Outcome.FAILED).exists()

    # the run: trained on the decisions, gated
    run = TrainingRun.objects.get()
    assert run.status == TrainingRun.Status.SUCCEEDED, f"{run.error}\n{failure_context}"
    assert check.training_run == run and run.trigger == "feedback_volume"
    assert run.params["triggers"]["feedback_volume"]["n"] == N_TRAINING_DECISIONS
    assert (run.stage, run.progress, run.outcome) == (TrainingRun.Stage.DONE, 1.0, scenario.outcome), run.promotion
    counts = run.data_counts
    assert (counts["generated"], counts["decisions"], counts["corrections"]) == (5000, 240, 240)
    assert counts["held_out_decisions"] == len(held_out) and counts["policy_words"] == ["holding"]
    assert run.n_feedback == N_TRAINING_DECISIONS and run.n_pairs == 5000 + N_TRAINING_DECISIONS
    # the decisions it used are processed with the run; the held-out ones never are
    assert Feedback.objects.filter(pk__in=[f.pk for f in trained_on], processed=True, training_run=run).count() == 240
    assert not Feedback.objects.filter(pk__in=[f.pk for f in held_out], processed=True).exists()

    # the gate: its numbers, and what it did
    decision = PromotionDecision.objects.get()
    candidate = run.model_version
    assert (decision.candidate, decision.active, decision.training_run) == (candidate, base, run)
    golden, held = decision.numbers["sets"]["golden"], decision.numbers["decisions"]
    assert not golden["worse"] and not golden["below_floor"], golden
    assert held["n"] == len(held_out) and held["enough"]
    candidate.refresh_from_db()
    if scenario.outcome == TrainingRun.Outcome.ACTIVATED:
        assert decision.outcome == PromotionDecision.Outcome.ACTIVATED, decision.detail
        assert (held["only_candidate_right"], held["only_active_right"]) == (60, 0) and held["p_value"] < 1e-6
        assert model_version_active_get() == candidate and candidate.is_active
    else:
        assert decision.outcome == PromotionDecision.Outcome.CHALLENGER, decision.detail
        assert (held["only_candidate_right"], held["only_active_right"], held["p_value"]) == (0, 0, 1.0)
        assert "not shown better on 40 held-out decisions" in decision.detail
        assert candidate.status == ModelVersion.Status.CHALLENGER and not candidate.is_active
        assert model_version_active_get() == base

    # the web kept answering, and switched to the new version without a failed request
    assert not probe.errors, probe.errors[:5]
    assert len(probe.answers) > 10
    versions = [version for _, _, version, _ in probe.answers]
    assert versions[0] == base.version
    if scenario.outcome == TrainingRun.Outcome.ACTIVATED:
        switched = versions.index(candidate.version)
        assert set(versions[:switched]) == {base.version} and set(versions[switched:]) == {candidate.version}
        verdicts = {version: {v for _, _, n, v in probe.answers if n == version} for version in set(versions)}
        assert verdicts == {base.version: {"MATERIAL"}, candidate.version: {"IMMATERIAL"}}
    else:
        assert set(versions) == {base.version}

    # the admin shows the run, its trigger and the gate's numbers
    client.force_login(admin)
    page = client.get(reverse("admin:models_registry_trainingrun_change", args=[run.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "feedback" in text and "volume" in text and scenario.outcome in text.lower()
    page = client.get(reverse("admin:models_registry_retrainingcheck_change", args=[check.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "feedback volume" in text and f"{N_TRAINING_DECISIONS} unprocessed decisive decisions" in text
    page = client.get(reverse("admin:models_registry_promotiondecision_change", args=[decision.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "McNemar" in text and f"{golden['candidate']:.4f}" in text
    assert str(held["only_candidate_right"]) in text and str(held["only_active_right"]) in text

    timings = {
        "first tick": first_check_at - started,
        "check to gate done": done_at - first_check_at,
        "total": time.monotonic() - started,
    }
    print(f"\n{scenario.name}: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
