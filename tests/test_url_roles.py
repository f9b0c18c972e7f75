"""Every URL pattern of every app, walked from the root URL conf, for every kind of visitor, by
GET and by POST: the status each gets is written down in `EXPECTED` below.

The patterns come from `citydigital.urls` (through every include), so a new page is walked as
soon as it exists, and the walk fails until it has a row in `EXPECTED` and its URL arguments a
value in `url_kwargs`. The Django admin is left out: it is Django's own, guarded by staff status
and model permissions, and tested in tests/*/test_admin.py."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments import services
from assessments.models import (
    ActionPlanItem,
    Answer,
    AnswerComment,
    AnswerHistory,
    Assessment,
    AssessmentEvent,
    AssessmentScore,
    CityRegion,
    Invitation,
    Membership,
    TeamEvent,
    ThemeAssignment,
)
from assessments.results import services as results_services
from assessments.team import services as team_services
from notifications.models import SentEmail
from reports.models import Briefing
from tests.assessments.factories import (
    CityRegionFactory,
    UserFactory,
    admin_of,
    editor_of,
    viewer_of,
)
from tests.questionbank.factories import bank_with_questions

pytestmark = pytest.mark.django_db

EXCLUDED_NAMESPACES = {"admin"}  # Django's admin: see the module docstring

VISITORS = [
    "anonymous",
    "user of no region",
    "editor of another region",
    "viewer",
    "editor",
    "region admin",
]

# Per URL name: the status for each visitor (in the order of VISITORS), by GET, then by POST.
# "in" is a redirect to the sign-in page; any other redirect is 302. A region admin may do all an
# editor may, and also what only an admin may (opting in or out of open data).
EXPECTED: dict[str, tuple[str, str]] = {
    # citydigital's own pages: for everyone
    "citydigital:start": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "citydigital:sign-in": ("200 302 302 302 302 302", "200 302 302 302 302 302"),
    "citydigital:sign-out": ("405 405 405 405 405 405", "302 302 302 302 302 302"),
    # the service pages in the footer: public, read only
    "citydigital:accessibility": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "citydigital:privacy": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "citydigital:cookies": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "citydigital:contact": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    # a member's regions, and the pages of a region
    "assessments:region-list": ("in 200 200 200 200 200", "in 405 405 405 405 405"),
    "assessments:region-detail": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:assessment-start": ("in 404 404 403 200 200", "in 404 404 403 200 200"),
    "assessments:assessment-compare": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:region-open-data": ("in 404 404 200 200 200", "in 404 404 403 403 200"),
    # taking an assessment
    "assessments:assessment-tasks": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:theme-detail": ("in 404 404 200 200 200", "in 404 404 403 302 302"),
    "assessments:theme-assign": ("in 404 404 403 200 200", "in 404 404 403 302 302"),
    "assessments:question-detail": ("in 404 404 200 200 200", "in 404 404 403 302 302"),
    "assessments:comment-resolve": ("in 404 404 302 302 302", "in 404 404 403 302 302"),
    "assessments:assessment-check": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:assessment-submit": ("in 404 404 302 302 302", "in 404 404 403 200 200"),
    "assessments:assessment-reopen": ("in 404 404 403 302 302", "in 404 404 403 302 302"),
    # results and the action plan
    "assessments:results-detail": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:results-calculate": ("in 404 404 405 405 405", "in 404 404 403 302 302"),
    "assessments:results-scores-csv": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:results-answers-csv": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:results-json": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:action-plan": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:action-plan-item": ("in 404 404 403 200 200", "in 404 404 403 302 302"),
    "assessments:action-plan-item-done": ("in 404 404 405 405 405", "in 404 404 403 302 302"),
    "assessments:action-plan-csv": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:action-plan-ics": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    # re-assessment
    "assessments:reassessment-start": ("in 404 404 403 200 200", "in 404 404 403 200 200"),
    "assessments:carry-over": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    # briefings: any member may ask for one; the two actions answer GET with 405 before
    # sign-in, and the read pages answer any method
    "reports:briefing-create": ("405 405 405 405 405 405", "in 404 404 302 302 302"),
    "reports:briefing-preview": ("in 404 404 200 200 200", "in 404 404 200 200 200"),
    "reports:briefing-status": ("in 404 404 200 200 200", "in 404 404 200 200 200"),
    "reports:briefing-status-json": ("in 404 404 200 200 200", "in 404 404 200 200 200"),
    "reports:briefing-download": ("in 404 404 200 200 200", "in 404 404 200 200 200"),
    "reports:briefing-retry": ("405 405 405 405 405 405", "in 404 404 302 302 302"),
    # the question bank's preview: staff with the permission only (none of these visitors)
    "questionbank:preview": ("in 403 403 403 403 403", "in 403 403 403 403 403"),
    # open data: public
    "opendata:index": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "opendata:csv": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "opendata:json": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    # a region's team: every member reads it, region admins change it, any member may leave
    # (not the last region admin: the page says so)
    "assessments:team": ("in 404 404 200 200 200", "in 404 404 405 405 405"),
    "assessments:team-invite": ("in 404 404 403 403 200", "in 404 404 403 403 200"),
    "assessments:team-leave": ("in 404 404 200 200 200", "in 404 404 302 302 200"),
    "assessments:team-invitation-resend": ("in 404 404 405 405 405", "in 404 404 403 403 302"),
    "assessments:team-invitation-revoke": ("in 404 404 405 405 405", "in 404 404 403 403 302"),
    "assessments:team-member-role": ("in 404 404 403 403 200", "in 404 404 403 403 200"),
    "assessments:team-member-remove": ("in 404 404 403 403 200", "in 404 404 403 403 302"),
    # an invitation's link: anyone who has it (a newcomer's form; signed in as someone else,
    # a page that says the invitation is not theirs)
    "invitations:accept": ("200 200 200 200 200 200", "200 200 200 200 200 200"),
    # accepting one sent to one's own address from "Your regions": none of these visitors'
    "invitations:join": ("in 405 405 405 405 405", "in 404 404 404 404 404"),
    # one's own email notification settings: anyone signed in
    "notifications:settings": ("in 200 200 200 200 200", "in 302 302 302 302 302"),
    # one's own account: anyone signed in (the POSTs here lack the fields each form needs, so
    # they show the form again; turning off a two-factor that is off just says so)
    "accounts:account": ("in 200 200 200 200 200", "in 405 405 405 405 405"),
    "accounts:details": ("in 200 200 200 200 200", "in 200 200 200 200 200"),
    "accounts:password-change": ("in 200 200 200 200 200", "in 200 200 200 200 200"),
    "accounts:sessions-end": ("in 200 200 200 200 200", "in 200 200 200 200 200"),
    "accounts:two-factor-setup": ("in 200 200 200 200 200", "in 200 200 200 200 200"),
    "accounts:recovery-codes": ("in 200 200 200 200 200", "in 302 302 302 302 302"),
    "accounts:two-factor-disable": ("in 200 200 200 200 200", "in 302 302 302 302 302"),
    # the code step: none of these visitors owes a code, so it sends them on
    "accounts:two-factor-verify": ("in 302 302 302 302 302", "in 302 302 302 302 302"),
    # password reset: for everyone, signed in or not (a made-up link: "This link does not work")
    "accounts:password-reset": ("200 200 200 200 200 200", "200 200 200 200 200 200"),
    "accounts:password-reset-done": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
    "accounts:password-reset-confirm": ("200 200 200 200 200 200", "200 200 200 200 200 200"),
    "accounts:password-reset-complete": ("200 200 200 200 200 200", "405 405 405 405 405 405"),
}

# What a viewer's POST may change: any member may ask for a briefing, or leave the team.
VIEWERS_MAY_POST = {"reports:briefing-create", "reports:briefing-retry", "assessments:team-leave"}
# Walked last: leaving ends the visitor's membership, and with it every page after.
WALKED_LAST = {"assessments:team-leave"}

MODELS = [
    Assessment,
    Answer,
    AnswerHistory,
    AnswerComment,
    ThemeAssignment,
    AssessmentEvent,
    AssessmentScore,
    ActionPlanItem,
    CityRegion,
    Membership,
    Invitation,
    TeamEvent,
    Briefing,
    # No POST by someone who may not change a region sends an email about it.
    SentEmail,
]


def _walk(patterns, namespace: str = "", converters: tuple[str, ...] = ()):
    """(full name, URL argument names) of every pattern under `patterns`."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _walk(
                pattern.url_patterns, inner, converters + tuple(pattern.pattern.converters)
            )
        else:
            assert isinstance(pattern, URLPattern)
            assert pattern.name, f"give {pattern.pattern} a name to walk it"
            yield f"{namespace}:{pattern.name}", converters + tuple(pattern.pattern.converters)


