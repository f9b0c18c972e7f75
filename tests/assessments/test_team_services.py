"""assessments.team.services: roles and the last region admin, the invitation's life (expiry by
a passed-in `now`, the token hashed at rest, single use, resend and revoke), and the record of
every change."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import timezone

from assessments.models import Membership, ThemeAssignment
from assessments.team import presenters, services
from assessments.team.models import Invitation, TeamEvent, token_hash
from notifications.models import SentEmail
from tests.assessments.factories import CityRegionFactory, UserFactory, admin_of

NOW = timezone.now().replace(microsecond=0)


def _invite(region, by, *, email="newcomer@example.org", role="editor", now=NOW):
    return services.invitation_create(
        region=region, name="Nia Newcomer", email=email, role=role, by=by, now=now
    )


def _kinds(region) -> list[str]:
    return list(TeamEvent.objects.filter(region=region).values_list("kind", flat=True))


# --- roles ---------------------------------------------------------------------------------------


def test_region_admins_are_editors_too(region, region_admin, editor, viewer):
    admin = Membership.objects.get(user=region_admin)
    assert admin.is_editor
    assert admin.is_region_admin
    assert Membership.objects.get(user=editor).is_editor
    assert not Membership.objects.get(user=editor).is_region_admin
    assert not Membership.objects.get(user=viewer).is_editor


def test_only_region_admins_and_service_staff_manage_the_team(region, editor, viewer):
    for user in (editor, viewer, UserFactory()):
        with pytest.raises(PermissionDenied, match="Only the region's admins"):
            _invite(region, user)
    staff = UserFactory(is_superuser=True, is_staff=True)
    assert _invite(region, staff).invitation.invited_by == staff
    assert _invite(region, None, email="second@example.org").invitation.invited_by is None


def test_a_role_change_is_recorded_and_a_viewer_owns_no_theme(
    region, region_admin, editor, assessment
):
    theme_id = assessment.bank.themes.first().pk
    ThemeAssignment.objects.create(assessment=assessment, theme_id=theme_id, assignee=editor)
    member = Membership.objects.get(user=editor)
    services.member_change_role(membership=member, role="viewer", by=region_admin, now=NOW)
    member.refresh_from_db()
    assert member.role == "viewer"
    assert not ThemeAssignment.objects.filter(assignee=editor).exists()
    event = TeamEvent.objects.get(region=region, kind=TeamEvent.Kind.ROLE_CHANGED)
    assert (event.actor, event.role, event.previous_role) == (region_admin, "viewer", "editor")
    assert presenters.event_text(event) == (
        f"Rae Admin changed the role of Ada Editor ({editor.email}) from editor to viewer"
    )


def test_the_last_region_admin_cannot_be_demoted_removed_or_leave(region, region_admin, editor):
    last = Membership.objects.get(user=region_admin)
    message = "must keep at least one region admin"
    with pytest.raises(ValidationError, match=message):
        services.member_change_role(membership=last, role="editor", by=region_admin)
    with pytest.raises(ValidationError, match=message):
        services.member_remove(membership=last, by=region_admin)
    with pytest.raises(ValidationError, match=message):
        services.member_leave(membership=last)
    staff = UserFactory(is_superuser=True)
    with pytest.raises(ValidationError, match=message):
        services.member_change_role(membership=last, role="viewer", by=staff)
    last.refresh_from_db()
    assert last.role == "admin"
    assert _kinds(region) == []
    # With a second admin, the first may step down.
    second = Membership.objects.get(user=editor)
    services.member_change_role(membership=second, role="admin", by=region_admin)
    services.member_leave(membership=last)
    assert not Membership.objects.filter(pk=last.pk).exists()
    assert _kinds(region) == [TeamEvent.Kind.LEFT, TeamEvent.Kind.ROLE_CHANGED]
    with pytest.raises(ValidationError, match=message):
        services.member_change_role(membership=second, role="viewer", by=editor)


def test_removing_a_member_is_recorded_with_their_name(region, region_admin, editor):
    member = Membership.objects.get(user=editor)
    services.member_remove(membership=member, by=region_admin, now=NOW)
    assert not Membership.objects.filter(pk=member.pk).exists()
    event = TeamEvent.objects.get(region=region)
    assert event.kind == TeamEvent.Kind.REMOVED
    assert event.subject_name == f"Ada Editor ({editor.email})"
    assert event.created_at == NOW
    assert presenters.event_text(event) == f"Rae Admin removed Ada Editor ({editor.email}) (editor)"


@pytest.mark.django_db(transaction=True)
def test_two_admins_demoting_each_other_at_once_leave_one_admin():
    """The admins' rows are locked while the last-admin rule is checked (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers anyway; the row locks are PostgreSQL's")
    region = CityRegionFactory()
    first, second = admin_of(region), admin_of(region)
    barrier = threading.Barrier(2)
    outcomes = []

    def demote(membership, by):
        try:
            barrier.wait()
            services.member_change_role(membership=membership, role="editor", by=by)
            outcomes.append("demoted")
        except (ValidationError, PermissionDenied):  # the last admin, or no longer an admin
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=demote, args=(first, second.user)),
        threading.Thread(target=demote, args=(second, first.user)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["demoted", "refused"]
    assert Membership.objects.filter(region=region, role="admin").count() == 1


# --- invitations ---------------------------------------------------------------------------------


def test_an_invitation_stores_only_the_hash_of_its_token_and_emails_the_link(region, region_admin):
    issued = _invite(region, region_admin)
    invitation = Invitation.objects.get()
    assert len(issued.token) >= 43
    assert invitation.token_hash == token_hash(issued.token) != issued.token
    stored = [str(value) for value in Invitation.objects.values().get().values()]
    assert not any(issued.token in value for value in stored)
    assert invitation.expires_at == NOW + timedelta(days=7)
    assert invitation.status_at(NOW) == Invitation.Status.PENDING
    email = SentEmail.objects.get()
    assert (email.key, email.to, email.template) == (
        f"invitation:{invitation.pk}:1",
        "newcomer@example.org",
        "invitation",
    )
    assert email.subject == f"Rae Admin invited you to join {region.name} on City Digital Readiness"
    assert f"/invitations/{issued.token}/" in email.body_text
    assert f"/invitations/{issued.token}/" in email.body_html
    assert "as an editor" in email.body_text
    assert region_admin.email in email.body_text
    event = TeamEvent.objects.get(region=region)
    assert presenters.event_text(event) == (
        "Rae Admin invited Nia Newcomer (newcomer@example.org) as an editor"
    )


def test_inviting_a_member_says_so_and_sends_nothing(region, region_admin, editor):
    with pytest.raises(ValidationError) as error:
        _invite(region, region_admin, email=editor.email.upper())
    assert error.value.message_dict["email"] == [
        f"{editor.email.upper()} is already a member of {region.name}"
    ]
    assert not Invitation.objects.exists()
    assert not SentEmail.objects.exists()
    assert _kinds(region) == []


def test_inviting_an_address_twice_asks_for_a_resend(region, region_admin):
    _invite(region, region_admin)
    with pytest.raises(ValidationError, match="already been invited"):
        _invite(region, region_admin, email="Newcomer@Example.org")
    assert Invitation.objects.count() == SentEmail.objects.count() == 1


def test_a_newcomer_accepts_once_and_gets_the_role(region, region_admin):
    issued = _invite(region, region_admin)
    membership = services.invitation_accept_as_newcomer(
        token=issued.token,
        first_name="Nia",
        last_name="Newcomer",
        password="a long new passphrase",
        now=NOW + timedelta(days=6),
    )
    user = membership.user
    assert (user.username, user.email, user.get_full_name()) == (
        "newcomer@example.org",
        "newcomer@example.org",
        "Nia Newcomer",
    )
    assert user.check_password("a long new passphrase")
    assert (membership.region, membership.role) == (region, "editor")
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.status_at(NOW) == Invitation.Status.ACCEPTED
    with pytest.raises(services.InvitationUnusable) as used:
        services.invitation_accept_as_newcomer(
            token=issued.token, first_name="X", last_name="Y", password="another passphrase"
        )
    assert used.value.status == Invitation.Status.ACCEPTED
    assert User.objects.filter(email__iexact="newcomer@example.org").count() == 1
    assert _kinds(region) == [TeamEvent.Kind.JOINED, TeamEvent.Kind.INVITED]


def test_an_existing_account_accepts_by_its_address(region, region_admin):
    someone = UserFactory(email="Known@Example.org")
    issued = _invite(region, region_admin, email="known@example.org", role="viewer")
    with pytest.raises(services.InvitationNeedsSignIn):
        services.invitation_accept_as_newcomer(
            token=issued.token, first_name="A", last_name="B", password="x" * 20
        )
    with pytest.raises(services.InvitationForSomeoneElse):
        services.invitation_accept(token=issued.token, user=UserFactory())
    membership = services.invitation_accept(token=issued.token, user=someone)
    assert (membership.user, membership.role) == (someone, "viewer")
    with pytest.raises(services.InvitationUnusable):
        services.invitation_accept(token=issued.token, user=someone)
    assert Membership.objects.filter(user=someone).count() == 1


def test_an_invitation_expires_after_seven_days(region, region_admin):
    issued = _invite(region, region_admin)
    later = NOW + timedelta(days=7)
    assert Invitation.objects.get().status_at(later) == Invitation.Status.EXPIRED
    with pytest.raises(services.InvitationUnusable) as expired:
        services.invitation_accept_as_newcomer(
            token=issued.token, first_name="N", last_name="N", password="x" * 20, now=later
        )
    assert expired.value.status == Invitation.Status.EXPIRED
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_resending_makes_a_new_link_and_the_old_one_dies(region, region_admin):
    first = _invite(region, region_admin)
    later = NOW + timedelta(days=8)  # expired: a resend revives it
    second = services.invitation_resend(invitation=first.invitation, by=region_admin, now=later)
    assert second.token != first.token
    invitation = Invitation.objects.get()
    assert invitation.sent_count == 2
    assert invitation.expires_at == later + timedelta(days=7)
    assert invitation.token_hash == token_hash(second.token)
    assert list(SentEmail.objects.order_by("pk").values_list("key", flat=True)) == [
        f"invitation:{invitation.pk}:1",
        f"invitation:{invitation.pk}:2",
    ]
    assert f"/invitations/{second.token}/" in SentEmail.objects.get(key__endswith=":2").body_text
    with pytest.raises(Invitation.DoesNotExist):  # the old link names nothing now
        services.invitation_accept_as_newcomer(
            token=first.token, first_name="N", last_name="N", password="x" * 20, now=later
        )
    services.invitation_accept_as_newcomer(
        token=second.token, first_name="N", last_name="N", password="x" * 20, now=later
    )


def test_a_revoked_invitation_cannot_be_used_or_resent(region, region_admin):
    issued = _invite(region, region_admin)
    services.invitation_revoke(invitation=issued.invitation, by=region_admin, now=NOW)
    with pytest.raises(services.InvitationUnusable) as revoked:
        services.invitation_accept(token=issued.token, user=UserFactory())
    assert revoked.value.status == Invitation.Status.REVOKED
    with pytest.raises(ValidationError, match="revoked"):
        services.invitation_resend(invitation=issued.invitation, by=region_admin)
    assert SentEmail.objects.count() == 1
    # Revoked, the address may be invited again.
    _invite(region, region_admin)
    assert _kinds(region) == [
        TeamEvent.Kind.INVITED,
        TeamEvent.Kind.INVITATION_REVOKED,
        TeamEvent.Kind.INVITED,
    ]


def test_an_account_that_turned_invitation_emails_off_gets_none(region, region_admin):
    from notifications.models import NotificationSettings

    someone = UserFactory(email="quiet@example.org")
    NotificationSettings.objects.create(user=someone, invited=False)
    issued = _invite(region, region_admin, email="quiet@example.org")
    assert not issued.emailed
    assert not SentEmail.objects.exists()
    assert Invitation.objects.filter(email="quiet@example.org").exists()


def test_a_region_created_by_staff_invites_its_first_admin(db):
    from assessments.models import CityRegion

    staff = UserFactory(is_superuser=True, is_staff=True)
    region = CityRegion(
        name="New Combined Authority",
        slug="new-combined-authority",
        mayor_name="A. Mayor",
        mayor_took_office=NOW.date(),
    )
    issued = services.region_create(
        region=region, admin_name="Lee Lead", admin_email="lead@example.org", by=staff, now=NOW
    )
    assert issued.invitation.role == "admin"
    assert SentEmail.objects.get().to == "lead@example.org"
    assert _kinds(region) == [TeamEvent.Kind.INVITED, TeamEvent.Kind.REGION_CREATED]
    with pytest.raises(PermissionDenied):
        services.region_create(
            region=CityRegion(name="X", slug="x", mayor_name="Y", mayor_took_office=NOW.date()),
            admin_name="Z",
            admin_email="z@example.org",
            by=UserFactory(),
        )
