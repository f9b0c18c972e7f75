"""Reads for re-assessment and comparison: what an earlier assessment's answers carry over to,
two assessments side by side, and the readiness index over time. Pages read the STORED scores
(AssessmentScore); every function runs a fixed number of queries whatever the size of the bank
or the number of assessments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from assessments import charts, scoring
from assessments.models import Answer, Assessment, AssessmentScore, CityRegion
from assessments.results.selectors import BAND_TAGS, band_label, score_text
from questionbank.models import Question, RubricLevel

NOT_IN = "\u2013"  # an en dash: the figure does not exist in that assessment's bank version

# --- carrying answers over -----------------------------------------------------------------------


def carry_over_questions(*, bank_id: int) -> list[Question]:
    """Every question of a bank with its theme and rubric levels: three queries."""
    return list(
        Question.objects.filter(theme__bank_id=bank_id)
        .select_related("theme")
        .prefetch_related(Prefetch("levels", queryset=RubricLevel.objects.order_by("order", "pk")))
        .order_by("theme__order", "theme_id", "order", "pk")
    )


def carry_over_answers(*, assessment: Assessment) -> list[Answer]:
    """The answers of `assessment` with their questions, themes and levels: three queries."""
    return list(
        Answer.objects.filter(assessment=assessment)
        .select_related("question__theme")
        .prefetch_related(
            Prefetch("question__levels", queryset=RubricLevel.objects.order_by("order", "pk"))
        )
        .order_by("question__theme__order", "question__order", "pk")
    )


# --- comparing two assessments -------------------------------------------------------------------


def compare_choices(*, region: CityRegion) -> list[Assessment]:
    """Every assessment of the region, newest first, for the two selects: one query."""
    return list(
        Assessment.objects.filter(region=region)
        .select_related("bank")
        .only("pk", "label", "status", "created_at", "submitted_at", "bank__version", "region_id")
        .order_by("-created_at", "-pk")
    )


def compare_default_pair(choices: list[Assessment]) -> tuple[int | None, int | None]:
    """The latest two submitted assessments (older, newer), or what there is."""
    submitted = sorted(
        (a for a in choices if a.is_submitted),
        key=lambda a: (a.submitted_at or a.created_at, a.pk),
    )
    if len(submitted) >= 2:
        return submitted[-2].pk, submitted[-1].pk
    if len(submitted) == 1:
        return submitted[0].pk, None
    return None, None


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
        return NOT_IN if self.only_in == "after" else score_text(self.before) or "Not scored"

    @property
    def after_text(self) -> str:
        return NOT_IN if self.only_in == "before" else score_text(self.after) or "Not scored"

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


def change_text(change: Decimal | int | None) -> str:
    """Signed: "+5.0", "-2.5", "0.0" for theme scores and the index, "+25", "0" for questions;
    "" when either side has none."""
    if change is None:
        return ""
    if isinstance(change, int):
        return f"{change:+d}" if change else "0"
    return f"{Decimal(change):+.1f}" if change else "0.0"


def _rows_by_code(
    result: scoring.AssessmentResult | None,
) -> dict[str, tuple[str, scoring.ExplanationRow]]:
    if result is None:
        return {}
    return {
        row.code: (theme.slug, row) for theme in result.themes for row in theme.explanation.rows
    }


def compare_data(*, region: CityRegion, before_pk: int, after_pk: int) -> ComparePage:
    """Two assessments of `region` side by side from their stored scores, themes matched by
    slug and questions by code (or by a newer question's `replaces_codes`) across bank
    versions: four queries whatever the size of the bank."""
    assessments = {
        a.pk: a
        for a in Assessment.objects.filter(region=region, pk__in=[before_pk, after_pk])
        .select_related("bank")
        .order_by()
    }
    if before_pk not in assessments or after_pk not in assessments:
        raise Http404("No such assessment")
    scores = {
        s.assessment_id: s for s in AssessmentScore.objects.filter(assessment_id__in=assessments)
    }
    before_a, after_a = assessments[before_pk], assessments[after_pk]
    before_a.region = after_a.region = region

    def side(assessment: Assessment) -> CompareSide:
        stored = scores.get(assessment.pk)
        result = scoring.AssessmentResult.from_dict(stored.result) if stored else None
        return CompareSide(assessment=assessment, score=stored, result=result)

    before, after = side(before_a), side(after_a)
    same_version = before_a.bank_id == after_a.bank_id
    # A newer question may replace earlier codes (split or merged): map them to it.
    replaced_by: dict[str, str] = {}
    if not same_version:
        for code, replaces in Question.objects.filter(theme__bank_id=after_a.bank_id).values_list(
            "code", "replaces_codes"
        ):
            for old in replaces or ():
                replaced_by.setdefault(str(old), code)

    before_rows = _rows_by_code(before.result)
    after_rows = _rows_by_code(after.result)
    before_labels = (before.score.answer_labels or {}) if before.score else {}
    after_labels = (after.score.answer_labels or {}) if after.score else {}

    theme_order: list[tuple[str, str]] = []
    for result in (after.result, before.result):
        for theme in result.themes if result else ():
            if theme.slug not in {slug for slug, _ in theme_order}:
                theme_order.append((theme.slug, theme.title))
    before_themes = {t.slug: t for t in before.result.themes} if before.result else {}
    after_themes = {t.slug: t for t in after.result.themes} if after.result else {}

    changes: dict[str, ThemeChange] = {}
    for slug, title in theme_order:
        changes[slug] = ThemeChange(
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

    matched_before: set[str] = set()
    for code, (theme_slug, row) in after_rows.items():
        before_code = code if code in before_rows else ""
        via = False
        if not before_code:
            olds = [old for old, new in replaced_by.items() if new == code and old in before_rows]
            if olds:
                before_code, via = olds[0], True
        prior = before_rows.get(before_code, (None, None))[1] if before_code else None
        if before_code:
            matched_before.add(before_code)
        changes[theme_slug].questions.append(
            QuestionChange(
                code=code,
                text=row.text,
                before_code=before_code,
                before_answer=before_labels.get(before_code, "") if before_code else "",
                after_answer=after_labels.get(code, ""),
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
                before_answer=before_labels.get(code, ""),
                after_answer="",
                before_score=row.score,
                after_score=None,
                before_status=row.status,
                after_status="",
                only_in="before" if after.result else "",
            )
        )
    return ComparePage(
        before=before, after=after, themes=list(changes.values()), same_version=same_version
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
        return score_text(self.index) or "Not scored"


@dataclass
class Trend:
    points: list[TrendPoint]
    svg: str


def _day(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%b %Y}"


def region_trend(*, region: CityRegion) -> Trend:
    """The readiness index of every submitted assessment of the region, oldest first, with its
    line chart: one query however many assessments there are."""
    rows = (
        AssessmentScore.objects.filter(
            assessment__region=region, assessment__status=Assessment.Status.SUBMITTED
        )
        .order_by("assessment__submitted_at", "assessment_id")
        .values_list(
            "assessment_id",
            "assessment__label",
            "assessment__submitted_at",
            "readiness_index",
            "band",
            "bank_version",
        )
    )
    points = [
        TrendPoint(
            assessment_id=pk,
            label=label,
            # Only submitted assessments are read, so submitted_at is set.
            submitted_at=submitted_at,  # type: ignore[arg-type]
            index=index,
            band=band_label(band),
            band_tag=BAND_TAGS.get(band, "grey"),
            bank_version=version,
        )
        for pk, label, submitted_at, index, band, version in rows
    ]
    svg = charts.trend_chart(
        [(f"{p.label} ({_day(p.submitted_at)})", p.index) for p in points],
        title=f"Readiness index of {region.name} over time (line chart)",
    )
    return Trend(points=points, svg=svg)
