"""Median server time of the results page (with peer benchmarks), the action plan, the compare
page and the open-data page and JSON for a 60-question bank.

    .venv/bin/python bench/results_page.py [--runs 50]

Builds its own throwaway SQLite database (never the project's), a bank of 6 themes of
10 questions (every question with an action and a mix of answers, some milestones), submits
the assessment (which stores its scores and its 100-day plan), then requests the pages as a
viewer through Django's test client and prints the median, 90th percentile and query count."""

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages import django_setup, time_pages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    workdir = django_setup("cdr-bench-results-")
    from django.test import Client
    from django.urls import reverse

    from assessments import services
    from assessments.models import Answer
    from questionbank.models import Question
    from tests.assessments.conftest import publish
    from tests.assessments.factories import CityRegionFactory, editor_of, viewer_of
    from tests.questionbank.factories import bank_with_questions
    from tests.reports.factories import answered_assessment

    region = CityRegionFactory(name="Bench City Region", slug="bench-city-region")
    editor = editor_of(region).user
    viewer = viewer_of(region).user
    bank = bank_with_questions(themes=6, questions_per_theme=10, published=False)
    for number, question in enumerate(Question.objects.filter(theme__bank=bank)):
        if number % 6 == 0:
            Question.objects.filter(pk=question.pk).update(milestone_day=10 + number)
    publish(bank)
    assessment = answered_assessment(region=region, bank=bank, level="2", submitted=False)
    for number, answer in enumerate(Answer.objects.filter(assessment=assessment)):
        Answer.objects.filter(pk=answer.pk).update(selected_values=[str(number % 5)])
    services.assessment_submit(assessment=assessment, user=editor)
    # Peers on the same bank version, so the results page shows its benchmarks, and a later
    # assessment of the region for the compare page; both publish open data.
    from assessments.opendata.services import open_data_publish

    for number in range(4):
        peer = CityRegionFactory()
        answered_assessment(region=peer, bank=bank, level=str(number))
        open_data_publish(region=peer, user=editor_of(peer).user)
    answered_assessment(region=region, bank=bank, level="3")
    open_data_publish(region=region, user=editor)

    client = Client()
    client.force_login(viewer)
    kwargs = {"region_slug": region.slug, "pk": assessment.pk}
    pages = {
        "results page": reverse("assessments:results-detail", kwargs=kwargs),
        "action plan": reverse("assessments:action-plan", kwargs=kwargs),
        "compare page": reverse(
            "assessments:assessment-compare", kwargs={"region_slug": region.slug}
        ),
        "open data page": reverse("opendata:index"),
        "open data JSON": reverse("opendata:json"),
    }
    print(f"{Question.objects.filter(theme__bank=bank).count()} questions, {args.runs} runs")
    time_pages(client, pages, args.runs)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
