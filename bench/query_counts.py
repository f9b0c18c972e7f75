"""Queries, JOINs and the slowest query of the task list, a theme page, the results page and a
stale answer save, on the default question bank.

    .venv/bin/python bench/query_counts.py [--repeat 5] [--database-url postgres://...] [--all]

Builds its own throwaway database: SQLite under a temporary folder by default, or with
--database-url a test database beside the one named (Django's `test_<name>`, created, migrated
and dropped again; the named database itself is never touched). It seeds the demo regions (so
the results page has peers), starts an assessment of a new region on the default bank, answers
every question it asks, calculates the scores, then measures:

- the three pages, requested by an editor through Django's test client;
- a stale save: `answer_save` with an `expected_revision` older than the answer's, after a
  colleague changed the note, so that the service merges the two (assessments.services).

Each is measured --repeat times after a warm-up (the stale save uses a new question each time).
Queries are counted as `assertNumQueries` counts them (CaptureQueriesContext, so transaction
statements too) and JOINs in their SQL text; the slowest is the statement with the longest
median time over the repeats, timed with perf_counter around the database call. The figures are
printed; nothing is asserted."""

import argparse
import os
import re
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

JOIN_RE = re.compile(r"\bJOIN\b", re.IGNORECASE)


def _setup(database_url: str | None):
    """Django set up on a throwaway database; returns a function that cleans it up."""
    if database_url is None:
        import shutil

        from bench.pages import django_setup

        workdir = django_setup("cdr-bench-queries-")
        return lambda: shutil.rmtree(workdir, ignore_errors=True)

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citydigital.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
    )

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    old_config = setup_databases(verbosity=0, interactive=False)
    return lambda: teardown_databases(old_config, verbosity=0)


def _answer_data(question, levels) -> dict:
    """A mid-scale answer of the question's kind (the second-best level, or the only one)."""
    data = {"note": "Benchmark answer"}
    if question.kind == "text":
        data["text_value"] = "Benchmark answer."
        return data
    ranked = sorted(levels, key=lambda level: (-level.score, level.order))
    chosen = ranked[1] if len(ranked) > 1 else ranked[0]
    if question.kind == "number":
        data["number_value"] = chosen.value
    else:
        data["selected_values"] = [chosen.value]
    return data


