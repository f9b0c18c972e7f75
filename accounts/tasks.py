from celery import shared_task

from accounts import services


@shared_task(name="accounts.password_reset_email", ignore_result=True, acks_late=True)
def password_reset_email_task(email: str) -> None:
    """Idempotent: email_send keys each email by user and token."""
    services.password_reset_email_send(email=email)
