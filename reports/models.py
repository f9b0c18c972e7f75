from django.conf import settings
from django.db import models
from django.urls import reverse


class Briefing(models.Model):
    """A PDF briefing of one assessment. The row is the source of truth for the job: the broker
    may lose a message, but a sweep re-sends any briefing still queued here."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="briefings"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    # Hash of everything the briefing shows (answers, scores, bank version, the PDF design):
    # the cache key that lets an unchanged re-request return the existing file.
    content_hash = models.CharField(max_length=64, db_index=True)
    is_draft = models.BooleanField(
        default=False, help_text="Made from an assessment still in progress."
    )
    file = models.FileField(upload_to="briefings/", blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"], name="briefing_status_age")]

    def __str__(self) -> str:
        return f"Briefing {self.pk} of {self.assessment} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse(
            "reports:briefing-status",
            kwargs={"region_slug": self.assessment.region.slug, "pk": self.pk},
        )

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.READY, self.Status.FAILED)
