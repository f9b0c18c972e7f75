"""Peer benchmarks: a region's theme scores beside the median and quartiles of every region's
latest submitted assessment on the same question bank version. Read from the stored ThemeScore
rows in one query, however many regions, assessments or questions there are.

Shown only when at least MIN_OTHER_REGIONS other regions contribute, so that no single region's
figures can be worked out. Demonstration regions are compared only with each other, and real
regions only with real ones, so fictional scores never sit in a real region's benchmark."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import OuterRef, QuerySet, Subquery

from assessments import scoring
from assessments.formatting import score_label
from assessments.models import Assessment, ThemeScore
from questionbank.selectors import bank_snapshot
from questionbank.snapshot import BankSnapshot

MIN_OTHER_REGIONS = 3


class ThemeScored(Protocol):
    """What a benchmark reads of a theme: a `scoring.ThemeResult` or a `StoredThemeScore`."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def score(self) -> Decimal | None: ...


@dataclass(frozen=True, slots=True)
class StoredThemeScore:
    slug: str
    title: str
    score: Decimal | None


def theme_scores_from_stored(result: dict) -> list[StoredThemeScore]:
    """Each theme's score from a stored `scoring.AssessmentResult.to_dict()`, without loading
    the explanations: the briefing's cache check reads them on every request."""
    return [
        StoredThemeScore(
            slug=theme["slug"],
            title=theme["title"],
            score=None if theme["score"] is None else Decimal(theme["score"]),
        )
        for theme in result["themes"]
    ]


@dataclass
class BenchmarkRow:
    slug: str
    title: str
    score: Decimal | None
    distribution: scoring.Distribution | None
    other_regions: int  # other regions with a score for this theme
    shown: bool

    @property
    def score_text(self) -> str:
        return score_label(self.score)

    @property
    def position(self) -> str:
        """Where the region's score sits against the others: a words-only reading."""
        d = self.distribution
        if not self.shown or d is None or self.score is None:
            return ""
        if self.score > d.upper_quartile:
            return "Above the upper quartile"
        if self.score >= d.median:
            return "At or above the median"
        if self.score >= d.lower_quartile:
            return "Below the median"
        return "Below the lower quartile"


@dataclass
class Benchmarks:
    bank_version: int
    other_regions: int
    rows: list[BenchmarkRow]
    is_demo: bool

    @property
    def shown(self) -> bool:
        return self.other_regions >= MIN_OTHER_REGIONS

    @property
    def minimum(self) -> int:
        return MIN_OTHER_REGIONS


def latest_submitted_per_region(*, bank_id: int, is_demo: bool) -> QuerySet[Assessment, Any]:
    """The pk of each region's latest submitted assessment on bank `bank_id`, as a subquery."""
    latest = (
        Assessment.objects.filter(
            region=OuterRef("region"), status=Assessment.Status.SUBMITTED, bank_id=bank_id
        )
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    return Assessment.objects.filter(
        status=Assessment.Status.SUBMITTED,
        bank_id=bank_id,
        region__is_demo=is_demo,
        pk=Subquery(latest),
    ).values("pk")


def peer_benchmarks(
    *,
    assessment: Assessment,
    themes: Sequence[ThemeScored],
    bank_version: int,
    snapshot: BankSnapshot | None = None,
) -> Benchmarks:
    """Benchmarks for `assessment` beside its own stored theme scores `themes`: one query, and
    the snapshot of its bank (none once cached) unless the caller has it."""
    region = assessment.region
    snapshot = snapshot or bank_snapshot(bank=assessment.bank)
    rows = ThemeScore.objects.filter(
        assessment_id__in=latest_submitted_per_region(
            bank_id=assessment.bank_id, is_demo=region.is_demo
        )
    ).values_list("assessment__region_id", "theme_id", "score")
    scores: dict[str, list[Decimal]] = defaultdict(list)
    others_by_theme: dict[str, set[int]] = defaultdict(set)
    others: set[int] = set()
    for region_id, theme_id, score in rows:
        slug = snapshot.theme_by_id[theme_id].slug
        if region_id != region.pk:
            others.add(region_id)
        if score is None:
            continue
        scores[slug].append(score)
        if region_id != region.pk:
            others_by_theme[slug].add(region_id)
    overall_shown = len(others) >= MIN_OTHER_REGIONS
    return Benchmarks(
        bank_version=bank_version,
        other_regions=len(others),
        is_demo=region.is_demo,
        rows=[
            BenchmarkRow(
                slug=theme.slug,
                title=theme.title,
                score=theme.score,
                distribution=scoring.distribution(scores.get(theme.slug, ())),
                other_regions=len(others_by_theme[theme.slug]),
                shown=overall_shown and len(others_by_theme[theme.slug]) >= MIN_OTHER_REGIONS,
            )
            for theme in themes
        ],
    )
