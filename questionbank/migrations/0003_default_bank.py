"""Publishes the default question bank as version 1 on a new install, so that `migrate` alone
leaves a current question bank.

Frozen: it reads `default_bank_v1.yaml` beside it (a copy of questionbank/data/default.yaml as
it was when version 1 shipped) and writes through the historical models only, never through
today's services. A later edit of default.yaml, of the file format or of the models therefore
cannot change what this migration loads or break a fresh install. A new default bank ships as
a new version (a later migration or an import), never as a different version 1. The file is
known to be valid, so the import's validator is not needed here; tests/questionbank/
test_migrations.py checks that the result equals an import of the same file."""

from pathlib import Path

import yaml
from django.db import migrations
from django.utils import timezone

BANK_FILE = Path(__file__).resolve().parent / "default_bank_v1.yaml"


def load_default_bank(apps, schema_editor):
    QuestionBank = apps.get_model("questionbank", "QuestionBank")
    Theme = apps.get_model("questionbank", "Theme")
    Question = apps.get_model("questionbank", "Question")
    RubricLevel = apps.get_model("questionbank", "RubricLevel")
    Action = apps.get_model("questionbank", "Action")
    if QuestionBank.objects.exists():
        return  # an existing install keeps its own versions
    data = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    bank = QuestionBank.objects.create(
        title=data["title"],
        version=1,
        status="draft",
        change_notes=data.get("change_notes", ""),
    )
    # Rows are created in the file's order, as the import does, so their keys match it too.
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
            condition = q.get("condition")
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
                # A condition points at an earlier question of the same theme.
                condition_question=by_code[condition["question"]] if condition else None,
                condition_values=list(condition["values"]) if condition else [],
                sources=q.get("sources", ""),
            )
            by_code[question.code] = question
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
                Action(
                    question=question,
                    order=action_order,
                    text=action["text"],
                    owner_role=action["owner_role"],
                    applies_below_score=action["applies_below_score"],
                    day_from=action["day_from"],
                    day_to=action["day_to"],
                    priority=action["priority"],
                )
                for action_order, action in enumerate(q.get("actions", []))
            )
    QuestionBank.objects.filter(pk=bank.pk).update(
        status="published", published_at=timezone.now()
    )


def remove_default_bank(apps, schema_editor):
    QuestionBank = apps.get_model("questionbank", "QuestionBank")
    QuestionBank.objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questionbank", "0002_sources_and_created_by"),
    ]

    operations = [
        migrations.RunPython(load_default_bank, remove_default_bank),
    ]
