from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Q
from django.db.models.functions import Coalesce

from notifications.models import NotificationSettings, SentEmail


def notification_settings_get(*, user: User) -> NotificationSettings:
    """The person's settings; every switch on (an unsaved row) until they first save them."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found if found is not None else NotificationSettings(user=user)


def sent_email_by_key(*, key: str) -> SentEmail | None:
    return SentEmail.objects.filter(key=key).first()


def email_ids_to_resend(
    *, now: datetime, queued_for: timedelta, quiet_for: timedelta, give_up_after: timedelta
) -> list[int]:
    """Emails still queued that no job may be carrying any more: never sent to the broker and
    `queued_for` old, or sent to it but with no attempt for `quiet_for` (the broker lost the
    job, or its retries ran out). Emails older than `give_up_after` are left alone."""
    return list(
        SentEmail.objects.filter(status=SentEmail.Status.QUEUED, created_at__gt=now - give_up_after)
        .alias(last_activity=Coalesce("last_attempt_at", "enqueued_at"))
        .filter(
            Q(enqueued_at__isnull=True, created_at__lte=now - queued_for)
            | Q(last_activity__lte=now - quiet_for)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
