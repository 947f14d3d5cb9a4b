from celery import Task, shared_task
from celery.utils.log import get_task_logger

logger = get_task_logger(__name__)


def _batch_score_failure(
    self: Task, exc: BaseException, task_id: str, args: tuple, kwargs: dict, einfo: object
) -> None:
    """Any final failure (an exception, the time limit, a lost worker) is written on the job."""
    from comparisons.services import batch_job_fail  # services queue this task: importing them at the top is a cycle

    job_id = kwargs.get("job_id") or (args[0] if args else None)
    if job_id:
        batch_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")


# acks_late + reject_on_worker_lost: a worker that dies mid-job returns the message to the queue, and the next
# run resumes from the job's `done` counter.
@shared_task(bind=True, max_retries=0, acks_late=True, reject_on_worker_lost=True, on_failure=_batch_score_failure)
def batch_score_task(self: Task, job_id: str) -> str:
    """Score one uploaded batch in chunks; the BatchJob row carries status, progress and error."""
    from comparisons.services import batch_job_process  # see _batch_score_failure

    job = batch_job_process(job_id=job_id)
    logger.info("batch %s: %s/%s scored", job.pk, job.done, job.total)
    return job.status
