"""Service staff create regions, in the admin and with `manage.py create_region`: each invites
its first region admin (by email, and the link is shown or printed too)."""

import io
import re
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from assessments.models import CityRegion, Membership
from assessments.team.models import Invitation, TeamEvent
from notifications.models import SentEmail
from tests.accounts.factories import verified_client
from tests.assessments.factories import UserFactory


def test_create_region_invites_its_first_admin_and_prints_the_link(db):
    out = io.StringIO()
    call_command(
        "create_region",
        "Greater Example",
        "--admin-email",
        "lead@example.org",
        "--mayor",
        "Alex Mayor",
        "--took-office",
        "2026-05-11",
        stdout=out,
    )
    region = CityRegion.objects.get(slug="greater-example")
    assert (region.mayor_name, region.mayor_took_office) == ("Alex Mayor", date(2026, 5, 11))
    invitation = Invitation.objects.get(region=region)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "lead@example.org",
        "admin",
        None,
    )
    link = re.search(r"http://\S+/invitations/(\S+)/", out.getvalue())
    assert link, out.getvalue()
    assert link.group(0) in SentEmail.objects.get(to="lead@example.org").body_text
    assert "Service staff invited you" in SentEmail.objects.get().subject
    # The printed link works: the newcomer lands as the region admin.
    response = Client().post(
        reverse("invitations:accept", kwargs={"token": link.group(1)}),
        {
            "first_name": "Lee",
            "last_name": "Lead",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
    )
    assert response["Location"] == region.get_absolute_url()
    assert Membership.objects.get(region=region).role == "admin"
    assert list(TeamEvent.objects.filter(region=region).values_list("kind", flat=True)) == [
        "joined",
        "invited",
        "region_created",
    ]


def test_create_region_without_a_mayor_says_what_to_correct_and_refuses_a_taken_name(db):
    out = io.StringIO()
    call_command("create_region", "Somewhere", "--admin-email", "a@example.org", stdout=out)
    assert "To be confirmed" in out.getvalue()
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_region", "Somewhere", "--admin-email", "b@example.org", stdout=out)
    assert CityRegion.objects.count() == Invitation.objects.count() == 1


def test_staff_create_a_region_in_the_admin_and_it_invites_its_admin(db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    # A superuser past the code step two-factor authentication requires of them.
    client = verified_client(staff)
    add = reverse("admin:assessments_cityregion_add")
    data = {
        "name": "Admin Made",
        "slug": "admin-made",
        "mayor_name": "M. Mayor",
        "mayor_took_office": "2026-05-11",
    }
    missing = client.post(add, data)
    assert missing.status_code == 200
    assert "Enter the email address of the region&#x27;s first admin" in missing.content.decode()
    response = client.post(
        add, {**data, "admin_name": "Lee Lead", "admin_email": "lead@example.org"}, follow=True
    )
    assert response.status_code == 200
    assert "Invited lead@example.org to be a region admin of Admin Made" in (
        response.content.decode()
    )
    region = CityRegion.objects.get(slug="admin-made")
    assert Invitation.objects.get(region=region).invited_by == staff
    assert SentEmail.objects.get().to == "lead@example.org"
    assert TeamEvent.objects.filter(region=region, kind="region_created").exists()
    changelist = client.get(reverse("admin:assessments_cityregion_changelist")).content.decode()
    assert reverse("assessments:team", kwargs={"region_slug": "admin-made"}) in changelist
    # The memberships are read-only in the admin: roles change on the team page.
    membership_add = client.get(reverse("admin:assessments_membership_add"))
    assert membership_add.status_code == 403
