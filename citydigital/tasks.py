import os

from celery import shared_task


@shared_task(name="citydigital.health_ping")
def health_ping() -> dict[str, int | str]:
    """Answers from the worker process, so a caller can see a real worker took the job."""
    return {"pong": "ok", "worker_pid": os.getpid()}
