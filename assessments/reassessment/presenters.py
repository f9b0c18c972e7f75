"""What the compare page shows, shaped from `assessments.reassessment.selectors`: two
assessments side by side (themes matched by slug, questions by code or by a newer question's
`replaces_codes`), signed changes, band tags and the trend chart. No ORM here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from assessments import charts, scoring
from assessments.formatting import (
    band_label,
    band_tag,
    change_text,
    date_short_text,
    score_label,
    score_text,
)
from assessments.models import Assessment, AssessmentScore, CityRegion
from assessments.reassessment import selectors

NOT_IN = "\u2013"  # an en dash: the figure does not exist in that assessment's bank version


@dataclass
class CompareSide:
    assessment: Assessment
    score: AssessmentScore | None
    result: scoring.AssessmentResult | None

    @property
    def index(self) -> str:
        return score_text(self.result.index) if self.result else ""

    @property
    def band(self) -> str:
        return self.result.band.label if self.result and self.result.band else ""

    @property
    def bank_version(self) -> int:
        return self.assessment.bank.version


@dataclass
class QuestionChange:
    code: str
    text: str
    before_code: str
    before_answer: str
    after_answer: str
    before_score: int | None
    after_score: int | None
    before_status: str
    after_status: str
    only_in: str  # "", "before" or "after"
    via_replaces: bool = False

    @property
    def change(self) -> int | None:
        if self.before_score is None or self.after_score is None:
            return None
        return self.after_score - self.before_score

    @property
    def change_text(self) -> str:
        return change_text(self.change)


@dataclass
class ThemeChange:
    slug: str
    title: str
    before: Decimal | None
    after: Decimal | None
    only_in: str
    questions: list[QuestionChange] = field(default_factory=list)

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def before_text(self) -> str:
        return NOT_IN if self.only_in == "after" else score_label(self.before)

    @property
    def after_text(self) -> str:
        return NOT_IN if self.only_in == "before" else score_label(self.after)

    @property
    def change_text(self) -> str:
        return change_text(self.change)


@dataclass
class ComparePage:
    before: CompareSide
    after: CompareSide
    themes: list[ThemeChange]
    same_version: bool

    @property
    def index_change(self) -> Decimal | None:
        if not (self.before.result and self.after.result):
            return None
        if self.before.result.index is None or self.after.result.index is None:
            return None
        return self.after.result.index - self.before.result.index

    @property
    def index_change_text(self) -> str:
        return change_text(self.index_change)

    @property
    def both_scored(self) -> bool:
        return self.before.result is not None and self.after.result is not None


def _rows_by_code(
    result: scoring.AssessmentResult | None,
) -> dict[str, tuple[str, scoring.ExplanationRow]]:
    if result is None:
        return {}
    return {
        row.code: (theme.slug, row) for theme in result.themes for row in theme.explanation.rows
    }


def _theme_changes(before: CompareSide, after: CompareSide) -> dict[str, ThemeChange]:
    """Every theme of either side by slug, the newer side's first, with its two scores."""
    theme_order: list[tuple[str, str]] = []
    for result in (after.result, before.result):
        for theme in result.themes if result else ():
            if theme.slug not in {slug for slug, _ in theme_order}:
                theme_order.append((theme.slug, theme.title))
    before_themes = {t.slug: t for t in before.result.themes} if before.result else {}
    after_themes = {t.slug: t for t in after.result.themes} if after.result else {}
    return {
        slug: ThemeChange(
            slug=slug,
            title=title,
            before=before_themes[slug].score if slug in before_themes else None,
            after=after_themes[slug].score if slug in after_themes else None,
            # Absent from a side that has scores: only in one version. A side without scores
            # says nothing about which questions its version has.
            only_in=(
                "before"
                if slug not in after_themes and after.result
                else "after"
                if slug not in before_themes and before.result
                else ""
            ),
        )
        for slug, title in theme_order
    }


def _earlier_code(
    code: str, before_rows: Mapping[str, object], replaced_by: dict[str, str]
) -> tuple[str, bool]:
    """The earlier question a newer one is compared with: the same code, else the first code it
    replaces that the earlier side has ("" for none); and whether it is a replaced one."""
    if code in before_rows:
        return code, False
    olds = [old for old, new in replaced_by.items() if new == code and old in before_rows]
    return (olds[0], True) if olds else ("", False)


def _label(score: AssessmentScore | None, code: str) -> str:
    return (score.answer_labels or {}).get(code, "") if score and code else ""


def compare_page(*, region: CityRegion, before_pk: int, after_pk: int) -> ComparePage:
    """Two assessments of `region` side by side from their stored scores, themes matched by
    slug and questions by code (or by a newer question's `replaces_codes`) across bank
    versions: two queries whatever the size of the bank (see `selectors.compare_pair`)."""
    pair = selectors.compare_pair(region=region, before_pk=before_pk, after_pk=after_pk)
    before = CompareSide(
        assessment=pair.before.assessment, score=pair.before.score, result=pair.before.result
    )
    after = CompareSide(
        assessment=pair.after.assessment, score=pair.after.score, result=pair.after.result
    )
    before_rows = _rows_by_code(before.result)
    changes = _theme_changes(before, after)
    matched_before: set[str] = set()
    for code, (theme_slug, row) in _rows_by_code(after.result).items():
        before_code, via = _earlier_code(code, before_rows, pair.replaced_by)
        prior = before_rows[before_code][1] if before_code else None
        if before_code:
            matched_before.add(before_code)
        changes[theme_slug].questions.append(
            QuestionChange(
                code=code,
                text=row.text,
                before_code=before_code,
                before_answer=_label(before.score, before_code),
                after_answer=_label(after.score, code),
                before_score=prior.score if prior else None,
                after_score=row.score,
                before_status=prior.status if prior else "",
                after_status=row.status,
                only_in="after" if not before_code and before.result else "",
                via_replaces=via,
            )
        )
    for code, (theme_slug, row) in before_rows.items():
        if code in matched_before:
            continue
        changes[theme_slug].questions.append(
            QuestionChange(
                code=code,
                text=row.text,
                before_code=code,
                before_answer=_label(before.score, code),
                after_answer="",
                before_score=row.score,
                after_score=None,
                before_status=row.status,
                after_status="",
                only_in="before" if after.result else "",
            )
        )
    return ComparePage(
        before=before, after=after, themes=list(changes.values()), same_version=pair.same_version
    )


# --- the index over time -------------------------------------------------------------------------


@dataclass
class TrendPoint:
    assessment_id: int
    label: str
    submitted_at: datetime
    index: Decimal | None
    band: str
    band_tag: str
    bank_version: int

    @property
    def index_text(self) -> str:
        return score_label(self.index)


@dataclass
class Trend:
    points: list[TrendPoint]
    svg: str


def region_trend(*, region: CityRegion) -> Trend:
    """The readiness index of every submitted assessment of the region, oldest first, with its
    line chart: one query however many assessments there are."""
    points = [
        TrendPoint(
            assessment_id=row.assessment_id,
            label=row.label,
            submitted_at=row.submitted_at,
            index=row.index,
            band=band_label(row.band),
            band_tag=band_tag(row.band),
            bank_version=row.bank_version,
        )
        for row in selectors.region_trend_rows(region=region)
    ]
    svg = charts.trend_chart(
        [
            (f"{p.label} ({date_short_text(timezone.localtime(p.submitted_at))})", p.index)
            for p in points
        ],
        title=f"Readiness index of {region.name} over time (line chart)",
    )
    return Trend(points=points, svg=svg)
