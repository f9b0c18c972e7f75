"""The question-bank file: one YAML document holding a whole version of the bank.

Pure functions over plain data (no ORM), so that the import, the publish check, the admin
upload and the data migration share one reading of the format. `questionbank/data/FORMAT.md`
documents it for people.

`bank_data_validate` is THE validator: publishing serialises a draft to this same data shape
(`selectors.bank_data`) and runs it, so a draft that would not import cannot be published.
"""

import functools
import math
import re
from collections.abc import Callable
from typing import Any

import yaml

from questionbank import kinds

FORMAT_VERSION = 1

OWNER_ROLES = ("mayor", "cdic", "ca_officers", "councils", "partners")
PRIORITIES = ("high", "medium", "low")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


class BankFileError(Exception):
    """A bank file or draft that cannot be imported or published, with every problem located."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


# ---------------------------------------------------------------------------------------------
# Reading YAML


class _StrictLoader(yaml.SafeLoader):
    """Safe loading that refuses a key given twice in one mapping (YAML would keep the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Mark] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"the key {key!r} appears twice in the same block "
                f"(first on line {seen[key].line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def bank_data_parse(text: str | bytes) -> Any:
    """YAML text to plain data; a syntax error raises BankFileError located by line."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BankFileError(
                [f"file: not UTF-8 text (byte {error.start} cannot be read)"]
            ) from error
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"
        raise BankFileError([f"{where}: not valid YAML: {error.problem}"]) from error
    except yaml.YAMLError as error:
        raise BankFileError([f"file: not valid YAML: {error}"]) from error


# ---------------------------------------------------------------------------------------------
# Writing YAML


class _BankDumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write YAML by hand.
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_BankDumper.add_representer(str, _represent_str)


def bank_data_dump(data: dict) -> str:
    """Plain data to the canonical YAML text: the same data always gives the same bytes."""
    return yaml.dump(
        data,
        Dumper=_BankDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


# ---------------------------------------------------------------------------------------------
# Validating


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if _is_int(value) or isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a block of fields"
    return type(value).__name__


class _Checker:
    """Collects located problems while walking the data."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def fields(
        self,
        where: str,
        block: Any,
        required: tuple[str, ...],
        optional: tuple[str, ...],
    ) -> bool:
        if not isinstance(block, dict):
            self.add(where, f"should be a block of fields, not {_type_name(block)}")
            return False
        for key in block:
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                self.add(
                    f"{where}.{key}" if where else str(key), f"unknown field (allowed: {allowed})"
                )
        for key in required:
            if key not in block:
                self.add(f"{where}.{key}" if where else key, "is missing")
        return True

    def text(
        self,
        where: str,
        value: Any,
        *,
        max_length: int | None = None,
        blank: bool = False,
    ) -> bool:
        if not isinstance(value, str):
            self.add(where, f"should be text, not {_type_name(value)}")
            return False
        if not blank and not value.strip():
            self.add(where, "should not be empty")
            return False
        if max_length is not None and len(value) > max_length:
            self.add(where, f"is {len(value)} characters long; the most is {max_length}")
            return False
        return True

    def integer(self, where: str, value: Any, *, low: int, high: int) -> bool:
        if not _is_int(value):
            self.add(where, f"should be a whole number, not {_type_name(value)}")
            return False
        if value < low:
            self.add(where, f"{value} is below {low}")
            return False
        if value > high:
            self.add(where, f"{value} is above {high}")
            return False
        return True

    def choice(self, where: str, value: Any, choices: tuple[str, ...]) -> bool:
        if value not in choices or not isinstance(value, str):
            self.add(where, f"{value!r} is not one of: {', '.join(choices)}")
            return False
        return True


def _check_level(check: _Checker, where: str, level: Any) -> str | None:
    """Returns the level's value (as text) when it is usable."""
    if not check.fields(where, level, ("value", "label", "score"), ("description",)):
        return None
    value = level.get("value")
    ok = "value" in level and check.text(f"{where}.value", value, max_length=50)
    if "label" in level:
        check.text(f"{where}.label", level["label"], max_length=200)
    if "score" in level:
        check.integer(f"{where}.score", level["score"], low=0, high=100)
    if "description" in level:
        check.text(f"{where}.description", level["description"], blank=True)
    return value if ok else None


