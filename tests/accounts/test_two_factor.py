"""Acceptance 5: two-factor authentication (django-otp). Required of superusers and
question-bank admins: no admin or bank preview without a code. Offered to everyone else on
"Your account". Recovery codes work once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from tests.accounts.factories import (
    recovery_codes,
    totp_code,
    totp_code_for_key,
    totp_device_for,
    verified_client,
)
from tests.assessments.factories import PASSWORD, CityRegionFactory, UserFactory, editor_of
from tests.questionbank.factories import bank_with_questions, question_bank_admin

pytestmark = pytest.mark.django_db

VERIFY = "/sign-in/code/"
SETUP = "/account/two-factor/set-up/"


def _sign_in(client, user, url="/sign-in/", next_url=""):
    return client.post(url, {"username": user.username, "password": PASSWORD, "next": next_url})


def _wait_out_the_throttle():
    past = timezone.now() - timedelta(hours=1)
    TOTPDevice.objects.update(throttling_failure_timestamp=past)
    StaticDevice.objects.update(throttling_failure_timestamp=past)


def _superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_a_superuser_cannot_reach_the_admin_without_a_code(client):
    admin = _superuser()
    device = totp_device_for(admin)
    response = _sign_in(client, admin, next_url="/admin/")
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    # Signed in with the password alone: every admin page, and every other page, wants the code.
    for url in ("/admin/", "/admin/auth/user/", "/admin/login/", "/regions/", "/account/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    wrong = client.post(f"{VERIFY}?next=/admin/", {"code": "000000", "next": "/admin/"})
    assert wrong.status_code == 200
    assert "The code is not right" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302

    # django-otp then makes the app wait (1 s after one wrong code, doubling): let it pass.
    _wait_out_the_throttle()
    right = client.post(VERIFY, {"code": totp_code(device), "next": "/admin/"})
    assert right.status_code == 302
    assert right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_same_code_works_only_once(client):
    admin = _superuser()
    device = totp_device_for(admin)
    code = totp_code(device)
    _sign_in(client, admin)
    assert client.post(VERIFY, {"code": code})["Location"] == "/regions/"
    client.post(reverse("citydigital:sign-out"))
    _sign_in(client, admin)
    assert client.post(VERIFY, {"code": code}).status_code == 200  # replayed: refused
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_page_sends_a_signed_in_superuser_to_the_code_step(client):
    admin = _superuser()
    totp_device_for(admin)
    response = client.post(
        "/admin/login/", {"username": admin.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"].startswith(VERIFY)


def test_a_superuser_without_an_app_is_sent_to_set_it_up_then_reaches_the_admin(client):
    admin = _superuser()
    response = _sign_in(client, admin, next_url="/admin/")
    assert response["Location"] == f"{SETUP}?next=%2Fadmin%2F"
    assert client.get("/admin/")["Location"].startswith(SETUP)
    page = client.get(f"{SETUP}?next=/admin/")
    html = page.content.decode()
    assert "Set up two-factor authentication" in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert "must use two-factor authentication" in html
    key = client.session["accounts.totp_setup_key"]
    assert "".join(page.context["secret"].split())  # shown as text too

    wrong = client.post(SETUP, {"code": "123456", "next": "/admin/"})
    assert "The code is not right" in wrong.content.decode()
    done = client.post(SETUP, {"code": totp_code_for_key(key), "next": "/admin/"})
    assert done["Location"] == reverse("accounts:recovery-codes") + "?next=%2Fadmin%2F"

    codes_page = client.get(done["Location"])
    codes = codes_page.context["codes"]
    assert len(codes) == 10
    assert all(code in codes_page.content.decode() for code in codes)
    assert codes_page.context["continue_url"] == "/admin/"
    # Shown once only.
    again = client.get(reverse("accounts:recovery-codes"))
    assert again.context["codes"] is None
    assert codes[0] not in again.content.decode()
    assert "You have 10 unused recovery codes" in again.content.decode()
    assert client.get("/admin/").status_code == 200


def test_a_recovery_code_works_once_and_only_once(client):
    admin = _superuser()
    totp_device_for(admin)
    codes = recovery_codes(admin)
    _sign_in(client, admin)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=admin).count() == 9

    client.post(reverse("citydigital:sign-out"))
    _sign_in(client, admin)
    refused = client.post(VERIFY, {"code": codes[0]})
    assert refused.status_code == 200
    assert "The code is not right" in refused.content.decode()
    assert client.get("/admin/").status_code == 302


def test_question_bank_admins_need_the_code_for_the_admin_and_the_preview(client):
    user = question_bank_admin()
    totp_device_for(user)
    bank = bank_with_questions(themes=1, questions_per_theme=1)
    preview = reverse("questionbank:preview", kwargs={"version": bank.version})
    client.force_login(user)  # a session from before: no note that a code is owed
    for url in ("/admin/", preview):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    verified = verified_client(user)
    assert verified.get(preview).status_code == 200
    assert verified.get("/admin/").status_code == 200


def test_two_factor_is_offered_to_everyone_else_and_then_asked_for_at_sign_in(client):
    editor = editor_of(CityRegionFactory()).user
    _sign_in(client, editor)
    assert client.get("/regions/").status_code == 200  # no code needed yet
    account = client.get("/account/").content.decode()
    assert "Set up two-factor authentication" in account

    client.get(SETUP)
    key = client.session["accounts.totp_setup_key"]
    client.post(SETUP, {"code": totp_code_for_key(key)})
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 1
    assert client.get("/regions/").status_code == 200  # this session gave its code

    client.post(reverse("citydigital:sign-out"))
    response = _sign_in(client, editor)
    assert response["Location"].startswith(VERIFY)
    assert client.get("/regions/")["Location"].startswith(VERIFY)
    device = TOTPDevice.objects.get(user=editor)
    client.post(VERIFY, {"code": totp_code(device, drift=1)})
    assert client.get("/regions/").status_code == 200


def test_turning_two_factor_off(client):
    editor = editor_of(CityRegionFactory()).user
    client = verified_client(editor)
    assert "Turn off two-factor authentication" in client.get("/account/").content.decode()
    response = client.post(reverse("accounts:two-factor-disable"))
    assert response["Location"] == "/account/"
    assert not TOTPDevice.objects.filter(user=editor).exists()
    client.post(reverse("citydigital:sign-out"))
    assert _sign_in(client, editor)["Location"] == "/regions/"


def test_a_user_who_must_use_two_factor_cannot_turn_it_off(client):
    admin = _superuser()
    client = verified_client(admin)
    assert "Turn off" not in client.get("/account/").content.decode()
    response = client.post(reverse("accounts:two-factor-disable"))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_changing_two_factor_needs_the_code_first(client):
    """A session on the password alone cannot replace or remove the app (a stolen password
    must not be enough to take over two-factor authentication)."""
    editor = editor_of(CityRegionFactory()).user
    totp_device_for(editor)
    client.force_login(editor)  # a session from before, without the note
    for url in (SETUP, reverse("accounts:recovery-codes"), reverse("accounts:two-factor-disable")):
        assert client.get(url)["Location"].startswith(VERIFY), url
    client.post(reverse("accounts:two-factor-disable"))
    assert TOTPDevice.objects.filter(user=editor).exists()


def test_new_recovery_codes_replace_the_old(client):
    editor = editor_of(CityRegionFactory()).user
    client = verified_client(editor)
    old = recovery_codes(editor)
    response = client.post(reverse("accounts:recovery-codes"))
    new = client.get(response["Location"]).context["codes"]
    assert len(new) == 10
    assert not set(old) & set(new)
    assert services.two_factor_verify(user=editor, code=old[0]) is None
    _wait_out_the_throttle()
    assert services.two_factor_verify(user=editor, code=new[0]) is not None


def test_the_code_step_only_follows_a_next_on_this_site(client):
    admin = _superuser()
    device = totp_device_for(admin)
    _sign_in(client, admin)
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/regions/"
