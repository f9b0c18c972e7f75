from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionbank.bankfile import BankFileError
from questionbank.services import bank_import


class Command(BaseCommand):
    help = (
        "Import a question-bank YAML file (questionbank/data/FORMAT.md) as a new draft version, "
        "and publish it with --publish. A file with any problem is refused and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--publish", action="store_true", help="Publish the imported version at once."
        )

    def handle(self, *args: object, path: Path, publish: bool, **options: object) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            bank = bank_import(path=path, publish=publish)
        except BankFileError as error:
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(
                f"{path} was not imported ({len(error.problems)} problems); nothing was "
                f"written:\n{lines}"
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Imported {path} as {bank}."))
