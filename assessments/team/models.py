"""The team's models, registered with the assessments app (imported by `assessments.models`)."""

import hashlib
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from assessments.models import ROLE_NAMES, CityRegion, Membership

INVITATION_LIFETIME = timedelta(days=7)


def token_hash(token: str) -> str:
    """What is stored of an invitation's token: only the emailed link carries the token."""
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An invitation to join a region with a role, sent by email with a single-use link that
    expires `INVITATION_LIFETIME` after it was (last) sent. Resending replaces the token."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"
        ACCEPTED = "accepted", "Accepted"

    region = models.ForeignKey(CityRegion, on_delete=models.CASCADE, related_name="invitations")
    name = models.CharField("full name", max_length=150)
    email = models.EmailField("email address")
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    # None: invited by service staff from the command line (`create_region`).
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField()
    sent_count = models.PositiveIntegerField(default=1)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["region_id", "-created_at", "-pk"]
        constraints = [
            # One open invitation per address and region: inviting again means resending.
            models.UniqueConstraint(
                Lower("email"),
                "region",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_open_invitation_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.region} ({self.get_role_display()})"

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    def status_at(self, now: datetime) -> "Invitation.Status":
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if now >= self.expires_at:
            return self.Status.EXPIRED
        return self.Status.PENDING


class TeamEvent(models.Model):
    """One change to a region's team: who did what, to whom, when. Names are copied, so the
    record still reads right after someone leaves or is removed."""

    class Kind(models.TextChoices):
        REGION_CREATED = "region_created", "Region created"
        INVITED = "invited", "Invited"
        INVITATION_RESENT = "invitation_resent", "Invitation resent"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        JOINED = "joined", "Joined"
        ROLE_CHANGED = "role_changed", "Role changed"
        REMOVED = "removed", "Removed"
        LEFT = "left", "Left"

    region = models.ForeignKey(CityRegion, on_delete=models.CASCADE, related_name="team_events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # None (with actor_name "Service staff"): a change made from the command line.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=300)
    subject_name = models.CharField(max_length=300)
    role = models.CharField(max_length=20, choices=Membership.Role.choices, blank=True)
    previous_role = models.CharField(max_length=20, choices=Membership.Role.choices, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["region_id", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.region}: {self.get_kind_display()} {self.subject_name}"
