"""Median server time of the task list and a theme page for a 60-question bank.

    .venv/bin/python bench/assessment_pages.py [--runs 50]

Builds its own throwaway SQLite database (never the project's), a bank of 6 themes of
10 questions with every question answered and commented on, then requests both pages
through Django's test client and prints the median, 90th percentile and query count."""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _check(response, name: str) -> None:
    if response.status_code != 200:
        raise SystemExit(f"the {name} answered {response.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="cdr-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydigital.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)

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
    for name, url in pages.items():
        for _ in range(3):  # warm caches: templates, session, content types
            _check(client.get(url), name)
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
            _check(response, name)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p90 = statistics.quantiles(timings, n=10)[-1]
        print(
            f"{name:<11} median {statistics.median(timings):6.1f} ms   "
            f"p90 {p90:6.1f} ms   {len(queries)} queries"
        )


if __name__ == "__main__":
    main()
