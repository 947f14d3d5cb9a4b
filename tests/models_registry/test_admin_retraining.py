"""The control room's retraining pages: training runs, retraining checks, the promotion gate's decisions, and the gate
as an action on model versions. Through the real admin URLs, as a superuser, on the real database."""

import datetime as dt

import pytest
from django.contrib import messages as message_levels
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from models_registry.admin import PromotionDecisionAdmin, RetrainingCheckAdmin, TrainingRunAdmin
from models_registry.models import ModelVersion, PromotionDecision, RetrainingCheck, TrainingRun
from models_registry.services.deployment import model_version_activate
from tests.models_registry.factories import ModelVersionFactory

VERSIONS = "/admin/models_registry/modelversion/"
RUNS = "/admin/models_registry/trainingrun/"
CHECKS = "/admin/models_registry/retrainingcheck/"
DECISIONS = "/admin/models_registry/promotiondecision/"

TRACEBACK = """ValueError: the training set has one class only

Traceback (most recent call last):
  File "/app/models_registry/services/training.py", line 251, in training_run_execute
    version = _train_and_register(run)
  File "/app/comparisons/engine/model.py", line 88, in train
    raise ValueError("the training set has one class only")
ValueError: the training set has one class only"""

TRIGGER_DETAILS = {
    "performance": {
        "fired": True,
        "version": 3,
        "summary": "fired: accuracy 0.712 [0.655-0.763] over 240 audit decisions (day) is below 0.85",
        "breaches": [
            {
                "metric": "accuracy",
                "value": 0.712,
                "low": 0.655,
                "high": 0.763,
                "n": 240,
                "threshold": 0.85,
                "window": "day",
                "window_start": "2026-03-04T00:00:00+00:00",
                "window_end": "2026-03-05T00:00:00+00:00",
                "reason": "accuracy 0.712 below 0.85",
            }
        ],
        "answered": [],
        "thresholds": {"accuracy": 0.85, "precision": 0.8, "recall": 0.8},
        "min_audit_n": 50,
    },
    "feedback_volume": {
        "fired": True,
        "n": 1240,
        "minimum": 500,
        "summary": "fired: 1240 unprocessed decisive decisions since the last training (at least 500)",
    },
    "age": {
        "fired": False,
        "version": 3,
        "age_days": 12.375,
        "max_days": 30.0,
        "summary": "not fired: v3 was trained 12.4 days ago (not more than 30)",
    },
    "drift": {
        "fired": False,
        "version": 3,
        "level": "warn",
        "findings": [],
        "summary": "not fired: level warn; 2 of 14 features drift (share 0.143 < 0.3)",
    },
}

GATE_NUMBERS = {
    "sets": {
        "golden": {
            "metric": "balanced_accuracy",
            "n": 285,
            "candidate": 0.9123,
            "active": 0.9,
            "delta": 0.0123,
            "margin": 0.01,
            "floor": 0.88,
            "worse": False,
            "below_floor": False,
        },
        "dev": {
            "metric": "balanced_accuracy",
            "n": 834,
            "candidate": 0.8311,
            "active": 0.8519,
            "delta": -0.0208,
            "margin": 0.01,
            "floor": None,
            "worse": True,
            "below_floor": False,
        },
    },
    "decisions": {
        "n": 250,
        "min_n": 30,
        "candidate": {"n": 250, "correct": 228, "accuracy": 0.912, "low": 0.8706, "high": 0.9410},
        "active": {"n": 250, "correct": 214, "accuracy": 0.856, "low": 0.8072, "high": 0.8941},
        "only_candidate_right": 21,
        "only_active_right": 7,
        "test": "McNemar exact, one-sided (candidate right more often)",
        "p_value": 0.006270,
        "alpha": 0.05,
        "enough": True,
        "better": True,
    },
    "candidate": "v4",
    "active": "v3",
    "measured_at": "2026-03-05T02:14:00+00:00",
}


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-for-tests-123")


@pytest.fixture
def su_client(client, superuser):
    client.force_login(superuser)
    return client


def _messages(response) -> list:
    return list(get_messages(response.wsgi_request))


