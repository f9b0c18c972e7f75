from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.text import slugify

from assessments.models import CityRegion
from assessments.team import services

# When the mayor is not known yet: service staff correct it in the admin later.
MAYOR_NOT_GIVEN = "To be confirmed"


class Command(BaseCommand):
    help = (
        "Create a city region and invite its first region admin by email. Prints the invitation "
        "link too, for a machine whose mail goes nowhere yet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="The region's name, e.g. 'Greater Example'")
        parser.add_argument("--admin-email", required=True, help="Whom to invite as region admin")
        parser.add_argument("--admin-name", default="", help="Their full name (default: the email)")
        parser.add_argument("--slug", default="", help="The region's web address part")
        parser.add_argument("--mayor", default="", help="The mayor's name")
        parser.add_argument(
            "--took-office",
            type=date.fromisoformat,
            default=None,
            metavar="YYYY-MM-DD",
            help="Day 1 of the mayor's first 100 days (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"].strip()
        took_office = options["took_office"] or timezone.localdate()
        region = CityRegion(
            name=name,
            slug=options["slug"] or slugify(name)[:100],
            mayor_name=options["mayor"].strip() or MAYOR_NOT_GIVEN,
            mayor_took_office=took_office,
        )
        email = options["admin_email"].strip()
        try:
            issued = services.region_create(
                region=region,
                admin_name=options["admin_name"].strip() or email,
                admin_email=email,
                by=None,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Created {region.name} ({region.slug})."))
        if not options["mayor"] or not options["took_office"]:
            self.stdout.write(
                f"Mayor: {region.mayor_name}, took office {took_office.isoformat()}: change them "
                "in the admin (City regions) when they are known."
            )
        self.stdout.write(f"Invited {email} to be its region admin (the link works for 7 days):")
        self.stdout.write(f"  {issued.url}")
