from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionbank import selectors
from questionbank.services import bank_export


class Command(BaseCommand):
    help = (
        "Export a version of the question bank as YAML (questionbank/data/FORMAT.md): the "
        "current published version unless --version is given, to PATH or standard output."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # Our --version (of the bank) replaces Django's --version (of Django).
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", type=Path)
        parser.add_argument("--version", dest="bank_version", type=int)

    def handle(
        self, *args: object, path: Path | None, bank_version: int | None, **options: object
    ) -> None:
        if bank_version is None:
            bank = selectors.bank_current()
            if bank is None:
                raise CommandError("No version is published; give --version N.")
        else:
            bank = selectors.bank_get(version=bank_version)
            if bank is None:
                raise CommandError(f"There is no version {bank_version} of the question bank.")
        text = bank_export(bank=bank)
        if path is None:
            self.stdout.write(text, ending="")
        else:
            path.write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported {bank} to {path}.")
