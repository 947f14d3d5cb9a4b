from celery import shared_task
from celery.utils.log import get_task_logger

logger = get_task_logger(__name__)


@shared_task(bind=True, max_retries=0, acks_late=True)
def batch_score_task(self, job_id: str) -> str:
    """Score one uploaded batch in chunks; the BatchJob row carries status, progress and error.

    Any failure (including the soft time limit) is written on the job, then re-raised so Celery records it too."""
    from comparisons.services import batch_job_fail, batch_job_process

    try:
        job = batch_job_process(job_id=job_id)
    except Exception as exc:
        logger.exception("batch %s failed", job_id)
        batch_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
        raise
    logger.info("batch %s: %s/%s scored", job.pk, job.done, job.total)
    return job.status
