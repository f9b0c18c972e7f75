"""Writes for a region's team: invite, resend, revoke, accept; change a role, remove, leave.

Every change is recorded as a `TeamEvent`. Region admins manage the team; so do service staff
(superusers, from the admin, and `by=None` from the command line). A region always keeps at
least one region admin: the last one cannot leave, be removed or be demoted (the admins' rows
are locked while that is checked, so two admins demoting each other at once leave one).

Invitation links carry a random token; only its sha256 is stored (`Invitation.token_hash`).
The services that issue a token return it with the invitation (`Issued`), for the email and,
from the command line, for printing. Times default to now; tests pass `now`."""

import secrets
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import formatting
from assessments.models import ROLE_NAMES, CityRegion, Membership, ThemeAssignment
from assessments.selectors import REGION_ADMIN_ONLY_MESSAGE, user_is_region_admin
from assessments.team import selectors
from assessments.team.models import INVITATION_LIFETIME, Invitation, TeamEvent, token_hash
from notifications.models import Event
from notifications.services import absolute_url, email_send, notify

SERVICE_STAFF = "Service staff"
LAST_ADMIN_MESSAGE = (
    "{region} must keep at least one region admin. Make someone else a region admin first."
)
ALREADY_MEMBER_MESSAGE = "{email} is already a member of {region}"
ALREADY_INVITED_MESSAGE = (
    "{email} has already been invited to {region}. Resend the invitation from the team page"
)


class InvitationUnusable(Exception):  # noqa: N818 (a state the page explains, not a failure)
    """The link cannot be used: `status` says why (expired, revoked or accepted)."""

    def __init__(self, invitation: Invitation, status: Invitation.Status) -> None:
        super().__init__(f"Invitation {invitation.pk} is {status}")
        self.invitation = invitation
        self.status = status


class InvitationForSomeoneElse(Exception):  # noqa: N818
    """A signed-in user followed an invitation sent to another address."""


class InvitationNeedsSignIn(Exception):  # noqa: N818
    """The invited address has an account: its owner signs in to accept."""


@dataclass(frozen=True)
class Issued:
    """An invitation and the token of its link (stored nowhere but in the email)."""

    invitation: Invitation
    token: str
    # False: the invitee has an account and turned invitation emails off (see `_send`).
    emailed: bool = True

    @property
    def path(self) -> str:
        return reverse("invitations:accept", kwargs={"token": self.token})

    @property
    def url(self) -> str:
        return absolute_url(self.path)


def display_name(user: User | None) -> str:
    if user is None:
        return SERVICE_STAFF
    return user.get_full_name() or user.username


def _require_manager(*, by: User | None, region: CityRegion) -> None:
    """Region admins and service staff manage a team (`by=None`: the command line)."""
    if by is None or by.is_superuser:
        return
    if not user_is_region_admin(user=by, region=region):
        raise PermissionDenied(REGION_ADMIN_ONLY_MESSAGE)


def _record(
    *,
    region: CityRegion,
    kind: TeamEvent.Kind,
    by: User | None,
    subject: str,
    now: datetime,
    role: str = "",
    previous_role: str = "",
) -> TeamEvent:
    return TeamEvent.objects.create(
        region=region,
        kind=kind,
        actor=by,
        actor_name=display_name(by),
        subject_name=subject,
        role=role,
        previous_role=previous_role,
        created_at=now,
    )


def _subject(invitation: Invitation) -> str:
    return f"{invitation.name} ({invitation.email})"


def _member_subject(membership: Membership) -> str:
    user = membership.user
    return f"{display_name(user)} ({user.email})" if user.email else display_name(user)


