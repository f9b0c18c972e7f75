"""What a briefing shows, shaped from `reports.selectors.briefing_content`: the template context
of the PDF (and of its HTML preview), with its charts, labels and formatted figures. The labels,
orders and formats are those of the results pages (`assessments.results.presenters`,
`assessments.formatting`), so the PDF and the pages cannot drift apart. No ORM here."""

from datetime import date
from typing import Any

from assessments import charts, scoring
from assessments.formatting import (
    confidence_text,
    day_date,
    evidence_text,
    score_label,
    score_text,
    share_text,
)
from assessments.results.presenters import (
    WINDOW_LABELS,
    WINDOW_ORDER,
    owner_role_label,
    owner_role_rank,
    priority_label,
)


def briefing_context(*, content: dict[str, Any], is_draft: bool) -> dict[str, Any]:
    """The template context: the content plus what only the layout needs (charts, labels)."""
    as_of = date.fromisoformat(content["as_of"])
    took_office = date.fromisoformat(content["region"]["mayor_took_office"])
    result = scoring.AssessmentResult.from_dict(content["score"]["result"])
    themes_by_slug = {theme.slug: theme for theme in result.themes}
    titles = {theme.slug: theme.title for theme in result.themes}
    plan = [
        {
            **item,
            "owner": owner_text(item),
            "priority_label": priority_label(item["priority"]),
            "due_date": day_date(took_office, item["due_day"]),
        }
        for item in content["plan"]
    ]
    milestones = [
        {
            "code": m.code,
            "text": m.text,
            "due_day": m.due_day,
            "due_date": day_date(took_office, m.due_day),
            "status": m.status,
            "status_label": scoring.MILESTONE_STATUS_LABELS[m.status],
        }
        for m in result.milestones
    ]
    milestone_status_by_code = {
        m.code: scoring.MILESTONE_STATUS_LABELS[m.status] for m in result.milestones
    }
    rows_by_code = {row.code: row for theme in result.themes for row in theme.explanation.rows}
    theme_sections = []
    for theme in content["themes"]:
        scored = themes_by_slug.get(theme["slug"])
        theme_sections.append(
            {
                **theme,
                "questions": [
                    question_row(
                        question,
                        rows_by_code.get(question["code"]),
                        milestone_status_by_code.get(question["code"], ""),
                    )
                    for question in theme["questions"]
                ],
                "score": score_text(scored.score) if scored else "",
                "band": scored.band.label if scored and scored.band else "",
                "coverage": share_text(scored.coverage) if scored else "",
                "confidence": confidence_text(scored.confidence) if scored else "",
                "evidence": evidence_text(scored.confidence) if scored else "",
                "weight": scored.weight if scored else 0,
                "actions": [item for item in plan if item["theme_title"] == theme["title"]],
            }
        )
    radar_pairs = [(theme.title, theme.score) for theme in result.themes]
    strongest = [themes_by_slug[slug] for slug in result.strongest_themes[:3]]
    day = scoring.day_in_office(as_of, took_office)
    return {
        **content,
        "is_draft": is_draft,
        "as_of_date": as_of,
        "scores_as_of_date": date.fromisoformat(content["score"]["as_of"]),
        "day_in_office": day,
        "index": score_label(result.index),
        "band": result.band.label if result.band else "",
        "band_range": result.band.range_label if result.band else "",
        "coverage": share_text(result.coverage),
        "confidence": confidence_text(result.confidence),
        "answered": result.answered,
        "counted": result.counted,
        "bands": scoring.BANDS,
        "upper_level_score": scoring.UPPER_LEVEL_SCORE,
        "milestone_threshold": result.milestone_threshold,
        "strongest_themes": [
            {"title": t.title, "score": score_text(t.score), "band": t.band.label if t.band else ""}
            for t in strongest
        ],
        "top_gaps": [
            {
                "code": gap.code,
                "text": gap.text,
                "theme": titles.get(gap.theme_slug, gap.theme_slug),
                "score": gap.score,
                "urgency": scoring.MILESTONE_STATUS_LABELS.get(gap.milestone_status or "", ""),
            }
            for gap in result.gaps
        ],
        "milestones": milestones,
        **milestone_summary(milestones),
        "theme_sections": theme_sections,
        "plan_rows": plan,
        "plan_windows": plan_windows(plan),
        "radar_chart": charts.chart_image(
            charts.radar_chart(radar_pairs, title="Readiness by theme", chart_id="briefing-radar")
        ),
        "plan_chart": charts.chart_image(
            # Each row is labelled with its question's code, which the table below gives
            # with the action in full: SVG text is drawn letter by letter, so long labels cost
            # a render more than the rest of the chart.
            charts.gantt_timeline(
                [
                    (
                        item["question_code"],
                        min(item["day_from"], item["due_day"]),
                        item["due_day"],
                        item["done"],
                    )
                    for item in plan
                ],
                day,
                title="100-day action plan timeline",
                chart_id="briefing-plan",
                row_titles=False,
                label_share=0.12,
                font_size=11,
                row_height=16,
            )
        ),
    }


def question_row(
    question: dict[str, Any], row: scoring.ExplanationRow | None, milestone_status: str
) -> dict[str, Any]:
    """A question as Themes in detail and the appendix print it, with its part in the score
    ("" for a score or weight it does not have)."""
    return {
        **question,
        "score": "" if row is None or row.score is None else row.score,
        "weight": "" if row is None else row.weight,
        "has_evidence": row is not None and row.has_evidence,
        "milestone_status": milestone_status,
    }


# The milestone statuses a briefing lists one by one: those that need the mayor's office now.
MILESTONE_STATUSES_LISTED = (scoring.OVERDUE, scoring.DUE_SOON)


def milestone_summary(milestones: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of milestones by status, overall and by due day, and those to list one by one.
    Each question's own status is printed with it, so the briefing need not list every one."""
    statuses = list(scoring.MILESTONE_STATUS_LABELS)
    totals = dict.fromkeys(statuses, 0)
    days: dict[int, dict[str, Any]] = {}
    for milestone in milestones:
        totals[milestone["status"]] += 1
        day = days.setdefault(
            milestone["due_day"],
            {"due_day": milestone["due_day"], "due_date": milestone["due_date"]}
            | dict.fromkeys(statuses, 0),
        )
        day[milestone["status"]] += 1
    listed = {
        status: [m for m in milestones if m["status"] == status]
        for status in MILESTONE_STATUSES_LISTED
    }
    return {
        "milestone_totals": totals,
        "milestone_days": [days[day] for day in sorted(days)],
        "milestone_attention": [
            {"label": scoring.MILESTONE_STATUS_LABELS[status], "items": items}
            for status, items in listed.items()
            if items
        ],
    }


def owner_text(item: dict[str, Any]) -> str:
    label = owner_role_label(item["owner_role"])
    return f"{label}: {item['owner_name']}" if item["owner_name"] else label


def plan_windows(plan: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The plan by window of the 100 days, and within each by owner (roles in their usual order,
    then named owners): the table says each owner once instead of on every row."""
    windows = []
    for window in WINDOW_ORDER:
        items = [item for item in plan if item["window"] == window]
        ranked = sorted({(owner_role_rank(item["owner_role"]), item["owner"]) for item in items})
        owners = [owner for _, owner in ranked]
        windows.append(
            {
                "label": WINDOW_LABELS[window],
                "items": items,
                "owners": [
                    {"label": owner, "items": [i for i in items if i["owner"] == owner]}
                    for owner in owners
                ],
            }
        )
    return windows
