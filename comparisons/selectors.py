from uuid import UUID

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet

from comparisons.filters import PredictionFilter
from comparisons.models import BatchJob, Prediction
from legalname.common.filters import filterset_apply


def prediction_list(*, filters: dict | None = None) -> QuerySet[Prediction]:
    """Predictions, newest first, filtered by the query ``filters`` (PredictionFilter); a bad value raises
    ValidationError."""
    qs = Prediction.objects.select_related("model_version", "user").order_by("-created_at", "-pk")
    return filterset_apply(filterset_class=PredictionFilter, data=filters, queryset=qs)


def prediction_get(*, prediction_id: UUID | str) -> Prediction | None:
    return Prediction.objects.select_related("model_version", "user").filter(pk=prediction_id).first()


def batch_job_get(*, job_id: UUID | str, user: User) -> BatchJob | None:
    """One of the user's own batch jobs (None for someone else's)."""
    return BatchJob.objects.filter(pk=job_id, user=user).defer("pairs").first()


def batch_job_list(*, user: User) -> QuerySet[BatchJob]:
    return BatchJob.objects.filter(user=user).defer("pairs").order_by("-created_at")


def batch_job_result_list(*, job_id: UUID, limit: int | None = None) -> list[dict]:
    """A job's rows in upload order, each with its verdict once scored (``verdict`` None until then).

    Bulk inserts give many rows the same ``created_at``, so the upload order comes from the job's stored rows;
    identical rows get identical verdicts, so matching by (name1, name2, reference) is exact."""
    pairs = BatchJob.objects.filter(pk=job_id).values_list("pairs", flat=True).first() or []
    if limit is not None:
        pairs = pairs[:limit]
    fields = ("name1", "name2", "reference", "material", "probability_material", "confidence", "reasons")
    predictions = Prediction.objects.filter(batch_id=job_id)
    if limit is not None:  # a preview: only the predictions that can match the rows shown
        predictions = predictions.filter(name1__in={p["name1"] for p in pairs})
    scored: dict[tuple, list[dict]] = {}
    for row in predictions.order_by("created_at").values(*fields):
        scored.setdefault((row["name1"], row["name2"], row["reference"]), []).append(row)
    rows = []
    for pair in pairs:
        matches = scored.get((pair["name1"], pair["name2"], pair.get("reference", "")))
        rows.append({**pair, "verdict": matches.pop(0) if matches else None})
    return rows


def batch_job_verdict_totals(*, job_id: UUID) -> dict[str, int | float | None]:
    """How many of a batch's scored pairs got each verdict, in one aggregate query: ``total``, ``material``,
    ``immaterial`` and the share of each (0..1; None while nothing is scored)."""
    counts = Prediction.objects.filter(batch_id=job_id).aggregate(
        total=Count("pk"), material=Count("pk", filter=Q(material=True))
    )
    total, material = counts["total"], counts["material"]
    return {
        "total": total,
        "material": material,
        "immaterial": total - material,
        "material_share": material / total if total else None,
        "immaterial_share": (total - material) / total if total else None,
    }
