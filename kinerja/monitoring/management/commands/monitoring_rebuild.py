import time

from django.core.management.base import BaseCommand

from kinerja.monitoring.services import figures_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the monitoring figures (team boards, regency dashboard) from the plans and "
        "realisations. Safe to run at any time, e.g. nightly so that at-risk counts follow "
        "the calendar."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--year", type=int, default=None, help="one year (default: all)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        result = figures_rebuild(year=options["year"])
        years = ", ".join(str(y) for y in result.years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Angka pemantauan dibangun ulang: {result.people} pegawai, {result.units} unit "
                f"(tahun {years}) dalam {time.monotonic() - started:.1f} s."
            )
        )
