"""What the assessments pages share once `assessments.access` has let the visitor in: the page
context and form errors from a service."""

from django import forms
from django.core.exceptions import ValidationError

from assessments.models import Assessment, Membership


def page_context(
    membership: Membership, assessment: Assessment, **extra: object
) -> dict[str, object]:
    return {
        "membership": membership,
        "region": membership.region,
        "assessment": assessment,
        "can_edit": membership.is_editor and assessment.is_in_progress,
        **extra,
    }


def add_form_errors(
    form: forms.BaseForm, error: ValidationError, default_field: str | None
) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            for message in messages_:
                form.add_error(name if name in form.fields else default_field, message)
    else:
        for message in error.messages:
            form.add_error(default_field, message)
