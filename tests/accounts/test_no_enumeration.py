"""Acceptance 3: neither the sign-in form nor the password reset form tells whether a username
or an email address has an account: the same status, the same page, and the same time (within
a small tolerance) for a known and an unknown one."""

import re
import time

import pytest
from axes.utils import reset as axes_reset
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.test import Client

from tests.assessments.factories import UserFactory

pytestmark = pytest.mark.django_db

ROUNDS = 9


class TimedHasher(PBKDF2PasswordHasher):
    """Slow enough (tens of ms) that skipping it would show; fast enough for a test."""

    iterations = 60_000


@pytest.fixture
def slow_hasher(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.TimedHasher"]
    times = []
    for _ in range(3):
        start = time.perf_counter()
        TimedHasher().encode("x", TimedHasher().salt())
        times.append(time.perf_counter() - start)
    return min(times)


def _page(response, name: str) -> str:
    """The page as a reader sees it, with what differs by request (the CSRF token) and what
    the visitor typed themselves taken out."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)
    return html.replace(name, "NAME")


def _sign_in(client, name):
    return client.post("/sign-in/", {"username": name, "password": "not-the-password"})


def _reset(client, name):
    return client.post("/password-reset/", {"email": name})


CASES = {
    "sign-in by username": (_sign_in, "known-person", "nobody-else1"),
    "sign-in by email": (_sign_in, "known@example.org", "other@example.org"),
    "password reset": (_reset, "known@example.org", "other@example.org"),
}


# Sign-in: less than half of one password hash apart (what a skipped hasher would cost). Reset:
# the request only sends a job, whatever the address (the worker looks it up), so within 5 ms.
TOLERANCE = {
    "sign-in by username": lambda hash_time: max(hash_time / 2, 0.005),
    "sign-in by email": lambda hash_time: max(hash_time / 2, 0.005),
    "password reset": lambda hash_time: 0.005,
}


@pytest.fixture
def known(db):
    return UserFactory(username="known-person", email="known@example.org")


@pytest.mark.parametrize("case", CASES)
def test_the_same_status_and_page_for_a_known_and_an_unknown_name(known, case):
    send, known_name, unknown_name = CASES[case]
    known_response = send(Client(), known_name)
    unknown_response = send(Client(), unknown_name)
    assert known_response.status_code == unknown_response.status_code
    assert known_response.get("Location") == unknown_response.get("Location")
    if known_response.status_code == 200:
        assert _page(known_response, known_name) == _page(unknown_response, unknown_name)
    else:  # the reset form: both go on to the same "Check your email" page
        client = Client()
        assert _page(client.get(known_response["Location"]), "") == _page(
            client.get(unknown_response["Location"]), ""
        )


def _timings(send, name) -> float:
    client = Client()
    start = time.perf_counter()
    send(client, name)
    return time.perf_counter() - start


def _fastest_difference(send, known_name, unknown_name) -> tuple[float, float, float]:
    known_times, unknown_times = [], []
    for _ in range(ROUNDS):
        axes_reset()  # not timed: 5 failures would lock the name out
        known_times.append(_timings(send, known_name))
        unknown_times.append(_timings(send, unknown_name))
    known_fastest, unknown_fastest = min(known_times), min(unknown_times)
    return abs(known_fastest - unknown_fastest), known_fastest, unknown_fastest


@pytest.mark.parametrize("case", CASES)
def test_the_same_time_for_a_known_and_an_unknown_name(known, slow_hasher, case):
    """Interleaved tries; the fastest of each compared (a busy machine only ever adds time,
    so the minimum is the steadiest measure of the work a request does). A real difference
    shows in every trial; a busy machine's noise seldom in three running, so up to three
    trials are made."""
    known.set_password("the-password")
    known.save()
    send, known_name, unknown_name = CASES[case]
    for name in (known_name, unknown_name):  # warm up each path once
        _timings(send, name)
    tolerance = TOLERANCE[case](slow_hasher)
    trials = []
    for _ in range(3):
        difference, known_fastest, unknown_fastest = _fastest_difference(
            send, known_name, unknown_name
        )
        trials.append(
            f"known {known_fastest * 1000:.1f} ms, unknown {unknown_fastest * 1000:.1f} ms"
        )
        if difference < tolerance:
            break
    print(f"{case}: {'; '.join(trials)} (tolerance {tolerance * 1000:.1f} ms)")
    assert difference < tolerance, trials