def _check_action(check: _Checker, where: str, action: Any) -> None:
    required = ("text", "owner_role", "applies_below_score", "day_from", "day_to", "priority")
    if not check.fields(where, action, required, ()):
        return
    if "text" in action:
        check.text(f"{where}.text", action["text"])
    if "owner_role" in action:
        check.choice(f"{where}.owner_role", action["owner_role"], OWNER_ROLES)
    if "applies_below_score" in action:
        check.integer(
            f"{where}.applies_below_score", action["applies_below_score"], low=1, high=101
        )
    days_ok = all(
        key in action and check.integer(f"{where}.{key}", action[key], low=1, high=365)
        for key in ("day_from", "day_to")
    )
    if days_ok and action["day_from"] > action["day_to"]:
        check.add(
            f"{where}.day_to",
            f"day {action['day_to']} is before day_from {action['day_from']}",
        )
    if "priority" in action:
        check.choice(f"{where}.priority", action["priority"], PRIORITIES)


def _check_levels(check: _Checker, where: str, question: dict, kind: str | None) -> list[str]:
    levels = question.get("levels", [])
    if not isinstance(levels, list):
        check.add(f"{where}.levels", f"should be a list, not {_type_name(levels)}")
        return []
    if kind == "text":
        if levels:
            check.add(f"{where}.levels", "a text question is not scored and has no levels")
        return []
    if kind in kinds.SCORED_KINDS and len(levels) < 2:
        check.add(
            f"{where}.levels",
            f"a scored question needs at least 2 levels (answer options); it has {len(levels)}",
        )
    values = _check_level_values(check, where, levels, kind)
    if kind == "yes_no" and sorted(values) != ["no", "yes"] and len(values) == len(levels):
        check.add(f"{where}.levels", "a yes_no question has exactly two levels: yes and no")
    return values


def _check_level_values(
    check: _Checker, where: str, levels: list[Any], kind: str | None
) -> list[str]:
    """Each level's checks; returns the usable values, in order."""
    values: list[str] = []
    for index, level in enumerate(levels):
        level_where = f"{where}.levels[{index}]"
        value = _check_level(check, level_where, level)
        if value is None:
            continue
        if value in values:
            check.add(f"{level_where}.value", f"{value!r} is used by an earlier level")
        elif kind == "number" and not _is_finite_number(value):
            check.add(
                f"{level_where}.value",
                f"{value!r} is not a number (a number question's levels are lower bounds)",
            )
        values.append(value)
    return values


def _is_finite_number(value: str) -> bool:
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


QUESTION_REQUIRED = ("code", "text", "kind", "weight")
QUESTION_OPTIONAL = (
    "guidance",
    "required",
    "milestone_day",
    "replaces",
    "sources",
    "condition",
    "levels",
    "actions",
)


def _check_question(check: _Checker, where: str, question: Any) -> tuple[str | None, list[str]]:
    """Returns the question's code and level values (when usable)."""
    if not check.fields(where, question, QUESTION_REQUIRED, QUESTION_OPTIONAL):
        return None, []
    code = _check_code(check, where, question)
    if "text" in question:
        check.text(f"{where}.text", question["text"])
    if "guidance" in question:
        check.text(f"{where}.guidance", question["guidance"], blank=True)
    kind = question.get("kind")
    if "kind" in question and not check.choice(f"{where}.kind", kind, tuple(kinds.LABELS)):
        kind = None
    _check_question_settings(check, where, question)
    values = _check_levels(check, where, question, kind)
    _check_actions(check, where, question, kind)
    return code, values


def _check_code(check: _Checker, where: str, question: Any) -> str | None:
    """The question's code when it is usable."""
    if "code" not in question or not check.text(f"{where}.code", question["code"], max_length=20):
        return None
    code: str = question["code"]  # check.text has seen a string
    if not CODE_RE.match(code):
        check.add(
            f"{where}.code",
            f"{code!r} should be capital letters and digits joined by hyphens, e.g. CDIC-01",
        )
        return None
    return code