def _run(**fields) -> TrainingRun:
    defaults = {"model_name": "legal-name-comparator", "status": TrainingRun.Status.SUCCEEDED, "trigger": "admin"}
    return TrainingRun.objects.create(**{**defaults, **fields})


def _finished_run(version: ModelVersion, **fields) -> TrainingRun:
    start = timezone.now() - dt.timedelta(minutes=5)
    return _run(
        trigger="performance+feedback_volume",
        stage=TrainingRun.Stage.DONE,
        progress=1.0,
        started_at=start,
        finished_at=start + dt.timedelta(seconds=192.5),
        heartbeat_at=start + dt.timedelta(seconds=190),
        model_version=version,
        n_pairs=4120,
        n_feedback=120,
        data_counts={
            "generated": 4000,
            "decisions": 120,
            "corrections": 30,
            "confirmations": 90,
            "decision_weight": 2.5,
            "held_out_decisions": 64,
            "policy_words": ["Holdings", "Hldgs"],
        },
        params={"n_pairs": 4000, "seed": 42, "triggers": TRIGGER_DETAILS},
        outcome=TrainingRun.Outcome.CHALLENGER,
        promotion="challenger: not worse on any set (golden balanced_accuracy 0.9123 vs 0.9000); not shown better",
        **fields,
    )


def _decision(candidate, active, run=None, **fields) -> PromotionDecision:
    defaults = {
        "outcome": PromotionDecision.Outcome.ACTIVATED,
        "detail": "activated: not worse on any set (golden balanced_accuracy 0.9123 vs 0.9000); better on 250 "
        "held-out decisions 91.2% vs 85.6% right, 21 only by the candidate and 7 only by v3, McNemar p = 0.00627",
        "numbers": GATE_NUMBERS,
    }
    return PromotionDecision.objects.create(
        candidate=candidate, active=active, training_run=run, **{**defaults, **fields}
    )


def _check(run=None, **fields) -> RetrainingCheck:
    defaults = {
        "model_name": "legal-name-comparator",
        "checked_at": dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC),
        "scheduled": False,
        "fired": ["performance", "feedback_volume"],
        "details": TRIGGER_DETAILS,
        "outcome": RetrainingCheck.Outcome.QUEUED,
        "outcome_detail": "training run queued (performance+feedback_volume)",
        "training_run": run,
    }
    return RetrainingCheck.objects.create(**{**defaults, **fields})


def _rows(n: int) -> None:
    """``n`` of each: versions, finished runs with their decision and check, and a quiet check."""
    for _ in range(n):
        active, candidate = ModelVersionFactory(), ModelVersionFactory()
        run = _finished_run(candidate)
        _decision(candidate, active, run)
        _check(run)
        _check(fired=[], outcome=RetrainingCheck.Outcome.NOTHING_FIRED, outcome_detail="no trigger fired")


@pytest.mark.django_db
class TestChangelistsInBoundedQueries:
    @pytest.mark.parametrize("url", [RUNS, CHECKS, DECISIONS, VERSIONS])
    def test_the_query_count_does_not_grow_with_the_rows(self, su_client, url, django_assert_max_num_queries):
        _rows(2)
        with CaptureQueriesContext(connection) as few:
            assert su_client.get(url).status_code == 200
        _rows(6)
        with django_assert_max_num_queries(len(few)):
            response = su_client.get(url)
        assert response.status_code == 200
        with django_assert_max_num_queries(14):
            su_client.get(url)


