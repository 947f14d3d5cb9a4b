"""Blue-green serving of the active model inside every web and worker process.

Each process keeps the active comparator in memory. At most every ``LEGALNAME_MODEL_CHECK_SECONDS`` it reads the
active version's id from the database (one indexed query per process every few seconds; a per-process
cache such as local memory could not carry it between processes); when it changed, it loads and
warms the new model beside the old one, then swaps one reference atomically. The previous model stays in memory
for an instant rollback. A model that fails to load is refused, and the failure is logged and recorded on the version
row (status FAILED, the error in ``status_detail``). The process then serves the most recent version that was active
before the failed one and loads (usually the one it already holds; a freshly started worker loads it), found by the
same replay of the deployment history as a rollback (``model_version_previously_active_list``), so the
rollback and the fallback always agree on "the version before". A failed version is retried at most every
``LEGALNAME_MODEL_RETRY_SECONDS``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from comparisons.engine import Comparator
from models_registry.models import ModelVersion
from models_registry.monitoring.alerts import alert_model_load_failed
from models_registry.selectors import model_version_previously_active_list

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServedModel:
    version_id: str
    name: str
    version: int
    comparator: Comparator

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"


class ModelLoadError(Exception):
    pass


def load_comparator(artifact_path: str) -> Comparator:
    """Load and warm one serialised comparator; any failure becomes ModelLoadError."""
    try:
        comparator = Comparator.load(artifact_path)
        comparator.compare("Warm-up Holdings Ltd", "Warm up Holdings Limited")
    except Exception as exc:
        raise ModelLoadError(f"cannot load model from {artifact_path}: {type(exc).__name__}: {exc}") from exc
    return comparator


class ModelServer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: dict[str, ServedModel] = {}
        self._previous: dict[str, ServedModel] = {}
        self._loaded: dict[str, ServedModel] = {}  # a small per-process pool of loaded versions, by version id
        self._checked_at: dict[str, float] = {}
        self._failed: dict[str, float] = {}  # version id -> monotonic time of its last failed load

    def _active_stamp(self, name: str) -> str | None:
        pk = ModelVersion.objects.filter(name=name, is_active=True).values_list("pk", flat=True).first()
        return str(pk) if pk else None

    def _load_version(self, version_id: str) -> ServedModel:
        if version_id in self._loaded:
            return self._loaded[version_id]
        row = ModelVersion.objects.get(pk=version_id)
        comparator = load_comparator(row.artifact_path)
        served = ServedModel(version_id=str(row.pk), name=row.name, version=row.version, comparator=comparator)
        self._loaded[version_id] = served
        return served

    def current(self, name: str | None = None) -> ServedModel | None:
        """The active model of ``name`` (default: the default model), checking the registry at most every
        ``LEGALNAME_MODEL_CHECK_SECONDS``. While one thread checks or loads, the others keep answering with the model
        in hand instead of waiting: a switch never makes a request wait or fail."""
        name = name or settings.LEGALNAME_MODEL_NAME
        now = time.monotonic()
        served = self._current.get(name)
        if served is not None and now - self._checked_at.get(name, 0) < settings.LEGALNAME_MODEL_CHECK_SECONDS:
            return served
        if not self._lock.acquire(blocking=served is None):
            return served
        try:
            return self._refresh(name, now)
        finally:
            self._lock.release()

    def _refresh(self, name: str, now: float) -> ServedModel | None:
        """Under the lock: read the active version's id and, when it changed, load the new model and swap."""
        served = self._current.get(name)
        if served is not None and now - self._checked_at.get(name, 0) < settings.LEGALNAME_MODEL_CHECK_SECONDS:
            return served
        stamp = self._active_stamp(name)
        self._checked_at[name] = now
        if stamp is None:
            return served  # nothing active in the registry: keep serving what we have, if anything
        if served is not None and served.version_id == stamp:
            return served
        new = self._try_load(stamp, now)
        if new is None:
            if served is not None and self._failed.get(stamp) != now:
                return served  # a skipped retry: what serves was chosen when the version was refused
            # Refused just now. Even a process with a model in hand serves the version before the refused one, not
            # whatever it had: after a rollback C -> B it may hold C, the version the admin just left.
            new = self._fallback(name, stamp, now)
            if new is None:
                if served is not None:
                    logger.error("model %s refused and no earlier version loads, keeping %s", stamp, served.label)
                    return served
                logger.critical("model %s refused and no earlier version loads: %s serves nothing", stamp, name)
                return None
            if served is not None and new.version_id == served.version_id:
                logger.error("model %s refused, keeping %s", stamp, served.label)
                return served
            logger.critical(
                "ACTIVE MODEL %s FAILED TO LOAD: serving the previously active %s instead", stamp, new.label
            )
        if served is not None:
            self._previous[name] = served
        self._current[name] = new  # the swap: one reference assignment
        # keep only the current and previous versions in memory
        keep = {s.version_id for s in (*self._current.values(), *self._previous.values())}
        self._loaded = {k: v for k, v in self._loaded.items() if k in keep}
        logger.info("serving %s", new.label)
        return new

    def _try_load(self, version_id: str, now: float) -> ServedModel | None:
        """Load a version, or None when it fails (recorded) or failed less than the retry interval ago."""
        failed_at = self._failed.get(version_id)
        if failed_at is not None and now - failed_at < settings.LEGALNAME_MODEL_RETRY_SECONDS:
            return None
        try:
            served = self._load_version(version_id)
        except Exception as exc:
            logger.error("model %s failed to load: %s", version_id, exc)
            self._failed[version_id] = now
            self._record_failure(version_id, str(exc))
            return None
        self._failed.pop(version_id, None)
        return served

    def _fallback(self, name: str, failed_id: str, now: float) -> ServedModel | None:
        """The most recent version active before ``failed_id`` that loads: the versions a rollback would go to
        (``model_version_previously_active_list``, the deployment history replayed as a stack, without failed and
        retired versions), tried newest first. So after a rollback C -> B, a B that does not load falls back to what
        was active before B, never to C, the version just rolled back from."""
        for candidate in model_version_previously_active_list(model_name=name, active_id=failed_id):
            served = self._try_load(str(candidate.pk), now)
            if served is not None:
                return served
        return None

    def get(self, version_id: str) -> ServedModel:
        """A specific version (an experiment's variant, or a comparison that names its model). A version already
        loaded is returned without the lock (one dict read, atomic in CPython; writers change the pool under it), so an
        experiment's compares do not wait while another thread loads a model."""
        served = self._loaded.get(str(version_id))
        if served is not None:
            return served
        with self._lock:
            return self._load_version(str(version_id))

    def _record_failure(self, version_id: str, error: str) -> None:
        ModelVersion.objects.filter(pk=version_id).update(
            status=ModelVersion.Status.FAILED, status_detail=error, updated_at=timezone.now()
        )
        # people are told (critical alert, sent by a worker once this commits); it never raises into serving
        alert_model_load_failed(version_id=version_id, error=error)

    def reset(self) -> None:
        with self._lock:
            self._current.clear()
            self._previous.clear()
            self._loaded.clear()
            self._checked_at.clear()
            self._failed.clear()


model_server = ModelServer()
