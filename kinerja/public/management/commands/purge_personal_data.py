from django.core.management.base import BaseCommand

from kinerja.public.retention import personal_data_purge


class Command(BaseCommand):
    help = (
        "Blank or delete citizens' personal data past its retention (UU 27/2022, "
        "docs/PRIVACY.md): IP hashes, complainants' contacts, inactive forum accounts. "
        "The scheduler runs it daily; --dry-run only counts."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be purged, change nothing"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = personal_data_purge(dry_run=options["dry_run"])
        self.stdout.write(result.summary() + ".")
