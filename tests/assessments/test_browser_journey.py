"""An editor's whole journey in Debian's Chromium: start, answer every theme, leave and come
back, check answers, submit. Once with the mouse, once with the keyboard only; axe-core
checks the task list, a theme page with errors, check your answers and the submitted page."""

import pytest
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Assessment
from questionbank.models import Question
from tests.assessments.conftest import publish
from tests.assessments.factories import PASSWORD, CityRegionFactory, editor_of
from tests.fixtures.browser import axe_violations, sign_in
from tests.questionbank.factories import add_levels, bank_with_questions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey_setup():
    """A small bank: theme 1 has two maturity questions; theme 2 a yes/no gate and a
    question asked only when the gate is "yes"."""
    region = CityRegionFactory(name="Liverpool City Region", slug="liverpool-city-region")
    editor = editor_of(region, user__first_name="Ada", user__last_name="Editor").user
    bank = bank_with_questions(themes=2, questions_per_theme=2, published=False)
    theme2 = bank.themes.get(slug="theme-2")
    theme2.questions.all().delete()
    gate = Question.objects.create(
        theme=theme2, order=0, code="T2-GATE", text="Is there a digital strategy?", kind="yes_no"
    )
    add_levels(gate)
    follow = Question.objects.create(
        theme=theme2,
        order=1,
        code="T2-FOLLOW",
        text="How well is the strategy followed?",
        condition_question=gate,
        condition_values=["yes"],
    )
    add_levels(follow)
    publish(bank)
    return region, editor


