"""Median server time of the task list and a theme page for a 60-question bank.

    .venv/bin/python bench/assessment_pages.py [--runs 50]

Builds its own throwaway SQLite database (never the project's), a bank of 6 themes of
10 questions with every question answered and commented on, then requests both pages
through Django's test client and prints the median, 90th percentile and query count."""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import django_setup, time_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    django_setup("cdr-bench-")
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from assessments import services
    from questionbank.models import Question
    from tests.assessments.factories import CityRegionFactory, editor_of
    from tests.questionbank.factories import bank_with_questions

    region = CityRegionFactory(name="Bench City Region", slug="bench-city-region")
    editor = editor_of(region).user
    colleague = editor_of(region).user
    bank = bank_with_questions(themes=6, questions_per_theme=10)
    assessment = services.assessment_start(region=region, user=editor, label="Benchmark")
    for question in Question.objects.filter(theme__bank=bank):
        services.answer_save(
            assessment=assessment,
            question=question,
            user=editor,
            data={"selected_values": ["2"], "note": "A note"},
            expected_revision=0,
        )
        services.comment_add(assessment=assessment, question=question, user=colleague, text="?")

    client = Client()
    client.force_login(editor)
    kwargs = {"region_slug": region.slug, "pk": assessment.pk}
    pages = {
        "task list": reverse("assessments:assessment-tasks", kwargs=kwargs),
        "theme page": reverse(
            "assessments:theme-detail", kwargs={**kwargs, "theme_slug": "theme-1"}
        ),
    }
    questions = Question.objects.filter(theme__bank=bank).count()
    print(f"{questions}-question bank, {args.runs} requests per page ({connection.vendor})")
    time_pages(client, pages, args.runs)


if __name__ == "__main__":
    main()
