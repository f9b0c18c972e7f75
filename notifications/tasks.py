from celery import Task, shared_task
from celery.signals import worker_ready

from notifications import services


@shared_task(
    name="notifications.email_deliver",
    bind=True,
    # The SentEmail row carries the outcome.
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=services.DELIVERY_ERRORS,
    retry_backoff=True,
    retry_backoff_max=services.RETRY_BACKOFF_MAX,
    # Jitter would pick a random wait below each step and cut the hour of trying short.
    retry_jitter=False,
    max_retries=services.MAX_RETRIES,
)
def email_deliver_task(self: Task, email_id: int) -> None:
    """Idempotent: an email already sent is not sent again."""
    services.email_deliver(email_id=email_id)


@shared_task(name="notifications.email_sweep", ignore_result=True)
def email_sweep_task() -> None:
    services.email_sweep()


@worker_ready.connect
def sweep_at_start(sender: object, **kwargs: object) -> None:
    # Re-send emails queued while no worker (or no broker) was up.
    services.email_sweep()
