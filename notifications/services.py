"""Email: the one way the app sends mail, and each person's notification settings.

`email_send(*, to, template, context, key) -> SentEmail`
    Renders `templates/notifications/email/<template>.subject.txt`, `<template>.txt` and
    `<template>.html` with `context` plus `site_url` (settings.SITE_URL, no trailing slash),
    stores them as a `SentEmail` and, when the caller's transaction commits, sends the delivery
    job. `key` is an idempotency key chosen by the caller ("comment:42"): a second call with
    the same key returns the first row and sends nothing, so a retried task or a double click
    never sends twice. Call it inside your service's `transaction.atomic()`: a rollback takes
    the email with it. It never raises because the broker or the mail server is down: the row
    stays queued and the periodic sweep (`email_sweep`) sends it later; delivery retries with
    back-off for over an hour. Plain-text templates start with `{% autoescape off %}`.

`notify(*, user, event, key, template, context) -> SentEmail | None`
    `email_send` to `user.email`, with `user` and `notification_settings_url` added to the
    context, unless the user has no email address, is inactive, or has turned `event` (an
    `Event` value) off on /account/notifications/; then None and nothing is stored.

`absolute_url(path) -> str` makes a link for an email from a path (`reverse(...)`).

Invitations go to an address, not a user: call `email_send` directly. When the address already
belongs to an account, `notify(user=..., event=Event.INVITED, ...)` honours that person's switch.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from citydigital.jobs import job_send
from notifications import selectors
from notifications.models import Event, NotificationSettings, SentEmail

logger = logging.getLogger(__name__)

# What an unreachable or unwilling mail server raises: the task retries these with back-off.
DELIVERY_ERRORS = (OSError, smtplib.SMTPException)
# Back-off between attempts doubles from 1 s up to this. Under Redis's visibility timeout
# (CELERY_VISIBILITY_TIMEOUT, 360 s by default): a retry waiting longer than that would be
# handed to a second worker as well.
RETRY_BACKOFF_MAX = 300
# 1 + 2 + ... + 256 s, then 300 s each: about 64 minutes of attempts before the task gives up
# (the sweep then picks the email up again).
MAX_RETRIES = 20
# The sweep stops re-sending an email this old: whatever it said is stale by then.
GIVE_UP_AFTER = timedelta(days=3)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def email_render(*, template: str, context: dict[str, object]) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of `template` with `context`."""
    context = {**context, "site_url": settings.SITE_URL.rstrip("/")}
    name = f"notifications/email/{template}"
    # One line whatever the template's layout: a newline in a subject would end the header.
    subject = " ".join(render_to_string(f"{name}.subject.txt", context).split())
    return (
        subject[: SentEmail._meta.get_field("subject").max_length],
        render_to_string(f"{name}.txt", context),
        render_to_string(f"{name}.html", context),
    )


def email_send(*, to: str, template: str, context: dict[str, object], key: str) -> SentEmail:
    existing = selectors.sent_email_by_key(key=key)
    if existing is not None:
        return existing
    subject, body_text, body_html = email_render(template=template, context=context)
    email = SentEmail(
        key=key,
        to=to,
        template=template,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    email.full_clean(validate_unique=False)
    try:
        # A savepoint: a concurrent call with the same key wins without breaking the caller's
        # transaction.
        with transaction.atomic():
            email.save()
    except IntegrityError:
        return SentEmail.objects.get(key=key)
    transaction.on_commit(lambda: email_enqueue(email_id=email.pk))
    return email


def notify(
    *, user: User, event: str, key: str, template: str, context: dict[str, object]
) -> SentEmail | None:
    event = Event(event)
    if not user.email or not user.is_active:
        return None
    if not selectors.notification_settings_get(user=user).wants(event):
        return None
    return email_send(
        to=user.email,
        template=template,
        context={
            **context,
            "user": user,
            "notification_settings_url": absolute_url(reverse("notifications:settings")),
        },
        key=key,
    )


def email_enqueue(*, email_id: int) -> bool:
    """Send the delivery job; False when the broker is down (the sweep sends it later)."""
    from notifications.tasks import email_deliver_task

    if not job_send(email_deliver_task, email_id, what=f"Email {email_id}"):
        return False
    SentEmail.objects.filter(pk=email_id).update(enqueued_at=timezone.now())
    return True


def email_message(email: SentEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        # RFC 3834: sent by a program, so out-of-office replies stay away.
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(email.body_html, "text/html")
    return message


def email_deliver(*, email_id: int) -> SentEmail | None:
    """Deliver one email, once, however often its job runs. Raises a `DELIVERY_ERRORS` error
    (after recording the attempt) for the task to retry. None when the row is gone."""
    failure: Exception | None = None
    with transaction.atomic():
        # The lock makes a second job for the same email wait here until this one has
        # committed, and then find it sent.
        email = SentEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != SentEmail.Status.QUEUED:
            return email
        email.attempts += 1
        email.last_attempt_at = timezone.now()
        try:
            email_message(email).send()
        except smtplib.SMTPRecipientsRefused as error:
            # The server refused the address for good (5xx) or for now (4xx).
            failure = None if _refused_for_good(error) else error
            email.status = SentEmail.Status.QUEUED if failure else SentEmail.Status.FAILED
            email.last_error = _describe(error)
        except DELIVERY_ERRORS as error:
            failure = error
            email.last_error = _describe(error)
        else:
            # Send, then mark, in the same transaction. The one window for a duplicate is a
            # crash (or a lost database) after the server took the message and before this
            # commit: the row stays queued and a later job sends it again. Marking first would
            # instead lose the email in that window; a rare duplicate is the better failure.
            email.status = SentEmail.Status.SENT
            email.sent_at = timezone.now()
            email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_attempt_at", "sent_at", "last_error"])
    if failure is not None:
        logger.warning("Email %s not delivered (attempt %s): %s", email_id, email.attempts, failure)
        raise failure
    return email


def _refused_for_good(error: smtplib.SMTPRecipientsRefused) -> bool:
    return all(code >= 500 for code, _ in error.recipients.values())


def _describe(error: Exception) -> str:
    # For staff in the admin; the people the email is for never see it.
    return f"{type(error).__name__}: {error}"[: SentEmail._meta.get_field("last_error").max_length]


def email_sweep() -> list[int]:
    """Re-send the delivery job of every email a job may no longer be carrying (see
    `selectors.email_ids_to_resend`). Duplicates are harmless: delivery is idempotent."""
    quiet_for = timedelta(
        seconds=RETRY_BACKOFF_MAX
        + settings.CELERY_TASK_TIME_LIMIT
        + settings.EMAIL_SWEEP_AFTER_SECONDS
    )
    stale = selectors.email_ids_to_resend(
        now=timezone.now(),
        queued_for=timedelta(seconds=settings.EMAIL_SWEEP_AFTER_SECONDS),
        quiet_for=quiet_for,
        give_up_after=GIVE_UP_AFTER,
    )
    sent = [pk for pk in stale if email_enqueue(email_id=pk)]
    if sent:
        logger.info("Email sweep re-sent %s", sent)
    return sent


@transaction.atomic
def notification_settings_update(*, user: User, switches: dict[str, bool]) -> NotificationSettings:
    """Save the person's switches, one per `Event` value; events not named keep their value."""
    found = NotificationSettings.objects.select_for_update().filter(user=user).first()
    row = found if found is not None else NotificationSettings(user=user)
    for event, on in switches.items():
        setattr(row, Event(event).value, bool(on))
    row.full_clean()
    row.save()
    return row
