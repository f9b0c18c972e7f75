"""The team pages and following an invitation's link: what each visitor sees, and that an
expired, revoked, used or tampered link says so, names who to ask and changes nothing."""

import re
from datetime import timedelta
from html import unescape
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Membership
from assessments.team import services
from assessments.team.models import Invitation, TeamEvent
from notifications.models import SentEmail
from tests.accounts.factories import verified_client
from tests.assessments.conftest import client_for
from tests.assessments.factories import UserFactory

PASSWORD = "a long new passphrase"


def _page(response) -> str:
    return re.sub(r"\s+", " ", unescape(response.content.decode()))


def _team(region) -> str:
    return reverse("assessments:team", kwargs={"region_slug": region.slug})


def _link(token: str) -> str:
    return reverse("invitations:accept", kwargs={"token": token})


def _state() -> dict:
    models = (User, Membership, Invitation, TeamEvent, SentEmail)
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


@pytest.fixture
def issued(region, region_admin):
    return services.invitation_create(
        region=region, name="Nia Newcomer", email="nia@example.org", role="editor", by=region_admin
    )


def test_every_member_sees_the_team_and_only_admins_can_change_it(
    region, region_admin, editor, viewer, issued
):
    page = _page(client_for(viewer).get(_team(region)))
    assert "Rae Admin" in page
    assert "Ada Editor" in page
    assert "Region admin" in page
    assert "Editor" in page
    assert "Not yet" in page  # the admin and editor have never signed in (the viewer has)
    assert "Nia Newcomer" in page
    assert "nia@example.org" in page
    assert "Invited by Rae Admin" in page.replace(
        '</dt> <dd class="govuk-summary-list__value">', " "
    )
    assert "Rae Admin invited Nia Newcomer (nia@example.org) as an editor" in page
    assert "Invite someone" not in page
    assert "Change role" not in page
    assert "Resend" not in page
    assert f'href="mailto:{region_admin.email}"' in page
    admin_page = _page(client_for(region_admin).get(_team(region)))
    assert "Invite someone" in admin_page
    assert "Change role" in admin_page
    assert "Resend" in admin_page
    assert "Revoke" in admin_page


def test_service_staff_read_any_team_but_do_not_change_it(region, region_admin, issued):
    staff = UserFactory(is_superuser=True, is_staff=True)
    # A superuser past the code step two-factor authentication requires of them.
    client = verified_client(staff)
    response = client.get(_team(region))
    assert response.status_code == 200
    assert "You are service staff" in _page(response)
    assert "Invite someone" not in _page(response)
    invite = reverse("assessments:team-invite", kwargs={"region_slug": region.slug})
    before = _state()
    # Only the team page itself is open to them: the others are members' pages.
    data = {"name": "X", "email": "x@example.org", "role": "viewer"}
    assert client.post(invite, data).status_code == 404
    assert client.post(_team(region)).status_code == 405
    assert _state() == before
    assert client_for(UserFactory()).get(_team(region)).status_code == 404


def test_inviting_sends_the_email_and_a_member_address_is_refused_on_the_form(
    region, region_admin, editor
):
    client = client_for(region_admin)
    invite = reverse("assessments:team-invite", kwargs={"region_slug": region.slug})
    refused = client.post(invite, {"name": "Ada", "email": editor.email.upper(), "role": "viewer"})
    assert refused.status_code == 200
    assert f"{editor.email.upper()} is already a member of {region.name}" in _page(refused)
    assert "There is a problem" in _page(refused)
    assert not SentEmail.objects.exists()
    response = client.post(
        invite, {"name": "Bo Brown", "email": "bo@example.org", "role": "editor"}, follow=True
    )
    assert "Invitation sent to Bo Brown (bo@example.org)" in _page(response)
    assert SentEmail.objects.get().to == "bo@example.org"
    empty = client.post(invite, {})
    assert "Enter the full name of the person you are inviting" in _page(empty)
    assert "Select a role" in _page(empty)


