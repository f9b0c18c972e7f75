"""Reads of the question bank. Every prefetch lives here, and so does the one way other apps
read a version's content: `bank_snapshot`."""

import logging
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import models
from django.db.models import Prefetch

from questionbank.bankfile import FORMAT_VERSION
from questionbank.models import Action, Question, QuestionBank, RubricLevel, Theme
from questionbank.snapshot import (
    ActionSnapshot,
    BankSnapshot,
    ConditionSnapshot,
    LevelSnapshot,
    QuestionSnapshot,
    ThemeSnapshot,
    question_keys,
)

logger = logging.getLogger(__name__)

# Part of every cached snapshot's key: bump when the snapshot dataclasses change shape, so that
# a process never unpickles a snapshot written by older code.
SNAPSHOT_FORMAT = 1
# A snapshot never goes stale; the expiry only bounds what unused versions hold in the cache.
SNAPSHOT_CACHE_SECONDS = 7 * 24 * 3600


def bank_current() -> QuestionBank | None:
    """The one published version: what new assessments pin."""
    return QuestionBank.objects.filter(status=QuestionBank.Status.PUBLISHED).first()


def bank_get(*, version: int) -> QuestionBank | None:
    return QuestionBank.objects.filter(version=version).first()


def bank_tree(*, bank: QuestionBank) -> list[Theme]:
    """A version's themes in order, each with its questions, their levels, actions and
    conditions prefetched: four queries whatever the size of the bank."""
    questions = Question.objects.select_related("condition_question").prefetch_related(
        Prefetch("levels", queryset=RubricLevel.objects.order_by("order", "pk")),
        Prefetch("actions", queryset=Action.objects.order_by("order", "pk")),
    )
    return list(
        Theme.objects.filter(bank=bank)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=questions.order_by("order", "pk")))
    )


SnapshotT = TypeVar("SnapshotT")


def _snapshot_of(cls: type[SnapshotT], row: models.Model, **derived: Any) -> SnapshotT:
    """A snapshot dataclass from a row: every field the row has under the same name (so a new
    field needs naming once, on the dataclass), plus the `derived` ones."""
    names = {f.name for f in dataclass_fields(cls)} - derived.keys()  # type: ignore[arg-type]
    return cls(**{name: getattr(row, name) for name in names}, **derived)


def _snapshot_build(*, bank: QuestionBank) -> BankSnapshot:
    themes = bank_tree(bank=bank)
    theme_slugs = {theme.pk: theme.slug for theme in themes}
    keys = question_keys(
        [(q.pk, q.code, theme.slug) for theme in themes for q in theme.questions.all()]
    )

    def condition(question: Question) -> ConditionSnapshot | None:
        target = question.condition_question
        if target is None:
            return None
        return ConditionSnapshot(
            question_id=target.pk,
            question_code=target.code,
            values=tuple(str(value) for value in question.condition_values or ()),
        )

    def question_snapshot(question: Question) -> QuestionSnapshot:
        return _snapshot_of(
            QuestionSnapshot,
            question,
            theme_slug=theme_slugs[question.theme_id],
            key=keys[question.pk],
            replaces_codes=tuple(str(code) for code in question.replaces_codes or ()),
            condition=condition(question),
            levels=tuple(_snapshot_of(LevelSnapshot, level) for level in question.levels.all()),
            actions=tuple(_snapshot_of(ActionSnapshot, a) for a in question.actions.all()),
        )

    return _snapshot_of(
        BankSnapshot,
        bank,
        themes=tuple(
            _snapshot_of(
                ThemeSnapshot,
                theme,
                questions=tuple(question_snapshot(q) for q in theme.questions.all()),
            )
            for theme in themes
        ),
    )


def _snapshot_cache_key(bank: QuestionBank) -> str:
    # The creation time makes the key unique to this row even where ids are reused (another
    # database sharing the cache, a test database rebuilt).
    created = bank.created_at.timestamp()
    return f"questionbank:snapshot:{SNAPSHOT_FORMAT}:{bank.pk}:{bank.version}:{created}"


