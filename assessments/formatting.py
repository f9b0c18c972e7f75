"""Every way a page, an export or the briefing prints a number, a share, a score, a band, a
date or a day of the mayor's term, written once. Pure: no Django imports (a datetime is
converted to local time by the caller, or by the template filters in
`assessments.templatetags.formatting`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from assessments import scoring

NOT_SCORED = "Not scored"

# --- scores and shares ---------------------------------------------------------------------------


def score_text(score: Decimal | int | None) -> str:
    """A stored score as pages and exports print it: "54.3", or "" when there is none."""
    if score is None:
        return ""
    return f"{Decimal(score):.1f}"


def score_label(score: Decimal | int | None) -> str:
    """A score where the page always says something: "54.3", or "Not scored"."""
    return score_text(score) or NOT_SCORED


def chart_score_text(score: Decimal | Fraction | float | int | None) -> str:
    """A score as a chart labels it: 55 -> "55", 91.66 -> "91.7", None -> "not scored"."""
    if score is None:
        return "not scored"
    rounded = Decimal(str(float(score))).quantize(Decimal("0.1"))
    return f"{rounded:f}".removesuffix(".0")


def share_text(share: Decimal | None) -> str:
    """A stored share (rounded down to 4 places) as a percentage to one place, never rounded
    up: 0.99996 is stored as 0.9999 and shows as 99.9%, so 100% means exactly all."""
    if share is None:
        return ""
    tenths = int(Decimal(share) * 1000)
    return f"{tenths // 10}.{tenths % 10}%".replace(".0%", "%")


def change_text(change: Decimal | int | None) -> str:
    """Signed: "+5.0", "-2.5", "0.0" for theme scores and the index, "+25", "0" for questions;
    "" when either side has none."""
    if change is None:
        return ""
    if isinstance(change, int):
        return f"{change:+d}" if change else "0"
    return f"{Decimal(change):+.1f}" if change else "0.0"


def confidence_text(confidence: scoring.Confidence) -> str:
    if not confidence.upper:
        return "No answers at the upper levels yet"
    return (
        f"{share_text(confidence.share)}: {confidence.evidenced} of {confidence.upper} "
        f"upper-level answer{'s' if confidence.upper != 1 else ''} carry evidence"
    )


def evidence_text(confidence: scoring.Confidence) -> str:
    """The short form of `confidence_text`, for a table column."""
    if not confidence.upper:
        return "None at the upper levels"
    return f"{share_text(confidence.share)} ({confidence.evidenced} of {confidence.upper})"


# GOV.UK tag colours of the readiness bands.
BAND_TAGS = {
    "starting-out": "red",
    "emerging": "orange",
    "developing": "yellow",
    "established": "turquoise",
    "leading": "green",
}


def band_label(slug: str) -> str:
    """A band's name from its slug ("" for none)."""
    band = scoring.BANDS_BY_SLUG.get(slug)
    return band.label if band else ""


def band_tag(slug: str) -> str:
    """A band's tag colour ("grey" for none)."""
    return BAND_TAGS.get(slug, "grey")


# --- numbers -------------------------------------------------------------------------------------


def number_text(value: Decimal | None) -> str:
    """A number as given, without trailing zeros or an exponent: 12.50 -> "12.5"; "" for none."""
    return "" if value is None else f"{value.normalize():f}"


def decimal_text(value: Decimal | None) -> str:
    """A stored decimal exactly as stored ("0.7500"); "" for none."""
    return "" if value is None else f"{value:f}"


def fixed_text(value: Decimal | float | int | None, places: str) -> str:
    """Rounded to the places of `places` ("0.1", "0.0001"): "54.3"; "" for none."""
    return "" if value is None else f"{Decimal(value).quantize(Decimal(places)):f}"


def fixed_number(value: Decimal | float | int | None, places: str) -> float | None:
    """Rounded to the places of `places`, as a JSON number."""
    return None if value is None else float(Decimal(value).quantize(Decimal(places)))


def json_number(value: Decimal | None) -> float | int | None:
    """A decimal as a JSON number: a whole number as an int, else a float."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- words ---------------------------------------------------------------------------------------


def with_article(noun: str) -> str:
    """ "an editor", "a viewer", "a region admin"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


# --- dates and days of the term ------------------------------------------------------------------
# Which day of the term a date is: `scoring.day_in_office` (scoring imports nothing of ours).


def date_text(day: date | datetime) -> str:
    """ "11 May 2026" (a datetime already in local time)."""
    return f"{day.day} {day:%B %Y}"


def date_short_text(day: date | datetime) -> str:
    """ "11 Sep 2026" (a datetime already in local time)."""
    return f"{day.day} {day:%b %Y}"


def numeric_date(day: date | datetime) -> str:
    """ "11/05/2026", where a choice label has little room."""
    return f"{day:%d/%m/%Y}"


def datetime_text(moment: datetime) -> str:
    """ "11 May 2026 at 14:05" (already in local time)."""
    return f"{date_text(moment)} at {time_text(moment)}"


def time_text(moment: datetime) -> str:
    """ "14:05" (already in local time)."""
    return f"{moment:%H:%M}"


def person_text(full_name: str, username: str) -> str:
    """A member as pages name them: their full name, else their username; someone whose
    account was removed is "a former member"."""
    return full_name or username or "a former member"


# Largest first; 52 weeks is Django's "about a year" (CSRF_COOKIE_AGE).
DURATION_UNITS = (
    ("year", timedelta(weeks=52)),
    ("week", timedelta(weeks=1)),
    ("day", timedelta(days=1)),
    ("hour", timedelta(hours=1)),
    ("minute", timedelta(minutes=1)),
    ("second", timedelta(seconds=1)),
)


def duration_text(length: timedelta) -> str:
    """ "2 weeks", "8 hours", "1 year": in the largest unit it is a whole number of."""
    for unit, size in DURATION_UNITS:
        count, rest = divmod(length, size)
        if count and not rest:
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{int(length.total_seconds())} seconds"


def day_date(took_office: date, day: int) -> date:
    """The date of day `day` of the term: day 1 is the day the mayor took office."""
    return took_office + timedelta(days=day - 1)
