from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and sign-in"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 (connects the sign-in receiver)


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on our site class (every `admin.site.register` goes to it)."""

    default_site = "accounts.admin_site.AdminSite"
