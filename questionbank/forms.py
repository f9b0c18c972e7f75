from typing import Any

from django import forms

from questionbank.models import QuestionBank

MAX_BANK_FILE_BYTES = 2 * 1024 * 1024


class BankImportForm(forms.Form):
    file = forms.FileField(
        label="Question-bank file (YAML)",
        help_text="A whole bank in the format of questionbank/data/FORMAT.md. It becomes a new "
        "draft version; nothing is written if the file has any problem.",
    )
    publish = forms.BooleanField(
        required=False,
        label="Publish it at once (retires the current version)",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BANK_FILE_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB; a bank file is far smaller.")
        return upload


class BankCompareForm(forms.Form):
    old = forms.ModelChoiceField(
        queryset=QuestionBank.objects.order_by("-version"),
        to_field_name="version",
        label="From version",
    )
    new = forms.ModelChoiceField(
        queryset=QuestionBank.objects.order_by("-version"),
        to_field_name="version",
        label="To version",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("old") and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError("Choose two different versions.")
        return cleaned