def _no_violations(page, where: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{where}: {violations}"


def _h1(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_an_editor_takes_the_assessment_with_the_mouse(page, journey_setup):
    _, editor = journey_setup
    sign_in(page, editor.username, PASSWORD)
    page.get_by_role("link", name="Liverpool City Region", exact=True).click()
    page.get_by_label("Label for this assessment").fill("Baseline, day 1")
    page.get_by_role("button", name="Start an assessment").click()

    assert _h1(page) == "Baseline, day 1"
    assert "0 of 3 questions answered" in page.locator("#progress").inner_text()
    assert "Day " in page.locator(".cdr-day-counter").inner_text()
    _no_violations(page, "task list")

    # Theme 1: answer one question, then an unsafe evidence link shows an error summary.
    page.get_by_role("link", name="Theme 1", exact=True).click()
    page.get_by_role("group", name="Question 1.1?").get_by_label("Established").check()
    page.get_by_label("Link to evidence (optional)").first.fill("javascript:alert(1)")
    page.get_by_role("button", name="Save and come back later").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter a web address that starts with http:// or https://" in summary.inner_text()
    assert page.title().startswith("Error: ")
    _no_violations(page, "theme page with errors")
    assert not Answer.objects.exists()
    summary.get_by_role("link").first.click()
    page.get_by_label("Link to evidence (optional)").first.fill("https://example.org/plan")
    page.get_by_role("button", name="Save and come back later").click()
    assert "1 of 3 questions answered" in page.locator("#progress").inner_text()

    # Leave and come back.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, editor.username, PASSWORD)
    page.get_by_role("link", name="Liverpool City Region", exact=True).click()
    page.get_by_role("link", name="Baseline, day 1", exact=True).click()
    page.get_by_role("link", name="Theme 1", exact=True).click()
    first = page.get_by_role("group", name="Question 1.1?")
    assert first.get_by_label("Established").is_checked()
    page.get_by_role("group", name="Question 1.2?").get_by_label("Developing").check()
    page.get_by_role("button", name="Save and continue").click()

    # Theme 2: the conditional question appears as soon as the gate is answered "Yes".
    assert _h1(page) == "Theme 2"
    follow = page.get_by_role("group", name="How well is the strategy followed?")
    expect(follow).to_be_hidden()
    page.get_by_role("group", name="Is there a digital strategy?").get_by_label("Yes").check()
    expect(follow).to_be_visible()
    follow.get_by_label("Embedded").check()
    page.get_by_role("button", name="Save and continue").click()

    assert _h1(page) == "Check your answers before submitting"
    assert "Embedded" in page.locator("main").inner_text()
    _no_violations(page, "check your answers")
    page.get_by_role("button", name="Submit the assessment").click()

    assert page.locator(".govuk-panel__title").inner_text() == "Assessment submitted"
    assert "4 of 4 questions answered" in page.locator("#progress").inner_text()
    _no_violations(page, "submitted page")
    assessment = Assessment.objects.get()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_by == editor
    # Read-only now: the theme page offers no form.
    page.get_by_role("link", name="Theme 1", exact=True).click()
    assert page.get_by_role("button", name="Save and continue").count() == 0


# --- the same journey with the keyboard only --------------------------------------------------


def _tab_to(page, test: str, *, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab until the focused element passes `test` (a JS expression over `el`)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return !!({test}); }}"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def _tab_to_text(page, text: str) -> None:
    _tab_to(page, f"el.textContent.trim() === {text!r}")


def _choose(page, question_text: str, label: str) -> None:
    """Tab into a question's radios, then move with the arrow keys to `label`."""
    _tab_to(
        page,
        f"el.type === 'radio' && el.closest('fieldset').querySelector('legend')"
        f".textContent.trim() === {question_text!r}",
    )
    for _ in range(10):
        current = page.evaluate(
            "() => document.querySelector(`label[for='${document.activeElement.id}']`)"
            ".textContent.trim()"
        )
        if current == label:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {label!r} for {question_text!r}")


def _keyboard_sign_in(page, username: str) -> None:
    page.goto("/sign-in/")
    _tab_to(page, "el.name === 'username'")
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    _press_and_wait(page, "Enter")


def _press_and_wait(page, key: str) -> None:
    """Press a key that follows a link or submits a form, and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press(key)


def _follow(page, text: str) -> None:
    _tab_to_text(page, text)
    _press_and_wait(page, "Enter")


def test_an_editor_takes_the_assessment_with_the_keyboard_only(page, journey_setup):
    _, editor = journey_setup
    _keyboard_sign_in(page, editor.username)
    assert _h1(page) == "Your regions"
    _follow(page, "Liverpool City Region")
    _tab_to(page, "el.name === 'label'")
    page.keyboard.type("Baseline, day 1")
    _press_and_wait(page, "Enter")  # submits the start form
    assert _h1(page) == "Baseline, day 1"

    _follow(page, "Theme 1")
    _choose(page, "Question 1.1?", "Established")
    _follow(page, "Save and come back later")
    assert "1 of 3 questions answered" in page.locator("#progress").inner_text()

    # Leave (sign out by keyboard) and come back.
    _follow(page, "Sign out")
    _keyboard_sign_in(page, editor.username)
    _follow(page, "Liverpool City Region")
    _follow(page, "Baseline, day 1")
    _follow(page, "Theme 1")
    _choose(page, "Question 1.2?", "Nothing in place")
    _follow(page, "Save and continue")

    assert _h1(page) == "Theme 2"
    _choose(page, "Is there a digital strategy?", "Yes")
    _choose(page, "How well is the strategy followed?", "Initial")
    _follow(page, "Save and continue")

    assert _h1(page) == "Check your answers before submitting"
    _follow(page, "Submit the assessment")
    assert page.locator(".govuk-panel__title").inner_text() == "Assessment submitted"
    answers = {
        a.question.code: a.selected_values for a in Answer.objects.select_related("question")
    }
    assert answers == {
        "T1-01": ["3"],
        "T1-02": ["0"],
        "T2-GATE": ["yes"],
        "T2-FOLLOW": ["1"],
    }
    assert Assessment.objects.get().status == Assessment.Status.SUBMITTED


def test_the_confirm_step_owners_and_comments_are_accessible(page, journey_setup):
    region, editor = journey_setup
    colleague = editor_of(region, user__first_name="Bo", user__last_name="Colleague").user
    assessment = services.assessment_start(region=region, user=editor, label="Day 50 check")
    first = Question.objects.get(theme__bank=assessment.bank, code="T1-01")
    sign_in(page, editor.username, PASSWORD)
    page.goto(assessment.get_absolute_url())

    # A colleague saves the same question while this page is open.
    page.get_by_role("link", name="Theme 1", exact=True).click()
    services.answer_save(
        assessment=assessment,
        question=first,
        user=colleague,
        data={"selected_values": ["4"]},
        expected_revision=0,
    )
    page.get_by_role("group", name="Question 1.1?").get_by_label("Initial").check()
    page.get_by_role("button", name="Save and come back later").click()
    assert "Bo Colleague changed this answer" in page.locator("main").inner_text()
    assert page.locator(f"#their-answer-{first.pk}").inner_text() == "Embedded"
    _no_violations(page, "confirm step")
    page.get_by_role("group", name="Which answer do you want to keep?").get_by_label(
        "Keep my answer"
    ).check()
    page.get_by_role("button", name="Save and come back later").click()
    assert Answer.objects.get(question=first).selected_values == ["1"]

    # Owners.
    page.get_by_role("link", name="Change the owner of Theme 1").click()
    _no_violations(page, "theme owner page")
    page.get_by_label("Bo Colleague").check()
    page.get_by_role("button", name="Save owner").click()
    assert "Owner: Bo Colleague" in page.locator("#themes").inner_text()

    # Comments and history.
    page.get_by_role("link", name="Theme 1", exact=True).click()
    page.get_by_role("link", name="Comments (0) and history of T1-01").click()
    page.get_by_label("Add a comment").fill("Is this the 2025 strategy?")
    page.get_by_role("button", name="Add comment").click()
    assert "Is this the 2025 strategy?" in page.locator("#comments").inner_text()
    assert "Bo Colleague" in page.locator("#history").inner_text()
    _no_violations(page, "comments and history")
    page.get_by_role("button", name="Mark as resolved").click()
    assert "Resolved by Ada Editor" in page.locator("#comments").inner_text()