def _new_token(invitation: Invitation, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_LIFETIME
    return token


def _send(issued: Issued) -> bool:
    """The invitation email, sent when the transaction commits; one per (re)send. Someone who
    already has an account and has turned invitation emails off gets none (False): they see
    the invitation on their list of regions instead."""
    invitation = issued.invitation
    inviter = invitation.invited_by
    context: dict[str, object] = {
        "name": invitation.name,
        "region_name": invitation.region.name,
        "role_name": formatting.with_article(ROLE_NAMES[invitation.role].lower()),
        "inviter_name": display_name(inviter),
        "inviter_email": inviter.email if inviter is not None else "",
        "url": issued.url,
        "expires": formatting.datetime_text(timezone.localtime(invitation.expires_at)),
    }
    key = f"invitation:{invitation.pk}:{invitation.sent_count}"
    account = selectors.user_by_email(email=invitation.email)
    if account is not None and account.email.casefold() == invitation.email.casefold():
        sent = notify(
            user=account, event=Event.INVITED, key=key, template="invitation", context=context
        )
        return sent is not None
    email_send(to=invitation.email, template="invitation", context=context, key=key)
    return True


# --- invitations ---------------------------------------------------------------------------------


def _check_address(*, region: CityRegion, email: str) -> None:
    if selectors.member_by_email(region=region, email=email) is not None:
        raise ValidationError(
            {"email": ALREADY_MEMBER_MESSAGE.format(email=email, region=region.name)},
            code="member",
        )
    if selectors.invitation_open_for_address(region=region, email=email) is not None:
        raise ValidationError(
            {"email": ALREADY_INVITED_MESSAGE.format(email=email, region=region.name)},
            code="invited",
        )


@transaction.atomic
def invitation_create(
    *,
    region: CityRegion,
    name: str,
    email: str,
    role: str,
    by: User | None,
    now: datetime | None = None,
) -> Issued:
    """Invite `email` to join `region` as `role` and email them the link. An address that is
    already a member, or already has an open invitation, gets a ValidationError and no email."""
    _require_manager(by=by, region=region)
    now = now or timezone.now()
    email = email.strip()
    # Lock the region: two admins inviting the same address at once send one invitation.
    CityRegion.objects.select_for_update().filter(pk=region.pk).first()
    _check_address(region=region, email=email)
    invitation = Invitation(
        region=region,
        name=name.strip(),
        email=email,
        role=role,
        invited_by=by,
        created_at=now,
        sent_count=1,
    )
    token = _new_token(invitation, now)
    invitation.full_clean()
    invitation.save()
    _record(
        region=region,
        kind=TeamEvent.Kind.INVITED,
        by=by,
        subject=_subject(invitation),
        role=role,
        now=now,
    )
    issued = Issued(invitation=invitation, token=token)
    return replace(issued, emailed=_send(issued))


def _lock_open(invitation: Invitation, now: datetime) -> Invitation:
    locked = Invitation.objects.select_for_update().select_related("region").get(pk=invitation.pk)
    status = locked.status_at(now)
    if status in (Invitation.Status.ACCEPTED, Invitation.Status.REVOKED):
        raise ValidationError(f"This invitation has been {status.label.lower()}.", code=status)
    return locked


@transaction.atomic
def invitation_resend(
    *, invitation: Invitation, by: User | None, now: datetime | None = None
) -> Issued:
    """A new link (the old one stops working), seven more days, and a new email. Expired
    invitations may be resent; accepted or revoked ones may not."""
    _require_manager(by=by, region=invitation.region)
    now = now or timezone.now()
    locked = _lock_open(invitation, now)
    token = _new_token(locked, now)
    locked.sent_count += 1
    if by is not None:
        locked.invited_by = by  # the email names whoever sent it last
    locked.save(update_fields=["token_hash", "sent_at", "expires_at", "sent_count", "invited_by"])
    _record(
        region=locked.region,
        kind=TeamEvent.Kind.INVITATION_RESENT,
        by=by,
        subject=_subject(locked),
        role=locked.role,
        now=now,
    )
    issued = Issued(invitation=locked, token=token)
    return replace(issued, emailed=_send(issued))


@transaction.atomic
def invitation_revoke(
    *, invitation: Invitation, by: User | None, now: datetime | None = None
) -> Invitation:
    """The link stops working at once."""
    _require_manager(by=by, region=invitation.region)
    now = now or timezone.now()
    locked = _lock_open(invitation, now)
    locked.revoked_at = now
    locked.revoked_by = by
    locked.save(update_fields=["revoked_at", "revoked_by"])
    _record(
        region=locked.region,
        kind=TeamEvent.Kind.INVITATION_REVOKED,
        by=by,
        subject=_subject(locked),
        role=locked.role,
        now=now,
    )
    return locked


def _lock_usable(token: str, now: datetime) -> Invitation | None:
    """The invitation `token` names, locked, if it can still be accepted; None for a token
    that names nothing. Raises InvitationUnusable for an expired, revoked or used one."""
    found = selectors.invitation_by_token(token=token)
    if found is None:
        return None
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("region", "invited_by")
        .get(pk=found.pk)
    )
    status = locked.status_at(now)
    if status != Invitation.Status.PENDING or locked.token_hash != token_hash(token):
        raise InvitationUnusable(locked, status)
    return locked


def _join(*, invitation: Invitation, user: User, now: datetime) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, region=invitation.region, defaults={"role": invitation.role}
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if created:
        _record(
            region=invitation.region,
            kind=TeamEvent.Kind.JOINED,
            by=user,
            subject=_member_subject(membership),
            role=membership.role,
            now=now,
        )
    # Already a member (added meanwhile): the role they have stays as it is.
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: User, now: datetime | None = None) -> Membership:
    """A signed-in user accepts an invitation sent to their address. Two clicks make one
    membership: the second finds the invitation used (InvitationUnusable, ACCEPTED)."""
    now = now or timezone.now()
    invitation = _lock_usable(token, now)
    if invitation is None:
        raise Invitation.DoesNotExist
    if not invitation_is_for(invitation, user):
        raise InvitationForSomeoneElse(invitation.email)
    return _join(invitation=invitation, user=user, now=now)


