"""Forms of the team pages and of accepting an invitation: parse and check input; the services
do the saving (and the checks that need the database, such as "already a member")."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.models import User

from assessments.models import Membership
from assessments.team.models import Invitation

ROLE_HINTS = {
    Membership.Role.ADMIN: "Everything an editor can do, and manages the team and open data.",
    Membership.Role.EDITOR: "Answers the assessment, owns themes and updates the action plan.",
    Membership.Role.VIEWER: "Reads the results and downloads briefings.",
}
NAME_MAX = Invitation._meta.get_field("name").max_length
FIRST_NAME_MAX = User._meta.get_field("first_name").max_length
LAST_NAME_MAX = User._meta.get_field("last_name").max_length


def _role_choices() -> list[Choice]:
    return [
        Choice(role.value, role.label.split(" (")[0], hint=ROLE_HINTS[role])
        for role in Membership.Role
    ]


def _helper(*layout: object) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class InviteForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=NAME_MAX,
        error_messages={
            "required": "Enter the full name of the person you are inviting",
            "max_length": f"Full name must be {NAME_MAX} characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The invitation is sent to this address.",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select a role",
            "invalid_choice": "Select a role",
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = _role_choices()  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.helper = _helper(
            Field.text("name", field_width=20),
            Field.text("email", field_width=20),
            Field.radios("role", legend_size=Size.SMALL),
            Submit("invite", "Send the invitation"),
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        widget=forms.RadioSelect,
        error_messages={"required": "Select a role", "invalid_choice": "Select a role"},
    )

    def __init__(self, *args: object, name: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["role"].choices = _role_choices()  # type: ignore[attr-defined]
        self.fields["role"].label = f"Role of {name}"
        self.helper = _helper(
            Field.radios("role", legend_size=Size.LARGE, legend_tag="h1"),
            Submit("save", "Save the role"),
        )


class NewcomerForm(forms.Form):
    """A newcomer's name and password; the username is the invited email address."""

    first_name = forms.CharField(
        label="First name",
        max_length=FIRST_NAME_MAX,
        error_messages={
            "required": "Enter your first name",
            "max_length": f"First name must be {FIRST_NAME_MAX} characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=LAST_NAME_MAX,
        error_messages={
            "required": "Enter your last name",
            "max_length": f"Last name must be {LAST_NAME_MAX} characters or fewer",
        },
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Enter the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.email = email
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.helper = _helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("password1", field_width=20),
            Field.text("password2", field_width=20),
            Submit("accept", "Create your account and join"),
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match")
        elif isinstance(first, str) and first:
            # Validated against the account it will be: not like the name or the address.
            user = User(
                username=self.email,
                email=self.email,
                first_name=str(cleaned.get("first_name", "")),
                last_name=str(cleaned.get("last_name", "")),
            )
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