@pytest.mark.django_db
class TestTrainingRunAdmin:
    def test_changelist_shows_stage_triggers_data_used_version_and_outcome(self, su_client):
        version = ModelVersionFactory(version=7)
        _finished_run(version)
        running = _run(
            model_name="uk-policy",
            status=TrainingRun.Status.RUNNING,
            stage=TrainingRun.Stage.FITTING,
            progress=0.35,
            trigger="schedule",
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )

        html = su_client.get(RUNS).content.decode()

        assert "fitting 35%" in html and "done 100%" in html
        assert "performance, feedback volume" in html
        assert "4,000 generated / 120 decisions (30 corrections, 90 confirmations)" in html
        assert "192.5" in html  # duration in seconds
        assert f'href="{reverse("admin:models_registry_modelversion_change", args=[version.pk])}">v7</a>' in html
        assert "Kept as challenger" in html
        assert "Train a new version" in html  # the queue button, as on the versions' list
        assert TrainingRunAdmin(TrainingRun, site).data_used(running) == "-"

    def test_the_trigger_filter_finds_a_name_inside_joined_triggers(self, su_client):
        joined = _finished_run(ModelVersionFactory())
        alone = _run(trigger="feedback_volume")
        _run(trigger="admin")
        _run(trigger="age+drift")

        response = su_client.get(RUNS, {"trigger": "feedback_volume"})

        assert response.status_code == 200
        assert set(response.context["cl"].queryset) == {joined, alone}
        html = response.content.decode()
        for name in ("admin", "age", "drift", "performance", "feedback volume"):
            assert f"?trigger={name.replace(' ', '_')}" in html  # the choices come from the rows

    def test_a_failed_runs_error_and_traceback_read_as_preformatted_text(self, su_client):
        run = _run(
            status=TrainingRun.Status.FAILED,
            stage=TrainingRun.Stage.FITTING,
            progress=0.35,
            started_at=timezone.now(),
            finished_at=timezone.now(),
            error=TRACEBACK,
        )

        response = su_client.get(f"{RUNS}{run.pk}/change/")

        assert response.status_code == 200
        html = response.content.decode()
        assert '<pre style="white-space:pre-wrap' in html
        assert (
            "Traceback (most recent call last):\n  File &quot;/app/models_registry/services/training.py&quot;" in html
        )
        assert "ValueError: the training set has one class only</pre>" in html
        assert "fitting 35%" in html
        assert "Failed" in su_client.get(RUNS).content.decode()

    def test_change_page_shows_counts_params_the_triggers_its_check_and_its_decision(self, su_client):
        active, candidate = ModelVersionFactory(version=3), ModelVersionFactory(version=4)
        run = _finished_run(candidate)
        decision = _decision(candidate, active, run, outcome=PromotionDecision.Outcome.CHALLENGER, detail="not shown")
        check = _check(run)

        response = su_client.get(f"{RUNS}{run.pk}/change/")

        assert response.status_code == 200
        html = response.content.decode()
        # data counts and params as tables, not JSON
        assert "<tr><th>decision_weight</th><td>2.5</td></tr>" in html
        assert "<tr><th>policy_words</th><td>Holdings, Hldgs</td></tr>" in html
        assert "<tr><th>seed</th><td>42</td></tr>" in html
        assert "&quot;generated&quot;" not in html and '{"generated"' not in html
        # the triggers that queued it, each with its sentence
        assert "fired: 1240 unprocessed decisive decisions since the last training (at least 500)" in html
        assert "not fired: v3 was trained 12.4 days ago (not more than 30)" in html
        # the promotion text, the heartbeat, links to the version, its decision and the check that queued it
        assert "golden balanced_accuracy 0.9123 vs 0.9000" in html
        assert " UTC (" in html and " ago)" in html
        for obj in (candidate, decision, check):
            url = reverse(f"admin:models_registry_{obj._meta.model_name}_change", args=[obj.pk])
            assert f'href="{url}"' in html
        assert "Kept as challenger" in html and "not shown" in html

    def test_queueing_while_a_run_is_queued_is_an_error_message(self, su_client, django_capture_on_commit_callbacks):
        version = ModelVersionFactory(name="uk-policy")
        _run(model_name="uk-policy", status=TrainingRun.Status.QUEUED, trigger="schedule")

        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            action = su_client.post(
                VERSIONS, {"action": "train_new_version", "_selected_action": [str(version.pk)]}, follow=True
            )
            button = su_client.post(
                reverse("admin:models_registry_modelversion_train"), {"name": "uk-policy", "next": RUNS}, follow=True
            )

        for response in (action, button):
            [message] = _messages(response)
            assert message.level == message_levels.ERROR
            assert "a training of uk-policy is already queued or running" in str(message)
        assert button.redirect_chain == [(RUNS, 302)]  # back to the list the button is on
        assert TrainingRun.objects.filter(model_name="uk-policy").count() == 1 and not callbacks

    def test_the_button_never_redirects_off_the_site(self, su_client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False):
            response = su_client.post(
                reverse("admin:models_registry_modelversion_train"),
                {"name": "eu-policy", "next": "https://evil.example/"},
            )
        assert response.status_code == 302 and response["Location"] == VERSIONS
        [message] = _messages(response)
        assert message.level == message_levels.SUCCESS and "Training of eu-policy queued" in str(message)


