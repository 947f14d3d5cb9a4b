"""gunicorn settings: each worker loads and warms the active model before it takes requests, so that the first
compare it answers is as fast as the rest; and Prometheus' multiprocess bookkeeping, so that ``/metrics`` reports the
sum over every worker whichever worker answers the scrape.

Multiprocess mode (prometheus_client): ``PROMETHEUS_MULTIPROC_DIR`` must be in the environment before
prometheus_client is first imported, in the master and so in every forked worker; this module is read by the master
before the application is loaded, so it sets a default here (``<LEGALNAME_DATA_DIR or var>/prometheus``) when the
environment names none, and imports prometheus_client only inside the hooks, after that. With several workers and no
directory each worker would report only what it counted itself.

- ``on_starting`` (master, before the first fork): empties the directory of what earlier runs left. It removes
  every file whose process is gone and keeps those of live processes: a Celery worker on the same host shares the
  directory (README, "Metrics") and its counts must survive a web restart. (A dead run's pid reused by an unrelated
  live process keeps a stale file: its counts stay in the sum, which only ever errs upwards and is rare.)
- ``child_exit``: marks a dead worker, so its live gauges are dropped; its counters stay in the sum, as they should.
"""

import os
from pathlib import Path
from typing import Any

_DATA_DIR = Path(os.environ.get("LEGALNAME_DATA_DIR") or Path(__file__).resolve().parent.parent / "var")
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_DATA_DIR / "prometheus"))


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    return True


def on_starting(server: Any) -> None:
    path = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    removed = 0
    for file in path.glob("*.db"):
        # prometheus_client names its files <kind>[_<mode>]_<pid>.db
        pid = file.stem.rsplit("_", 1)[-1]
        if not pid.isdigit() or not _process_alive(int(pid)):
            file.unlink(missing_ok=True)
            removed += 1
    server.log.info("prometheus multiprocess directory %s: removed %d files of ended processes", path, removed)


def child_exit(server: Any, worker: Any) -> None:
    # Imported here, never at the top: the master must not import prometheus_client before the variable is set
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    # gunicorn reads this file before Django is set up; the app (and so the model server) exists only in a worker
    from models_registry.serving import model_server

    try:
        model_server.current()
    except Exception:  # a missing model or database must not stop the worker; /ready reports it
        worker.log.exception("could not preload the active model")
