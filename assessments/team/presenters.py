"""What the team page and the invitation pages show: members, open invitations and the record
of changes, in words."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User

from assessments import formatting
from assessments.models import ROLE_NAMES, Membership
from assessments.team import selectors
from assessments.team.models import Invitation, TeamEvent

SERVICE_STAFF = "Service staff"


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def _role(role: str) -> str:
    return ROLE_NAMES.get(role, role).lower()


def member_name(membership: Membership) -> str:
    return _name(membership.user)


def role_name(role: str) -> str:
    """ "an editor": the role as an invitation page says it."""
    return formatting.with_article(_role(role))


def inviter_name(invitation: Invitation) -> str:
    return _name(invitation.invited_by) if invitation.invited_by else SERVICE_STAFF


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    name: str
    email: str
    role_name: str
    last_sign_in: datetime | None
    is_you: bool


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    role_name: str
    invited_by: str
    sent_at: datetime
    expires_at: datetime
    is_expired: bool


@dataclass(frozen=True)
class EventRow:
    at: datetime
    text: str


@dataclass(frozen=True)
class Contact:
    """Someone to ask about the team: a region admin."""

    name: str
    email: str


@dataclass(frozen=True)
class TeamPage:
    members: list[MemberRow]
    invitations: list[InvitationRow]
    events: list[EventRow]
    events_total: int
    admins: list[Contact]
    can_manage: bool
    # Service staff who are not members of the region read the page as a viewer would.
    is_staff_view: bool


def event_text(event: TeamEvent) -> str:
    """One change as a sentence: "Rae Admin invited Bo Colleague (bo@example.org) as an
    editor"."""
    actor, subject = event.actor_name, event.subject_name
    role = formatting.with_article(_role(event.role)) if event.role else ""
    texts = {
        TeamEvent.Kind.REGION_CREATED: f"{actor} created {subject}",
        TeamEvent.Kind.INVITED: f"{actor} invited {subject} as {role}",
        TeamEvent.Kind.INVITATION_RESENT: f"{actor} resent the invitation to {subject}",
        TeamEvent.Kind.INVITATION_REVOKED: f"{actor} revoked the invitation to {subject}",
        TeamEvent.Kind.JOINED: f"{subject} joined as {role}",
        TeamEvent.Kind.ROLE_CHANGED: (
            f"{actor} changed the role of {subject} from {_role(event.previous_role)} to "
            f"{_role(event.role)}"
        ),
        TeamEvent.Kind.REMOVED: f"{actor} removed {subject} ({_role(event.previous_role)})",
        TeamEvent.Kind.LEFT: f"{subject} left the team",
    }
    return texts.get(TeamEvent.Kind(event.kind), f"{actor}: {event.get_kind_display()}")


def invitation_contacts(*, invitation: Invitation) -> list[Contact]:
    """Who to ask about an invitation: whoever sent it, then the region's admins."""
    inviter = invitation.invited_by
    contacts = [Contact(name=_name(inviter), email=inviter.email)] if inviter else []
    contacts += [
        Contact(name=_name(m.user), email=m.user.email)
        for m in selectors.team_admins(region=invitation.region)
        if m.user_id != invitation.invited_by_id
    ]
    return contacts


def team_page(*, membership: Membership, now: datetime) -> TeamPage:
    region = membership.region
    members = [
        MemberRow(
            membership=m,
            name=_name(m.user),
            email=m.user.email,
            role_name=m.role_name,
            last_sign_in=m.user.last_login,
            is_you=m.user_id == membership.user_id,
        )
        for m in selectors.team_members(region=region)
    ]
    invitations = [
        InvitationRow(
            invitation=i,
            role_name=ROLE_NAMES[i.role],
            invited_by=inviter_name(i),
            sent_at=i.sent_at,
            expires_at=i.expires_at,
            is_expired=i.status_at(now) == Invitation.Status.EXPIRED,
        )
        for i in selectors.invitations_open(region=region)
    ]
    return TeamPage(
        members=members,
        invitations=invitations,
        events=[
            EventRow(at=e.created_at, text=event_text(e))
            for e in selectors.team_events(region=region)
        ],
        events_total=selectors.team_event_count(region=region),
        admins=[
            Contact(name=row.name, email=row.email)
            for row in members
            if row.membership.is_region_admin
        ],
        can_manage=membership.is_region_admin,
        is_staff_view=membership.pk is None,
    )
