from datetime import date

import pytest

from assessments import scoring
from questionbank.models import Question
from reports import presenters, selectors
from tests.assessments.conftest import publish
from tests.questionbank.factories import bank_with_questions
from tests.reports.factories import answered_assessment


def milestone(code: str, due_day: int, status: str) -> dict:
    return {
        "code": code,
        "text": f"Question {code}",
        "due_day": due_day,
        "due_date": date(2026, 9, 1),
        "status": status,
        "status_label": scoring.MILESTONE_STATUS_LABELS[status],
    }


def test_milestone_summary_counts_by_status_and_day_and_lists_overdue_then_due_soon():
    milestones = [
        milestone("A", 30, scoring.DONE),
        milestone("B", 30, scoring.OVERDUE),
        milestone("C", 60, scoring.DUE_SOON),
        milestone("D", 60, scoring.OVERDUE),
        milestone("E", 90, scoring.NOT_YET_DUE),
    ]
    summary = presenters.milestone_summary(milestones)
    assert summary["milestone_totals"] == {
        scoring.DONE: 1,
        scoring.OVERDUE: 2,
        scoring.DUE_SOON: 1,
        scoring.NOT_YET_DUE: 1,
    }
    assert [
        (row["due_day"], row[scoring.DONE], row[scoring.OVERDUE], row[scoring.DUE_SOON])
        for row in summary["milestone_days"]
    ] == [(30, 1, 1, 0), (60, 0, 1, 1), (90, 0, 0, 0)]
    assert [
        (group["label"], [m["code"] for m in group["items"]])
        for group in summary["milestone_attention"]
    ] == [("Overdue", ["B", "D"]), ("Due soon", ["C"])]


def test_milestone_summary_lists_nothing_when_nothing_needs_attention():
    summary = presenters.milestone_summary([milestone("A", 30, scoring.DONE)])
    assert summary["milestone_attention"] == []
    assert presenters.milestone_summary([])["milestone_days"] == []


def plan_item(text: str, window: str, owner_role: str, owner_name: str = "") -> dict:
    item = {"text": text, "window": window, "owner_role": owner_role, "owner_name": owner_name}
    return item | {"owner": presenters.owner_text(item)}


def test_plan_windows_group_each_window_by_owner_in_the_roles_order_keeping_due_order():
    plan = [
        plan_item("Publish data", "1-30", "partners"),
        plan_item("Appoint a CDIC", "1-30", "mayor"),
        plan_item("Audit data", "1-30", "cdic", "Sam Patel"),
        plan_item("Set up taskforce", "1-30", "mayor"),
        plan_item("Open data portal", "61-100", "cdic"),
    ]
    windows = presenters.plan_windows(plan)
    assert [w["label"] for w in windows] == [
        "Days 1 to 30",
        "Days 31 to 60",
        "Days 61 to 100",
        "After day 100",
    ]
    first = windows[0]
    assert [(o["label"], [i["text"] for i in o["items"]]) for o in first["owners"]] == [
        ("Mayor", ["Appoint a CDIC", "Set up taskforce"]),
        ("Chief Digital and Innovation Champion: Sam Patel", ["Audit data"]),
        ("Partners (industry, education, community)", ["Publish data"]),
    ]
    assert len(first["items"]) == 4
    assert windows[1]["owners"] == windows[1]["items"] == []
    assert [o["label"] for o in windows[2]["owners"]] == ["Chief Digital and Innovation Champion"]


@pytest.mark.django_db
def test_briefing_context_gives_each_question_its_score_weight_evidence_and_milestone():
    bank = bank_with_questions(themes=2, questions_per_theme=2, published=False)
    Question.objects.filter(theme__bank=bank, order=0).update(milestone_day=30)
    publish(bank)
    assessment = answered_assessment(bank=bank, level="3")
    content = selectors.briefing_content(assessment=assessment)
    context = presenters.briefing_context(content=content, is_draft=False)
    questions = [q for theme in context["theme_sections"] for q in theme["questions"]]
    assert len(questions) == 4
    for question in questions:
        assert question["score"] == 75
        assert question["weight"] != ""
        assert question["has_evidence"] is True
    with_milestones = [q for q in questions if q["milestone_day"]]
    assert [q["milestone_status"] for q in with_milestones] == ["Done", "Done"]
    assert all(q["milestone_status"] == "" for q in questions if not q["milestone_day"])
    totals = context["milestone_totals"]
    assert sum(totals.values()) == len(context["milestones"]) == len(with_milestones)
    assert context["radar_chart"].src.startswith("data:image/svg+xml;base64,")
    assert context["plan_chart"].alt.startswith("100-day action plan timeline. Timeline of")
