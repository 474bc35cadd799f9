from django.core.management.base import BaseCommand

from .seed_demo import print_logins


class Command(BaseCommand):
    help = "Print the demo logins (one per role)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        print_logins(self.stdout)
