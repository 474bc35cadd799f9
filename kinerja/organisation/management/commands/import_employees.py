from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kinerja.core import importjobs
from kinerja.core.models import ImportStatus
from kinerja.organisation.imports import COLUMNS, import_file


class Command(BaseCommand):
    help = (
        "Import employees (or units/positions with --kind) from an XLSX or CSV file. "
        "All-or-nothing: a file with any bad row changes nothing and every error is listed. "
        "Written in short batches that let the web's writes through (the same job as /impor/)."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", choices=sorted(COLUMNS), default="employees")
        parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
        parser.add_argument(
            "--allow-opd-change",
            action="store_true",
            help="units: apply a file that moves registered units to another OPD (the upload "
            "page's 'Izinkan pindah OPD'); without it such a file is refused with each move named",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        if options["dry_run"]:
            report = import_file(
                kind=options["kind"],
                data=path.read_bytes(),
                filename=path.name,
                by=None,
                dry_run=True,
                allow_opd_change=options["allow_opd_change"],
            )
            for error in report.errors:
                self.stderr.write(
                    f"baris {error.row or '-'} [{error.column or '-'}]: {error.message}"
                )
            self._hint([e.message for e in report.errors])
            if not report.ok:
                raise CommandError(report.summary())
            self.stdout.write(
                self.style.SUCCESS("Pemeriksaan (tanpa menulis): " + report.summary())
            )
            return
        # The same job as an upload on /impor/, run here rather than by the worker: if this
        # process is killed half-way, the queue's recovery undoes what it wrote.
        job = importjobs.import_request(
            kind=f"organisation.{options['kind']}",
            data=path.read_bytes(),
            filename=path.name,
            user=None,
            params={"allow_opd_change": options["allow_opd_change"]},
            enqueue=False,
        )
        job = importjobs.run(job.pk)
        assert job is not None
        for row, column, message in job.errors:
            self.stderr.write(f"baris {row or '-'} [{column or '-'}]: {message}")
        self._hint([message for _, _, message in job.errors])
        if job.status != ImportStatus.DONE:
            raise CommandError(job.summary or job.error)
        self.stdout.write(self.style.SUCCESS(job.summary))

    def _hint(self, messages: list[str]) -> None:
        """The command's own word for the upload page's tick."""
        if any("Izinkan pindah OPD" in message for message in messages):
            self.stderr.write(
                "Dari baris perintah: tambahkan --allow-opd-change bila perpindahan OPD di atas "
                "memang dimaksudkan."
            )
