"""Exports of results for a region's members: scores and answers as CSV and JSON, the action
plan as CSV and as an iCalendar file (RFC 5545). Plain functions over what the presenters shape;
the figures are the stored ones, printed exactly as the pages print them.

JSON (`results_json`), schema "citydigital/assessment-results" version 1:

    schema, schema_version
    region: {name, slug, mayor_name, mayor_took_office (ISO date)}
    assessment: {id, label, status, submitted_at (ISO datetime or null)}
    bank: {title, version}
    scores: null when none are stored, else {computed_at, as_of, provisional,
        readiness_index (number or null), band, band_label, coverage (0-1), confidence (0-1 or
        null), answered, counted, themes: [{slug, title, weight, score, band, band_label,
        coverage, confidence, answered, counted, counts_in_index}], gaps: [...],
        strengths: [...], flagged: [...], milestones: [...]}
    answers: [{theme, theme_title, code, question, kind, weight, answer, selected_values,
        number_value, text_value, note, evidence_url, score, status}]
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from assessments.formatting import band_label, decimal_text, json_number, number_text, score_text
from assessments.results.presenters import PlanRow, ResultsExport

SCHEMA = "citydigital/assessment-results"
SCHEMA_VERSION = 1
# A cell that a spreadsheet would run as a formula starts with one of these (OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text as a spreadsheet shows it, never as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    return buffer.getvalue()


# --- scores and answers --------------------------------------------------------------------------

SCORES_HEADER = (
    "scope",
    "theme_slug",
    "theme",
    "weight",
    "score",
    "band",
    "coverage",
    "confidence",
    "answered",
    "counted",
    "counts_in_index",
)


def scores_csv(export: ResultsExport) -> str:
    """One row for the readiness index, then one per theme, as stored."""
    result = export.result
    if result is None:
        return _csv(SCORES_HEADER, [])
    rows: list[Sequence[object]] = [
        (
            "readiness index",
            "",
            "",
            "",
            score_text(result.index),
            result.band.label if result.band else "",
            decimal_text(result.coverage),
            decimal_text(result.confidence.share),
            result.answered,
            result.counted,
            "",
        )
    ]
    rows += [
        (
            "theme",
            theme.slug,
            theme.title,
            theme.weight,
            score_text(theme.score),
            theme.band.label if theme.band else "",
            decimal_text(theme.coverage),
            decimal_text(theme.confidence.share),
            theme.answered,
            theme.counted,
            "yes" if theme.counts_in_index else "no",
        )
        for theme in result.themes
    ]
    return _csv(SCORES_HEADER, rows)


ANSWERS_HEADER = (
    "theme_slug",
    "theme",
    "code",
    "question",
    "kind",
    "weight",
    "answer",
    "values",
    "number",
    "text",
    "note",
    "evidence_url",
    "score",
    "status",
)


def answers_csv(export: ResultsExport) -> str:
    return _csv(
        ANSWERS_HEADER,
        (
            (
                row.theme_slug,
                row.theme_title,
                row.code,
                row.question,
                row.kind,
                row.weight,
                row.answer,
                "; ".join(row.selected_values),
                number_text(row.number_value),
                row.text_value,
                row.note,
                row.evidence_url,
                row.score,
                row.status,
            )
            for row in export.answers
        ),
    )


def _scores_json(export: ResultsExport) -> dict | None:
    stored, result = export.score, export.result
    if stored is None or result is None:
        return None
    return {
        "computed_at": stored.computed_at.isoformat(),
        "as_of": stored.as_of.isoformat(),
        "provisional": stored.is_provisional or export.assessment.is_in_progress,
        "readiness_index": json_number(result.index),
        "band": result.band.slug if result.band else None,
        "band_label": result.band.label if result.band else None,
        "coverage": json_number(result.coverage),
        "confidence": json_number(result.confidence.share),
        "answered": result.answered,
        "counted": result.counted,
        "themes": [
            {
                "slug": theme.slug,
                "title": theme.title,
                # Bank weights are ints: a Fraction never reaches a theme result.
                "weight": json_number(Decimal(theme.weight)),  # type: ignore[arg-type]
                "score": json_number(theme.score),
                "band": theme.band.slug if theme.band else None,
                "band_label": band_label(theme.band.slug) if theme.band else None,
                "coverage": json_number(theme.coverage),
                "confidence": json_number(theme.confidence.share),
                "answered": theme.answered,
                "counted": theme.counted,
                "counts_in_index": theme.counts_in_index,
            }
            for theme in result.themes
        ],
        "gaps": [
            {"code": g.code, "theme": g.theme_slug, "score": g.score, "shortfall": g.shortfall}
            for g in result.gaps
        ],
        "strengths": [
            {"code": s.code, "theme": s.theme_slug, "score": s.score} for s in result.strengths
        ],
        "flagged": [{"code": f.code, "theme": f.theme_slug} for f in result.flagged],
        "milestones": [
            {"code": m.code, "due_day": m.due_day, "status": m.status} for m in result.milestones
        ],
    }


def results_json(export: ResultsExport) -> str:
    assessment = export.assessment
    region = assessment.region
    data = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "region": {
            "name": region.name,
            "slug": region.slug,
            "mayor_name": region.mayor_name,
            "mayor_took_office": region.mayor_took_office.isoformat(),
        },
        "assessment": {
            "id": assessment.pk,
            "label": assessment.label,
            "status": assessment.status,
            "submitted_at": assessment.submitted_at.isoformat()
            if assessment.submitted_at
            else None,
        },
        "bank": {"title": assessment.bank.title, "version": assessment.bank.version},
        "scores": _scores_json(export),
        "answers": [
            {
                "theme": row.theme_slug,
                "theme_title": row.theme_title,
                "code": row.code,
                "question": row.question,
                "kind": row.kind,
                "weight": row.weight,
                "answer": row.answer,
                "selected_values": row.selected_values,
                "number_value": json_number(row.number_value),
                "text_value": row.text_value,
                "note": row.note,
                "evidence_url": row.evidence_url,
                "score": row.score,
                "status": row.status or None,
            }
            for row in export.answers
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# --- the action plan -----------------------------------------------------------------------------

PLAN_HEADER = (
    "window",
    "due_day",
    "due_date",
    "action",
    "owner_role",
    "owner_name",
    "priority",
    "question_code",
    "theme",
    "reason",
    "days",
    "status",
    "done_at",
)


def action_plan_csv(rows: Sequence[PlanRow]) -> str:
    return _csv(
        PLAN_HEADER,
        (
            (
                row.item.get_window_display(),
                row.item.due_day,
                row.due_date.isoformat(),
                row.item.text,
                row.owner_role_label,
                row.item.owner_name,
                row.priority_label,
                row.item.question_code,
                row.item.theme_title,
                row.reason,
                f"{row.item.day_from}-{row.item.day_to}",
                row.state_label,
                row.item.done_at.isoformat() if row.item.done_at else "",
            )
            for row in rows
        ),
    )


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets (RFC 5545 3.1), never splitting a
    UTF-8 character; continuation lines start with one space."""
    parts = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space counts
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _ics_date(day: date) -> str:
    return day.strftime("%Y%m%d")


def action_plan_ics(
    rows: Sequence[PlanRow],
    *,
    calendar_name: str,
    uid_prefix: str,
    now: datetime,
    host: str = "citydigital.invalid",
) -> str:
    """One all-day VEVENT per action on its due date (day 1 = the mayor's first day)."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//City Digital Readiness//100-day action plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(calendar_name)}",
    ]
    for row in rows:
        item = row.item
        description = "\n".join(
            part
            for part in (
                item.text,
                f"Owner: {row.owner_role_label}"
                + (f" ({item.owner_name})" if item.owner_name else ""),
                f"Priority: {row.priority_label}",
                f"Why: {row.reason} ({item.theme_title})",
                f"Due on day {item.due_day} of the mayor's term.",
                "Status: done" if item.done else "",
            )
            if part
        )
        summary = ("Done: " if item.done else "") + item.title
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid_prefix}-item-{item.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(row.due_date)}",
            f"DTEND;VALUE=DATE:{_ics_date(row.due_date + timedelta(days=1))}",
            f"SUMMARY:{ics_escape(summary)}",
            f"DESCRIPTION:{ics_escape(description)}",
            f"CATEGORIES:{ics_escape(row.owner_role_label)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)