def _check_question_settings(check: _Checker, where: str, question: dict[str, Any]) -> None:
    """Weight, required, milestone day, the codes it replaces and its sources."""
    if "weight" in question:
        check.integer(f"{where}.weight", question["weight"], low=1, high=100)
    if "required" in question and not isinstance(question["required"], bool):
        check.add(
            f"{where}.required", f"should be true or false, not {_type_name(question['required'])}"
        )
    if question.get("milestone_day") is not None:
        check.integer(f"{where}.milestone_day", question["milestone_day"], low=1, high=100)
    if "replaces" in question:
        replaces = question["replaces"]
        if not isinstance(replaces, list):
            check.add(f"{where}.replaces", f"should be a list of codes, not {_type_name(replaces)}")
        else:
            for index, replaced in enumerate(replaces):
                check.text(f"{where}.replaces[{index}]", replaced, max_length=20)
    if "sources" in question:
        check.text(f"{where}.sources", question["sources"], max_length=300, blank=True)


def _check_actions(check: _Checker, where: str, question: dict[str, Any], kind: str | None) -> None:
    actions = question.get("actions", [])
    if not isinstance(actions, list):
        check.add(f"{where}.actions", f"should be a list, not {_type_name(actions)}")
    elif actions and kind == "text":
        check.add(f"{where}.actions", "a text question is not scored, so no action can follow it")
    else:
        for index, action in enumerate(actions):
            _check_action(check, f"{where}.actions[{index}]", action)


def _check_condition(
    check: _Checker,
    where: str,
    condition: Any,
    *,
    code: str | None,
    theme_index: int,
    position: int,
    questions_by_code: dict[str, tuple[int, int, str, list[str]]],
) -> None:
    if condition is None:
        return
    if not check.fields(where, condition, ("question", "values"), ()):
        return
    target_code = condition.get("question")
    values = condition.get("values")
    if "question" not in condition or not check.text(f"{where}.question", target_code):
        return
    if target_code == code:
        check.add(f"{where}.question", f"{code} cannot depend on its own answer")
        return
    target = questions_by_code.get(target_code)
    if target is None:
        check.add(f"{where}.question", f"there is no question {target_code!r} in this bank")
        return
    problem = _condition_target_problem(target_code, target, theme_index, position)
    if problem is not None:
        check.add(f"{where}.question", problem)
        return
    if "values" not in condition:
        return
    _check_condition_values(check, f"{where}.values", values, target_code, target[3])


def _condition_target_problem(
    target_code: str,
    target: tuple[int, int, str, list[str]],
    theme_index: int,
    position: int,
) -> str | None:
    """Why a condition cannot read this question (in another theme, later, or of a kind
    without answer options), or None when it can."""
    target_theme, target_position, target_kind, _values = target
    if target_theme != theme_index:
        return (
            f"{target_code} is in another theme (themes[{target_theme}]); a condition must "
            "point at an earlier question of the same theme"
        )
    if target_position >= position:
        return (
            f"{target_code} comes after this question (questions[{target_position}]); a "
            "condition must point at an earlier question"
        )
    # A condition reads the answer of a question that has answer options to compare with.
    if target_kind not in kinds.CHOICE_KINDS:
        return (
            f"{target_code} is a {target_kind} question; a condition can only read a "
            "maturity, yes_no, single_choice or multi_choice answer"
        )
    return None


def _check_condition_values(
    check: _Checker, where: str, values: Any, target_code: str, target_values: list[str]
) -> None:
    if not isinstance(values, list) or not values:
        check.add(where, f"should be a list of {target_code}'s answer values")
        return
    for index, value in enumerate(values):
        if value not in target_values:
            allowed = ", ".join(repr(v) for v in target_values)
            check.add(
                f"{where}[{index}]",
                f"{value!r} is not an answer of {target_code} (its values: {allowed})",
            )


THEME_REQUIRED = ("slug", "title", "weight", "questions")
THEME_OPTIONAL = ("description", "why_it_matters")