@pytest.mark.django_db
class TestRetrainingCheckAdmin:
    def test_changelist_shows_what_fired_and_links_the_run(self, su_client):
        run = _finished_run(ModelVersionFactory())
        _check(run)
        _check(fired=[], outcome=RetrainingCheck.Outcome.NOTHING_FIRED, scheduled=True)

        html = su_client.get(CHECKS).content.decode()

        assert "performance, feedback volume" in html and '<td class="field-fired_display">—</td>' in html
        assert "Training queued" in html and "Nothing fired" in html
        assert f'href="{reverse("admin:models_registry_trainingrun_change", args=[run.pk])}"' in html
        assert su_client.get(CHECKS, {"checked_at__year": "2026", "outcome": "queued"}).status_code == 200

    def test_change_page_shows_each_trigger_with_its_numbers(self, su_client):
        check = _check()

        response = su_client.get(f"{CHECKS}{check.pk}/change/")

        assert response.status_code == 200
        html = response.content.decode()
        for caption in ("performance", "feedback volume", "age", "drift"):
            assert f"<caption>{caption}</caption>" in html
        assert html.index("<caption>performance</caption>") < html.index("<caption>age</caption>")  # fired first
        assert "fired: accuracy 0.712 [0.655-0.763] over 240 audit decisions (day) is below 0.85" in html
        assert "not fired: level warn; 2 of 14 features drift (share 0.143 &lt; 0.3)" in html
        # the breach as a table row with its numbers, thresholds and counts readable
        # (columns in key order: jsonb on PostgreSQL does not keep the keys' order, so the page sorts them)
        assert (
            "<th>high</th><th>low</th><th>metric</th><th>n</th><th>reason</th><th>threshold</th><th>value</th>" in html
        )
        assert "<td>0.763</td><td>0.655</td><td>accuracy</td><td>240</td><td>accuracy 0.712 below 0.85</td>" in html
        assert "<tr><th>n</th><td>1,240</td></tr>" in html and "<tr><th>age_days</th><td>12.38</td></tr>" in html
        assert "<tr><th>min_audit_n</th><td>50</td></tr>" in html
        assert "training run queued (performance+feedback_volume)" in html

    def test_a_check_without_details_renders(self):
        check = RetrainingCheck(model_name="x", checked_at=timezone.now(), outcome="failed")
        assert RetrainingCheckAdmin(RetrainingCheck, site).triggers_panel(check) == "-"


@pytest.mark.django_db
class TestPromotionDecisionAdmin:
    def test_changelist_shows_versions_outcome_and_a_short_detail(self, su_client):
        active, candidate = ModelVersionFactory(version=3), ModelVersionFactory(version=4)
        _decision(candidate, active, _finished_run(candidate))

        html = su_client.get(DECISIONS).content.decode()

        assert "legal-name-comparator v4" in html and "legal-name-comparator v3" in html
        assert "Activated" in html and "activated: not worse on any set" in html and "…" in html
        assert "(performance+feedback_volume)" in html

    def test_change_page_shows_the_gates_numbers(self, su_client):
        active, candidate = ModelVersionFactory(version=3), ModelVersionFactory(version=4)
        decision = _decision(candidate, active)

        response = su_client.get(f"{DECISIONS}{decision.pk}/change/")

        assert response.status_code == 200
        html = response.content.decode()
        assert "<th>candidate v4</th><th>active v3</th>" in html
        assert (
            "<tr><th>golden</th><td>balanced_accuracy</td><td>285</td><td>0.9123</td><td>0.9000</td><td>+0.0123</td>"
            "<td>0.0100</td><td>0.8800</td><td>ok</td></tr>"
        ) in html
        assert "<td>0.8311</td><td>0.8519</td><td>-0.0208</td><td>0.0100</td><td>-</td>" in html
        assert "worse</strong>" in html
        assert "250 (at least 30 needed)" in html
        assert "91.2% (95% interval 87.1%\u201394.1%; 228 of 250 right)" in html
        assert "85.6% (95% interval 80.7%\u201389.4%; 214 of 250 right)" in html
        assert "<tr><th>only the candidate right (b)</th><td>21</td></tr>" in html
        assert "<tr><th>only the active version right (c)</th><td>7</td></tr>" in html
        assert "<tr><th>p-value</th><td>0.00627</td></tr>" in html and "<tr><th>alpha</th><td>0.05</td></tr>" in html
        assert "<tr><th>shown better</th><td>yes</td></tr>" in html and "McNemar exact, one-sided" in html

    def test_a_decision_without_an_active_version_says_nothing_was_compared(self):
        decision = PromotionDecision(candidate=ModelVersionFactory.build(), outcome="activated", numbers={})
        model_admin = PromotionDecisionAdmin(PromotionDecision, site)
        assert model_admin.sets_table(decision) == "nothing compared (no version was active)"
        assert model_admin.decisions_table(decision) == "-" and model_admin.active_link(decision) == "- (none active)"


