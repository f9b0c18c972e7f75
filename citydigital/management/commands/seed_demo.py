from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from citydigital import demo


class Command(BaseCommand):
    help = (
        "Create the demo region and its demo region admin, editor and viewer, then print how to "
        "sign in."
    )

    def handle(self, *args: object, **options: object) -> None:
        if settings.PRODUCTION:
            raise CommandError("Demo accounts are for local use only; DJANGO_ENV is production.")
        seeded = demo.demo_seed()
        self.stdout.write(self.style.SUCCESS(f"Demo region: {seeded.region.name}"))
        if seeded.peers:
            names = ", ".join(peer.name for peer in seeded.peers)
            self.stdout.write(f"Demo peer regions (fictional answers): {names}")
        self.stdout.write("Sign in at http://127.0.0.1:8000/sign-in/ with:")
        for account in seeded.accounts:
            self.stdout.write(
                f"  {account.role:<7} username: {account.username:<12} password: {account.password}"
            )