def bank_data_validate(data: Any) -> list[str]:
    """Every problem in a whole bank, each located by its place in the file, e.g.
    `themes[2].questions[0].levels[4].score: 120 is above 100`. Empty when the bank is sound."""
    check = _Checker()
    if not check.fields("file", data, ("format", "title", "themes"), ("change_notes",)):
        return check.problems
    # Top-level places read better without a "file." prefix.
    check.problems = [p.replace("file.", "", 1) for p in check.problems]
    _check_header(check, data)
    themes = data.get("themes")
    if "themes" not in data:
        return check.problems
    if not isinstance(themes, list) or not themes:
        check.add("themes", "should be a list with at least one theme")
        return check.problems

    slugs: dict[str, int] = {}
    questions_by_code: dict[str, tuple[int, int, str, list[str]]] = {}
    conditions: list[Callable[[], None]] = []
    for t, theme in enumerate(themes):
        where = f"themes[{t}]"
        if not check.fields(where, theme, THEME_REQUIRED, THEME_OPTIONAL):
            continue
        _check_theme_settings(check, where, theme, t, slugs)
        questions = theme.get("questions")
        if "questions" not in theme:
            continue
        if not isinstance(questions, list) or not questions:
            check.add(f"{where}.questions", "every theme needs at least one question")
            continue
        for q, question in enumerate(questions):
            conditions.extend(_check_bank_question(check, where, t, q, question, questions_by_code))
    # Conditions are checked once every code is known, so "later" and "missing" differ.
    for check_condition in conditions:
        check_condition()
    return check.problems


def _check_header(check: _Checker, data: Any) -> None:
    if "format" in data and data["format"] != FORMAT_VERSION:
        check.add(
            "format", f"{data['format']!r} is not a format this version reads ({FORMAT_VERSION})"
        )
    if "title" in data:
        check.text("title", data["title"], max_length=200)
    if "change_notes" in data:
        check.text("change_notes", data["change_notes"], blank=True)


def _check_theme_settings(
    check: _Checker, where: str, theme: Any, index: int, slugs: dict[str, int]
) -> None:
    """Slug (recorded in `slugs` when new), title, texts and weight of themes[index]."""
    slug = theme.get("slug")
    if "slug" in theme and check.text(f"{where}.slug", slug, max_length=80):
        if not SLUG_RE.match(slug):
            check.add(f"{where}.slug", f"{slug!r} should be lower-case words joined by hyphens")
        elif slug in slugs:
            check.add(f"{where}.slug", f"{slug!r} is already used by themes[{slugs[slug]}]")
        else:
            slugs[slug] = index
    if "title" in theme:
        check.text(f"{where}.title", theme["title"], max_length=200)
    for key in THEME_OPTIONAL:
        if key in theme:
            check.text(f"{where}.{key}", theme[key], blank=True)
    if "weight" in theme:
        check.integer(f"{where}.weight", theme["weight"], low=1, high=1000)


def _check_bank_question(
    check: _Checker,
    theme_where: str,
    t: int,
    q: int,
    question: Any,
    questions_by_code: dict[str, tuple[int, int, str, list[str]]],
) -> list[Callable[[], None]]:
    """Checks themes[t].questions[q] and records its code in `questions_by_code`; returns the
    check of its condition, to run once every code is known."""
    q_where = f"{theme_where}.questions[{q}]"
    code, values = _check_question(check, q_where, question)
    if code is None:
        return []
    if code in questions_by_code:
        first_t, first_q, _kind, _values = questions_by_code[code]
        check.add(
            f"{q_where}.code",
            f"{code} is already used by themes[{first_t}].questions[{first_q}]; "
            "codes are unique across the bank",
        )
        return []
    questions_by_code[code] = (t, q, question.get("kind"), values)
    if question.get("condition") is None:
        return []
    return [
        functools.partial(
            _check_condition,
            check,
            f"{q_where}.condition",
            question["condition"],
            code=code,
            theme_index=t,
            position=q,
            questions_by_code=questions_by_code,
        )
    ]
