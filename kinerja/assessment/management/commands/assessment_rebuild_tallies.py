import time

from django.core.management.base import BaseCommand

from kinerja.assessment.services.tallies import rebuild_tallies


class Command(BaseCommand):
    help = "Recompute the assessor tallies (AssessorTally) from the assessments."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        rows = rebuild_tallies()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rekap penilai dibangun ulang: {rows} baris periode-OPD-penilai dalam "
                f"{time.monotonic() - started:.1f} s."
            )
        )
