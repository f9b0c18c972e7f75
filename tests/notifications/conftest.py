import pytest

from assessments import selectors, services
from tests.assessments.factories import CityRegionFactory, editor_of
from tests.questionbank.factories import bank_with_questions


@pytest.fixture
def team():
    """A region with an assessment in progress and two editors, Ada (who starts it) and Bo."""
    region = CityRegionFactory(name="Greater Exampleshire")
    ada = editor_of(region, user__first_name="Ada", user__last_name="Lovelace").user
    bo = editor_of(region, user__first_name="Bo", user__last_name="Diddley").user
    bank_with_questions(themes=2, questions_per_theme=2)
    assessment = services.assessment_start(region=region, user=ada, label="Baseline, day 1")
    bank = selectors.assessment_bank(assessment=assessment)
    return {
        "region": region,
        "assessment": assessment,
        "ada": ada,
        "bo": bo,
        "theme": bank.themes[0],
        "question": bank.themes[0].questions[0],
    }
