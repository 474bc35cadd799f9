import time

from django.core.management.base import BaseCommand

from kinerja.public.survey import responses


class Command(BaseCommand):
    help = "Recompute the daily survey totals (SurveyDay, SurveyProfileDay) from the responses."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        rows = responses.aggregates_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rekap survei dibangun ulang: {rows} baris layanan-hari dalam "
                f"{time.monotonic() - started:.1f} s."
            )
        )
