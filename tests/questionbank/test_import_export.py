"""Acceptance 3 and 6: export, import, export is byte-identical; malformed files are refused
with every problem located, and nothing is written."""

import copy
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from questionbank import bankfile, selectors, services
from questionbank.bankfile import BankFileError
from questionbank.models import Action, Question, QuestionBank, RubricLevel, Theme
from tests.questionbank.factories import bank_with_questions

pytestmark = pytest.mark.django_db

DEFAULT_TEXT = services.DEFAULT_BANK_PATH.read_text(encoding="utf-8")


def _row_counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (QuestionBank, Theme, Question, RubricLevel, Action))


def test_export_import_export_is_byte_identical_for_the_default_bank():
    first = services.bank_export(bank=services.bank_import(text=DEFAULT_TEXT))
    second = services.bank_export(bank=services.bank_import(text=first))
    assert second.encode() == first.encode()
    assert first == DEFAULT_TEXT


def test_export_import_export_is_byte_identical_for_an_edited_bank():
    bank = bank_with_questions(themes=2, questions_per_theme=2, published=False)
    question = Question.objects.get(theme__bank=bank, code="T1-02")
    question.guidance = "Line one.\nLine two: with a colon, 'quotes' and ünïcode — dash.\n"
    question.required = False
    question.milestone_day = 45
    question.replaces_codes = ["OLD-01", "OLD-02"]
    question.sources = "TUK17; INF"
    question.condition_question = Question.objects.get(theme__bank=bank, code="T1-01")
    question.condition_values = ["2", "3"]
    question.save()
    first = services.bank_export(bank=bank)
    reimported = services.bank_import(text=first)
    assert services.bank_export(bank=reimported) == first
    again = Question.objects.get(theme__bank=reimported, code="T1-02")
    assert again.condition_question.code == "T1-01"
    assert again.condition_question.theme.bank == reimported
    assert again.replaces_codes == ["OLD-01", "OLD-02"]
    assert again.required is False


def test_import_creates_a_new_draft_and_publish_makes_it_current():
    before = selectors.bank_current()
    draft = services.bank_import(text=DEFAULT_TEXT)
    assert draft.status == QuestionBank.Status.DRAFT
    assert selectors.bank_current() == before
    published = services.bank_import(text=DEFAULT_TEXT, publish=True)
    assert selectors.bank_current() == published
    assert published.version > draft.version


def _default_data() -> dict:
    return bankfile.bank_data_parse(DEFAULT_TEXT)


def _set(path: list, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path: list):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


Q0 = ["themes", 0, "questions", 0]  # CDIC-01, maturity
MALFORMED = {
    "score above 100": (
        _set(["themes", 2, "questions", 0, "levels", 4, "score"], 120),
        "themes[2].questions[0].levels[4].score: 120 is above 100",
    ),
    "missing required field": (
        _delete([*Q0, "text"]),
        "themes[0].questions[0].text: is missing",
    ),
    "unknown field (typo)": (
        _set([*Q0, "gudiance"], "typo"),
        "themes[0].questions[0].gudiance: unknown field",
    ),
    "unknown kind": (
        _set([*Q0, "kind"], "likert"),
        "themes[0].questions[0].kind: 'likert' is not one of",
    ),
    "wrong type for a weight": (
        _set(["themes", 1, "weight"], "eight"),
        "themes[1].weight: should be a whole number, not the text 'eight'",
    ),
    "duplicate code across themes": (
        _set(["themes", 3, "questions", 1, "code"], "CDIC-01"),
        "themes[3].questions[1].code: CDIC-01 is already used by themes[0].questions[0]",
    ),
    "duplicate theme slug": (
        _set(["themes", 4, "slug"], "data"),
        "themes[7].slug: 'data' is already used by themes[4]",
    ),
    "badly formed slug": (
        _set(["themes", 0, "slug"], "Leadership CDIC"),
        "themes[0].slug: 'Leadership CDIC' should be lower-case words joined by hyphens",
    ),
    "milestone beyond day 100": (
        _set([*Q0, "milestone_day"], 150),
        "themes[0].questions[0].milestone_day: 150 is above 100",
    ),
    "action window backwards": (
        _set([*Q0, "actions", 0, "day_from"], 60),
        "themes[0].questions[0].actions[0].day_to: day 30 is before day_from 60",
    ),
    "unknown owner role": (
        _set([*Q0, "actions", 0, "owner_role"], "king"),
        "themes[0].questions[0].actions[0].owner_role: 'king' is not one of",
    ),
    "scored question without levels": (
        _set([*Q0, "levels"], []),
        "themes[0].questions[0].levels: a scored question needs at least 2 levels",
    ),
    "theme without questions": (
        _set(["themes", 5, "questions"], []),
        "themes[5].questions: every theme needs at least one question",
    ),
    "duplicate level value": (
        _set([*Q0, "levels", 1, "value"], "0"),
        "themes[0].questions[0].levels[1].value: '0' is used by an earlier level",
    ),
    "yes_no with other answers": (
        _set(["themes", 0, "questions", 1, "levels", 1, "value"], "maybe"),
        "themes[0].questions[1].levels: a yes_no question has exactly two levels: yes and no",
    ),
    "number question with a non-number level": (
        _set(["themes", 2, "questions", 3, "levels", 1, "value"], "five"),
        "themes[2].questions[3].levels[1].value: 'five' is not a number",
    ),
    "condition on a later question": (
        _set([*Q0, "condition"], {"question": "CDIC-02", "values": ["yes"]}),
        "themes[0].questions[0].condition.question: CDIC-02 comes after this question",
    ),
    "condition on another theme": (
        _set(
            ["themes", 1, "questions", 0, "condition"], {"question": "CDIC-02", "values": ["yes"]}
        ),
        "themes[1].questions[0].condition.question: CDIC-02 is in another theme (themes[0])",
    ),
    "condition on itself": (
        _set(
            ["themes", 0, "questions", 2, "condition"], {"question": "CDIC-03", "values": ["yes"]}
        ),
        "themes[0].questions[2].condition.question: CDIC-03 cannot depend on its own answer",
    ),
    "condition on a missing code": (
        _set(["themes", 0, "questions", 2, "condition"], {"question": "NOPE-01", "values": ["x"]}),
        "themes[0].questions[2].condition.question: there is no question 'NOPE-01'",
    ),
    "condition value that is not an answer": (
        _set(["themes", 0, "questions", 2, "condition", "values"], ["perhaps"]),
        "themes[0].questions[2].condition.values[0]: 'perhaps' is not an answer of CDIC-02",
    ),
    "unknown format": (_set(["format"], 2), "format: 2 is not a format this version reads"),
}


