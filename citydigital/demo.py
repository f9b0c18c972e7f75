"""Demo data for a new install: the demo region and a sign-in for each kind of user (region
admin, editor, viewer), and the six mayoral combined authorities of 2017 (real names, first
mayors and start dates) with submitted assessments whose answers are FICTIONAL, so a new user
sees results, peer benchmarks, a compare view, a trend and open data at once.

Every region here has is_demo=True, and every answer's note says it is fictional. Answers go
through the real services (answer_save, assessment_submit, assessment_score), so the scores are
worked out exactly as a real region's are. Idempotent and quick on a second run: a region that
already has any assessment is left alone, so nothing anyone did in the demo is overwritten."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from assessments import services as assessment_services
from assessments.models import Assessment, AssessmentEvent, CityRegion, Membership
from assessments.opendata import services as open_data_services
from assessments.results import services as results_services
from questionbank import kinds
from questionbank.selectors import bank_current, bank_snapshot
from questionbank.snapshot import BankSnapshot, QuestionSnapshot

# Local-only accounts; the seed command refuses to run in production.
DEMO_PASSWORD = "readiness-demo"  # noqa: S105
SEED_USERNAME = "demo-data"  # answers the fictional assessments; cannot sign in
LONDON = ZoneInfo("Europe/London")
DAY_ONE_2017 = date(2017, 5, 8)  # the 2017 metro mayors took office after the 4 May election
FICTIONAL_NOTE = "Fictional demo answer: not {name}'s real position."
EVIDENCE_URL = "https://example.org/fictional-demo-evidence"


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


@dataclass(frozen=True)
class DemoSeed:
    region: CityRegion
    accounts: list[DemoAccount]
    peers: list[CityRegion] = field(default_factory=list)


@dataclass(frozen=True)
class DemoAssessment:
    label: str
    submitted_on: date | None  # None: today
    shift: int  # added to every theme's target score


@dataclass(frozen=True)
class DemoRegion:
    slug: str
    name: str
    mayor_name: str
    took_office: date
    # Target scores (0-100) by theme slug of the default bank; other themes get `default`.
    profile: dict[str, int]
    default: int
    assessments: tuple[DemoAssessment, ...]
    open_data: bool


# Plausible, fictional profiles (mission brief §4.4).
COMBINED_AUTHORITIES = (
    DemoRegion(
        slug="greater-manchester",
        name="Greater Manchester",
        mayor_name="Andy Burnham",
        took_office=DAY_ONE_2017,
        # Strong on inclusion and data.
        profile={
            "leadership-cdic": 70,
            "digital-inclusion": 88,
            "data": 82,
            "procurement": 48,
            "cyber-resilience": 55,
        },
        default=62,
        assessments=(
            DemoAssessment("Demo: baseline, day 1", date(2017, 5, 9), -22),
            DemoAssessment("Demo: day 100 review", date(2017, 8, 15), 0),
        ),
        open_data=True,
    ),
    DemoRegion(
        slug="liverpool-city-region",
        name="Liverpool City Region",
        mayor_name="Steve Rotheram",
        took_office=DAY_ONE_2017,
        # Connectivity first.
        profile={"connectivity": 82, "procurement": 38, "data": 45},
        default=50,
        assessments=(DemoAssessment("Demo: baseline, day 30", date(2017, 6, 6), 0),),
        open_data=False,
    ),
    DemoRegion(
        slug="west-midlands",
        name="West Midlands",
        mayor_name="Andy Street",
        took_office=DAY_ONE_2017,
        # A strong vision (a digital manifesto) but weak procurement.
        profile={
            "leadership-cdic": 88,
            "innovation": 72,
            "procurement": 18,
            "citizen-services": 48,
        },
        default=55,
        assessments=(DemoAssessment("Demo: baseline, day 20", date(2017, 5, 27), 0),),
        open_data=True,
    ),
    DemoRegion(
        slug="tees-valley",
        name="Tees Valley",
        mayor_name="Ben Houchen",
        took_office=DAY_ONE_2017,
        # Early stage: low overall.
        profile={"leadership-cdic": 30, "connectivity": 35},
        default=18,
        assessments=(DemoAssessment("Demo: baseline, day 45", date(2017, 6, 21), 0),),
        open_data=True,
    ),
    DemoRegion(
        slug="west-of-england",
        name="West of England",
        mayor_name="Tim Bowles",
        took_office=DAY_ONE_2017,
        # Innovation and skills ahead of services.
        profile={"innovation": 84, "skills-taskforce": 68, "data": 62, "citizen-services": 40},
        default=50,
        assessments=(DemoAssessment("Demo: baseline, day 60", date(2017, 7, 6), 0),),
        open_data=True,
    ),
    DemoRegion(
        slug="cambridgeshire-and-peterborough",
        name="Cambridgeshire and Peterborough",
        mayor_name="James Palmer",
        took_office=DAY_ONE_2017,
        # Innovation ecosystem, little shared data.
        profile={"innovation": 70, "data": 28, "digital-inclusion": 35},
        default=42,
        assessments=(DemoAssessment("Demo: baseline, day 90", date(2017, 8, 5), 0),),
        open_data=False,
    ),
)
DEMO_CITY = DemoRegion(
    slug="demo-city-region",
    name="Demo City Region",
    mayor_name="Alex Example",
    took_office=date(2026, 5, 11),
    profile={"leadership-cdic": 60, "digital-inclusion": 40, "cyber-resilience": 35},
    default=48,
    assessments=(DemoAssessment("Demo: baseline", None, 0),),
    open_data=False,
)


def _jitter(region_slug: str, code: str) -> int:
    """A small, stable variation per question, so answers are not all alike."""
    return (-15, -5, 0, 5, 15)[sum(map(ord, region_slug + code)) % 5]


def _answer_data(
    question: QuestionSnapshot, target: int, region: DemoRegion, has_evidence: bool
) -> dict:
    levels = question.levels
    data: dict[str, object] = {"note": FICTIONAL_NOTE.format(name=region.name)}
    if question.kind == kinds.TEXT:
        data["text_value"] = "Fictional demo answer."
        return data
    if not levels:
        return data
    if question.kind == kinds.MULTI_CHOICE:
        chosen, total = [], 0
        for level in sorted(levels, key=lambda lv: -lv.score):
            if total + level.score <= target:
                chosen.append(level.value)
                total += level.score
        data["selected_values"] = chosen or [min(levels, key=lambda lv: lv.score).value]
    else:
        nearest = min(levels, key=lambda lv: (abs(lv.score - target), lv.score))
        if question.kind == kinds.NUMBER:
            data["number_value"] = nearest.value
        else:
            data["selected_values"] = [nearest.value]
        if has_evidence and nearest.score >= 75:
            data["evidence_url"] = EVIDENCE_URL
    return data


def _fill_and_submit(
    *, region: CityRegion, spec: DemoRegion, plan: DemoAssessment, user: User, bank: BankSnapshot
) -> Assessment:
    assessment = assessment_services.assessment_start(region=region, user=user, label=plan.label)
    values_by_question: dict[int, set[str]] = {}
    for question in bank.questions:
        if question.condition is not None and not (
            values_by_question.get(question.condition.question_id, set())
            & set(question.condition.values)
        ):
            continue  # not asked: its condition is not met
        jitter = _jitter(spec.slug, question.code)
        target = spec.profile.get(question.theme_slug, spec.default) + plan.shift + jitter
        data = _answer_data(question, max(0, min(100, target)), spec, has_evidence=jitter >= 0)
        answer = assessment_services.answer_save(
            assessment=assessment, question=question, user=user, data=data, expected_revision=0
        )
        values_by_question[question.pk] = answer.value.condition_values() if answer else set()
    assessment_services.assessment_submit(assessment=assessment, user=user)
    if plan.submitted_on is not None:
        # Seeded after the fact: date it as the demo story has it, and work the milestones out
        # as of that day through the real scoring service.
        moment = datetime.combine(plan.submitted_on, time(16, 0), tzinfo=LONDON)
        Assessment.objects.filter(pk=assessment.pk).update(created_at=moment, submitted_at=moment)
        AssessmentEvent.objects.filter(assessment=assessment).update(created_at=moment)
        results_services.assessment_score(assessment=assessment, today=plan.submitted_on)
    return assessment


def _seed_region(spec: DemoRegion, *, seeder: User, bank: BankSnapshot | None) -> CityRegion:
    region, _ = CityRegion.objects.update_or_create(
        slug=spec.slug,
        defaults={
            "name": spec.name,
            "mayor_name": spec.mayor_name,
            "mayor_took_office": spec.took_office,
            "is_demo": True,
        },
    )
    if Assessment.objects.filter(region=region).exists():
        return region  # seeded before, or in use: leave it alone
    # A region admin, so it may publish open data and the region keeps an admin.
    Membership.objects.update_or_create(
        user=seeder, region=region, defaults={"role": Membership.Role.ADMIN}
    )
    if bank is not None:
        for plan in spec.assessments:
            _fill_and_submit(region=region, spec=spec, plan=plan, user=seeder, bank=bank)
    if spec.open_data:
        open_data_services.open_data_publish(region=region, user=seeder)
    return region


@transaction.atomic
def demo_seed() -> DemoSeed:
    user_model = get_user_model()
    seeder, created = user_model.objects.get_or_create(
        username=SEED_USERNAME,
        defaults={"first_name": "Demo", "last_name": "data (fictional)", "is_active": False},
    )
    if created:
        seeder.set_unusable_password()
        seeder.save()
    current = bank_current()
    bank = bank_snapshot(bank=current) if current else None

    region = _seed_region(DEMO_CITY, seeder=seeder, bank=bank)
    peers = [_seed_region(spec, seeder=seeder, bank=bank) for spec in COMBINED_AUTHORITIES]
    accounts = []
    for username, role in (
        ("demo-admin", Membership.Role.ADMIN),
        ("demo-editor", Membership.Role.EDITOR),
        ("demo-viewer", Membership.Role.VIEWER),
    ):
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"first_name": "Demo", "last_name": role.value.capitalize()}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, region=region, defaults={"role": role})
        # Also a member of the region with two assessments, so compare and the trend show
        # something at once.
        Membership.objects.update_or_create(user=user, region=peers[0], defaults={"role": role})
        accounts.append(DemoAccount(role=role.value, username=username, password=DEMO_PASSWORD))
    return DemoSeed(region=region, accounts=accounts, peers=peers)
