from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.views.generic import TemplateView

from accounts.access import TwoFactorRequiredMixin
from questionbank import selectors


class BankPreviewView(TwoFactorRequiredMixin, PermissionRequiredMixin, TemplateView):
    """A version as respondents will see it, for question-bank admins (any status), from a
    session that passed the code step (accounts)."""

    permission_required = "questionbank.view_questionbank"
    raise_exception = False
    template_name = "questionbank/preview.html"

    def has_permission(self) -> bool:
        user = self.request.user
        return user.is_active and user.is_staff and super().has_permission()

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            self.raise_exception = True
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        bank = selectors.bank_get(version=self.kwargs["version"])
        if bank is None:
            raise Http404("No such version of the question bank.")
        return {**super().get_context_data(**kwargs), **selectors.bank_preview(bank=bank)}