@pytest.mark.parametrize("kind", list(MALFORMED))
def test_malformed_data_is_refused_with_a_located_message_and_nothing_written(kind):
    change, expected = MALFORMED[kind]
    data = copy.deepcopy(_default_data())
    change(data)
    text = bankfile.bank_data_dump(data)
    before = _row_counts()
    with pytest.raises(BankFileError) as refused:
        services.bank_import(text=text)
    assert any(p.startswith(expected) for p in refused.value.problems), refused.value.problems
    assert _row_counts() == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("format: 1\ntitle: [unclosed\n", "line 3, column 1: not valid YAML"),
        (
            "format: 1\ntitle: A\ntitle: B\nthemes: []\n",
            "line 3, column 1: not valid YAML: the key ",
        ),
        ("- just\n- a list\n", "file: should be a block of fields, not a list"),
        ("", "file: should be a block of fields, not empty"),
        (b"format: 1\ntitle: \xff\n", "file: not UTF-8 text"),
    ],
)
def test_unreadable_files_are_refused_with_a_located_message(text, expected):
    before = _row_counts()
    with pytest.raises(BankFileError) as refused:
        services.bank_import(text=text)
    assert refused.value.problems[0].startswith(expected), refused.value.problems
    assert _row_counts() == before


def test_every_problem_is_listed_at_once():
    data = _default_data()
    data["themes"][2]["questions"][0]["levels"][4]["score"] = 120
    data["themes"][0]["questions"][0]["kind"] = "likert"
    data["themes"][9]["weight"] = 0
    problems = bankfile.bank_data_validate(data)
    assert len(problems) == 3
    assert "themes[2].questions[0].levels[4].score: 120 is above 100" in problems
    assert "themes[9].weight: 0 is below 1" in problems


def test_a_problem_found_after_some_rows_are_written_rolls_everything_back(monkeypatch):
    """Validation runs before any write, but the import is also one transaction."""
    before = _row_counts()
    original = services._create_tree

    def create_then_fail(*args):
        original(*args)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_create_tree", create_then_fail)
    with pytest.raises(RuntimeError):
        services.bank_import(text=DEFAULT_TEXT)
    assert _row_counts() == before


def test_import_command_refuses_a_bad_file_and_lists_problems(tmp_path):
    path = tmp_path / "bad.yaml"
    data = _default_data()
    data["themes"][2]["questions"][0]["levels"][4]["score"] = 120
    path.write_text(bankfile.bank_data_dump(data))
    before = _row_counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_questionbank", str(path))
    assert "themes[2].questions[0].levels[4].score: 120 is above 100" in str(refused.value)
    assert "nothing was written" in str(refused.value)
    assert _row_counts() == before


def test_import_and_export_commands_round_trip(tmp_path):
    source = tmp_path / "bank.yaml"
    source.write_text(DEFAULT_TEXT)
    out = StringIO()
    call_command("import_questionbank", str(source), "--publish", stdout=out)
    current = selectors.bank_current()
    assert f"version {current.version}" in out.getvalue()
    exported = tmp_path / "exported.yaml"
    call_command("export_questionbank", str(exported), stderr=StringIO())
    assert exported.read_bytes() == source.read_bytes()
    stdout = StringIO()
    call_command("export_questionbank", "--version", str(current.version), stdout=stdout)
    assert stdout.getvalue() == DEFAULT_TEXT
    with pytest.raises(CommandError, match="no version 999"):
        call_command("export_questionbank", "--version", "999")
