"""The one formatting module: its dates print exactly as the Django date filters they replaced,
and its figures as the pages have always printed them."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template

from assessments import formatting


@pytest.mark.parametrize("offset", range(0, 366, 17))
def test_dates_print_as_the_django_date_filters_did(offset):
    day = date(2026, 1, 1) + timedelta(days=offset)
    moment = datetime(2026, 1, 1, 23, 30, tzinfo=UTC) + timedelta(days=offset)
    context = Context({"day": day, "moment": moment, "none": None})
    django = Template(
        '{{ day|date:"j F Y" }}|{{ day|date:"j M Y" }}|{{ moment|date:"j F Y \\a\\t H:i" }}'
        '|{{ moment|date:"j F Y" }}|{{ none|date:"j F Y" }}'
    ).render(context)
    ours = Template(
        "{% load formatting %}{{ day|long_date }}|{{ day|short_date }}|{{ moment|date_time }}"
        "|{{ moment|long_date }}|{{ none|long_date }}"
    ).render(context)
    assert ours == django


@pytest.mark.parametrize(
    ("value", "score", "label", "chart"),
    [
        (None, "", "Not scored", "not scored"),
        (Decimal("55"), "55.0", "55.0", "55"),
        (Decimal("91.66"), "91.7", "91.7", "91.7"),
        (0, "0.0", "0.0", "0"),
    ],
)
def test_scores(value, score, label, chart):
    assert formatting.score_text(value) == score
    assert formatting.score_label(value) == label
    assert formatting.chart_score_text(value) == chart


def test_changes_numbers_and_days():
    assert [formatting.change_text(c) for c in (None, 25, 0, Decimal("-2.5"), Decimal(0))] == [
        "",
        "+25",
        "0",
        "-2.5",
        "0.0",
    ]
    assert formatting.number_text(Decimal("12.50")) == "12.5"
    assert formatting.number_text(Decimal("100.00")) == "100"
    assert formatting.fixed_text(Decimal("0.75"), "0.0001") == "0.7500"
    assert formatting.json_number(Decimal("3.00")) == 3
    assert formatting.day_date(date(2026, 5, 11), 1) == date(2026, 5, 11)
    assert formatting.day_date(date(2026, 5, 11), 100) == date(2026, 8, 18)
    assert formatting.numeric_date(date(2026, 5, 1)) == "01/05/2026"
    assert (formatting.band_label("leading"), formatting.band_tag("")) == ("Leading", "grey")


def test_people_and_times_print_one_way():
    from datetime import datetime

    from assessments.formatting import person_text, time_text

    assert person_text("Ada Editor", "ada") == "Ada Editor"
    assert person_text("", "ada") == "ada"
    assert person_text("", "") == "a former member"
    assert time_text(datetime(2026, 5, 11, 9, 5)) == "09:05"  # noqa: DTZ001 (a local time)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (60 * 60 * 24 * 7 * 2, "2 weeks"),  # Django's SESSION_COOKIE_AGE
        (60 * 60 * 24 * 7 * 52, "1 year"),  # Django's CSRF_COOKIE_AGE
        (60 * 60 * 8, "8 hours"),
        (60 * 15, "15 minutes"),
        (60 * 60 * 36, "36 hours"),
        (90, "90 seconds"),
        (1, "1 second"),
    ],
)
def test_durations_in_the_largest_whole_unit(seconds, text):
    assert formatting.duration_text(timedelta(seconds=seconds)) == text