def bank_snapshot(*, bank: QuestionBank) -> BankSnapshot:
    """One version of the bank as frozen data in bank order. A published or retired version
    never changes, so its snapshot comes from the cache (no query) after the first read; a
    draft is read afresh (four queries). When the cache is unreachable the database answers."""
    if bank.status == QuestionBank.Status.DRAFT:
        return _snapshot_build(bank=bank)
    key = _snapshot_cache_key(bank)
    try:
        cached: BankSnapshot | None = cache.get(key)
    except Exception:  # a dead cache server must not take the page down with it
        logger.warning("The cache could not be read; the bank snapshot comes from the database")
        return _snapshot_build(bank=bank)
    if cached is not None:
        return cached
    snapshot = _snapshot_build(bank=bank)
    try:
        cache.set(key, snapshot, timeout=SNAPSHOT_CACHE_SECONDS)
    except Exception:
        logger.warning("The cache could not be written; the bank snapshot was not kept")
    return snapshot


@dataclass(frozen=True)
class PreviewQuestion:
    question: Question
    levels: list[RubricLevel]
    shown_when: str  # empty when the question is always asked


@dataclass(frozen=True)
class PreviewTheme:
    theme: Theme
    questions: list[PreviewQuestion]


def bank_preview(*, bank: QuestionBank) -> dict[str, Any]:
    """What the preview page shows: each theme's questions with their answer options and, for
    conditional questions, when they are asked."""
    themes = bank_tree(bank=bank)
    labels = {
        question.pk: {level.value: level.label for level in question.levels.all()}
        for theme in themes
        for question in theme.questions.all()
    }
    preview = []
    for theme in themes:
        questions = []
        for question in theme.questions.all():
            shown_when = ""
            target = question.condition_question
            if target is not None:
                answers = " or ".join(
                    f"“{labels.get(target.pk, {}).get(value, value)}”"
                    for value in question.condition_values
                )
                shown_when = f"Asked only when the answer to {target.code} is {answers}."
            questions.append(PreviewQuestion(question, list(question.levels.all()), shown_when))
        preview.append(PreviewTheme(theme, questions))
    return {
        "bank": bank,
        "themes": preview,
        "question_count": sum(len(t.questions) for t in preview),
    }


def _question_data(question: Question, *, bank: QuestionBank) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": question.code,
        "text": question.text,
        "guidance": question.guidance,
        "kind": question.kind,
        "weight": question.weight,
    }
    if not question.required:
        data["required"] = False
    if question.milestone_day is not None:
        data["milestone_day"] = question.milestone_day
    if question.replaces_codes:
        data["replaces"] = list(question.replaces_codes)
    if question.sources:
        data["sources"] = question.sources
    condition = _condition_data(question, bank=bank)
    if condition is not None:
        data["condition"] = condition
    levels = [
        {
            "value": level.value,
            "label": level.label,
            "score": level.score,
            "description": level.description,
        }
        for level in question.levels.all()
    ]
    if levels:
        data["levels"] = levels
    actions = [
        {
            "text": action.text,
            "owner_role": action.owner_role,
            "applies_below_score": action.applies_below_score,
            "day_from": action.day_from,
            "day_to": action.day_to,
            "priority": action.priority,
        }
        for action in question.actions.all()
    ]
    if actions:
        data["actions"] = actions
    return data


def _condition_data(question: Question, *, bank: QuestionBank) -> dict[str, Any] | None:
    """The question's condition as the bank file writes it, None when it has none."""
    target = question.condition_question
    if target is None:
        if question.condition_values:
            return {"question": "", "values": list(question.condition_values)}
        return None
    target_code = target.code
    if target.theme.bank_id != bank.pk:
        # Never valid; named so that the problem says where the question points.
        target_code = f"{target.code} of version {target.theme.bank.version}"
    elif target.pk == question.pk:
        target_code = question.code
    return {"question": target_code, "values": list(question.condition_values)}


def bank_data(*, bank: QuestionBank) -> dict[str, Any]:
    """A version as the plain data of the bank file (questionbank/data/FORMAT.md). Publishing
    validates this, and the export writes it."""
    themes = bank_tree(bank=bank)
    # A condition may point at a question of another theme (which validation refuses); the
    # theme of every target is already in hand or needs one more query.
    theme_by_id = {theme.pk: theme for theme in themes}
    for theme in themes:
        for question in theme.questions.all():
            target = question.condition_question
            if target is not None and target.theme_id in theme_by_id:
                target.theme = theme_by_id[target.theme_id]
    return {
        "format": FORMAT_VERSION,
        "title": bank.title,
        "change_notes": bank.change_notes,
        "themes": [
            {
                "slug": theme.slug,
                "title": theme.title,
                "description": theme.description,
                "why_it_matters": theme.why_it_matters,
                "weight": theme.weight,
                "questions": [_question_data(q, bank=bank) for q in theme.questions.all()],
            }
            for theme in themes
        ],
    }


