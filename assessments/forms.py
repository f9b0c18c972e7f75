"""Forms for taking an assessment. They parse and check input; services do the saving."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError

from assessments import limits
from assessments.answers import AnswerValue
from assessments.models import Answer, Membership, evidence_url_validator
from questionbank import kinds
from questionbank.snapshot import QuestionSnapshot

FIELD_OF_DATA_KEY = {
    "selected_values": "",
    "number_value": "",
    "text_value": "",
    "note": "-note",
    "evidence_url": "-evidence",
}
QUESTION_KEY = re.compile(r"^q(\d+)(?:-[a-z]+)?$")
KEEP_MINE = "mine"
KEEP_THEIRS = "theirs"


def _helper(*layout: object) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class AssessmentStartForm(forms.Form):
    label = forms.CharField(
        label="Label for this assessment",
        help_text="For example “Baseline, day 1”, “Day 50 check” or “Day 100 review”.",
        max_length=limits.LABEL.max_length,
        error_messages={
            "required": "Enter a label for the assessment",
            "max_length": limits.LABEL.message,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("label", field_width=30), Submit("start", "Start an assessment")
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why are you reopening this assessment?",
        help_text="Colleagues see this reason in the assessment's history.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.REASON.max_length,
        error_messages={
            "required": "Enter why you are reopening the assessment",
            "max_length": limits.REASON.message,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("reason", rows=4, max_characters=limits.REASON.max_length),
            Submit("reopen", "Reopen the assessment"),
        )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Add a comment",
        help_text="Ask a colleague something or record a caveat about this answer.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=limits.COMMENT.max_length,
        error_messages={
            "required": "Enter a comment",
            "max_length": limits.COMMENT.message,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("text", rows=3, max_characters=limits.COMMENT.max_length),
            Submit("comment", "Add comment"),
        )


class ThemeAssignForm(forms.Form):
    NOBODY = ""

    assignee = forms.ChoiceField(
        label="Who owns this theme?",
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose an editor of this region"},
    )

    def __init__(self, *args: Any, editors: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editors = {str(m.user.pk): m.user for m in editors}
        cast(forms.ChoiceField, self.fields["assignee"]).choices = [
            Choice(str(m.user.pk), m.user.get_full_name() or m.user.username) for m in editors
        ] + [Choice(self.NOBODY, "Nobody yet")]
        self.helper = _helper(
            Field.radios("assignee", legend_size=Size.MEDIUM, legend_tag="h1"),
            Submit("assign", "Save owner"),
        )

    def cleaned_assignee(self):
        return self.editors.get(self.cleaned_data["assignee"])


@dataclass
class PostedAnswer:
    question: QuestionSnapshot
    data: dict
    expected_revision: int
    keep: str


def answer_initial(question: QuestionSnapshot, answer: Answer | None) -> dict:
    if answer is None:
        return {}
    return answer_value_initial(question, answer.value)


def answer_value_initial(question: QuestionSnapshot, value: AnswerValue) -> dict:
    key = f"q{question.pk}"
    initial: dict[str, object] = {f"{key}-note": value.note, f"{key}-evidence": value.evidence_url}
    if question.kind == kinds.MULTI_CHOICE:
        initial[key] = list(value.selected_values)
    elif question.kind == kinds.NUMBER:
        initial[key] = None if value.number_value is None else str(value.number_value)
    elif question.kind == kinds.TEXT:
        initial[key] = value.text_value
    else:
        initial[key] = value.selected_values[0] if value.selected_values else ""
    return initial


class ThemeAnswersForm(forms.Form):
    """All the questions of one theme. Every answer is optional here: required questions are
    enforced when the assessment is submitted."""

    def __init__(
        self,
        *args: Any,
        questions: tuple[QuestionSnapshot, ...],
        revisions: dict[int, int],
        conflicts: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.by_pk = {q.pk: q for q in questions}
        posted_conflicts = {q.pk for q in questions if self.data.get(f"q{q.pk}-conflict") == "1"}
        self.conflicts = set(conflicts) | posted_conflicts
        for question in questions:
            key = f"q{question.pk}"
            self.fields[key] = self._value_field(question)
            self.fields[f"{key}-note"] = forms.CharField(
                label="Note (optional)",
                help_text="Anything a reader of the results should know about this answer.",
                required=False,
                max_length=limits.NOTE.max_length,
                widget=forms.Textarea(
                    attrs={"rows": 2, "class": "govuk-textarea govuk-js-character-count"}
                ),
                error_messages={"max_length": limits.NOTE.message},
            )
            self.fields[f"{key}-evidence"] = forms.CharField(
                label="Link to evidence (optional)",
                help_text="A web address starting with https://, for example a published strategy.",
                required=False,
                max_length=limits.EVIDENCE_URL.max_length,
                validators=[evidence_url_validator],
                widget=forms.TextInput(
                    attrs={"class": "govuk-input", "spellcheck": "false", "inputmode": "url"}
                ),
                error_messages={"max_length": limits.EVIDENCE_URL.message},
            )
            self.fields[f"{key}-revision"] = forms.IntegerField(
                widget=forms.HiddenInput,
                required=False,
                min_value=0,
                initial=revisions.get(question.pk, 0),
            )
            if question.pk in self.conflicts:
                self.fields[f"{key}-keep"] = forms.ChoiceField(
                    label="Which answer do you want to keep?",
                    widget=forms.RadioSelect,
                    choices=[
                        Choice(KEEP_MINE, "Keep my answer", hint="Replace the newer answer."),
                        Choice(KEEP_THEIRS, "Keep their answer", hint="Discard my change."),
                    ],
                    error_messages={
                        "required": "Choose whether to keep your answer or your colleague's",
                        "invalid_choice": "Choose whether to keep your answer or your colleague's",
                    },
                )
                self.fields[f"{key}-conflict"] = forms.CharField(
                    widget=forms.HiddenInput, required=False, initial="1"
                )

    @staticmethod
    def _value_field(question: QuestionSnapshot) -> forms.Field:
        label = question.text if question.required else f"{question.text} (optional)"
        levels = question.levels
        choices = [
            Choice(
                level.value,
                level.label,
                **({"hint": level.description} if level.description else {}),
            )
            for level in levels
        ]
        hints = []
        if question.milestone_day:
            hints.append(f"A 100-day milestone: due by day {question.milestone_day}.")
        if question.kind == kinds.MULTI_CHOICE:
            hints.append("Select all that apply.")
        help_text = " ".join(hints)
        invalid = "Select one of the options given for this question"
        if question.kind == kinds.MULTI_CHOICE:
            return forms.MultipleChoiceField(
                label=label,
                help_text=help_text,
                required=False,
                choices=choices,
                widget=forms.CheckboxSelectMultiple,
                error_messages={"invalid_choice": invalid, "invalid_list": invalid},
            )
        if question.kind == kinds.NUMBER:
            return forms.DecimalField(
                label=label,
                help_text=help_text,
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                widget=forms.TextInput(
                    attrs={"class": "govuk-input govuk-input--width-10", "inputmode": "decimal"}
                ),
                error_messages={
                    "invalid": "Enter a number, like 12 or 3.5",
                    "min_value": "Enter a number of 0 or more",
                    "max_digits": "Enter a smaller number",
                    "max_decimal_places": "Enter a number with at most 2 decimal places",
                    "max_whole_digits": "Enter a smaller number",
                },
            )
        if question.kind == kinds.TEXT:
            return forms.CharField(
                label=label,
                help_text=help_text,
                required=False,
                max_length=limits.TEXT_ANSWER.max_length,
                widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
                error_messages={"max_length": limits.TEXT_ANSWER.message},
            )
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": invalid},
        )

    def clean(self):
        cleaned = super().clean()
        stray = {
            int(match.group(1))
            for key in self.data
            if (match := QUESTION_KEY.match(key)) and int(match.group(1)) not in self.by_pk
        }
        if stray:
            raise forms.ValidationError(
                "An answer was sent for a question that is not part of this theme of this "
                "assessment. Nothing was saved: reload the page and try again.",
                code="stray_question",
            )
        return cleaned

    def field_anchor(self, name: str) -> str:
        """The id of the element an error summary link should focus for field `name`."""
        field = self.fields[name]
        if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            return f"id_{name}_1"
        return f"id_{name}"

    def error_links(self) -> list[tuple[str, str]]:
        links: list[tuple[str, str]] = []
        first = self.field_anchor(f"q{self.questions[0].pk}") if self.questions else "main-content"
        links.extend((first, str(error)) for error in self.non_field_errors())
        for name in self.fields:
            # Every field is named after its question: q<pk>.
            match = cast(re.Match[str], QUESTION_KEY.match(name))
            question = self.by_pk[int(match.group(1))]
            for error in self.errors.get(name, []):
                links.append((self.field_anchor(name), f"{question.code}: {error}"))
        return links

    def posted_answers(self, *, visible_ids: set[int]) -> list[PostedAnswer]:
        """The answers of the visible questions, as data for assessments.services.answer_save."""
        posted = []
        for question in self.questions:
            if question.pk not in visible_ids:
                continue
            key = f"q{question.pk}"
            value = self.cleaned_data.get(key)
            data = {
                "note": self.cleaned_data.get(f"{key}-note", ""),
                "evidence_url": self.cleaned_data.get(f"{key}-evidence", ""),
            }
            if question.kind == kinds.MULTI_CHOICE:
                data["selected_values"] = list(value or [])
            elif question.kind == kinds.NUMBER:
                data["number_value"] = value
            elif question.kind == kinds.TEXT:
                data["text_value"] = value or ""
            else:
                data["selected_values"] = [value] if value else []
            posted.append(
                PostedAnswer(
                    question=question,
                    data=data,
                    expected_revision=self.cleaned_data.get(f"{key}-revision") or 0,
                    keep=self.cleaned_data.get(f"{key}-keep") or "",
                )
            )
        return posted

    def posted_condition_values(self) -> dict[int, set[str]]:
        """The values this post gives each question, for deciding which questions are asked."""
        values: dict[int, set[str]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if value in (None, "", []):
                values[question.pk] = set()
            elif isinstance(value, list):
                values[question.pk] = {str(v) for v in value}
            elif question.kind == kinds.NUMBER:
                number = cast(Decimal, value)  # a number field cleans to a Decimal
                values[question.pk] = {format(number.normalize(), "f")}
            else:
                values[question.pk] = {str(value)}
        return values

    def add_service_errors(self, question: QuestionSnapshot, error: ValidationError) -> None:
        key = f"q{question.pk}"
        if hasattr(error, "error_dict"):
            for data_key, messages in error.message_dict.items():
                name = key + FIELD_OF_DATA_KEY.get(data_key, "")
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(key, message)
