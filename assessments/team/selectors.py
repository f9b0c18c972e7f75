"""Reads for a region's team: its members, open invitations, the record of changes, and the
invitation a link names."""

from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from assessments.models import CityRegion, Membership
from assessments.team.models import Invitation, TeamEvent, token_hash

# How many changes the team page lists (newest first).
TEAM_EVENTS_SHOWN = 50

_ROLE_RANK = Case(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(Membership.Role.values)),
    default=Value(len(Membership.Role.values)),
    output_field=IntegerField(),
)


def team_members(*, region: CityRegion) -> QuerySet[Membership]:
    """Region admins first, then editors, then viewers; by name within each."""
    return (
        Membership.objects.filter(region=region)
        .select_related("user")
        .annotate(role_rank=_ROLE_RANK)
        .order_by("role_rank", "user__first_name", "user__last_name", "user__username")
    )


def team_admins(*, region: CityRegion) -> QuerySet[Membership]:
    return team_members(region=region).filter(role=Membership.Role.ADMIN)


def team_member_get_or_404(*, region: CityRegion, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "region"), region=region, pk=pk
    )


def invitations_open(*, region: CityRegion | None) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (of `region`, or of every region), newest first:
    waiting, or expired (which a region admin may resend)."""
    invitations = Invitation.objects.filter(accepted_at=None, revoked_at=None)
    if region is not None:
        invitations = invitations.filter(region=region)
    return invitations.select_related("invited_by").order_by("-sent_at", "-pk")


def invitation_of_region_get_or_404(*, region: CityRegion, pk: int) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("region"), region=region, pk=pk)


def invitation_open_for_address(*, region: CityRegion, email: str) -> Invitation | None:
    return invitations_open(region=region).filter(email__iexact=email).first()


def invitation_by_token(*, token: str) -> Invitation | None:
    """The invitation a link's token names, or None (a tampered or made-up link)."""
    return (
        Invitation.objects.select_related("region", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def team_events(*, region: CityRegion, limit: int = TEAM_EVENTS_SHOWN) -> list[TeamEvent]:
    return list(TeamEvent.objects.filter(region=region).order_by("-created_at", "-pk")[:limit])


def team_event_count(*, region: CityRegion) -> int:
    return TeamEvent.objects.filter(region=region).count()


def user_by_email(*, email: str) -> User | None:
    """The account an address belongs to, case-insensitively (by its email, or a username that
    is the address). The oldest if several share it."""
    return (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


def member_by_email(*, region: CityRegion, email: str) -> Membership | None:
    return (
        Membership.objects.filter(region=region)
        .filter(Q(user__email__iexact=email) | Q(user__username__iexact=email))
        .select_related("user")
        .first()
    )


def invitations_waiting_for(*, user: User, now: datetime) -> list[Invitation]:
    """Open, unexpired invitations sent to the user's address: shown on their list of regions
    (the way in for someone who turned invitation emails off)."""
    if not user.email:
        return []
    return list(
        invitations_open(region=None)
        .filter(email__iexact=user.email, expires_at__gt=now)
        .exclude(region__memberships__user=user)
        .select_related("region", "invited_by")
    )
