from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Pulihkan arsip dari `manage.py backup` ke instalasi ini (yang harus kosong, kecuali "
        "dengan --force), lalu periksa setiap tabel dan berkas media terhadap manifest."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", help="berkas kinerja-cadangan-*.tar.gz")
        parser.add_argument(
            "--force", action="store_true", help="timpa instalasi yang sudah berisi data"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        archive = Path(options["archive"])
        if not archive.is_file():
            raise CommandError(f"Arsip {archive} tidak ditemukan.")
        try:
            manifest = restore(archive, force=options["force"], progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"Pemulihan gagal: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Pemulihan selesai dan diperiksa: {len(manifest.tables)} tabel, "
                f"{len(manifest.media)} berkas media."
            )
        )
