from django.core.management.base import BaseCommand, CommandError

from models_registry.models import TrainingRun
from models_registry.selectors import model_version_active_get
from models_registry.services.deployment import model_version_activate
from models_registry.services.training import DEFAULT_N_PAIRS, training_run_create, training_run_execute


def _fmt(values: dict) -> str:
    return "  ".join(f"{k}={v:.4f}" for k, v in values.items() if isinstance(v, float))


class Command(BaseCommand):
    help = "Train a comparator on generated pairs plus feedback, evaluate it, register it (MLflow) and report metrics."

    def add_arguments(self, parser):
        parser.add_argument(
            "--n-pairs", type=int, default=DEFAULT_N_PAIRS, help=f"generated training pairs (default {DEFAULT_N_PAIRS})"
        )
        parser.add_argument("--seed", type=int, default=20261126)
        parser.add_argument("--if-none", action="store_true", help="do nothing when an active version exists")
        parser.add_argument(
            "--activate", choices=["auto", "always", "never"], default="auto",
            help="auto: activate when no version is active or the new one beats it on the golden set",
        )

    def handle(self, *args, n_pairs, seed, if_none, activate, **options):
        active = model_version_active_get()
        if if_none and active:
            self.stdout.write(f"Active model exists ({active}); not training.")
            return
        run = training_run_create(trigger="command", params={"n_pairs": n_pairs, "seed": seed})
        self.stdout.write(f"Training on {n_pairs} generated pairs plus feedback (run {run.pk})...")
        run = training_run_execute(training_run_id=run.pk)
        if run.status != TrainingRun.Status.SUCCEEDED:
            raise CommandError(f"training failed: {run.error.splitlines()[0] if run.error else 'unknown error'}")
        version = run.model_version
        for dataset, values in version.metrics.items():
            if isinstance(values, dict):
                self.stdout.write(f"{dataset:>10}: n={values.get('n')}  {_fmt(values)}")
        self.stdout.write(f"Registered {version} ({version.model_uri}), threshold {version.threshold:.3f}, "
                          f"trained in {version.metrics.get('train_seconds')} s")
        golden = lambda v: ((v.metrics or {}).get("golden") or {}).get("balanced_accuracy") or 0  # noqa: E731
        if activate == "always" or (activate == "auto" and (active is None or golden(version) > golden(active))):
            version = model_version_activate(model_version=version, reason=f"train_model --activate {activate}")
            self.stdout.write(self.style.SUCCESS(f"Activated {version}"))
        else:
            self.stdout.write(f"Not activated; active version stays {active}")
