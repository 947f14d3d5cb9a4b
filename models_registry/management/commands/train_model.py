from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from models_registry.models import PromotionDecision, TrainingRun
from models_registry.selectors import model_version_active_get, model_version_metrics
from models_registry.services.deployment import model_version_activate
from models_registry.services.promotion import training_run_gate
from models_registry.services.training import training_run_create, training_run_execute


def _fmt(values: dict) -> str:
    return "  ".join(f"{k}={v:.4f}" for k, v in values.items() if k != "n")


class Command(BaseCommand):
    help = "Train a comparator on generated pairs plus feedback, evaluate it, register it (MLflow) and report metrics."

    def add_arguments(self, parser):
        n_pairs, seed = settings.LEGALNAME_TRAINING_N_PAIRS, settings.LEGALNAME_TRAINING_SEED
        parser.add_argument(
            "--n-pairs",
            type=int,
            default=n_pairs,
            help=f"generated training pairs (default LEGALNAME_TRAINING_N_PAIRS, {n_pairs})",
        )
        parser.add_argument("--seed", type=int, default=seed, help=f"default LEGALNAME_TRAINING_SEED, {seed}")
        parser.add_argument("--if-none", action="store_true", help="do nothing when an active version exists")
        parser.add_argument(
            "--activate",
            choices=["auto", "always", "never"],
            default="auto",
            help="auto: the promotion gate (activated when no version is active, or when the new one is not worse on "
            "any evaluation set and better on the held-out decisions; otherwise challenger or rejected)",
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
        assert version is not None  # a succeeded run registered one
        metrics = model_version_metrics(model_version=version)
        for dataset, values in metrics.items():
            if dataset != "training":
                self.stdout.write(f"{dataset:>10}: n={int(values.get('n', 0))}  {_fmt(values)}")
        self.stdout.write(
            f"Registered {version} ({version.model_uri}), threshold {version.threshold:.3f}, "
            f"trained in {metrics.get('training', {}).get('train_seconds')} s"
        )
        if activate == "always":
            version = model_version_activate(model_version=version, reason="train_model --activate always")
            self.stdout.write(self.style.SUCCESS(f"Activated {version}"))
        elif activate == "auto":
            decision = training_run_gate(training_run=run)
            if decision is None:
                run.refresh_from_db()
                raise CommandError(f"{version}: {run.promotion}")
            activated = decision.outcome == PromotionDecision.Outcome.ACTIVATED
            style = self.style.SUCCESS if activated else (lambda text: text)
            self.stdout.write(style(f"{version}: {decision.detail}"))
        else:
            self.stdout.write(f"Not activated (--activate never); active version stays {active}")
