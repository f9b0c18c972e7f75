"""The open-data downloads, schema version 1 (documented in docs/open-data.md; the JSON validates
against static/open-data/schema-v1.json). Field names and their order are stable: a change that
would break a reader gets a new schema version."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from assessments.formatting import fixed_number, fixed_text
from assessments.opendata.selectors import PublishedRegion
from assessments.results.exports import safe_cell

SCHEMA = "citydigital/open-data"
SCHEMA_VERSION = 1
LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
TITLE = "City Digital Readiness: published readiness scores"
CSV_HEADER = (
    "region_slug",
    "region_name",
    "is_demo",
    "submitted_on",
    "bank_version",
    "readiness_index",
    "readiness_band",
    "coverage",
    "theme_slug",
    "theme_title",
    "theme_weight",
    "theme_score",
    "theme_band",
    "theme_coverage",
)


# A score out of 100 has one decimal place; a share from 0 to 1 has four.
SCORE_PLACES = "0.1"
SHARE_PLACES = "0.0001"


def _score(value: Decimal | None) -> float | None:
    return fixed_number(value, SCORE_PLACES)


def _share(value: Decimal) -> float | None:
    return fixed_number(value, SHARE_PLACES)


def open_data_csv(regions: Sequence[PublishedRegion]) -> str:
    """One row per region and theme; the region's own figures repeat on each of its rows."""
    rows = []
    for region in regions:
        for theme in region.themes:
            rows.append(
                (
                    region.slug,
                    region.name,
                    "true" if region.is_demo else "false",
                    region.submitted_on.isoformat(),
                    region.bank_version,
                    fixed_text(region.readiness_index, SCORE_PLACES),
                    region.band,
                    fixed_text(region.coverage, SHARE_PLACES),
                    theme.slug,
                    theme.title,
                    theme.weight,
                    fixed_text(theme.score, SCORE_PLACES),
                    theme.band,
                    fixed_text(theme.coverage, SHARE_PLACES),
                )
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def open_data_dict(regions: Sequence[PublishedRegion], *, generated_at: datetime) -> dict:
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "title": TITLE,
        "licence": LICENCE,
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "score_scale": {"minimum": 0, "maximum": 100},
        "regions": [
            {
                "slug": region.slug,
                "name": region.name,
                "is_demo": region.is_demo,
                "submitted_on": region.submitted_on.isoformat(),
                "bank_version": region.bank_version,
                "readiness_index": _score(region.readiness_index),
                "band": region.band or None,
                "band_label": region.band_label or None,
                "coverage": _share(region.coverage),
                "themes": [
                    {
                        "slug": theme.slug,
                        "title": theme.title,
                        "weight": theme.weight,
                        "score": _score(theme.score),
                        "band": theme.band or None,
                        "band_label": theme.band_label or None,
                        "coverage": _share(theme.coverage),
                    }
                    for theme in region.themes
                ],
            }
            for region in regions
        ],
    }


def open_data_json(regions: Sequence[PublishedRegion], *, generated_at: datetime) -> str:
    return json.dumps(open_data_dict(regions, generated_at=generated_at), indent=2) + "\n"
