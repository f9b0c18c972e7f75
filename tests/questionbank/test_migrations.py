"""The data migrations are frozen: they carry their own code and bank file and write through the
historical models, so that a later change to the services, the models or default.yaml cannot
break a fresh install or change what version 1 holds."""

import ast
import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from questionbank import bankfile, selectors, services
from questionbank.models import QuestionBank

MIGRATIONS = Path(services.__file__).resolve().parent / "migrations"
DATA_MIGRATIONS = ["0003_default_bank", "0004_question_bank_admins_group"]
FIRST_PARTY = {"citydigital", "questionbank", "assessments", "reports"}
FROZEN_BANK = MIGRATIONS / "default_bank_v1.yaml"


def _imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add("." * node.level + (node.module or ""))
    return modules


@pytest.mark.parametrize("name", DATA_MIGRATIONS)
def test_data_migration_imports_no_code_of_ours(name):
    modules = _imported_modules(MIGRATIONS / f"{name}.py")
    ours = {m for m in modules if m.startswith(".") or m.split(".")[0] in FIRST_PARTY}
    assert ours == set(), f"{name} imports {ours}; it should carry its own code"
    assert "questionbank.services" not in modules


def _historical_apps(migration: str):
    """The models as they were just before `migration`, as `migrate` hands them to it."""
    loader = MigrationLoader(connection)
    return loader.project_state(("questionbank", migration), at_end=False).apps


def _load_default_bank(apps) -> None:
    module = importlib.import_module("questionbank.migrations.0003_default_bank")
    module.load_default_bank(apps, None)


@pytest.mark.django_db
def test_the_migrated_default_bank_equals_an_import_of_the_frozen_file():
    migrated = QuestionBank.objects.get(version=1)
    imported = services.bank_import(path=FROZEN_BANK)
    assert migrated.status == QuestionBank.Status.PUBLISHED
    assert migrated.published_at is not None
    assert selectors.bank_data(bank=migrated) == selectors.bank_data(bank=imported)
    # The frozen file is in export form, so the migrated bank exports to it byte for byte.
    assert services.bank_export(bank=migrated) == FROZEN_BANK.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_the_migration_rebuilds_version_1_on_the_historical_models_alone():
    apps = _historical_apps("0003_default_bank")
    expected = selectors.bank_data(bank=QuestionBank.objects.get(version=1))
    # The historical manager has none of the live models' guards, as on a new install.
    apps.get_model("questionbank", "QuestionBank").objects.all().delete()
    assert not QuestionBank.objects.exists()

    _load_default_bank(apps)

    bank = QuestionBank.objects.get()
    assert (bank.version, bank.status) == (1, QuestionBank.Status.PUBLISHED)
    assert bank.published_at is not None
    assert selectors.bank_data(bank=bank) == expected
    assert bankfile.bank_data_validate(selectors.bank_data(bank=bank)) == []


@pytest.mark.django_db
def test_the_migration_leaves_an_install_with_a_bank_alone():
    before = list(QuestionBank.objects.values_list("pk", "version", "status"))
    _load_default_bank(_historical_apps("0003_default_bank"))
    assert list(QuestionBank.objects.values_list("pk", "version", "status")) == before
