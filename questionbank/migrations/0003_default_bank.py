"""Loads questionbank/data/default.yaml and publishes it as version 1 on a new install, so that
`migrate` alone leaves a current question bank. Runs on the historical models."""

from django.db import migrations


def load_default_bank(apps, schema_editor):
    from questionbank.services import DEFAULT_BANK_PATH, ModelRegistry, bank_import

    models = ModelRegistry.from_apps(apps)
    if models.QuestionBank.objects.exists():
        return  # an existing install keeps its own versions
    bank_import(path=DEFAULT_BANK_PATH, publish=True, models=models)


def remove_default_bank(apps, schema_editor):
    QuestionBank = apps.get_model("questionbank", "QuestionBank")
    QuestionBank.objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("questionbank", "0002_sources_and_created_by"),
    ]

    operations = [
        migrations.RunPython(load_default_bank, remove_default_bank),
    ]
