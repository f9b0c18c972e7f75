"""The open-data choice of a region: parse and check input; services do the saving."""

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

PUBLISH = "publish"
WITHDRAW = "withdraw"


class OpenDataForm(forms.Form):
    choice = forms.ChoiceField(
        label="Publish this region's scores as open data?",
        choices=[
            (PUBLISH, "Yes, publish our latest submitted scores"),
            (WITHDRAW, "No, do not publish them"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to publish this region's scores",
            "invalid_choice": "Select whether to publish this region's scores",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(Field.radios("choice"), Submit("save", "Save"))
