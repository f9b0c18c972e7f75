"""Demo data for a new install: one region and a sign-in for each kind of user."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.models import CityRegion, Membership

# Local-only accounts; the seed command refuses to run in production.
DEMO_PASSWORD = "readiness-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    role: str
    username: str
    password: str


@dataclass(frozen=True)
class DemoSeed:
    region: CityRegion
    accounts: list[DemoAccount]


@transaction.atomic
def demo_seed() -> DemoSeed:
    region, _ = CityRegion.objects.update_or_create(
        slug="demo-city-region",
        defaults={
            "name": "Demo City Region",
            "mayor_name": "Alex Example",
            "mayor_took_office": date(2026, 5, 11),
            "is_demo": True,
        },
    )
    user_model = get_user_model()
    accounts = []
    for username, role in (
        ("demo-editor", Membership.Role.EDITOR),
        ("demo-viewer", Membership.Role.VIEWER),
    ):
        user, _ = user_model.objects.get_or_create(
            username=username, defaults={"first_name": "Demo", "last_name": role.label.split()[0]}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, region=region, defaults={"role": role})
        accounts.append(DemoAccount(role=role.value, username=username, password=DEMO_PASSWORD))
    return DemoSeed(region=region, accounts=accounts)