@transaction.atomic
def invitation_accept_waiting(
    *, invitation_pk: int, user: User, now: datetime | None = None
) -> Membership:
    """A signed-in user accepts an invitation to their address from their list of regions (no
    link needed: their account proves the address)."""
    now = now or timezone.now()
    try:
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("region")
            .get(pk=invitation_pk)
        )
    except Invitation.DoesNotExist:
        raise Invitation.DoesNotExist from None
    if not invitation_is_for(invitation, user):
        raise Invitation.DoesNotExist  # someone else's: as if it did not exist
    status = invitation.status_at(now)
    if status != Invitation.Status.PENDING:
        raise InvitationUnusable(invitation, status)
    return _join(invitation=invitation, user=user, now=now)


def invitation_is_for(invitation: Invitation, user: User) -> bool:
    """Whether `user` is who the invitation was sent to (by address, case-insensitively)."""
    invited = invitation.email.casefold()
    return invited in (user.email.casefold(), user.username.casefold())


@transaction.atomic
def invitation_accept_as_newcomer(
    *,
    token: str,
    first_name: str,
    last_name: str,
    password: str,
    now: datetime | None = None,
) -> Membership:
    """Someone without an account accepts: their account is made with the invited address as
    its username and email, and the name and password they chose (the form has checked the
    password against Django's validators)."""
    now = now or timezone.now()
    invitation = _lock_usable(token, now)
    if invitation is None:
        raise Invitation.DoesNotExist
    if selectors.user_by_email(email=invitation.email) is not None:
        raise InvitationNeedsSignIn(invitation.email)
    user = User.objects.create_user(
        username=invitation.email.lower(),
        email=invitation.email,
        password=password,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    return _join(invitation=invitation, user=user, now=now)


# --- members -------------------------------------------------------------------------------------


def _keep_an_admin(membership: Membership, *, stays_admin: bool) -> None:
    """Refuse to leave the region without a region admin: checked with its admins locked."""
    if membership.role != Membership.Role.ADMIN or stays_admin:
        return
    admins = list(
        Membership.objects.select_for_update()
        .filter(region_id=membership.region_id, role=Membership.Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise ValidationError(
            LAST_ADMIN_MESSAGE.format(region=membership.region.name), code="last_admin"
        )


def _lock_member(membership: Membership) -> Membership:
    try:
        return (
            Membership.objects.select_for_update()
            .select_related("user", "region")
            .get(pk=membership.pk)
        )
    except Membership.DoesNotExist:
        raise ValidationError(
            "This person is no longer a member of the region.", code="gone"
        ) from None


def _drop_theme_ownership(membership: Membership) -> None:
    """Only editors own themes: someone who leaves or becomes a viewer owns none."""
    ThemeAssignment.objects.filter(
        assessment__region_id=membership.region_id, assignee_id=membership.user_id
    ).delete()


@transaction.atomic
def member_change_role(
    *, membership: Membership, role: str, by: User | None, now: datetime | None = None
) -> Membership:
    _require_manager(by=by, region=membership.region)
    now = now or timezone.now()
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Select a role"}, code="invalid")
    locked = _lock_member(membership)
    previous = locked.role
    if previous == role:
        return locked
    _keep_an_admin(locked, stays_admin=role == Membership.Role.ADMIN)
    locked.role = role
    locked.save(update_fields=["role"])
    if not locked.is_editor:
        _drop_theme_ownership(locked)
    _record(
        region=locked.region,
        kind=TeamEvent.Kind.ROLE_CHANGED,
        by=by,
        subject=_member_subject(locked),
        role=role,
        previous_role=previous,
        now=now,
    )
    return locked


@transaction.atomic
def member_remove(*, membership: Membership, by: User | None, now: datetime | None = None) -> None:
    """A region admin removes a member (themselves too: that is leaving)."""
    _require_manager(by=by, region=membership.region)
    _remove(membership, by=by, now=now or timezone.now())


@transaction.atomic
def member_leave(*, membership: Membership, now: datetime | None = None) -> None:
    """A member leaves the region."""
    _remove(membership, by=membership.user, now=now or timezone.now())


def _remove(membership: Membership, *, by: User | None, now: datetime) -> None:
    locked = _lock_member(membership)
    _keep_an_admin(locked, stays_admin=False)
    subject = _member_subject(locked)
    _drop_theme_ownership(locked)
    locked.delete()
    leaving = by is not None and by.pk == locked.user_id
    _record(
        region=locked.region,
        kind=TeamEvent.Kind.LEFT if leaving else TeamEvent.Kind.REMOVED,
        by=by,
        subject=subject,
        previous_role=locked.role,
        now=now,
    )


# --- regions -------------------------------------------------------------------------------------


@transaction.atomic
def region_create(
    *,
    region: CityRegion,
    admin_name: str,
    admin_email: str,
    by: User | None,
    now: datetime | None = None,
) -> Issued:
    """Service staff create `region` (unsaved: from the admin's form or the command line) and
    invite its first region admin."""
    if by is not None and not by.is_superuser:
        raise PermissionDenied("Only service staff can create regions.")
    now = now or timezone.now()
    region.full_clean()
    region.save()
    _record(region=region, kind=TeamEvent.Kind.REGION_CREATED, by=by, subject=region.name, now=now)
    return invitation_create(
        region=region,
        name=admin_name,
        email=admin_email,
        role=Membership.Role.ADMIN,
        by=by,
        now=now,
    )
