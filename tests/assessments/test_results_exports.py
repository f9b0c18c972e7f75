"""The pure parts of the exports: iCalendar text escaping and line folding, CSV formula guard,
and how stored shares print."""

from decimal import Decimal

import pytest

from assessments.formatting import score_text, share_text
from assessments.results.exports import ics_escape, ics_fold, safe_cell


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain", "plain"),
        ("a,b;c", "a\\,b\\;c"),
        ("back\\slash", "back\\\\slash"),
        ("one\ntwo\r\nthree\rfour", "one\\ntwo\\nthree\\nfour"),
        ("colon: stays", "colon: stays"),
    ],
)
def test_ics_escape(text, escaped):
    assert ics_escape(text) == escaped


def test_ics_fold_keeps_lines_within_75_octets_and_characters_whole():
    line = "DESCRIPTION:" + "Croeso i Gymru — ✓ " * 20
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 1
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    # Unfolding (RFC 5545 3.1: remove CRLF and one space) gives the line back.
    assert folded.replace("\r\n ", "") == line
    assert ics_fold("SHORT:line") == "SHORT:line"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44 121", "'+44 121"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("A note", "A note"),
        (42, 42),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (Decimal("1"), "100%"),
        (Decimal("0.9999"), "99.9%"),
        (Decimal("0.8333"), "83.3%"),
        (Decimal("0.5"), "50%"),
        (Decimal("0"), "0%"),
        (None, ""),
    ],
)
def test_share_text_never_rounds_up_to_100(share, text):
    assert share_text(share) == text


def test_score_text():
    assert score_text(Decimal("54.2")) == "54.2"
    assert score_text(Decimal("50")) == "50.0"
    assert score_text(None) == ""
