from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, on our site class (every `admin.site.register` goes to it). In a module
    of its own: an apps module with two AppConfigs would need one marked as its default."""

    default_site = "accounts.admin_site.AdminSite"