@pytest.mark.django_db
class TestModelVersionGateAction:
    def _gate(self, client, versions):
        response = client.post(
            VERSIONS, {"action": "run_promotion_gate", "_selected_action": [str(v.pk) for v in versions]}, follow=True
        )
        assert response.status_code == 200
        return _messages(response)

    def test_the_first_version_of_a_name_is_activated_with_a_decision(self, su_client, register_version, superuser):
        v1 = register_version()

        [message] = self._gate(su_client, [v1])

        decision = PromotionDecision.objects.get()
        assert (decision.candidate, decision.outcome, decision.decided_by) == (v1, "activated", superuser)
        assert message.level == message_levels.SUCCESS
        assert "activated: no version of legal-name-comparator was active" in str(message)
        assert reverse("admin:models_registry_promotiondecision_change", args=[decision.pk]) in str(message)
        assert ModelVersion.objects.get(is_active=True) == v1

    def test_a_candidate_is_compared_with_the_active_version_and_its_numbers_shown(
        self, su_client, register_version, superuser
    ):
        v1, v2 = register_version(), register_version()
        model_version_activate(model_version=v1, user=superuser)

        [message] = self._gate(su_client, [v2])

        decision = PromotionDecision.objects.get()
        assert decision.active == v1 and decision.numbers["candidate"] == f"v{v2.version}"
        assert decision.detail in str(message)
        v2.refresh_from_db()
        label = {"challenger": "Challenger (under test)", "rejected": "Rejected by the promotion gate"}[v2.status]
        assert label in su_client.get(VERSIONS).content.decode()  # the status column says it in words
        page = su_client.get(f"{DECISIONS}{decision.pk}/change/").content.decode()
        golden = decision.numbers["sets"]["golden"]
        assert f"<td>{golden['candidate']:.4f}</td><td>{golden['active']:.4f}</td>" in page
        assert f"{decision.numbers['decisions']['n']:,} (at least" in page
        version_page = su_client.get(f"{VERSIONS}{v2.pk}/change/").content.decode()
        assert reverse("admin:models_registry_promotiondecision_change", args=[decision.pk]) in version_page

    def test_a_version_the_gate_does_not_take_is_an_error_message(self, su_client, register_version, superuser):
        v1 = register_version()
        model_version_activate(model_version=v1, user=superuser)

        [message] = self._gate(su_client, [v1])

        assert message.level == message_levels.ERROR and "already active; there is nothing to decide" in str(message)
        assert not PromotionDecision.objects.exists()

    def test_status_column_shows_challenger_and_rejected_clearly(self, su_client):
        ModelVersionFactory(status=ModelVersion.Status.CHALLENGER)
        ModelVersionFactory(status=ModelVersion.Status.REJECTED, status_detail="rejected: golden below its floor")

        html = su_client.get(VERSIONS).content.decode()

        assert '<strong style="color:#1f6fb2">Challenger (under test)</strong>' in html
        assert '<strong style="color:#ba2121">Rejected by the promotion gate</strong>' in html
        assert "rejected: golden below its floor" in html
