"""The question kinds: the one place their values, groups and labels live.

Pure: no Django and nothing from the project, so `assessments.scoring` can read it too (an
import-linter contract holds both to that)."""

MATURITY = "maturity"
YES_NO = "yes_no"
SINGLE_CHOICE = "single_choice"
MULTI_CHOICE = "multi_choice"
NUMBER = "number"
TEXT = "text"

# Answered by exactly one chosen value.
SINGLE_VALUE_KINDS = frozenset({MATURITY, YES_NO, SINGLE_CHOICE})
# Answered by choosing from the rubric's levels.
CHOICE_KINDS = frozenset({*SINGLE_VALUE_KINDS, MULTI_CHOICE})
SCORED_KINDS = frozenset({*CHOICE_KINDS, NUMBER})
ALL_KINDS = frozenset({*SCORED_KINDS, TEXT})

LABELS = {
    MATURITY: "Maturity scale",
    YES_NO: "Yes or no",
    SINGLE_CHOICE: "One choice",
    MULTI_CHOICE: "Several choices",
    NUMBER: "Number",
    TEXT: "Text (not scored)",
}
