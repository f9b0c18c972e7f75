"""The "Question-bank admins" group, with exactly the question bank's model permissions.

Permissions are normally created after all migrations (post_migrate); they are created here
first so that the group gets them on a new install."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_group(apps, schema_editor):
    from questionbank.services import admins_group_ensure

    app_config = apps.get_app_config("questionbank")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    admins_group_ensure(apps=apps)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Question-bank admins").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questionbank", "0003_default_bank"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_group, remove_group),
    ]
