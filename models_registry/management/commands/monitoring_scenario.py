from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from models_registry.models import Alert
from models_registry.monitoring.jobs import monitoring_hourly_run, monitoring_missed_jobs_check
from models_registry.monitoring.scenario import BAD_DAY, DRIFT_FROM_DAY, monitoring_scenario_generate
from models_registry.selectors import model_version_active_get

DEMO_USERNAME = "scenario-demo"
# what a replayed round did, per alert key: opened, counted again while open, resolved, started a delivery round
LABELS = ("opened", "seen again", "resolved", "queued to send")


class Command(BaseCommand):
    help = (
        "WRITES DEMO DATA: generates a seeded week of predictions and analysts' decisions against the active model "
        f"version (a drop in accuracy planted on day {BAD_DAY}, drifted inputs from day {DRIFT_FROM_DAY}), owned by "
        f"the user {DEMO_USERNAME!r}, then replays the hourly monitoring round and the watchdog over the week and "
        "prints per day what fired. The predictions, decisions, metric rows and alerts stay in the database (and "
        "alerts are sent on the channels that are configured). Use on a demo or development database only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--model", help="model name (default: settings.LEGALNAME_MODEL_NAME)")
        parser.add_argument(
            "--start", type=date.fromisoformat, help="first day, YYYY-MM-DD (UTC; default: the Monday 2 weeks ago)"
        )
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument("--per-day", type=int, default=300, help="predictions a day (drift needs >= 200)")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--step-hours", type=int, default=1, help="hours between replayed rounds (default 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        version = model_version_active_get(name=options["model"])
        if version is None:
            raise CommandError("no active model version: train or activate one first")
        if not version.baseline:
            self.stderr.write(f"{version} has no drift baseline: drift will not be measured")
        start_day: date = options["start"] or _monday_weeks_ago(2)
        start = datetime(start_day.year, start_day.month, start_day.day, tzinfo=UTC)
        days: int = options["days"]
        step = timedelta(hours=options["step_hours"])
        if step <= timedelta(0):
            raise CommandError("--step-hours must be positive")
        user, created = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])

        generated = monitoring_scenario_generate(
            model_version=version,
            user=user,
            start=start,
            days=days,
            per_day=options["per_day"],
            seed=options["seed"],
        )
        self.stdout.write(f"{version}: {generated['predictions']} predictions, {generated['feedback']} decisions")

        # Replay the rounds: a round at ``now`` belongs to the day that ends at or after it (the round at a day's
        # midnight is the first to see that day as the last complete day).
        now, end = start + step, start + timedelta(days=days)
        report: dict[int, dict[str, Counter[str]]] = {}
        while now <= end:
            monitoring_hourly_run(now=now)
            monitoring_missed_jobs_check(now=now)
            day = -(-(now - start) // timedelta(days=1))  # ceil: (day_start, day_end] -> day
            events = report.setdefault(day, {label: Counter() for label in LABELS})
            events["opened"].update(Alert.objects.filter(first_seen_at=now).values_list("key", flat=True))
            again = Alert.objects.filter(last_seen_at=now).exclude(first_seen_at=now)
            events["seen again"].update(again.values_list("key", flat=True))
            events["resolved"].update(Alert.objects.filter(resolved_at=now).values_list("key", flat=True))
            # a delivery round started by this round (none is started when no channel is configured)
            queued = Alert.objects.filter(delivery__queued_at=now.isoformat()).exclude(delivery__state="off")
            for key, delivery in queued.values_list("key", "delivery"):
                events["queued to send"][f"{delivery.get('event', '')} {key}"] += 1
            now += step

        for day in range(1, days + 1):
            stats = generated["days"][str(day)]
            accuracy = stats["audit_accuracy"]
            self.stdout.write(
                f"day {day} ({stats['start'][:10]}): {stats['predictions']} predictions, {stats['audit']} audit "
                f"decisions (accuracy {accuracy if accuracy is not None else 'n/a'}), {stats['reviews']} other "
                f"reviews{', drifted inputs' if stats['drifted'] else ''}"
            )
            events = report.get(day, {})
            fired = False
            for label in LABELS:
                counts = events.get(label, Counter())
                if counts:
                    fired = True
                    self.stdout.write(f"    {label}: " + ", ".join(f"{k} x{n}" for k, n in sorted(counts.items())))
            if not fired:
                self.stdout.write("    nothing fired")


def _monday_weeks_ago(weeks: int) -> date:
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday() + 7 * (weeks - 1)) - timedelta(days=7)
