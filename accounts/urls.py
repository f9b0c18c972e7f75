from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/details/", views.AccountDetailsView.as_view(), name="details"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/sessions/", views.SessionsEndView.as_view(), name="sessions-end"),
    path(
        "account/two-factor/set-up/",
        views.TwoFactorSetupView.as_view(),
        name="two-factor-setup",
    ),
    path(
        "account/two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="recovery-codes",
    ),
    path(
        "account/two-factor/turn-off/",
        views.TwoFactorDisableView.as_view(),
        name="two-factor-disable",
    ),
    path("sign-in/code/", views.TwoFactorVerifyView.as_view(), name="two-factor-verify"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        views.PasswordResetDoneView.as_view(),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
