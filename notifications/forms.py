from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from notifications.models import Event, NotificationSettings


class NotificationSettingsForm(forms.Form):
    events = forms.MultipleChoiceField(
        label="Send me an email when",
        help_text="Select all that apply. Emails you need to sign in, such as a password "
        "reset, are always sent.",
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: object, current: NotificationSettings, **kwargs: object) -> None:
        kwargs.setdefault("initial", {"events": [e.value for e in Event if current.wants(e)]})
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("events", legend_size=Size.MEDIUM, legend_tag="h2"),
            Submit("save", "Save settings"),
        )

    def switches(self) -> dict[str, bool]:
        """One switch per event: on when its box is ticked."""
        chosen = set(self.cleaned_data["events"])
        return {event.value: event.value in chosen for event in Event}
