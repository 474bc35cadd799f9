"""`manage.py export_siasn --tahun 2026 [--periode T1] [--unit ID] [--dry-run] [--output f.xlsx]`:
the SIASN "kinerja periodik" export (kinerja/assessment/siasn) from the command line, run with
BKPSDM's rights (the whole regency). The dry-run prints the summary and every rejected person
with the reasons; otherwise the XLSX is written to --output (default: a file named after the
period in the current directory) and the export is audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kinerja.assessment.siasn import xlsx
from kinerja.assessment.siasn.mapping import MappingError, load_mapping
from kinerja.assessment.siasn.selectors import (
    REASONS,
    BadRequest,
    resolve_period,
    resolve_unit,
    siasn_export,
)
from kinerja.assessment.siasn.services import siasn_export_record
from kinerja.organisation.models import User


def _system_user() -> User:
    """The command acts with BKPSDM's rights: an unsaved superuser (audited as "sistem")."""
    return User(username="sistem", is_superuser=True, is_active=True)


class Command(BaseCommand):
    help = "Ekspor hasil penilaian ke format kinerja periodik SIASN (XLSX), atau uji coba."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tahun", required=True, help="tahun penilaian, mis. 2026")
        parser.add_argument(
            "--periode", default="tahunan", help="tahunan (default), T1–T4, S1–S2, B01–B12"
        )
        parser.add_argument("--unit", default="", help="id unit kerja (default: kabupaten)")
        parser.add_argument("--dry-run", action="store_true", help="hanya daftar yang ditolak")
        parser.add_argument("--output", default="", help="berkas XLSX yang ditulis")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            period = resolve_period(options["tahun"], options["periode"])
            unit = resolve_unit(options["unit"])
            mapping = load_mapping()
        except (BadRequest, MappingError) as exc:
            raise CommandError(str(exc)) from exc
        user = _system_user()
        export = siasn_export(user=user, period=period, unit=unit, mapping=mapping)
        scope = unit.name if unit is not None else "Kabupaten"
        self.stdout.write(
            f"{period.label} — {scope}: {export.total} pegawai, {len(export.rows)} siap, "
            f"{len(export.rejected)} ditolak."
        )
        for key, count in export.reason_counts.items():
            self.stdout.write(f"  {REASONS[key]}: {count}")
        if options["dry_run"]:
            for person in export.rejected:
                reasons = " ".join(message for _key, message in person.reasons)
                line = f"{person.nip or '-'}\t{person.nama}\t{person.unit_kerja}\t{reasons}"
                self.stdout.write(line)
            return
        output = Path(options["output"] or xlsx.filename(export))
        try:
            output.write_bytes(xlsx.render(export))
        except OSError as exc:
            raise CommandError(f"Berkas {output} tidak dapat ditulis: {exc}") from exc
        siasn_export_record(by=None, export=export, channel="perintah")
        self.stdout.write(self.style.SUCCESS(f"Ditulis: {output}"))
