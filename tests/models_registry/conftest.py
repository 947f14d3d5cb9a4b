import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from comparisons.models import Prediction
from comparisons.services import prediction_build
from feedback.models import Feedback
from models_registry.models import ModelVersion
from models_registry.serving import load_comparator, model_server
from tests.users import make_user


@pytest.fixture(autouse=True)
def _fresh_server(settings):
    """Each test starts with an empty per-process model server that checks the registry on every call."""
    settings.LEGALNAME_MODEL_CHECK_SECONDS = 0
    model_server.reset()
    yield
    model_server.reset()


DEFAULT_METRICS = {
    "validation": {"roc_auc": 0.95, "balanced_accuracy": 0.9, "f1": 0.9, "n": 600},
    "golden": {"roc_auc": 0.93, "balanced_accuracy": 0.88, "n": 285},
    "dev": {"roc_auc": 0.91, "balanced_accuracy": 0.85, "n": 834},
}


def metric_rows_create(version: ModelVersion, metrics: dict[str, dict[str, float]]) -> None:
    """The evaluation rows a training writes for a version (ModelMetric is where measured metrics live)."""
    from django.utils import timezone

    from models_registry.models import ModelMetric

    ModelMetric.objects.bulk_create(
        ModelMetric(
            model_version=version, dataset=dataset, metric_name=name, metric_value=value, recorded_at=timezone.now()
        )
        for dataset, values in metrics.items()
        for name, value in values.items()
    )


@pytest.fixture
def register_version(mlflow_store, small_comparator_path):
    """Register a copy of the session's small comparator as a new version, in MLflow and the database.

    The real registration path of training (pyfunc model, pinned requirements, MLflow version), without paying for a
    training per test."""
    from django.db.models import Max

    from models_registry.services.mlflow_registry import mlflow_log_and_register

    def register(name: str = "legal-name-comparator", source: Path | None = None, **fields) -> ModelVersion:
        number = (ModelVersion.objects.filter(name=name).aggregate(m=Max("version"))["m"] or 0) + 1
        folder = Path(django_settings.MODELS_DIR) / name
        folder.mkdir(parents=True, exist_ok=True)
        artifact = folder / f"v{number}.joblib"
        shutil.copyfile(source or small_comparator_path, artifact)
        info = mlflow_log_and_register(
            model_name=name,
            artifact_path=artifact,
            params={"n_pairs": 4000},
            evaluations={"validation": {"roc_auc": 0.9, "n": 10}},
            train_seconds=1.0,
        )
        metrics = fields.pop("metrics", DEFAULT_METRICS)
        version = ModelVersion.objects.create(
            name=name,
            version=number,
            artifact_path=str(artifact),
            model_uri=info["model_uri"],
            mlflow_run_id=info["run_id"],
            **fields,
        )
        metric_rows_create(version, metrics)
        return version

    return register


SYLLABLES = "ka lo ri ven tor mar sel nu bra dex fin gal hor zen qua pli mon ter vo sa bel dor kin lum".split()
FORMS = ("Ltd", "Inc", "GmbH", "S.A.", "plc", "B.V.", "AG", "LLC", "Corp", "")


def made_up_base(rng) -> str:
    """A made-up distinctive name (no real company, no generated base name): one or two invented words."""

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()

    return word() + (" " + word() if rng.random() < 0.4 else "")


def added_word_pairs(rng, n: int, words=("Holdings", "Holding", "HOLDINGS", "Hldgs")) -> list[tuple[str, str]]:
    """``n`` pairs that differ only by one of ``words`` added on one side (either side), over made-up names and
    assorted legal forms: the pattern of an organisation's policy about that word."""
    pairs = []
    for _ in range(n):
        base, form, word = made_up_base(rng), rng.choice(FORMS), rng.choice(words)
        with_word, without = f"{base} {word} {form}".strip(), f"{base} {form}".strip()
        pairs.append((with_word, without) if rng.random() < 0.5 else (without, with_word))
    return pairs


@pytest.fixture
def plant_decisions(db):
    """Store predictions of ``pairs`` served by ``version`` (as the served verdicts) and one analyst decision on each
    (``labels``: 1 material), as the review page would; ``audit``/``holdout`` mark the gate's held-out sample."""

    def plant(version, pairs, labels, *, audit: bool = False, holdout: bool = False, username: str = "reviewer1"):
        user = make_user(username, "analyst")
        comparator = load_comparator(version.artifact_path)
        verdicts = comparator.compare_many(pairs)
        predictions = Prediction.objects.bulk_create(
            prediction_build(model_version=version, verdict=v, name1=a, name2=b, user=user, source="web")
            for (a, b), v in zip(pairs, verdicts, strict=True)
        )
        return Feedback.objects.bulk_create(
            Feedback(prediction=p, user=user, user_correction=bool(label), audit=audit or holdout, holdout=holdout)
            for p, label in zip(predictions, labels, strict=True)
        )

    return plant
