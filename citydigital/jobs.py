"""Sending a Celery job from a web request when the broker may be down.

A job whose database row is the source of truth (a briefing, an email) is sent with
`job_send`: a dead broker is not an error for the user. The row stays queued, `job_send`
returns False, and the app's periodic sweep (Celery beat, `CELERY_BEAT_SCHEDULE`) sends it
again once the broker is back. The sending gives up quickly
(`CELERY_TASK_PUBLISH_RETRY_POLICY`), so a request never hangs on it.
"""

import logging

from celery import Task
from django.conf import settings
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# What a publish raises when the broker is unreachable.
BROKER_DOWN = (BrokerError, ConnectionError, OSError)


def job_send(task: Task, *args: object, what: str) -> bool:
    """Send `task(*args)`; False (and a warning naming `what`) when the broker is unreachable."""
    try:
        task.apply_async(args, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY)
    except BROKER_DOWN as error:
        logger.warning("%s stays queued: the broker is unreachable (%s)", what, error)
        return False
    return True