PATTERNS = sorted(
    _walk(get_resolver("citydigital.urls").url_patterns), key=lambda p: p[0] in WALKED_LAST
)


def _state() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


@pytest.fixture
def world():
    """A region with an assessment in progress (one answer, one comment, scores and an action
    plan, a ready briefing), its viewer, editor and region admin, and two outsiders."""
    region = CityRegionFactory()
    editor = editor_of(region).user

    def invite(email):
        return team_services.invitation_create(
            region=region, name="Ivy Invited", email=email, role="editor", by=None
        )

    bank = bank_with_questions(themes=2, questions_per_theme=3)
    assessment = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    question = bank.themes.get(slug="theme-1").questions.first()
    services.answer_save(
        assessment=assessment,
        question=question,
        user=editor,
        data={"selected_values": ["2"]},
        expected_revision=0,
    )
    comment = services.comment_add(
        assessment=assessment, question=question, user=editor, text="Check with finance"
    )
    results_services.assessment_score(
        assessment=assessment, today=timezone.localdate(), user=editor
    )
    briefing = Briefing.objects.create(assessment=assessment, content_hash="x" * 64)
    briefing.file.save(f"briefings/{briefing.pk}.pdf", ContentFile(b"%PDF-1.7"), save=False)
    briefing.status = Briefing.Status.READY
    briefing.rendered_at = timezone.now()
    briefing.save()
    url_kwargs = {
        "region_slug": region.slug,
        "pk": assessment.pk,
        "assessment_id": assessment.pk,
        "theme_slug": "theme-1",
        "question_pk": question.pk,
        "comment_pk": comment.pk,
        # An editor's "Calculate scores" earlier in the walk makes a new plan: its first item.
        "item_pk": lambda: ActionPlanItem.objects.filter(assessment=assessment).earliest("pk").pk,
        "version": bank.version,
        "member_pk": lambda: Membership.objects.get(region=region, role="viewer").pk,
        "invitation_pk": (invited := invite("invited@example.org").invitation).pk,
    }
    visitors = {
        "anonymous": None,
        "user of no region": UserFactory(),
        "editor of another region": editor_of(CityRegionFactory()).user,
        "viewer": viewer_of(region).user,
        "editor": editor,
        "region admin": admin_of(region).user,
    }
    # Everything an editor might send, to every page.
    data = {
        "label": "Another assessment",
        f"q{question.pk}": "4",
        f"q{question.pk}-revision": "1",
        "text": "A comment",
        "reason": "A reason",
        "assignee": str(editor.pk),
        "owner_name": "Someone",
        "due_day": "5",
    }
    return {
        "kwargs": {
            "*": url_kwargs,
            "reports": {"pk": briefing.pk},
            "invitations": {"token": invite("newcomer@example.org").token, "pk": invited.pk},
            # a password reset link for no one
            "accounts": {"uidb64": "MTIzNDU2Nzg", "token": "cxyz12-0123456789abcdef"},
        },
        "visitors": visitors,
        "data": data,
    }


