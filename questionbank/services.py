"""Writes to the question bank: import, new draft, publish, export, the admins' group.

The data migrations do not use these: they are frozen, with their own code (see
questionbank/migrations/0003_default_bank.py)."""

from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from questionbank import bankfile, selectors
from questionbank.bankfile import BankFileError
from questionbank.models import (
    Action,
    BankLockedError,
    Question,
    QuestionBank,
    RubricLevel,
    Theme,
)

DEFAULT_BANK_PATH = Path(__file__).resolve().parent / "data" / "default.yaml"
ADMINS_GROUP_NAME = "Question-bank admins"


class BankPublishError(Exception):
    """A draft that cannot be published; `problems` lists each one, located."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


# ---------------------------------------------------------------------------------------------
# Import and export


def _next_version() -> int:
    return (QuestionBank.objects.aggregate(top=Max("version"))["top"] or 0) + 1


def _create_tree(bank: QuestionBank, data: dict[str, Any]) -> None:
    """Creates the validated `data` themes under `bank` (a new, empty draft)."""
    for theme_order, theme_data in enumerate(data["themes"]):
        theme = Theme.objects.create(
            bank=bank,
            order=theme_order,
            slug=theme_data["slug"],
            title=theme_data["title"],
            description=theme_data.get("description", ""),
            why_it_matters=theme_data.get("why_it_matters", ""),
            weight=theme_data["weight"],
        )
        by_code = {}
        for order, q in enumerate(theme_data["questions"]):
            question = Question.objects.create(
                theme=theme,
                order=order,
                code=q["code"],
                text=q["text"],
                guidance=q.get("guidance", ""),
                kind=q["kind"],
                weight=q["weight"],
                required=q.get("required", True),
                milestone_day=q.get("milestone_day"),
                replaces_codes=list(q.get("replaces", [])),
                sources=q.get("sources", ""),
            )
            by_code[question.code] = question
            condition = q.get("condition")
            if condition:
                question.condition_question = by_code[condition["question"]]
                question.condition_values = list(condition["values"])
                question.save(update_fields=["condition_question", "condition_values"])
            RubricLevel.objects.bulk_create(
                RubricLevel(
                    question=question,
                    order=level_order,
                    value=str(level["value"]),
                    label=level["label"],
                    description=level.get("description", ""),
                    score=level["score"],
                )
                for level_order, level in enumerate(q.get("levels", []))
            )
            Action.objects.bulk_create(
                Action(question=question, order=action_order, **action)
                for action_order, action in enumerate(q.get("actions", []))
            )


def _mark_published(bank: QuestionBank, published_by: Any) -> None:
    """Retire the current version and publish `bank`: the only status transition."""
    now = timezone.now()
    QuestionBank.objects.filter(status="published").exclude(pk=bank.pk).update(status="retired")
    QuestionBank.objects.filter(pk=bank.pk).update(
        status="published", published_at=now, published_by=published_by
    )
    bank.refresh_from_db()


@transaction.atomic
def bank_import(
    *,
    data: Any = None,
    text: str | bytes | None = None,
    path: str | Path | None = None,
    publish: bool = False,
    imported_by: Any = None,
) -> QuestionBank:
    """Reads a whole bank (plain data, YAML text or a file) into a new draft version, and
    publishes it when asked. All or nothing: any problem raises BankFileError listing every
    problem by its place in the file, and nothing is written."""
    if path is not None:
        text = Path(path).read_bytes()
    if text is not None:
        data = bankfile.bank_data_parse(text)
    problems = bankfile.bank_data_validate(data)
    if problems:
        raise BankFileError(problems)
    bank = QuestionBank.objects.create(
        title=data["title"],
        version=_next_version(),
        status="draft",
        change_notes=data.get("change_notes", ""),
        created_by=imported_by,
    )
    _create_tree(bank, data)
    if publish:
        _mark_published(bank, imported_by)
    return bank


def bank_export(*, bank: QuestionBank) -> str:
    """The version as the canonical YAML file. Export, import, export gives the same bytes."""
    return bankfile.bank_data_dump(selectors.bank_data(bank=bank))


def bank_export_filename(*, bank: QuestionBank) -> str:
    return f"question-bank-v{bank.version}.yaml"


# ---------------------------------------------------------------------------------------------
# Drafts and publishing


@transaction.atomic
def bank_create_draft(*, source: QuestionBank, created_by: Any = None) -> QuestionBank:
    """A new draft version copying the whole tree of `source` (any status), conditions
    included. The source is untouched."""
    draft = QuestionBank.objects.create(
        title=source.title,
        version=_next_version(),
        status=QuestionBank.Status.DRAFT,
        change_notes="",
        based_on=source,
        created_by=created_by,
    )
    copies: dict[int, Question] = {}
    conditions: list[tuple[Question, int]] = []
    for theme in selectors.bank_tree(bank=source):
        new_theme = Theme.objects.create(
            bank=draft,
            order=theme.order,
            slug=theme.slug,
            title=theme.title,
            description=theme.description,
            why_it_matters=theme.why_it_matters,
            weight=theme.weight,
        )
        for question in theme.questions.all():
            copy = Question.objects.create(
                theme=new_theme,
                order=question.order,
                code=question.code,
                text=question.text,
                guidance=question.guidance,
                kind=question.kind,
                weight=question.weight,
                required=question.required,
                milestone_day=question.milestone_day,
                replaces_codes=list(question.replaces_codes),
                condition_values=list(question.condition_values),
                sources=question.sources,
            )
            copies[question.pk] = copy
            if question.condition_question_id is not None:
                conditions.append((copy, question.condition_question_id))
            RubricLevel.objects.bulk_create(
                RubricLevel(
                    question=copy,
                    order=level.order,
                    value=level.value,
                    label=level.label,
                    description=level.description,
                    score=level.score,
                )
                for level in question.levels.all()
            )
            Action.objects.bulk_create(
                Action(
                    question=copy,
                    order=action.order,
                    text=action.text,
                    owner_role=action.owner_role,
                    applies_below_score=action.applies_below_score,
                    day_from=action.day_from,
                    day_to=action.day_to,
                    priority=action.priority,
                )
                for action in question.actions.all()
            )
    for copy, target_id in conditions:
        # A target outside the source version (only possible in a broken draft) stays unset.
        copy.condition_question = copies.get(target_id)
        copy.save(update_fields=["condition_question"])
    return draft


def bank_problems(*, bank: QuestionBank) -> list[str]:
    """What stops a version from being published, located as in its exported file."""
    return bankfile.bank_data_validate(selectors.bank_data(bank=bank))


@transaction.atomic
def bank_publish(*, bank: QuestionBank, published_by: Any = None) -> QuestionBank:
    """Validates a draft with the import's validator, retires the current version and
    publishes the draft. Assessments keep the version they pinned."""
    locked = QuestionBank.objects.select_for_update().get(pk=bank.pk)
    if locked.status != QuestionBank.Status.DRAFT:
        raise BankLockedError(
            f"Version {locked.version} is already {locked.status}; only a draft can be published."
        )
    problems = bank_problems(bank=locked)
    if problems:
        raise BankPublishError(problems)
    _mark_published(locked, published_by)
    bank.refresh_from_db()
    return bank


@transaction.atomic
def bank_create(*, title: str, change_notes: str = "", created_by: Any = None) -> QuestionBank:
    """An empty draft with the next version number, to fill in the admin."""
    bank = QuestionBank(
        title=title,
        change_notes=change_notes,
        version=_next_version(),
        status=QuestionBank.Status.DRAFT,
        created_by=created_by,
    )
    bank.full_clean()
    bank.save()
    return bank


@transaction.atomic
def bank_update_draft(*, bank: QuestionBank, **fields: Any) -> QuestionBank:
    """Changes a draft's own fields (title, change notes); the model refuses other versions."""
    for name, value in fields.items():
        setattr(bank, name, value)
    bank.full_clean()
    bank.save()
    return bank


# ---------------------------------------------------------------------------------------------
# The question-bank admins' group


def admins_group_ensure() -> Group:
    """The Django group "Question-bank admins" with exactly the question bank's model
    permissions (add, change, delete, view of each model). Idempotent."""
    group, _ = Group.objects.get_or_create(name=ADMINS_GROUP_NAME)
    content_types = ContentType.objects.filter(app_label="questionbank")
    group.permissions.set(Permission.objects.filter(content_type__in=content_types))
    return group
