"""Forms for the action plan: parse and check input; services do the saving."""

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from assessments import limits
from assessments.results.services import DUE_DAY_MAX, DUE_DAY_MIN

DUE_DAY_ERROR = f"Enter a due day between {DUE_DAY_MIN} and {DUE_DAY_MAX}"


class ActionPlanItemForm(forms.Form):
    owner_name = forms.CharField(
        label="Owner's name",
        help_text="The person who will make sure this happens.",
        required=False,
        max_length=limits.OWNER_NAME.max_length,
        error_messages={"max_length": limits.OWNER_NAME.message},
    )
    due_day = forms.IntegerField(
        label="Due day",
        help_text=(
            f"The day of the mayor's term, from {DUE_DAY_MIN} to {DUE_DAY_MAX}. Day 1 is the "
            "day the mayor took office."
        ),
        min_value=DUE_DAY_MIN,
        max_value=DUE_DAY_MAX,
        error_messages={
            "required": "Enter a due day",
            "invalid": "Enter the due day as a whole number, like 45",
            "min_value": DUE_DAY_ERROR,
            "max_value": DUE_DAY_ERROR,
        },
    )
    done = forms.BooleanField(label="This action is done", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A plain text box with a numeric keyboard, as the GOV.UK Design System advises.
        self.fields["due_day"].widget = forms.TextInput(
            attrs={"inputmode": "numeric", "spellcheck": "false"}
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("owner_name", field_width=20),
            Field.text("due_day", field_width=3),
            Field.checkbox("done", small=True),
            Submit("save", "Save changes"),
        )
