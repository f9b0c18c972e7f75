import pytest
from django.test import Client

from assessments import services
from questionbank.models import QuestionBank
from tests.assessments.factories import CityRegionFactory, admin_of, editor_of, viewer_of
from tests.questionbank.factories import bank_with_questions


@pytest.fixture
def region(db):
    return CityRegionFactory(name="Greater Testshire", slug="greater-testshire")


@pytest.fixture
def editor(region):
    return editor_of(region, user__first_name="Ada", user__last_name="Editor").user


@pytest.fixture
def region_admin(region):
    return admin_of(region, user__first_name="Rae", user__last_name="Admin").user


@pytest.fixture
def colleague(region):
    return editor_of(region, user__first_name="Bo", user__last_name="Colleague").user


@pytest.fixture
def viewer(region):
    return viewer_of(region).user


@pytest.fixture
def outsider(db):
    """An editor of another region."""
    return editor_of(CityRegionFactory()).user


@pytest.fixture
def bank(db):
    return bank_with_questions(themes=2, questions_per_theme=3)


@pytest.fixture
def assessment(region, editor, bank):
    return services.assessment_start(region=region, user=editor, label="Baseline, day 1")


def publish(bank: QuestionBank) -> QuestionBank:
    """Publish a draft built in a test, as the factories do (publishing has its own tests)."""
    QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).update(
        status=QuestionBank.Status.RETIRED
    )
    QuestionBank.objects.filter(pk=bank.pk).update(status=QuestionBank.Status.PUBLISHED)
    bank.refresh_from_db()
    return bank


@pytest.fixture
def make_assessment(region, editor):
    """Start an assessment on a new bank; `extra(bank)` adds questions while it is a draft."""

    def make(*, extra=None, themes=2, questions_per_theme=3, label="Baseline, day 1"):
        bank = bank_with_questions(
            themes=themes, questions_per_theme=questions_per_theme, published=False
        )
        if extra is not None:
            extra(bank)
        publish(bank)
        return services.assessment_start(region=region, user=editor, label=label)

    return make


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
