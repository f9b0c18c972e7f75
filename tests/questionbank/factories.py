import factory
from django.db import transaction

from questionbank.models import Action, Question, QuestionBank, RubricLevel, Theme

MATURITY_LEVELS = [
    ("0", "Nothing in place", 0),
    ("1", "Initial", 25),
    ("2", "Developing", 50),
    ("3", "Established", 75),
    ("4", "Embedded", 100),
]


class QuestionBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionBank

    title = "Test question bank"
    version = factory.Sequence(lambda n: 1000 + n)
    status = QuestionBank.Status.DRAFT


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    bank = factory.SubFactory(QuestionBankFactory)
    order = factory.Sequence(lambda n: n)
    slug = factory.Sequence(lambda n: f"theme-{n}")
    title = factory.Sequence(lambda n: f"Theme {n}")
    description = "What this theme covers."
    why_it_matters = "Why it matters in the first 100 days."
    weight = 10


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    theme = factory.SubFactory(ThemeFactory)
    order = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"Q-{n:03d}")
    text = factory.Sequence(lambda n: f"Question {n}?")
    guidance = "What good looks like."
    kind = Question.Kind.MATURITY
    weight = 1
    required = True


class RubricLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RubricLevel

    question = factory.SubFactory(QuestionFactory)
    order = factory.Sequence(lambda n: n)
    value = factory.Sequence(lambda n: str(n))
    label = factory.Sequence(lambda n: f"Level {n}")
    description = "What this level looks like."
    score = 50


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    question = factory.SubFactory(QuestionFactory)
    text = "Do the next thing."
    owner_role = Action.OwnerRole.CA_OFFICERS
    applies_below_score = 75
    day_from = 1
    day_to = 30
    priority = Action.Priority.MEDIUM


def add_levels(question: Question, kind: str | None = None) -> None:
    kind = kind or question.kind
    if kind == Question.Kind.YES_NO:
        options = [("yes", "Yes", 100), ("no", "No", 0)]
    elif kind == Question.Kind.NUMBER:
        options = [("0", "None", 0), ("1", "At least 1", 50), ("5", "5 or more", 100)]
    elif kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTI_CHOICE):
        options = [("a", "Option A", 0), ("b", "Option B", 50), ("c", "Option C", 50)]
    else:
        options = MATURITY_LEVELS
    for order, (value, label, score) in enumerate(options):
        RubricLevelFactory(question=question, order=order, value=value, label=label, score=score)


@transaction.atomic
def bank_with_questions(
    *,
    themes: int = 2,
    questions_per_theme: int = 3,
    published: bool = True,
    version: int | None = None,
) -> QuestionBank:
    """A bank of maturity questions, each with five levels and one action.

    Built as a draft, then flipped to published directly: tests of publishing itself go
    through the question bank's services."""
    bank = QuestionBankFactory(**({"version": version} if version else {}))
    for t in range(themes):
        theme = ThemeFactory(bank=bank, order=t, slug=f"theme-{t + 1}", title=f"Theme {t + 1}")
        for q in range(questions_per_theme):
            question = QuestionFactory(
                theme=theme,
                order=q,
                code=f"T{t + 1}-{q + 1:02d}",
                text=f"Question {t + 1}.{q + 1}?",
            )
            add_levels(question)
            ActionFactory(question=question, text=f"Improve {question.code}.")
    if published:
        QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).update(
            status=QuestionBank.Status.RETIRED
        )
        QuestionBank.objects.filter(pk=bank.pk).update(status=QuestionBank.Status.PUBLISHED)
        bank.refresh_from_db()
    return bank


def question_bank_admin(**kwargs):
    """A staff user in the "Question-bank admins" group (created if a flush removed it)."""
    from questionbank.services import admins_group_ensure
    from tests.assessments.factories import UserFactory

    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(admins_group_ensure())
    return user
