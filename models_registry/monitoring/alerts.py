"""Alerts: one ``Alert`` row per open condition, sent by e-mail and a Slack-compatible webhook, once per cooldown.

The life of an alert
    ``alert_raise`` opens the row for a condition ``key`` (``breach:<model>:accuracy``, ``load:<version id>``,
    ``training:<run id>``) or, while it is open, updates it (last seen, count, details, severity). It is sent when it
    opens and again only when the model's ``MonitoringThreshold.alert_cooldown_minutes`` (360 without a row) have
    passed since it was last sent, or when a warning becomes critical (an escalation is news). ``alert_resolve``
    closes it; the next occurrence of the same key opens a new row. ``alert_acknowledge`` records who took it.

Decisions
    * Sending is never inline: the service only queues ``alert_deliver_task`` once the transaction commits, with
      ``robust=True`` so that even a dead broker cannot break the job that raised the alert (it is logged). The
      row is the record; delivery can only fail to tell someone about it.
    * At most one delivery round is in flight per alert: a repeat while a round is queued or retrying only counts.
      A round that reached nobody (every channel failed until the retries ran out) does not hold back the next
      occurrence: that one is sent again at once, since nobody has been told yet.
    * Each channel is tried independently and recorded in ``Alert.delivery`` (``email``, ``webhook``: status, time,
      error). A retry sends only the channels that have not succeeded in this round, so a failing webhook never
      repeats the e-mail. ``notified_at`` is set when at least one channel succeeded, to the time of the raise that
      started the round: the cooldown runs on the clock of the jobs that pass ``now`` (a replayed week of traffic
      is quieted like live traffic).
    * A resolved alert sends a short "resolved" note, but only when the alert had been sent (``notified_at``): the
      people who were told something is broken are told it is fixed; nobody gets a note about an alert they never
      saw (an alert resolved before its worker sent it is not sent at all). The note goes through the same task
      and retries, and ignores the cooldown.
    * Race-safe: the open row is locked with ``select_for_update``; two processes creating the same key at once
      meet the ``alert_one_open_per_key`` constraint, and the loser's IntegrityError becomes an update.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from models_registry.models import Alert, ModelVersion, MonitoringThreshold, TrainingRun

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

CHANNELS = ("email", "webhook")
# Delivery states of a round (``Alert.delivery["state"]``): in flight, or how it ended.
IN_FLIGHT = ("queued", "retrying")
ERROR_MAX_CHARS = 500


class AlertDeliveryError(Exception):
    """A channel failed in this attempt (the task retries it with backoff)."""


def alert_cooldown(*, model_name: str) -> timedelta:
    """How long a repeated condition of this model stays quiet after it was sent (MonitoringThreshold, or its
    default when the model has no row or the alert names no model)."""
    minutes = (
        MonitoringThreshold.objects.filter(model_name=model_name)
        .values_list("alert_cooldown_minutes", flat=True)
        .first()
        if model_name
        else None
    )
    if minutes is None:
        minutes = MonitoringThreshold._meta.get_field("alert_cooldown_minutes").get_default()
    return timedelta(minutes=minutes)


def _parse(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None


def _delivery_due(alert: Alert, *, now: datetime, cooldown: timedelta, escalated: bool) -> bool:
    """Whether a repeat of an open alert is sent again (see the module's decisions)."""
    queued_at = _parse(alert.delivery.get("queued_at"))
    if alert.delivery.get("state") in IN_FLIGHT and queued_at is not None and now - queued_at < cooldown:
        return False  # a round is on its way (a lost task stops holding back after one cooldown)
    if escalated or alert.notified_at is None:
        return True
    return now - alert.notified_at >= cooldown


def _delivery_queue(alert: Alert, *, event: str, now: datetime) -> None:
    """Start a delivery round on the row (saved by the caller) and queue its task once the transaction commits."""
    from models_registry.tasks import alert_deliver_task  # the task module imports this one: a cycle

    if not alert_channels():
        alert.delivery = {"event": event, "state": "off", "queued_at": now.isoformat(), "attempts": 0}
        return  # no channel is switched on: the row is the whole alert
    alert.delivery = {"event": event, "state": "queued", "queued_at": now.isoformat(), "attempts": 0}
    alert_id = str(alert.pk)
    # robust: a broker that is down is logged by Django, never raised into the job that raised the alert
    transaction.on_commit(lambda: alert_deliver_task.delay(alert_id), robust=True)


@transaction.atomic
def _alert_open_or_update(
    *, kind: str, key: str, subject: str, details: dict[str, Any], severity: str, model_name: str, now: datetime
) -> Alert:
    alert = Alert.objects.select_for_update().filter(key=key, resolved_at__isnull=True).first()
    if alert is None:
        alert = Alert(
            kind=kind,
            key=key,
            subject=subject,
            details=details,
            severity=severity,
            model_name=model_name,
            first_seen_at=now,
            last_seen_at=now,
        )
        # full_clean would check the one-open-per-key constraint with a racy SELECT; the database checks it for real
        alert.full_clean(validate_constraints=False)
        # A condition that flaps (resolved, then back within the cooldown: a drift share hovering at its line) is
        # not sent again: the new row carries the last sending time of the previous one, so the cooldown goes on.
        previous = (
            Alert.objects.filter(key=key, resolved_at__isnull=False, notified_at__isnull=False)
            .order_by("-notified_at")
            .first()
        )
        escalated = previous is not None and severity == Alert.Severity.CRITICAL != previous.severity
        if (
            previous is not None
            and previous.notified_at is not None
            and not escalated
            and now - previous.notified_at < alert_cooldown(model_name=model_name)
        ):
            alert.notified_at = previous.notified_at
            alert.delivery = {
                "event": "raised",
                "state": "held",
                "reason": "sent within the cooldown before it resolved",
            }
        else:
            _delivery_queue(alert, event="raised", now=now)
        alert.save()
        return alert
    escalated = severity == Alert.Severity.CRITICAL and alert.severity != Alert.Severity.CRITICAL
    due = _delivery_due(alert, now=now, cooldown=alert_cooldown(model_name=alert.model_name), escalated=escalated)
    alert.kind, alert.subject, alert.details, alert.severity = kind, subject, details, severity
    alert.last_seen_at = max(alert.last_seen_at, now)
    alert.count += 1
    fields = ["kind", "subject", "details", "severity", "last_seen_at", "count", "updated_at"]
    alert.full_clean(validate_constraints=False)
    if due:
        _delivery_queue(alert, event="repeated", now=now)
        fields.append("delivery")
    alert.save(update_fields=fields)
    return alert


def alert_raise(
    *,
    kind: str,
    key: str,
    subject: str,
    details: dict[str, Any],
    severity: str = Alert.Severity.WARNING,
    model_name: str = "",
    now: datetime | None = None,
) -> Alert:
    """Open the alert of condition ``key``, or count a repeat of the open one; queue its sending when due.

    Never sends inline (``alert_deliver_task`` runs once the transaction commits)."""
    now = now or timezone.now()
    open_or_update = partial(
        _alert_open_or_update,
        kind=kind,
        key=key,
        subject=subject[:300],
        details=details,
        severity=severity,
        model_name=model_name,
        now=now,
    )
    try:
        return open_or_update()
    except IntegrityError:
        # Another process opened the same key between our SELECT and INSERT (the savepoint of the atomic block
        # rolled back only our insert): this occurrence is a repeat of theirs.
        return open_or_update()


@transaction.atomic
def alert_resolve(*, key: str, now: datetime | None = None) -> Alert | None:
    """Close the open alert of ``key`` (None when none is open). A "resolved" note goes to the people who were sent
    the alert; an alert never sent resolves quietly."""
    now = now or timezone.now()
    alert = Alert.objects.select_for_update().filter(key=key, resolved_at__isnull=True).first()
    if alert is None:
        return None
    alert.resolved_at = now
    fields = ["resolved_at", "updated_at"]
    if alert.notified_at is not None:
        _delivery_queue(alert, event="resolved", now=now)
        fields.append("delivery")
    alert.save(update_fields=fields)
    return alert


def alert_acknowledge(*, alert: Alert, user: User) -> Alert:
    """Record who took the alert. The first acknowledgement stands; acknowledging again changes nothing."""
    if alert.acknowledged_at is not None:
        return alert
    alert.acknowledged_by, alert.acknowledged_at = user, timezone.now()
    alert.save(update_fields=["acknowledged_by", "acknowledged_at", "updated_at"])
    return alert


# --- the conditions raised from elsewhere -----------------------------------------------------------------------


def alert_model_load_failed(*, version_id: UUID | str, error: str) -> Alert | None:
    """Serving refused a version (it serves an earlier one instead): critical, one alert per version. Called inside
    web processes, so it never raises (an alert that cannot be written is logged)."""
    try:
        row = ModelVersion.objects.filter(pk=version_id).values_list("name", "version").first()
        name, number = row if row is not None else ("", 0)
        return alert_raise(
            kind=Alert.Kind.MODEL_LOAD_FAILED,
            key=f"load:{version_id}",
            subject=f"Model {name} v{number} failed to load; an earlier version serves instead",
            details={"model": name, "version": number, "version_id": str(version_id), "error": error},
            severity=Alert.Severity.CRITICAL,
            model_name=name,
        )
    except Exception:
        logger.exception("could not raise the alert for model version %s failing to load", version_id)
        return None


def alert_training_failed(*, run: TrainingRun) -> Alert | None:
    """A training run stopped with an error (or its task died). Never raises into the job that failed."""
    try:
        return alert_raise(
            kind=Alert.Kind.TRAINING_FAILED,
            key=f"training:{run.pk}",
            subject=f"Training of {run.model_name} failed ({run.trigger})",
            details={
                "model": run.model_name,
                "run_id": str(run.pk),
                "trigger": run.trigger,
                "started_at": run.started_at.isoformat(timespec="seconds") if run.started_at else "-",
                "error": run.error[:ERROR_MAX_CHARS],
            },
            severity=Alert.Severity.WARNING,
            model_name=run.model_name,
        )
    except Exception:
        logger.exception("could not raise the alert for training run %s failing", run.pk)
        return None


# --- delivery --------------------------------------------------------------------------------------------------


def alert_message(*, alert: Alert) -> tuple[str, str]:
    """The subject line and the plain-text body of the alert as it is now (one text for both channels)."""
    if alert.resolved_at is not None:
        subject = f"[LegalName resolved] {alert.subject}"
        lines = [f"Resolved at {alert.resolved_at.isoformat(timespec='seconds')}: {alert.subject}"]
    else:
        subject = f"[LegalName {alert.severity}] {alert.subject}"
        lines = [
            alert.subject,
            f"{alert.get_kind_display()}, {alert.get_severity_display().lower()}"
            + (f", model {alert.model_name}" if alert.model_name else ""),
            f"seen {alert.count} time{'s' if alert.count != 1 else ''}: "
            f"first {alert.first_seen_at.isoformat(timespec='seconds')}, "
            f"last {alert.last_seen_at.isoformat(timespec='seconds')}",
        ]
        lines += [f"  {name}: {value}" for name, value in alert.details.items()]
    lines.append(f"key: {alert.key}")
    return subject, "\n".join(lines)


def _send_email(subject: str, body: str) -> str:
    connection = get_connection(fail_silently=False, timeout=settings.LEGALNAME_ALERT_TIMEOUT)
    sent = send_mail(
        subject,
        body,
        settings.LEGALNAME_ALERT_FROM_EMAIL,
        list(settings.LEGALNAME_ALERT_EMAILS),
        connection=connection,
    )
    return f"{sent} message to {len(settings.LEGALNAME_ALERT_EMAILS)} recipient(s)"


def _send_webhook(subject: str, body: str) -> str:
    url = settings.LEGALNAME_ALERT_WEBHOOK_URL
    if not url.startswith(("https://", "http://")):
        raise ValueError("LEGALNAME_ALERT_WEBHOOK_URL must be an http(s) URL")
    request = urllib.request.Request(  # the scheme is checked above (no file:// URLs)
        url,
        data=json.dumps({"text": f"*{subject}*\n{body}"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    # urlopen raises on 4xx/5xx (HTTPError), refusals and timeouts: each is a failed delivery
    with urllib.request.urlopen(request, timeout=settings.LEGALNAME_ALERT_TIMEOUT) as response:
        return f"HTTP {response.status}"


def alert_channels() -> list[str]:
    """The channels switched on by settings (empty setting = channel off)."""
    channels = []
    if settings.LEGALNAME_ALERT_EMAILS:
        channels.append("email")
    if settings.LEGALNAME_ALERT_WEBHOOK_URL:
        channels.append("webhook")
    return channels


def alert_delivery_failures(*, alert: Alert) -> list[str]:
    """The channels whose last attempt in the current round failed (the task retries them)."""
    return [c for c in CHANNELS if isinstance(alert.delivery.get(c), dict) and alert.delivery[c]["status"] == "failed"]


def alert_deliver(*, alert_id: UUID | str) -> Alert:
    """Send the alert on every channel that is on and has not yet succeeded in this round; record each outcome.

    Network calls happen outside any transaction or row lock; the outcome is merged into the row afterwards."""
    alert = Alert.objects.get(pk=alert_id)
    if alert.resolved_at is not None and alert.delivery.get("event") != "resolved":
        # resolved before its worker got to it: nobody was told it broke, so nobody is told it is fixed
        alert.delivery = {**alert.delivery, "state": "skipped", "error": "resolved before it was sent"}
        alert.save(update_fields=["delivery", "updated_at"])
        return alert
    subject, body = alert_message(alert=alert)
    senders = {"email": _send_email, "webhook": _send_webhook}
    outcomes: dict[str, dict[str, str]] = {}
    for channel in alert_channels():
        previous = alert.delivery.get(channel)
        if isinstance(previous, dict) and previous.get("status") == "sent":
            continue  # reached already in this round: a retry must not send it twice
        at = timezone.now().isoformat()
        try:
            result = senders[channel](subject, body)
        except Exception as exc:  # any failure of a channel is recorded and retried, never raised here
            logger.warning("alert %s: %s delivery failed: %s: %s", alert.pk, channel, type(exc).__name__, exc)
            error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
            outcomes[channel] = {"status": "failed", "at": at, "error": error}
        else:
            outcomes[channel] = {"status": "sent", "at": at, "result": result}
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert_id)
        delivery = {**alert.delivery, **outcomes}
        delivery["attempts"] = int(delivery.get("attempts", 0)) + 1
        enabled = alert_channels()
        if not enabled:
            delivery["state"] = "off"
        elif any(delivery.get(c, {}).get("status") != "sent" for c in enabled):
            delivery["state"] = "retrying"
        else:
            delivery["state"] = "sent"
        alert.delivery = delivery
        fields = ["delivery", "updated_at"]
        if any(o["status"] == "sent" for o in outcomes.values()):
            # The round's time, the ``now`` of the raise, not the worker's clock: the cooldown is counted on the
            # clock of the monitoring jobs, so a backfill or a replayed scenario (which pass ``now``) is quieted
            # exactly like live traffic. The channels keep their real send times in ``delivery``.
            alert.notified_at = _parse(delivery.get("queued_at")) or timezone.now()
            fields.append("notified_at")
        alert.save(update_fields=fields)
    return alert


def alert_delivery_fail(*, alert_id: UUID | str, error: str) -> Alert:
    """The delivery task gave up (retries exhausted, or it died): the row says so, and why."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert_id)
        alert.delivery = {
            **alert.delivery,
            "state": "failed",
            "failed_at": timezone.now().isoformat(),
            "error": error[:ERROR_MAX_CHARS],
        }
        alert.save(update_fields=["delivery", "updated_at"])
    logger.error("alert %s could not be delivered: %s", alert_id, error)
    return alert
