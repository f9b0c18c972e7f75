from django.contrib import admin
from django.urls import include, path

from citydigital import views

citydigital_patterns = (
    [
        path("", views.StartView.as_view(), name="start"),
        path("sign-in/", views.SignInView.as_view(), name="sign-in"),
        path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
        path("accessibility/", views.AccessibilityView.as_view(), name="accessibility"),
        path("privacy/", views.PrivacyView.as_view(), name="privacy"),
        path("cookies/", views.CookiesView.as_view(), name="cookies"),
        path("contact/", views.ContactView.as_view(), name="contact"),
    ],
    "citydigital",
)

urlpatterns = [
    path("", include(citydigital_patterns)),
    path("", include("accounts.urls")),
    path("regions/", include("assessments.urls")),
    path("regions/", include("reports.urls")),
    path("question-bank/", include("questionbank.urls")),
    path("open-data/", include("assessments.opendata.urls")),
    path("invitations/", include("assessments.team.urls")),
    path("account/notifications/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "citydigital.views.bad_request"
handler404 = "citydigital.views.page_not_found"
handler500 = "citydigital.views.server_error"
