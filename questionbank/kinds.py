"""The kinds of question the bank can ask, defined once. Pure: no Django and nothing from the
project, so that scoring, the bank file format, forms and services all read the same sets (an
import-linter contract holds it to that)."""

MATURITY = "maturity"
YES_NO = "yes_no"
SINGLE_CHOICE = "single_choice"
MULTI_CHOICE = "multi_choice"
NUMBER = "number"
TEXT = "text"

LABELS = {
    MATURITY: "Maturity scale",
    YES_NO: "Yes or no",
    SINGLE_CHOICE: "One choice",
    MULTI_CHOICE: "Several choices",
    NUMBER: "Number",
    TEXT: "Text (not scored)",
}
ALL_KINDS = frozenset(LABELS)
# Answered by picking exactly one of the question's levels.
SINGLE_VALUE_KINDS = frozenset({MATURITY, YES_NO, SINGLE_CHOICE})
# Answered by picking levels; a condition can only read a question of these kinds.
CHOICE_KINDS = SINGLE_VALUE_KINDS | {MULTI_CHOICE}
SCORED_KINDS = CHOICE_KINDS | {NUMBER}
