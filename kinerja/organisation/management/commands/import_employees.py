from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.organisation.imports import COLUMNS, import_file


class Command(BaseCommand):
    help = (
        "Import employees (or units/positions with --kind) from an XLSX or CSV file. "
        "All-or-nothing: a file with any bad row changes nothing and every error is listed."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=sorted(COLUMNS), default="employees")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        report = import_file(
            kind=options["kind"],
            data=path.read_bytes(),
            filename=path.name,
            by=None,
            dry_run=options["dry_run"],
        )
        for error in report.errors:
            self.stderr.write(f"baris {error.row or '-'} [{error.column or '-'}]: {error.message}")
        if not report.ok:
            raise CommandError(report.summary())
        prefix = "Pemeriksaan (tanpa menulis): " if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
