from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kinerja.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Cadangkan basis data dan berkas media ke satu arsip bertanggal dengan manifest dan "
        "checksum (kinerja/core/backup.py)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "var" / "cadangan"),
            help="folder tujuan (default var/cadangan)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            path = backup(Path(options["output"]), progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Cadangan selesai: {path}"))