@contextmanager
def _measured(connection):
    """The queries of the block as CaptureQueriesContext sees them, and each statement's SQL
    with its time in seconds (CaptureQueriesContext rounds times to milliseconds)."""
    from django.test.utils import CaptureQueriesContext

    timed: list[tuple[str, float]] = []

    def timer(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            if many:
                text = f"{sql} -- executemany, {len(params)} rows"
            else:
                text = connection.ops.last_executed_query(context["cursor"], sql, params)
            timed.append((text, elapsed))

    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        yield captured, timed


def _figures(runs: list) -> tuple[int, int, str, float]:
    """Query count, total JOINs, and the slowest statement's SQL and median time (ms)."""
    captured, timed = runs[-1]
    aligned = [run_timed for _captured, run_timed in runs if len(run_timed) == len(timed)]
    medians = [
        statistics.median(run_timed[i][1] for run_timed in aligned) * 1000
        for i in range(len(timed))
    ]
    slowest = max(range(len(timed)), key=medians.__getitem__)
    joins = sum(len(JOIN_RE.findall(query["sql"])) for query in captured)
    return len(captured), joins, timed[slowest][0], medians[slowest]


def _report(name: str, runs: list, *, show_all: bool) -> None:
    count, joins, sql, ms = _figures(runs)
    print(f"\n== {name}: {count} queries, {joins} JOINs in all")
    print(f"   slowest ({ms:.2f} ms median, {len(JOIN_RE.findall(sql))} JOINs):\n   {sql}")
    if show_all:
        for number, query in enumerate(runs[-1][0], 1):
            print(f"   {number:3}. [{len(JOIN_RE.findall(query['sql']))} JOINs] {query['sql']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="a server whose test_<name> database to use")
    parser.add_argument("--all", action="store_true", help="print every query")
    args = parser.parse_args()

    cleanup = _setup(args.database_url)
    try:
        _run(args)
    finally:
        cleanup()


def _run(args: argparse.Namespace) -> None:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from assessments import services
    from assessments.models import Answer, CityRegion, Membership
    from assessments.results import services as results_services
    from citydigital.demo import demo_seed
    from questionbank.models import Question, QuestionBank

    demo_seed()  # peers on the default bank, for the results page's benchmarks
    bank = QuestionBank.objects.get(status="published")
    region = CityRegion.objects.create(
        name="Bench City Region",
        slug="bench-city-region",
        mayor_name="A. Mayor",
        is_demo=True,  # compared with the demo regions, so the benchmarks are shown
        mayor_took_office=timezone.localdate() - timedelta(days=20),  # day 21
    )
    users = get_user_model().objects
    editor = users.create_user("bench-editor", first_name="Ada", last_name="Editor")
    colleague = users.create_user("bench-colleague", first_name="Bo", last_name="Colleague")
    for user in (editor, colleague):
        Membership.objects.create(user=user, region=region, role=Membership.Role.EDITOR)

    assessment = services.assessment_start(region=region, user=editor, label="Benchmark")
    questions = list(
        Question.objects.filter(theme__bank=bank)
        .select_related("theme")
        .prefetch_related("levels")
        .order_by("theme__order", "theme_id", "order", "pk")
    )
    chosen: dict[int, set[str]] = {}
    for question in questions:
        if question.condition_question_id is not None and not (
            chosen.get(question.condition_question_id, set())
            & {str(value) for value in question.condition_values}
        ):
            continue  # not asked: its condition is not met
        data = _answer_data(question, list(question.levels.all()))
        services.answer_save(
            assessment=assessment, question=question, user=editor, data=data, expected_revision=0
        )
        chosen[question.pk] = set(data.get("selected_values", []))
    results_services.assessment_score_calculate(
        assessment=assessment, user=editor, today=timezone.localdate()
    )

    client = Client()
    client.force_login(editor)
    kwargs = {"region_slug": region.slug, "pk": assessment.pk}
    first_theme = questions[0].theme.slug
    pages = {
        "task list": reverse("assessments:assessment-tasks", kwargs=kwargs),
        f"theme page ({first_theme})": reverse(
            "assessments:theme-detail", kwargs={**kwargs, "theme_slug": first_theme}
        ),
        "results page": reverse("assessments:results-detail", kwargs=kwargs),
    }
    print(
        f"{len(questions)} questions in version {bank.version}, {len(chosen)} answered; "
        f"{args.repeat} runs each ({connection.vendor})"
    )
    for name, url in pages.items():
        runs = []
        for attempt in range(args.repeat + 1):  # the first warms caches (sessions, templates)
            with _measured(connection) as (captured, timed):
                response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"the {name} answered {response.status_code}")
            if attempt:
                runs.append((captured.captured_queries, timed))
        _report(name, runs, show_all=args.all)

    # A stale save: Ada saves a new choice from a page loaded before Bo changed the note.
    stale = [q for q in questions if q.kind == "maturity" and q.condition_question_id is None][
        : args.repeat + 1
    ]
    runs = []
    for attempt, question in enumerate(stale):
        answer = Answer.objects.get(assessment=assessment, question=question)
        loaded_revision = answer.revision
        services.answer_save(
            assessment=assessment,
            question=question,
            user=colleague,
            data={**answer.as_value(), "note": "Bo's note"},
            expected_revision=loaded_revision,
        )
        new_choice = "0" if answer.selected_values != ["0"] else "1"
        with _measured(connection) as (captured, timed):
            services.answer_save(
                assessment=assessment,
                question=question,
                user=editor,
                data={**answer.as_value(), "selected_values": [new_choice]},
                expected_revision=loaded_revision,
            )
        merged = Answer.objects.get(pk=answer.pk)
        if (merged.selected_values, merged.note) != ([new_choice], "Bo's note"):
            raise SystemExit("the stale save did not merge as expected")
        if attempt:
            runs.append((captured.captured_queries, timed))
    _report("stale save (answer_save, merged)", runs, show_all=args.all)


if __name__ == "__main__":
    main()
