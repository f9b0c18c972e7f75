"""Forms for signing in, the account pages, password reset and two-factor authentication.
They parse and check input; accounts.services does the saving."""

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from accounts import lockout, selectors

EMAIL_MAX_LENGTH = 254  # Django's EmailField, and so auth.User.email


def _helper(*layout: Any, form_tag: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.label_size = Size.SMALL
    helper.layout = Layout(*layout)
    return helper


class LockoutAwareMixin:
    """An AuthenticationForm that says so when django-axes has locked the name or address out
    (the backend refused it, or this failure locked it), instead of "wrong password"."""

    request: Any

    def clean(self) -> dict[str, Any]:
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
            return cleaned
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                setattr(self.request, lockout.LOCKED_FLAG, True)
                raise ValidationError(lockout.lockout_message(), code="locked_out") from None
            raise


class SignInForm(LockoutAwareMixin, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Enter a correct username and password. You can use your email address instead "
            "of your username."
        ),
        "inactive": "This account is inactive. Ask your region's administrator.",
    }
    # No hint: crispy-forms-gds would put it above the box. The 8 hours are on "Your account".
    remember = forms.BooleanField(
        label="Keep me signed in after I close my browser (not on a shared computer)",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)  # noqa: S101 (AuthenticationForm's)
        username.label = "Username or email address"
        username.max_length = EMAIL_MAX_LENGTH
        username.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)
        username.error_messages["required"] = "Enter your username or email address"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.helper = _helper(
            Field.text("username", field_width=20),
            Field.text("password", field_width=20),
            Field.checkbox("remember", small=True),
            Submit("sign-in", "Sign in"),
            form_tag=False,
        )


class AdminSignInForm(LockoutAwareMixin, AdminAuthenticationForm):
    """The admin's own sign-in form, with the same lock-out message."""


class AccountDetailsForm(forms.Form):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Enter your first name",
            "max_length": "First name must be 150 characters or fewer",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={
            "required": "Enter your last name",
            "max_length": "Last name must be 150 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We send password reset links and notifications here.",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
            "max_length": f"Email address must be {EMAIL_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        kwargs["initial"] = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.helper = _helper(
            Field.text("first_name", field_width=20),
            Field.text("last_name", field_width=20),
            Field.text("email", field_width=30),
            Submit("save", "Save changes"),
        )

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip()
        if selectors.email_in_use(email=email, exclude_pk=self.user.pk):
            raise ValidationError(
                "Another account already uses this email address. Enter a different one",
                code="email_in_use",
            )
        return email


# Django's validators' help as one sentence (theirs is an HTML list GOV.UK hints do not style).
STRONG_ENOUGH_HINT = (
    "At least 8 characters. Not a common password, not only numbers, and not like your name, "
    "username or email address."
)


def _new_password_fields(form: forms.Form) -> None:
    form.fields["new_password1"].help_text = STRONG_ENOUGH_HINT
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].label = "Confirm new password"
    form.fields["new_password2"].help_text = "Enter the same new password again."
    form.fields["new_password2"].error_messages["required"] = "Confirm your new password"


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        _new_password_fields(self)
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Your current password is not right. Enter it again",
            "password_mismatch": "The two new passwords do not match",
        }
        self.helper = _helper(
            Field.text("old_password", field_width=20),
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Submit("change", "Change password"),
        )


class PasswordConfirmForm(forms.Form):
    """The user's password, asked again before signing out every other session."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("password", field_width=20),
            Submit("sign-out-others", "Sign out of other sessions"),
        )

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise ValidationError("Your password is not right. Enter it again", code="wrong")
        return password


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's reset form, for its field only: accounts.services sends the emails (the view
    calls password_reset_request in place of the form's save)."""

    email = forms.EmailField(
        label="Email address",
        help_text="The email address of your account.",
        max_length=EMAIL_MAX_LENGTH,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.text("email", field_width=30), Submit("send", "Send the reset link")
        )


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_fields(self)
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "The two new passwords do not match",
        }
        self.helper = _helper(
            Field.text("new_password1", field_width=20),
            Field.text("new_password2", field_width=20),
            Submit("save", "Save new password"),
        )


class CodeForm(forms.Form):
    """A code from the authenticator app, or (with recovery=True) a recovery code too."""

    code = forms.CharField(
        label="Code",
        max_length=16,
        error_messages={"required": "Enter the code"},
    )

    def __init__(self, *args: Any, recovery: bool, submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        if recovery:
            code.help_text = (
                "The 6-digit code your authenticator app shows now, or one of your recovery codes."
            )
            code.error_messages["required"] = "Enter the code from your authenticator app"
        else:
            code.label = "Code from your authenticator app"
            code.help_text = "The 6 digits your app shows now."
            code.error_messages["required"] = "Enter the 6-digit code from your authenticator app"
        code.widget.attrs.update(
            {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
        )
        self.helper = _helper(Field.text("code", field_width=10), Submit("continue", submit))

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()