def _url(name: str, argument_names: tuple[str, ...], kwargs: dict) -> str:
    values = {**kwargs["*"], **kwargs.get(name.split(":")[0], {})}
    missing = [n for n in argument_names if n not in values]
    assert not missing, f"give {missing} a value in world's url_kwargs to walk {name}"
    values = {n: values[n]() if callable(values[n]) else values[n] for n in argument_names}
    return reverse(name, kwargs=values)


def test_the_walk_covers_every_page_of_every_app():
    names = [name for name, _ in PATTERNS]
    assert len(names) == len(set(names))
    unlisted = sorted(set(names) - set(EXPECTED))
    assert not unlisted, f"give {unlisted} a row in EXPECTED"
    stale = sorted(set(EXPECTED) - set(names))
    assert not stale, f"{stale} are in EXPECTED but no longer in the URL conf"
    namespaces = {name.split(":")[0] for name in names}
    assert {
        "citydigital",
        "assessments",
        "reports",
        "questionbank",
        "opendata",
        "notifications",
        "invitations",
        "accounts",
    } <= namespaces


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", VISITORS)
def test_every_url_for_every_visitor(world, who, method):
    user = world["visitors"][who]
    column = VISITORS.index(who)
    sign_in = reverse("citydigital:sign-in")
    wrong = []
    for name, argument_names in PATTERNS:
        url = _url(name, argument_names, world["kwargs"])
        client = Client()  # a fresh one each time: signing out ends the session
        if user is not None:
            client.force_login(user)
        before = _state()
        response = client.get(url) if method == "get" else client.post(url, world["data"])
        status = response.status_code
        if status == 302:
            to_sign_in = urlsplit(response["Location"]).path == sign_in
            got = "in" if to_sign_in and user is None else "302"
        else:
            got = str(status)
        expected = EXPECTED[name][0 if method == "get" else 1].split()[column]
        if got != expected:
            wrong.append(f"{name}: {got}, not {expected}")
        may_change = who in ("editor", "region admin") or (
            who == "viewer" and method == "post" and name in VIEWERS_MAY_POST
        )
        if not may_change and _state() != before:
            wrong.append(f"{name}: a {who}'s {method.upper()} changed something")
        if status == 403 and name.split(":")[0] in ("assessments", "reports"):
            assert "You cannot change this" in response.content.decode(), name
    assert not wrong, "\n".join(wrong)
