"""Reads for open data: the latest submitted scores of the regions that opted in, and nothing
else (never notes, evidence, answers, assessment labels or anyone's name). Three queries
however many regions, themes or assessments there are, and the snapshots of the bank versions
they were scored on (none once cached)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from assessments.formatting import band_label, band_tag, score_label, share_text
from assessments.models import Assessment, AssessmentScore, CityRegion, ThemeScore
from questionbank.selectors import bank_snapshot


@dataclass
class PublishedTheme:
    slug: str
    title: str
    weight: int
    score: Decimal | None
    band: str
    coverage: Decimal

    @property
    def band_label(self) -> str:
        return band_label(self.band)

    @property
    def score_text(self) -> str:
        return score_label(self.score)


@dataclass
class PublishedRegion:
    slug: str
    name: str
    is_demo: bool
    submitted_on: date
    bank_version: int
    readiness_index: Decimal | None
    band: str
    coverage: Decimal
    themes: list[PublishedTheme] = field(default_factory=list)

    @property
    def band_label(self) -> str:
        return band_label(self.band)

    @property
    def band_tag(self) -> str:
        return band_tag(self.band)

    @property
    def index_text(self) -> str:
        return score_label(self.readiness_index)

    @property
    def coverage_text(self) -> str:
        return share_text(self.coverage)


def _latest_scored_submission() -> QuerySet[Assessment, Any]:
    return (
        Assessment.objects.filter(
            region=OuterRef("pk"), status=Assessment.Status.SUBMITTED, score__isnull=False
        )
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )


def published_regions(*, regions: list[CityRegion] | None = None) -> list[PublishedRegion]:
    """The opted-in regions that have a scored submitted assessment, by name, each with the
    figures of its latest one. `regions` limits it to those (for a region's own preview, which
    shows what WOULD be published whether or not it has opted in)."""
    queryset = CityRegion.objects.all()
    if regions is None:
        queryset = queryset.filter(open_data_since__isnull=False)
    else:
        queryset = queryset.filter(pk__in=[r.pk for r in regions])
    chosen = list(
        queryset.annotate(latest_id=Subquery(_latest_scored_submission()))
        .filter(latest_id__isnull=False)
        .order_by("name", "pk")
        .values_list("pk", "slug", "name", "is_demo", "latest_id")
    )
    latest_ids = [row[4] for row in chosen]
    scores = {
        score.assessment_id: score
        for score in AssessmentScore.objects.filter(assessment_id__in=latest_ids)
        .select_related("assessment__bank")
        .only(
            "assessment_id",
            "assessment__submitted_at",
            "assessment__bank__status",
            "assessment__bank__version",
            "assessment__bank__created_at",
            "bank_version",
            "readiness_index",
            "band",
            "coverage",
        )
    }
    # Each theme's slug and title from its bank version's snapshot (none once cached).
    themes_by_id = {
        theme.id: theme
        for snapshot in {
            score.assessment.bank_id: bank_snapshot(bank=score.assessment.bank)
            for score in scores.values()
        }.values()
        for theme in snapshot.themes
    }
    themes: dict[int, list[PublishedTheme]] = {pk: [] for pk in latest_ids}
    for row in (
        ThemeScore.objects.filter(assessment_id__in=latest_ids)
        .order_by("assessment_id", "order", "pk")
        .values_list("assessment_id", "theme_id", "weight", "score", "band", "coverage")
    ):
        assessment_id, theme_id, weight, score, band, coverage = row
        theme = themes_by_id[theme_id]
        themes[assessment_id].append(
            PublishedTheme(
                slug=theme.slug,
                title=theme.title,
                weight=weight,
                score=score,
                band=band,
                coverage=coverage,
            )
        )
    published = []
    for _pk, slug, name, is_demo, latest_id in chosen:
        stored = scores[latest_id]
        # Only submitted assessments are published, so submitted_at is set.
        submitted_at: datetime = stored.assessment.submitted_at  # type: ignore[assignment]
        published.append(
            PublishedRegion(
                slug=slug,
                name=name,
                is_demo=is_demo,
                submitted_on=timezone.localtime(submitted_at).date(),
                bank_version=stored.bank_version,
                readiness_index=stored.readiness_index,
                band=stored.band,
                coverage=stored.coverage,
                themes=themes[latest_id],
            )
        )
    return published


def region_open_data_preview(*, region: CityRegion) -> PublishedRegion | None:
    """What the region publishes (or would publish, if it opted in) right now."""
    found = published_regions(regions=[region])
    return found[0] if found else None
