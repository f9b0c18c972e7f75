"""The "Question-bank admins" group, with exactly the question bank's model permissions.

Permissions are normally created after all migrations (post_migrate); they are created here
first so that the group gets them on a new install. Frozen: it uses the historical models only,
not questionbank.services (whose admins_group_ensure does the same for a running site)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Question-bank admins"


def create_group(apps, schema_editor):
    app_config = apps.get_app_config("questionbank")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    content_types = ContentType.objects.filter(app_label="questionbank")
    group.permissions.set(Permission.objects.filter(content_type__in=content_types))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questionbank", "0003_default_bank"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, remove_group),
    ]
