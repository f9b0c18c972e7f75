"""Peer benchmarks: the quartiles (pure) and the results page's benchmark section, which needs
at least three OTHER regions' latest submitted assessments on the same bank version."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Answer
from assessments.results.benchmarks import MIN_OTHER_REGIONS, theme_scores_from_stored
from assessments.results.services import assessment_score
from questionbank.models import Question
from tests.assessments.conftest import client_for
from tests.assessments.factories import CityRegionFactory, editor_of, viewer_of
from tests.questionbank.factories import bank_with_questions

# --- the distribution (pure) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Worked by hand, positions (n - 1) x p between the sorted values:
        # [10, 20, 30, 40]: Q1 at 0.75 -> 10 + 0.75 x 10 = 17.5; median at 1.5 -> 25;
        # Q3 at 2.25 -> 30 + 0.25 x 10 = 32.5.
        ([40, 10, 30, 20], ("17.5", "25.0", "32.5")),
        # [0, 50, 100]: Q1 at 0.5 -> 25, median 50, Q3 at 1.5 -> 75.
        ([Decimal("100.0"), 0, 50], ("25.0", "50.0", "75.0")),
        # One value is every quartile.
        ([Decimal("61.3")], ("61.3", "61.3", "61.3")),
        # [33.3, 33.4, 66.7, 70, 90]: Q1 at 1 -> 33.4; median at 2 -> 66.7; Q3 at 3 -> 70.
        (
            [Decimal("90"), Decimal("33.3"), Decimal("70"), Decimal("66.7"), Decimal("33.4")],
            ("33.4", "66.7", "70.0"),
        ),
        # Halves round up: [0, 0.1] median 0.05 -> 0.1.
        ([0, Decimal("0.1")], ("0.0", "0.1", "0.1")),
    ],
)
def test_distribution_worked_examples(values, expected):
    d = scoring.distribution(values)
    assert (str(d.lower_quartile), str(d.median), str(d.upper_quartile)) == expected
    assert d.count == len(values)


def test_distribution_leaves_out_missing_scores():
    assert scoring.distribution([]) is None
    assert scoring.distribution([None, None]) is None
    d = scoring.distribution([None, 20, None, 40])
    assert d.count == 2
    assert d.median == Decimal("30.0")


# --- the results page ----------------------------------------------------------------------------


def _submit(region, *, level, bank=None):
    editor = editor_of(region).user
    assessment = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    for question in Question.objects.filter(theme__bank=assessment.bank):
        services.answer_save(
            assessment=assessment,
            question=question,
            user=editor,
            data={"selected_values": [level]},
            expected_revision=0,
        )
    return services.assessment_submit(assessment=assessment, user=editor)


def _results(assessment, user=None):
    user = user or viewer_of(assessment.region).user
    url = reverse(
        "assessments:results-detail",
        kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk},
    )
    return re.sub(r"\s+", " ", client_for(user).get(url).content.decode())


def _benchmark_cells(page, theme):
    row = re.search(rf'id="benchmark-table">.*?data-theme="{theme}">(.*?)</tr>', page).group(1)
    return [
        re.search(rf"data-{name}>([^<]*)<", row).group(1)
        for name in ("score", "lower", "median", "upper")
    ]


def test_benchmarks_appear_with_four_contributing_regions_and_not_with_three(db):
    assert MIN_OTHER_REGIONS == 3
    bank_with_questions(themes=2, questions_per_theme=2)
    mine = _submit(CityRegionFactory(name="Mine"), level="2")  # every theme 50
    _submit(CityRegionFactory(), level="1")  # 25
    _submit(CityRegionFactory(), level="3")  # 75
    page = _results(mine)
    assert 'id="benchmark-table"' not in page
    assert "Peer benchmarks are not shown yet" in page
    assert "at least 3 other regions" in page
    assert "so far 2 other regions have one" in page

    _submit(CityRegionFactory(), level="4")  # 100: the third other region
    page = _results(mine)
    assert "Peer benchmarks are not shown yet" not in page
    # Four regions: 25, 50, 75, 100 -> Q1 43.75 -> 43.8, median 62.5, Q3 81.25 -> 81.3.
    assert _benchmark_cells(page, "theme-1") == ["50.0", "43.8", "62.5", "81.3"]
    assert _benchmark_cells(page, "theme-2") == ["50.0", "43.8", "62.5", "81.3"]
    assert "Below the median" in page
    assert "4 regions' latest submitted assessments" in page


def test_only_the_latest_submission_on_the_same_version_of_real_regions_counts(db):
    bank = bank_with_questions(themes=1, questions_per_theme=2)
    mine = _submit(CityRegionFactory(), level="2")
    twice = CityRegionFactory()
    _submit(twice, level="0")
    _submit(twice, level="4")  # only this one counts for `twice`
    _submit(CityRegionFactory(), level="3")
    # Neither a demo region nor a region in progress contributes to a real region's benchmark.
    _submit(CityRegionFactory(is_demo=True), level="1")
    in_progress = CityRegionFactory()
    services.assessment_start(region=in_progress, user=editor_of(in_progress).user, label="Draft")
    page = _results(mine)
    assert "so far 2 other regions have one" in page
    # A region on a newer bank version does not count either.
    bank_with_questions(themes=1, questions_per_theme=2)
    _submit(CityRegionFactory(), level="1")
    assert "so far 2 other regions have one" in _results(mine)
    assert mine.bank_id == bank.pk
    # A third real region on the same version makes four: 50, 100, 75 and 25.
    other = CityRegionFactory()
    editor = editor_of(other).user
    old = services.assessment_start(region=other, user=editor, label="Old version")
    old.bank = bank
    old.save(update_fields=["bank"])
    for question in Question.objects.filter(theme__bank=bank):
        Answer.objects.create(assessment=old, question=question, selected_values=["1"])
    services.assessment_submit(assessment=old, user=editor)
    page = _results(mine)
    assert _benchmark_cells(page, "theme-1") == ["50.0", "43.8", "62.5", "81.3"]


def test_demo_regions_are_benchmarked_among_themselves(db):
    bank_with_questions(themes=1, questions_per_theme=1)
    demo = _submit(CityRegionFactory(is_demo=True), level="2")
    for level in ("1", "3"):
        _submit(CityRegionFactory(is_demo=True), level=level)
    for _ in range(3):
        _submit(CityRegionFactory(), level="4")
    page = _results(demo)
    assert "Peer benchmarks are not shown yet" in page
    assert "Demonstration regions are compared only with each other." in page
    _submit(CityRegionFactory(is_demo=True), level="4")
    page = _results(demo)
    assert _benchmark_cells(page, "theme-1") == ["50.0", "43.8", "62.5", "81.3"]
    assert "their scores are fictional" in page


def _page_queries(*, regions, questions_per_theme):
    bank_with_questions(themes=3, questions_per_theme=questions_per_theme)
    mine = _submit(CityRegionFactory(), level="2")
    for i in range(regions - 1):
        region = CityRegionFactory()
        _submit(region, level=str(i % 5))
        _submit(region, level=str((i + 1) % 5))
    user = viewer_of(mine.region).user
    url = reverse(
        "assessments:results-detail", kwargs={"region_slug": mine.region.slug, "pk": mine.pk}
    )
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert 'id="benchmark-table"' in response.content.decode()
    return len(queries)


def test_benchmark_queries_do_not_grow_with_regions_assessments_or_questions(db):
    small = _page_queries(regions=4, questions_per_theme=2)
    assert _page_queries(regions=9, questions_per_theme=2) == small
    assert _page_queries(regions=4, questions_per_theme=12) == small


def test_theme_scores_read_from_the_stored_result_match_the_whole_result(db):
    bank_with_questions(themes=3, questions_per_theme=2)
    assessment = _submit(CityRegionFactory(), level="3")
    first_theme = assessment.bank.themes.order_by("order").first()
    # A theme with no answers left has no score.
    Answer.objects.filter(assessment=assessment, question__theme=first_theme).delete()
    stored = assessment_score(assessment=assessment, today=timezone.localdate())
    result = scoring.AssessmentResult.from_dict(stored.result)

    themes = theme_scores_from_stored(stored.result)

    assert [(t.slug, t.title, t.score) for t in themes] == [
        (t.slug, t.title, t.score) for t in result.themes
    ]
    assert themes[0].score is None
    assert themes[1].score == Decimal("75.0")
