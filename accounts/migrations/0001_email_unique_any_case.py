"""One account per email address, in any case: people sign in with it and reset their password
by it. A unique index on lower(email) over auth_user (Django's own table, so it is added here),
leaving out accounts without an address."""

from django.db import migrations
from django.db.models import Q, UniqueConstraint
from django.db.models.functions import Lower

CONSTRAINT = UniqueConstraint(
    Lower("email"), condition=~Q(email=""), name="accounts_user_email_unique_any_case"
)


def add(apps, schema_editor):
    schema_editor.add_constraint(apps.get_model("auth", "User"), CONSTRAINT)


def remove(apps, schema_editor):
    schema_editor.remove_constraint(apps.get_model("auth", "User"), CONSTRAINT)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(add, remove)]
