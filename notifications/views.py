from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from citydigital.http import AuthenticatedHttpRequest
from notifications import selectors, services
from notifications.forms import NotificationSettingsForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settings_edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        current=selectors.notification_settings_get(user=request.user),
    )
    if form.is_valid():
        services.notification_settings_update(user=request.user, switches=form.switches())
        messages.success(request, "Your settings were saved")
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