def test_resend_and_revoke_from_the_team_page(region, region_admin, issued):
    client = client_for(region_admin)
    kwargs = {"region_slug": region.slug, "invitation_pk": issued.invitation.pk}
    resent = client.post(reverse("assessments:team-invitation-resend", kwargs=kwargs), follow=True)
    assert "A new invitation was sent to nia@example.org" in _page(resent)
    assert SentEmail.objects.count() == 2
    assert _page(Client().get(_link(issued.token))).count("This invitation link is not valid") >= 1
    revoked = client.post(reverse("assessments:team-invitation-revoke", kwargs=kwargs), follow=True)
    assert "The invitation to nia@example.org was revoked" in _page(revoked)
    again = client.post(reverse("assessments:team-invitation-revoke", kwargs=kwargs), follow=True)
    assert "This invitation has been revoked" in _page(again)


def test_a_newcomer_sets_a_name_and_password_and_lands_on_the_region(region, issued):
    client = Client()
    form = _page(client.get(_link(issued.token)))
    assert "Create your account to join" in form
    assert 'value="Nia"' in form
    assert 'value="Newcomer"' in form
    mismatch = client.post(
        _link(issued.token),
        {"first_name": "Nia", "last_name": "N", "password1": PASSWORD, "password2": "other"},
    )
    assert "The passwords do not match" in _page(mismatch)
    weak = client.post(
        _link(issued.token),
        {"first_name": "Nia", "last_name": "N", "password1": "nia", "password2": "nia"},
    )
    assert "This password is too short" in _page(weak)
    assert not User.objects.filter(email="nia@example.org").exists()
    response = client.post(
        _link(issued.token),
        {
            "first_name": "Nia",
            "last_name": "Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == region.get_absolute_url()
    landed = _page(client.get(response["Location"]))
    assert f"You joined {region.name} as editor" in landed
    membership = Membership.objects.get(user__email="nia@example.org")
    assert membership.role == "editor"
    # A second click (the same person, now signed in) goes to the region; nothing changes.
    before = _state()
    again = client.post(
        _link(issued.token),
        {
            "first_name": "Nia",
            "last_name": "Newcomer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert again["Location"] == region.get_absolute_url()
    assert _state() == before


def test_someone_with_an_account_signs_in_then_accepts(region, region_admin):
    someone = UserFactory(email="Known@Example.org", first_name="Kim", last_name="Known")
    issued = services.invitation_create(
        region=region, name="Kim Known", email="known@example.org", role="viewer", by=region_admin
    )
    anonymous = Client().get(_link(issued.token))
    assert anonymous.status_code == 302
    assert anonymous["Location"] == (
        f"{reverse('citydigital:sign-in')}?{urlencode({'next': _link(issued.token)})}"
    )
    client = client_for(someone)
    page = _page(client.get(_link(issued.token)))
    assert "Accept and join" in page
    response = client.post(_link(issued.token))
    assert response["Location"] == region.get_absolute_url()
    assert Membership.objects.get(user=someone).role == "viewer"
    assert client.post(_link(issued.token))["Location"] == region.get_absolute_url()
    assert Membership.objects.filter(user=someone).count() == 1


def test_signed_in_as_someone_else_the_page_says_so_and_changes_nothing(region, issued):
    client = client_for(UserFactory(email="other@example.org"))
    before = _state()
    page = _page(client.get(_link(issued.token)))
    assert (
        "This invitation is for nia@example.org, but you are signed in as other@example.org" in page
    )
    assert client.post(_link(issued.token)).status_code == 200
    assert _state() == before


@pytest.mark.parametrize(
    ("case", "heading", "status"),
    [
        ("expired", "This invitation has expired", 410),
        ("revoked", "This invitation has been withdrawn", 410),
        ("used", "This invitation has already been used", 410),
        ("tampered", "This invitation link is not valid", 404),
    ],
)
def test_an_unusable_link_says_so_names_who_to_ask_and_changes_nothing(
    region, region_admin, issued, case, heading, status
):
    token = issued.token
    if case == "expired":
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    elif case == "revoked":
        services.invitation_revoke(invitation=issued.invitation, by=region_admin)
    elif case == "used":
        services.invitation_accept_as_newcomer(
            token=token, first_name="Nia", last_name="N", password=PASSWORD
        )
    else:
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    data = {"first_name": "Eve", "last_name": "E", "password1": PASSWORD, "password2": PASSWORD}
    for client in (Client(), client_for(UserFactory(email="nia2@example.org"))):
        before = _state()
        for response in (client.get(_link(token)), client.post(_link(token), data)):
            assert response.status_code == status
            page = _page(response)
            assert heading in page
            assert "Nothing has been changed" in page
            if case == "tampered":
                assert region.name not in page
            else:
                assert (
                    f'Rae Admin, <a class="govuk-link" href="mailto:{region_admin.email}">' in page
                )
        assert _state() == before


def test_the_last_admin_is_told_why_they_cannot_leave_or_be_demoted(region, region_admin):
    client = client_for(region_admin)
    leave = reverse("assessments:team-leave", kwargs={"region_slug": region.slug})
    refused = client.post(leave)
    assert refused.status_code == 200
    assert f"{region.name} must keep at least one region admin" in _page(refused)
    member = Membership.objects.get(user=region_admin)
    role = reverse(
        "assessments:team-member-role", kwargs={"region_slug": region.slug, "member_pk": member.pk}
    )
    assert "must keep at least one region admin" in _page(client.post(role, {"role": "viewer"}))
    member.refresh_from_db()
    assert member.role == "admin"


def test_a_region_admin_changes_a_role_and_removes_a_member(region, region_admin, editor):
    client = client_for(region_admin)
    member = Membership.objects.get(user=editor)
    kwargs = {"region_slug": region.slug, "member_pk": member.pk}
    page = _page(client.get(reverse("assessments:team-member-role", kwargs=kwargs)))
    assert "Role of Ada Editor" in page
    changed = client.post(
        reverse("assessments:team-member-role", kwargs=kwargs), {"role": "viewer"}, follow=True
    )
    assert "Ada Editor is now viewer" in _page(changed)
    confirm = _page(client.get(reverse("assessments:team-member-remove", kwargs=kwargs)))
    assert "Remove Ada Editor from the team" in confirm
    removed = client.post(reverse("assessments:team-member-remove", kwargs=kwargs), follow=True)
    assert "Ada Editor was removed from the team" in _page(removed)
    assert not Membership.objects.filter(user=editor, region=region).exists()
    changes = _page(client.get(_team(region)))
    assert f"Rae Admin removed Ada Editor ({editor.email}) (viewer)" in changes
    assert (
        f"Rae Admin changed the role of Ada Editor ({editor.email}) from editor to viewer"
        in changes
    )


def test_an_invitation_waits_on_your_regions_and_joins_from_there(region, region_admin):
    """Someone with an account who turned invitation emails off still finds it."""
    from notifications.models import NotificationSettings

    someone = UserFactory(email="quiet@example.org")
    NotificationSettings.objects.create(user=someone, invited=False)
    issued = services.invitation_create(
        region=region, name="Q", email="QUIET@example.org", role="editor", by=region_admin
    )
    assert not issued.emailed
    client = client_for(someone)
    page = re.sub(r"</?strong>", "", _page(client.get(reverse("assessments:region-list"))))
    assert f"Rae Admin invited you to join {region.name} as editor" in page
    join = reverse("invitations:join", kwargs={"pk": issued.invitation.pk})
    assert client_for(UserFactory()).post(join).status_code == 404  # not theirs
    response = client.post(join)
    assert response["Location"] == region.get_absolute_url()
    assert Membership.objects.get(user=someone).role == "editor"
    assert "Invitations for you" not in _page(client.get(reverse("assessments:region-list")))
