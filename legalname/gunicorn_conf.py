"""gunicorn settings: each worker loads and warms the active model before it takes requests, so that the first
compare it answers is as fast as the rest."""

from typing import Any


def post_worker_init(worker: Any) -> None:
    # gunicorn reads this file before Django is set up; the app (and so the model server) exists only in a worker
    from models_registry.serving import model_server

    try:
        model_server.current()
    except Exception:  # a missing model or database must not stop the worker; /ready reports it
        worker.log.exception("could not preload the active model")
