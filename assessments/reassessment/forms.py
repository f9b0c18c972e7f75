"""Forms for re-assessment and comparison: parse and check input; services do the saving."""

from typing import Any, cast

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from assessments import limits
from assessments.formatting import numeric_date
from assessments.models import Assessment


class ReassessmentForm(forms.Form):
    label = forms.CharField(
        label="Label for the new assessment",
        help_text="For example “Day 50 check” or “Day 100 review”.",
        max_length=limits.LABEL.max_length,
        error_messages={
            "required": "Enter a label for the new assessment",
            "max_length": limits.LABEL.message,
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("label", field_width=30),
            Submit("start", "Start the new assessment"),
        )


def _choice_label(assessment: Assessment) -> str:
    when = assessment.submitted_at or assessment.created_at
    state = "submitted" if assessment.is_submitted else "in progress, started"
    return (
        f"{assessment.label} ({state} {numeric_date(when)}, "
        f"question bank v{assessment.bank.version})"
    )


class CompareForm(forms.Form):
    """Two assessments of the region, read from the query string."""

    before = forms.TypedChoiceField(
        label="Earlier assessment",
        coerce=int,
        error_messages={"invalid_choice": "Choose an assessment of this region from the list"},
    )
    after = forms.TypedChoiceField(
        label="Later assessment",
        coerce=int,
        error_messages={"invalid_choice": "Choose an assessment of this region from the list"},
    )

    def __init__(self, *args: Any, assessments: list[Assessment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(a.pk, _choice_label(a)) for a in assessments]
        for name in ("before", "after"):
            cast(forms.ChoiceField, self.fields[name]).choices = choices
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_method = "get"
        self.helper.label_size = Size.SMALL
        # The button is in the template: a GET form needs no named submit.
        self.helper.layout = Layout(Field.select("before"), Field.select("after"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("before") and cleaned.get("before") == cleaned.get("after"):
            self.add_error("after", "Choose two different assessments")
        return cleaned
