from django.conf import settings
from django.db import models


class Event(models.TextChoices):
    """What a person can be told about by email; each has an on/off setting of its own."""

    INVITED = "invited", "I am invited to join a region's team"
    THEME_ASSIGNED = "theme_assigned", "A theme is assigned to me"
    COMMENT_ON_OWNED_THEME = "comment_on_owned_theme", "Someone comments on a theme I own"
    BRIEFING_FINISHED = "briefing_finished", "A briefing I asked for is ready, or has failed"


class SentEmail(models.Model):
    """One email, rendered when it was asked for and delivered by a Celery task. The row is the
    source of truth: `key` makes asking twice send once, and a sweep re-sends what the broker
    lost or never got."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"  # the mail server refused it for good (a 5xx answer)

    # An idempotency key chosen by the caller (e.g. "comment:42"): one email per key, ever.
    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # For staff in the admin only; never shown to the people the email is for.
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="sentemail_status_age")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to} ({self.get_status_display().lower()})"


class NotificationSettings(models.Model):
    """Which emails one person gets: one switch per `Event`, named after it, all on until they
    turn one off. A person without a row has every switch on; the row is made when they first
    save their settings."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    invited = models.BooleanField(default=True, verbose_name=Event.INVITED.label)
    theme_assigned = models.BooleanField(default=True, verbose_name=Event.THEME_ASSIGNED.label)
    comment_on_owned_theme = models.BooleanField(
        default=True, verbose_name=Event.COMMENT_ON_OWNED_THEME.label
    )
    briefing_finished = models.BooleanField(
        default=True, verbose_name=Event.BRIEFING_FINISHED.label
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"Notification settings of {self.user}"

    def wants(self, event: str) -> bool:
        return bool(getattr(self, Event(event).value))
