from datetime import date

import factory
from django.contrib.auth import get_user_model

from assessments.models import CityRegion, Membership

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805 (factory_boy's signature)
        if create:
            obj.save()


class CityRegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityRegion

    name = factory.Sequence(lambda n: f"Test City Region {n}")
    slug = factory.Sequence(lambda n: f"test-city-region-{n}")
    mayor_name = factory.Faker("name")
    mayor_took_office = date(2026, 5, 11)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    region = factory.SubFactory(CityRegionFactory)
    role = Membership.Role.EDITOR


def admin_of(region: CityRegion, **kwargs) -> Membership:
    return MembershipFactory(region=region, role=Membership.Role.ADMIN, **kwargs)


def editor_of(region: CityRegion, **kwargs) -> Membership:
    return MembershipFactory(region=region, role=Membership.Role.EDITOR, **kwargs)


def viewer_of(region: CityRegion, **kwargs) -> Membership:
    return MembershipFactory(region=region, role=Membership.Role.VIEWER, **kwargs)