# ---------------------------------------------------------------------------------------------
# What changed between two versions


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: object
    new: object


@dataclass(frozen=True)
class QuestionChange:
    code: str
    text: str
    theme: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeChange:
    slug: str
    title: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class BankDiff:
    old: QuestionBank
    new: QuestionBank
    added: list[QuestionChange]
    removed: list[QuestionChange]
    edited: list[QuestionChange]
    themes_added: list[ThemeChange]
    themes_removed: list[ThemeChange]
    themes_edited: list[ThemeChange]

    @property
    def has_changes(self) -> bool:
        return any(
            (
                self.added,
                self.removed,
                self.edited,
                self.themes_added,
                self.themes_removed,
                self.themes_edited,
            )
        )


QUESTION_FIELD_NAMES = {
    "text": "question",
    "guidance": "guidance",
    "kind": "kind",
    "weight": "weight",
    "required": "required",
    "milestone_day": "milestone day",
    "replaces": "replaces",
    "sources": "sources",
    "condition": "condition",
    "levels": "rubric levels",
    "actions": "actions",
    "theme": "theme",
    "position": "position in theme",
}
THEME_FIELD_NAMES = {
    "title": "title",
    "description": "description",
    "why_it_matters": "why it matters",
    "weight": "weight",
    "position": "position",
}


def _readable(key: str, value: Any) -> object:
    """Levels, actions and conditions as lines a person can compare."""
    if value is None:
        return None
    if key == "levels":
        return "\n".join(
            f"{lv['value']} · {lv['label']} · {lv['score']}: {lv['description']}" for lv in value
        )
    if key == "actions":
        return "\n".join(
            f"{a['text']} ({a['owner_role']}, below {a['applies_below_score']}, days "
            f"{a['day_from']}-{a['day_to']}, {a['priority']})"
            for a in value
        )
    if key == "condition":
        return f"{value['question']} is {' or '.join(map(str, value['values']))}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _indexed_questions(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    questions: dict[str, dict[str, Any]] = {}
    for theme in data["themes"]:
        for position, question in enumerate(theme["questions"]):
            questions.setdefault(
                question["code"], {**question, "theme": theme["slug"], "position": position}
            )
    return questions


def bank_diff(*, old: QuestionBank, new: QuestionBank) -> BankDiff:
    """Questions added, removed and edited (matched by code) from `old` to `new`, and the same
    for themes (matched by slug)."""
    old_data, new_data = bank_data(bank=old), bank_data(bank=new)
    old_questions, new_questions = _indexed_questions(old_data), _indexed_questions(new_data)

    def summary(
        question: dict[str, Any], changes: list[FieldChange] | None = None
    ) -> QuestionChange:
        return QuestionChange(
            code=question["code"],
            text=question["text"],
            theme=question["theme"],
            changes=changes or [],
        )

    added = [summary(q) for code, q in new_questions.items() if code not in old_questions]
    removed = [summary(q) for code, q in old_questions.items() if code not in new_questions]
    edited = []
    for code, new_question in new_questions.items():
        old_question = old_questions.get(code)
        if old_question is None:
            continue
        changes = [
            FieldChange(
                label,
                _readable(key, old_question.get(key)),
                _readable(key, new_question.get(key)),
            )
            for key, label in QUESTION_FIELD_NAMES.items()
            if old_question.get(key) != new_question.get(key)
        ]
        if changes:
            edited.append(summary(new_question, changes))

    old_themes = {t["slug"]: {**t, "position": i} for i, t in enumerate(old_data["themes"])}
    new_themes = {t["slug"]: {**t, "position": i} for i, t in enumerate(new_data["themes"])}
    themes_added = [
        ThemeChange(slug, t["title"]) for slug, t in new_themes.items() if slug not in old_themes
    ]
    themes_removed = [
        ThemeChange(slug, t["title"]) for slug, t in old_themes.items() if slug not in new_themes
    ]
    themes_edited = []
    for slug, new_theme in new_themes.items():
        old_theme = old_themes.get(slug)
        if old_theme is None:
            continue
        changes = [
            FieldChange(label, old_theme.get(key), new_theme.get(key))
            for key, label in THEME_FIELD_NAMES.items()
            if old_theme.get(key) != new_theme.get(key)
        ]
        if changes:
            themes_edited.append(ThemeChange(slug, new_theme["title"], changes))
    return BankDiff(
        old=old,
        new=new,
        added=added,
        removed=removed,
        edited=edited,
        themes_added=themes_added,
        themes_removed=themes_removed,
        themes_edited=themes_edited,
    )
