"""Re-assessment (start a new assessment from a submitted one) and the compare page, end to end
through the pages and the real services, on the same bank version and across a new version."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Answer, AnswerHistory, Assessment, AssessmentEvent
from assessments.reassessment import services as reassessment
from assessments.reassessment.presenters import NOT_IN
from questionbank import services as bank_services
from questionbank.models import Question, RubricLevel
from tests.assessments.conftest import client_for, publish
from tests.assessments.factories import CityRegionFactory, UserFactory, editor_of
from tests.questionbank.factories import QuestionFactory, add_levels, bank_with_questions


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _url(name, assessment):
    return reverse(
        f"assessments:{name}", kwargs={"region_slug": assessment.region.slug, "pk": assessment.pk}
    )


def _compare_url(region, **query):
    url = reverse("assessments:assessment-compare", kwargs={"region_slug": region.slug})
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def answer(assessment, editor, code, *, values=None, note="", evidence="", number=None):
    question = Question.objects.get(theme__bank=assessment.bank, code=code)
    current = Answer.objects.filter(assessment=assessment, question=question).first()
    return services.answer_save(
        assessment=assessment,
        question=question,
        user=editor,
        data={
            "selected_values": values or [],
            "note": note,
            "evidence_url": evidence,
            "number_value": number,
        },
        expected_revision=current.revision if current else 0,
    )


def answer_all(assessment, editor, level="2"):
    for question in Question.objects.filter(theme__bank=assessment.bank).order_by("pk"):
        if not Answer.objects.filter(assessment=assessment, question=question).exists():
            value = level if question.kind == Question.Kind.MATURITY else "yes"
            answer(assessment, editor, question.code, values=[value])


def submitted_assessment(region, editor, *, label="Baseline, day 1", level="2"):
    assessment = services.assessment_start(region=region, user=editor, label=label)
    answer_all(assessment, editor, level)
    return services.assessment_submit(assessment=assessment, user=editor)


def start_from(client: Client, source, label="Day 50 check"):
    response = client.post(_url("reassessment-start", source), {"label": label})
    assert response.status_code == 302, _text(response)
    new = Assessment.objects.get(based_on=source)
    assert response["Location"] == _url("carry-over", new)
    return new


# --- the same bank version -----------------------------------------------------------------------


def test_start_from_a_submitted_assessment_on_the_same_version_carries_everything(
    region, editor, bank
):
    source = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    answer(
        source, editor, "T1-01", values=["3"], note="Strategy agreed", evidence="https://e.org/a"
    )
    answer(source, editor, "T1-02", values=["1"], note="Only a draft")
    answer_all(source, editor, "2")
    services.assessment_submit(assessment=source, user=editor)

    client = client_for(editor)
    page = client.get(_url("reassessment-start", source))
    assert page.status_code == 200
    assert "Both use version" in _text(page)
    new = start_from(client, source)

    assert new.bank_id == source.bank_id
    assert new.is_in_progress
    assert new.started_by == editor
    old = {a.question_id: a.as_value() for a in source.answers.all()}
    carried = {a.question_id: a.as_value() for a in new.answers.all()}
    assert carried == old
    assert len(carried) == 6
    assert new.answers.get(question__code="T1-01").as_value() == {
        "selected_values": ["3"],
        "number_value": None,
        "text_value": "",
        "note": "Strategy agreed",
        "evidence_url": "https://e.org/a",
    }
    # The history records the carry-over.
    history = AnswerHistory.objects.filter(answer__assessment=new)
    assert history.count() == 6
    assert {(h.revision, h.carried_over_from_id, h.changed_by_id) for h in history} == {
        (1, source.pk, editor.pk)
    }
    question = new.answers.get(question__code="T1-01").question
    question_page = client.get(
        reverse(
            "assessments:question-detail",
            kwargs={"region_slug": region.slug, "pk": new.pk, "question_pk": question.pk},
        )
    )
    assert "Carried over from an earlier assessment" in _text(question_page)
    event = AssessmentEvent.objects.get(assessment=new, kind=AssessmentEvent.Kind.STARTED)
    assert "6 answers carried over" in event.reason
    assert new.carry_over["carried"] == 6
    assert new.carry_over["not_carried"] == []
    # The source is untouched.
    assert Answer.objects.filter(assessment=source).count() == 6
    report = _text(client.get(_url("carry-over", new)))
    assert "6 answers carried over" in report
    assert "Nothing: every answer was carried over in full." in report
    # Answers can be changed as usual, with the next revision.
    changed = answer(new, editor, "T1-02", values=["4"], note="Only a draft")
    assert changed.revision == 2


def test_only_one_assessment_in_progress_and_only_from_a_submitted_one(region, editor, bank):
    source = submitted_assessment(region, editor)
    in_progress = services.assessment_start(region=region, user=editor, label="Started by hand")
    client = client_for(editor)
    results = _text(client.get(_url("results-detail", source)))
    assert "Start a new assessment from this one" not in results
    assert "first submit “" in results
    page = client.get(_url("reassessment-start", source))
    assert "Started by hand</a>” is in progress. Submit it" in _text(page)
    assert '<form method="post"' not in page.content.decode()
    response = client.post(_url("reassessment-start", source), {"label": "Another"})
    assert response.status_code == 200
    assert Assessment.objects.filter(region=region).count() == 2
    # Starting from an assessment in progress is refused too.
    page = client.get(_url("reassessment-start", in_progress))
    assert "Only a submitted assessment" in _text(page)
    with pytest.raises(Exception, match="Only a submitted assessment"):
        reassessment.reassessment_start(source=in_progress, user=editor, label="X")


def test_a_blank_label_is_refused_and_nothing_is_created(region, editor, bank):
    source = submitted_assessment(region, editor)
    response = client_for(editor).post(_url("reassessment-start", source), {"label": "  "})
    assert response.status_code == 200
    assert "Enter a label for the new assessment" in _text(response)
    assert Assessment.objects.filter(region=region).count() == 1


# --- a new bank version --------------------------------------------------------------------------


def _publish_new_version(bank):
    """Version 2 of `bank` built through the question bank's services: T1-03 removed, T1-02's
    top level removed, T2-02 now a yes/no question, T2-01 replaced by T2-10, and a new T1-04."""
    draft = bank_services.bank_create_draft(source=bank)
    Question.objects.filter(theme__bank=draft, code="T1-03").delete()
    RubricLevel.objects.filter(
        question__theme__bank=draft, question__code="T1-02", value="4"
    ).delete()
    t2_02 = Question.objects.get(theme__bank=draft, code="T2-02")
    RubricLevel.objects.filter(question=t2_02).delete()
    Question.objects.filter(pk=t2_02.pk).update(kind=Question.Kind.YES_NO)
    add_levels(t2_02, Question.Kind.YES_NO)
    t2_01 = Question.objects.get(theme__bank=draft, code="T2-01")
    replacement = QuestionFactory(
        theme=t2_01.theme,
        order=t2_01.order,
        code="T2-10",
        text="Replacement of 2.1?",
        replaces_codes=["T2-01"],
    )
    add_levels(replacement)
    Question.objects.filter(pk=t2_01.pk).delete()
    new_question = QuestionFactory(
        theme=t2_01.theme.bank.themes.get(slug="theme-1"),
        order=9,
        code="T1-04",
        text="A brand new question?",
    )
    add_levels(new_question)
    return bank_services.bank_publish(bank=draft)


def test_start_from_an_assessment_on_an_older_version_maps_by_code(region, editor, bank):
    source = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    answer(source, editor, "T1-02", values=["4"], note="Top marks", evidence="https://e.org/b")
    answer(source, editor, "T1-03", values=["2"], note="Will be removed")
    answer(source, editor, "T2-01", values=["3"], note="Replaced question")
    answer(source, editor, "T2-02", values=["2"])
    answer_all(source, editor, "1")
    services.assessment_submit(assessment=source, user=editor)
    new_bank = _publish_new_version(bank)
    assert new_bank.version > bank.version

    client = client_for(editor)
    page = _text(client.get(_url("reassessment-start", source)))
    assert f"the current version, {new_bank.version}" in page
    new = start_from(client, source, "Day 100 review")
    assert new.bank_id == new_bank.pk

    answers = {a.question.code: a for a in new.answers.select_related("question")}
    # Same code, value still an option: carried.
    assert answers["T1-01"].selected_values == ["1"]
    assert answers["T1-01"].question.theme.bank_id == new_bank.pk
    # Value no longer an option: the note and link carry, the choice does not.
    assert answers["T1-02"].selected_values == []
    assert answers["T1-02"].note == "Top marks"
    assert answers["T1-02"].evidence_url == "https://e.org/b"
    # Replaced question: carried through replaces_codes.
    assert answers["T2-10"].selected_values == ["3"]
    assert answers["T2-10"].note == "Replaced question"
    # A maturity answer to what is now yes/no: nothing left to carry, so no answer.
    assert "T2-02" not in answers
    assert "T1-03" not in answers
    assert "T1-04" not in answers
    assert set(answers) == {"T1-01", "T1-02", "T2-10", "T2-03"}

    report = new.carry_over
    assert report["source_bank_version"] == bank.version
    assert report["bank_version"] == new_bank.version
    assert report["carried"] == 4
    reasons = {row["code"]: row["reason"] for row in report["not_carried"]}
    assert set(reasons) == {"T1-02", "T1-03", "T2-02"}
    assert reasons["T1-02"] == "“Embedded” is no longer an option, so it was not carried over."
    assert reasons["T1-03"] == "The question is not in the current version of the question bank."
    assert reasons["T2-02"] == "“Developing” is no longer an option, so it was not carried over."
    assert report["new_questions"] == [{"code": "T1-04", "question": "A brand new question?"}]
    history = AnswerHistory.objects.filter(answer__assessment=new)
    assert history.count() == 4
    assert set(history.values_list("carried_over_from", flat=True)) == {source.pk}

    # The new assessment's task list links to the list of what could not be carried over.
    tasks = _text(client.get(new.get_absolute_url()))
    assert "4 answers carried over, 3 could not be" in tasks
    assert _url("carry-over", new) in tasks
    # The page lists what could not be carried over, again whenever it is opened.
    for _ in range(2):
        listing = _text(client.get(_url("carry-over", new)))
        assert "<strong>T1-03</strong>" in listing
        assert "“Embedded” is no longer an option" in listing
        assert "<strong>T1-04</strong> A brand new question?" in listing

    # Finish and submit the new one, then compare across the two versions.
    answer(new, editor, "T1-02", values=["3"], note="Top marks")
    answer(new, editor, "T2-02", values=["yes"])
    answer(new, editor, "T1-01", values=["3"])
    answer_all(new, editor, "3")
    services.assessment_submit(assessment=new, user=editor)

    response = client.get(_compare_url(region))
    assert response.status_code == 200
    page = _text(response)
    assert f"version {bank.version} of the question bank" in page
    theme_1 = re.search(r'<table class="govuk-table" id="theme-theme-1">.*?</table>', page).group()
    t1_01 = re.search(r'<tr class="govuk-table__row" data-code="T1-01">.*?</tr>', theme_1).group()
    assert 'Initial <span class="govuk-body-s">(25)</span>' in t1_01
    assert 'Established <span class="govuk-body-s">(75)</span>' in t1_01
    assert "+50" in t1_01
    t1_03 = re.search(r'data-code="T1-03">.*?</tr>', theme_1).group()
    assert f"Only in version {bank.version}" in t1_03
    t1_04 = re.search(r'data-code="T1-04">.*?</tr>', theme_1).group()
    assert f"Only in version {new_bank.version}" in t1_04
    t2_10 = re.search(r'data-code="T2-10">.*?</tr>', page).group()
    assert "Replaces T2-01" in t2_10
    assert 'Established <span class="govuk-body-s">(75)</span>' in t2_10
    # Theme scores and the index change.
    themes = re.search(r'id="compare-themes">.*?</table>', page).group()
    assert re.search(r'data-theme="theme-1">.*?data-change>\+\d+\.\d</td>', themes)
    assert re.search(r'id="index-change">\+\d+\.\d<', page)
    # The trend lists both submitted assessments, oldest first.
    trend = re.search(r'id="trend-table">.*?</table>', page).group()
    assert trend.index("Baseline, day 1") < trend.index("Day 100 review")
    assert "Line chart of the readiness index" in page


# --- compare ------------------------------------------------------------------------------------


def test_compare_defaults_to_the_latest_two_submitted_and_takes_any_two(region, editor, bank):
    first = submitted_assessment(region, editor, label="First", level="1")
    second = submitted_assessment(region, editor, label="Second", level="2")
    third = submitted_assessment(region, editor, label="Third", level="4")
    client = client_for(editor)
    page = _text(client.get(_compare_url(region)))
    assert "“Second” and “Third”" in page
    assert 'id="index-change">+50.0<' in page
    page = _text(client.get(_compare_url(region, before=third.pk, after=first.pk)))
    assert "“Third” and “First”" in page
    assert 'id="index-change">-75.0<' in page
    # Bad choices: a message, no comparison.
    for query in ({"before": first.pk, "after": first.pk}, {"before": "x", "after": second.pk}):
        page = _text(client.get(_compare_url(region, **query)))
        assert "There is a problem" in page
        assert 'id="index-change"' not in page


def test_compare_with_an_assessment_without_scores(region, editor, bank):
    submitted = submitted_assessment(region, editor, label="Submitted")
    draft = services.assessment_start(region=region, user=editor, label="Draft")
    page = _text(client_for(editor).get(_compare_url(region, before=submitted.pk, after=draft.pk)))
    assert "“Draft” has no scores yet, so only the other's figures are shown." in page
    assert "Only in version" not in page
    row = re.search(r'data-code="T1-01">.*?</tr>', page).group()
    assert 'Developing <span class="govuk-body-s">(50)</span>' in row
    assert f'<td class="govuk-table__cell" data-after>{NOT_IN}</td>' in row
    assert f'id="index-change">{NOT_IN}<' in page


def test_compare_refuses_another_regions_assessment(region, editor, bank):
    mine = submitted_assessment(region, editor)
    elsewhere = CityRegionFactory()
    their_editor = editor_of(elsewhere).user
    theirs = submitted_assessment(elsewhere, their_editor, label="Theirs")
    page = _text(client_for(editor).get(_compare_url(region, before=mine.pk, after=theirs.pk)))
    assert "Choose an assessment of this region from the list" in page
    assert "Theirs" not in page


def test_compare_with_fewer_than_two_assessments_says_so(region, editor, bank):
    page = _text(client_for(editor).get(_compare_url(region)))
    assert "A comparison needs two assessments" in page
    assert "No assessment of Greater Testshire has been submitted yet." in page


# --- who may do what ------------------------------------------------------------------------------


def test_authorisation_of_the_new_pages(region, editor, viewer, outsider, bank):
    source = submitted_assessment(region, editor)
    urls = [
        _url("reassessment-start", source),
        _url("carry-over", source),
        _compare_url(region),
    ]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("citydigital:sign-in"))
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(UserFactory()).get(url).status_code == 404
    as_viewer = client_for(viewer)
    assert as_viewer.get(_url("carry-over", source)).status_code == 200
    assert as_viewer.get(_compare_url(region)).status_code == 200
    assert as_viewer.get(_url("reassessment-start", source)).status_code == 403
    response = as_viewer.post(_url("reassessment-start", source), {"label": "Viewer's"})
    assert response.status_code == 403
    assert (
        client_for(outsider).post(_url("reassessment-start", source), {"label": "X"}).status_code
        == 404
    )
    assert Assessment.objects.filter(region=region).count() == 1
    # The results page offers the start to editors only, and a compare link to everyone.
    results = _url("results-detail", source)
    start = _url("reassessment-start", source)
    assert start in client_for(editor).get(results).content.decode()
    viewer_page = as_viewer.get(results).content.decode()
    assert start not in viewer_page
    assert _compare_url(region) in viewer_page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_compare_query_count_does_not_grow_with_questions_or_assessments(editor):
    counts = []
    for themes, per_theme, assessments in ((2, 2, 2), (4, 8, 6)):
        region = CityRegionFactory()
        editor_of(region, user=editor)
        bank_with_questions(themes=themes, questions_per_theme=per_theme)
        for i in range(assessments):
            submitted_assessment(region, editor, label=f"Assessment {i}", level=str(i % 5))
        counts.append(_queries(client_for(editor), _compare_url(region)))
    assert counts[0] == counts[1], counts


def test_carry_over_of_several_choices_numbers_text_and_merged_questions(region, editor):
    bank = bank_with_questions(themes=1, questions_per_theme=2, published=False)
    theme = bank.themes.get()
    for order, (code, kind) in enumerate(
        [("MULTI", "multi_choice"), ("NUM", "number"), ("TXT", "text")], start=10
    ):
        question = QuestionFactory(theme=theme, order=order, code=code, kind=kind, required=False)
        if kind != "text":
            add_levels(question, kind)
    publish(bank)
    source = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    answer(source, editor, "T1-01", values=["1"], note="First of two")
    answer(source, editor, "T1-02", values=["3"], note="Second of two")
    answer(source, editor, "MULTI", values=["a", "c"], note="Two options")
    answer(source, editor, "NUM", number="12.5")
    services.answer_save(
        assessment=source,
        question=Question.objects.get(theme__bank=bank, code="TXT"),
        user=editor,
        data={"text_value": "Our own words"},
        expected_revision=0,
    )
    services.assessment_submit(assessment=source, user=editor)

    draft = bank_services.bank_create_draft(source=bank)
    RubricLevel.objects.filter(
        question__theme__bank=draft, question__code="MULTI", value="c"
    ).delete()
    merged = QuestionFactory(
        theme=draft.themes.get(), order=0, code="T1-MERGED", replaces_codes=["T1-01", "T1-02"]
    )
    add_levels(merged)
    Question.objects.filter(theme__bank=draft, code__in=["T1-01", "T1-02"]).delete()
    bank_services.bank_publish(bank=draft)

    new = reassessment.reassessment_start(source=source, user=editor, label="Day 50 check")
    answers = {a.question.code: a for a in new.answers.select_related("question")}
    assert answers["T1-MERGED"].selected_values == ["1"]  # the first replaced code's answer
    assert answers["T1-MERGED"].note == "First of two"
    assert answers["MULTI"].selected_values == ["a"]  # "Option C" is gone; "Option A" carries
    assert answers["MULTI"].note == "Two options"
    assert str(answers["NUM"].number_value) == "12.50"
    assert answers["TXT"].text_value == "Our own words"
    reasons = {(row["code"], row["reason"]) for row in new.carry_over["not_carried"]}
    assert reasons == {
        ("MULTI", "“Option C” is no longer an option, so it was not carried over."),
        (
            "T1-02",
            "T1-MERGED replaces both T1-01 and T1-02; only the answer to T1-01 was carried over.",
        ),
    }


def test_an_answer_merged_into_a_question_that_kept_its_code_is_listed(region, editor, bank):
    source = services.assessment_start(region=region, user=editor, label="Baseline, day 1")
    answer_all(source, editor, "2")
    services.assessment_submit(assessment=source, user=editor)
    draft = bank_services.bank_create_draft(source=bank)
    Question.objects.filter(theme__bank=draft, code="T1-01").update(replaces_codes=["T1-02"])
    Question.objects.filter(theme__bank=draft, code="T1-02").delete()
    bank_services.bank_publish(bank=draft)
    new = reassessment.reassessment_start(source=source, user=editor, label="Day 50 check")
    assert new.carry_over["carried"] == 5
    assert new.carry_over["not_carried"] == [
        {
            "code": "T1-02",
            "question": "Question 1.2?",
            "reason": "T1-01 replaces T1-02; only the answer to T1-01 was carried over.",
        }
    ]
