from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kinerja.performance.services import automatic_realisations_sync
from kinerja.rules.calendar import add_months


class Command(BaseCommand):
    help = (
        "Fill automatic realisations (IKM of a service, complaints answered on time) for a "
        "month; default: the current and the previous month."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--year", type=int)
        parser.add_argument("--month", type=int)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = timezone.localdate()
        if options["month"] and not 1 <= options["month"] <= 12:
            raise CommandError("--month harus 1–12.")
        if options["month"]:
            months = [(options["year"] or today.year, options["month"])]
        else:
            previous = add_months(today, -1)
            months = [(previous.year, previous.month), (today.year, today.month)]
        for year, month in months:
            result = automatic_realisations_sync(year=year, month=month)
            self.stdout.write(
                f"{year}-{month:02d}: {result.written} ditulis, "
                f"{result.unchanged} tetap, {len(result.skipped or [])} dilewati"
            )
