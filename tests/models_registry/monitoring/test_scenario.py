"""The seeded week (models_registry.monitoring.scenario) replayed through the hourly monitoring round: the windows are
written, nothing fires on days 1-4, the accuracy breach opens on day 5 and the drift alert on day 6, each sent once
per cooldown by e-mail and webhook to real local servers (aiosmtpd, a loopback HTTP server; see conftest.py)."""

import datetime as dt
from collections import Counter
from email.header import decode_header, make_header

import pytest
from django.core.management import call_command

from comparisons.models import Prediction
from feedback.models import Feedback
from models_registry.models import Alert, ModelMetric
from models_registry.monitoring.jobs import monitoring_hourly_run, monitoring_missed_jobs_check
from models_registry.monitoring.scenario import monitoring_scenario_generate
from models_registry.tasks import alert_deliver_task
from tests.models_registry.factories import ModelVersionFactory

UTC = dt.UTC
START = dt.datetime(2026, 11, 2, tzinfo=UTC)  # a Monday: the scenario's week is one aligned week window
MODEL = "legal-name-comparator"
PER_DAY = 300  # >= 200 predictions a day for drift, ~75 audit decisions a day (min_audit_n is 50)
ROUND_HOURS = (0, 1, 3)  # rounds at each day's end and within the cooldown (6 h) after it


@pytest.fixture
def version(db, baseline, small_comparator_path):
    return ModelVersionFactory(
        name=MODEL, artifact_path=str(small_comparator_path), is_active=True, baseline=baseline, threshold=0.5
    )


def _round(now: dt.datetime, capture) -> tuple[dict, list[str]]:
    """One hourly round and the watchdog at ``now``, then the deliveries they queued, run as a worker would (the
    task body, retries included, through ``apply``). Returns the round's summary and the keys of the alerts sent."""
    with capture(execute=False) as callbacks:
        summary = monitoring_hourly_run(now=now)
        monitoring_missed_jobs_check(now=now)
    queued = list(Alert.objects.filter(delivery__state="queued"))
    assert len(queued) == len(callbacks)
    for alert in queued:
        alert_deliver_task.apply(args=(str(alert.pk),))
    return summary, [alert.key for alert in queued]


def _sending(subject: str, body: str) -> tuple[str, str]:
    """(severity or "resolved", alert key) of one message."""
    assert subject.startswith("[LegalName ")
    return subject.removeprefix("[LegalName ").split("]", 1)[0], body.strip().rsplit("key: ", 1)[1]


