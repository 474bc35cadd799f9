from django.conf import settings
from django.core.management.base import BaseCommand

from kinerja.public import retention


class Command(BaseCommand):
    help = "Erase IP and browser hashes older than PUBLIC_IP_RETENTION_DAYS (run daily)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        count = retention.hashes_purge()
        self.stdout.write(
            f"{count} hash dihapus (lebih lama dari {settings.PUBLIC_IP_RETENTION_DAYS} hari)."
        )
