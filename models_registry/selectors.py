from collections.abc import Iterable
from uuid import UUID

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from legalname.common.filters import filterset_apply
from models_registry.filters import ModelVersionFilter
from models_registry.models import ModelDeployment, ModelMetric, ModelVersion


def model_version_active_get(*, name: str | None = None) -> ModelVersion | None:
    return ModelVersion.objects.filter(name=name or settings.LEGALNAME_MODEL_NAME, is_active=True).first()


def model_version_get(*, version_id: UUID | str) -> ModelVersion | None:
    return ModelVersion.objects.select_related("created_by").filter(pk=version_id).first()


def model_version_list(*, filters: dict | None = None) -> QuerySet[ModelVersion]:
    """Versions, newest first per name, with their creator, filtered by the query ``filters`` (ModelVersionFilter);
    a bad value raises ValidationError."""
    qs = ModelVersion.objects.select_related("created_by").order_by("name", "-version")
    return filterset_apply(filterset_class=ModelVersionFilter, data=filters, queryset=qs)


def _evaluation_rows() -> QuerySet[ModelMetric]:
    # Oldest first, so that in a summary a later measurement of the same metric replaces an earlier one.
    return ModelMetric.objects.filter(window_start__isnull=True).order_by("recorded_at", "pk")


def model_version_metric_rows_prefetch() -> Prefetch:
    """The evaluation-set metric rows of versions (not the monitoring windows), oldest first, for ``prefetch_related``:
    ``model_metric_summary(version.metric_rows.all())`` then costs no query."""
    return Prefetch("metric_rows", queryset=_evaluation_rows())


def model_version_with_metric_rows_list(*, filters: dict | None = None) -> QuerySet[ModelVersion]:
    """Like ``model_version_list``, with the evaluation-set metric rows prefetched
    (``model_version_metric_rows_prefetch``)."""
    return model_version_list(filters=filters).prefetch_related(model_version_metric_rows_prefetch())


def model_metric_summary(rows: Iterable[ModelMetric]) -> dict[str, dict[str, float]]:
    """``{dataset: {metric: value}}`` from a version's evaluation rows (the latest value of each metric)."""
    summary: dict[str, dict[str, float]] = {}
    for row in rows:
        summary.setdefault(row.dataset or "other", {})[row.metric_name] = row.metric_value
    return summary


def model_version_metrics(*, model_version: ModelVersion) -> dict[str, dict[str, float]]:
    """The evaluation summary of one version, read from its ModelMetric rows."""
    return model_metric_summary(_evaluation_rows().filter(model_version=model_version))


def model_version_active_history(*, model_name: str) -> list:
    """The ids of the versions of ``model_name`` that were made active and not rolled back from, oldest first: the
    last one is the version active now (when the history is the only way versions were switched).

    The deployment history replayed as a stack: an activation or a promotion pushes its version; a rollback pops
    back down to the version it went to (when that version is not on the stack, as after a rollback recorded before
    rollbacks meant "back", it replaces the version it left). So a rolled-back-from version never comes back by a
    later rollback, only by being activated again."""
    switches = (
        ModelDeployment.objects.filter(
            model_name=model_name,
            action__in=[
                ModelDeployment.Action.ACTIVATE,
                ModelDeployment.Action.PROMOTE,
                ModelDeployment.Action.ROLLBACK,
            ],
            to_version__isnull=False,
        )
        .order_by("created_at", "pk")
        .values_list("action", "from_version_id", "to_version_id")
    )
    stack: list = []
    for action, from_id, to_id in switches:
        if action == ModelDeployment.Action.ROLLBACK:
            if to_id in stack:
                while stack[-1] != to_id:
                    stack.pop()
                continue
            if stack and stack[-1] == from_id:
                stack.pop()
        if not stack or stack[-1] != to_id:
            stack.append(to_id)
    return stack


def model_version_previously_active_list(*, model_name: str, active_id: UUID | str | None) -> list[ModelVersion]:
    """The versions of ``model_name`` that were active before ``active_id``, most recent first, each once, without
    retired versions and versions that failed to load: the history replayed as a stack
    (``model_version_active_history``), read downwards from below the last activation of ``active_id``.

    The one answer to "which version was active before": a rollback goes to the first of them, and a process that
    cannot load the active version serves the first of them that loads."""
    active_pk = UUID(str(active_id)) if active_id is not None else None
    stack = model_version_active_history(model_name=model_name)
    if active_pk in stack:  # what was active before the current one lies below its last activation
        stack = stack[: len(stack) - 1 - stack[::-1].index(active_pk)]
    ids = list(dict.fromkeys(pk for pk in reversed(stack) if pk != active_pk))
    usable = ModelVersion.objects.filter(pk__in=ids, name=model_name).exclude(
        status__in=[ModelVersion.Status.RETIRED, ModelVersion.Status.FAILED]
    )
    by_id = {version.pk: version for version in usable}
    return [by_id[pk] for pk in ids if pk in by_id]


def model_version_rollback_target_get(*, model_name: str) -> ModelVersion | None:
    """Where a rollback of ``model_name`` goes: the most recent version active before the current one that has not
    been rolled back from, skipping retired versions and versions that failed to load (the serving fallback's first
    choice too: ``model_version_previously_active_list``). None when there is none."""
    active = model_version_active_get(name=model_name)
    if active is None:
        return None
    return next(iter(model_version_previously_active_list(model_name=model_name, active_id=active.pk)), None)