@pytest.mark.django_db
def test_a_seeded_week_fires_the_breach_on_day_5_and_drift_on_day_6_once_per_cooldown(
    version, analyst, comparator, smtp, webhook, django_capture_on_commit_callbacks
):
    generated = monitoring_scenario_generate(
        model_version=version, user=analyst, start=START, per_day=PER_DAY, seed=0, comparator=comparator
    )

    days = generated["days"]
    assert Prediction.objects.count() == generated["predictions"] == 7 * PER_DAY
    assert Feedback.objects.count() == generated["feedback"]
    for day in range(1, 8):
        stats = days[str(day)]
        assert stats["audit"] >= 60 and stats["drifted"] == (day >= 6)
        assert stats["audit_accuracy"] < 0.75 if day == 5 else stats["audit_accuracy"] > 0.9
        day_start = START + dt.timedelta(days=day - 1)
        in_day = Prediction.objects.filter(created_at__gte=day_start, created_at__lt=day_start + dt.timedelta(days=1))
        assert in_day.count() == PER_DAY

    sent: dict[int, list[str]] = {}
    opened: dict[int, list[str]] = {}
    for day in range(1, 8):
        day_end = START + dt.timedelta(days=day)
        before = set(Alert.objects.values_list("pk", flat=True))
        sent[day] = []
        for hours in ROUND_HOURS:
            summary, keys = _round(day_end + dt.timedelta(hours=hours), django_capture_on_commit_callbacks)
            assert summary["window_rows"] > 0 and summary["drift_rows"] > 0
            sent[day] += keys
        opened[day] = sorted(Alert.objects.exclude(pk__in=before).values_list("key", flat=True))
        # the day's window is written for both populations, with the day's audit decisions
        audit_n = ModelMetric.objects.get(
            model_version=version,
            dataset="audit",
            metric_name="n",
            window_start=day_end - dt.timedelta(days=1),
            window_end=day_end,
        )
        assert audit_n.metric_value == days[str(day)]["audit"]
        if day <= 4:
            assert not Alert.objects.exists(), f"day {day}: {list(Alert.objects.values_list('key', flat=True))}"

    accuracy, drift = f"breach:{MODEL}:accuracy", f"drift:{MODEL}"
    # days 1-4: nothing at all
    assert all(opened[d] == [] and sent[d] == [] for d in range(1, 5))
    # day 5: the breach of accuracy (and of whatever else the audit slice puts under its line), opened once
    assert accuracy in opened[5] and all(k.startswith(f"breach:{MODEL}:") for k in opened[5])
    assert sent[5] == opened[5]  # each sent once; the rounds at +1 h and +3 h only count it
    for key in opened[5]:
        breach = Alert.objects.get(key=key)
        assert breach.kind == "threshold_breach" and breach.count == len(ROUND_HOURS)
        assert breach.details["window"] == "day" and breach.details["n"] == days["5"]["audit"]
        assert breach.details["window_start"] == (START + dt.timedelta(days=4)).isoformat()
    # day 6: drift opens (sent once); the bad day has left the day window, so the breaches resolve (a note each)
    assert opened[6] == [drift]
    assert Counter(sent[6]) == Counter([drift, *opened[5]])
    drift_alert = Alert.objects.get(key=drift)
    assert drift_alert.kind == "drift" and drift_alert.first_seen_at == START + dt.timedelta(days=6)
    assert all(Alert.objects.get(key=k).resolved_at == START + dt.timedelta(days=6) for k in opened[5])
    # day 7: still drifting, a day later (past the 6 h cooldown): the one open alert is sent again, once
    assert opened[7] == [] and sent[7] == [drift]
    drift_alert.refresh_from_db()
    assert drift_alert.resolved_at is None and drift_alert.count == 2 * len(ROUND_HOURS)
    assert Alert.objects.count() == len(opened[5]) + 1

    # what reached the servers: one e-mail and one webhook post per sending, nothing else (told apart by the
    # subject's prefix and the key line that ends the body; the subject itself follows the latest numbers)
    expected = sorted(
        [("critical", k) for k in opened[5]] + [("resolved", k) for k in opened[5]] + [("warning", drift)] * 2
    )
    emails = [
        (str(make_header(decode_header(m["Subject"]))), m.get_payload(decode=True).decode()) for m in smtp.messages
    ]
    posts = [tuple(p["json"]["text"].split("\n", 1)) for p in webhook]
    assert sorted(_sending(subject, body) for subject, body in emails) == expected
    assert sorted(_sending(subject.strip("*"), body) for subject, body in posts) == expected
    assert all(a.delivery["state"] == "sent" for a in Alert.objects.all())


@pytest.mark.django_db
def test_the_scenario_is_deterministic_for_a_seed(version, analyst, comparator):
    first = monitoring_scenario_generate(
        model_version=version, user=analyst, start=START, days=2, per_day=50, seed=11, comparator=comparator
    )
    rows = list(Prediction.objects.order_by("created_at").values_list("name1", "name2", "material", "created_at"))
    Feedback.objects.all().delete()
    Prediction.objects.all().delete()
    again = monitoring_scenario_generate(
        model_version=version, user=analyst, start=START, days=2, per_day=50, seed=11, comparator=comparator
    )
    assert first == again
    assert rows == list(
        Prediction.objects.order_by("created_at").values_list("name1", "name2", "material", "created_at")
    )


@pytest.mark.django_db
def test_the_command_replays_the_week(version, analyst, capsys, settings):
    settings.LEGALNAME_ALERT_EMAILS, settings.LEGALNAME_ALERT_WEBHOOK_URL = [], ""  # no channel: rows only
    call_command(
        "monitoring_scenario", "--start", "2026-11-02", "--per-day", "250", "--seed", "0", "--step-hours", "24"
    )
    out = capsys.readouterr().out
    assert "day 5" in out and f"breach:{MODEL}:accuracy" in out and f"drift:{MODEL}" in out
    assert Alert.objects.filter(key=f"drift:{MODEL}").count() == 1
    assert "queued to send" not in out  # no channel configured: the alerts are rows only
    assert out.count("nothing fired") == 4 and "day 4 (2026-11-05)" in out.split("breach:")[0]
