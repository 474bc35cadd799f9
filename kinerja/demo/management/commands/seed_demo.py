import time
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.organisation.demo import DEMO_PASSWORD, build_demo, demo_logins

# Each feature app extends the demo with its own data: a module with
# `seed(*, seed: int, options: dict) -> str` (returns a one-line summary), run in this order
# after the organisation exists. Missing modules are skipped.
DEMO_EXTENSIONS = [
    "kinerja.performance.demo",
    "kinerja.assessment.demo",
    "kinerja.public.demo",
    "kinerja.demo.automatic",  # the survey and complaint figures into the SKP indicators
    "kinerja.competency.demo",
    "kinerja.rewards.demo",
    "kinerja.adoption.demo",
    "kinerja.monitoring.demo",  # last: rebuilds the dashboard aggregates from all of the above
]


class Command(BaseCommand):
    help = "Seed the Bukitintan demo regency (deterministic) into an empty database."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--employees", type=int, default=1500, help="about how many employees")
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same data")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing (successfully) when data exists"
        )
        parser.add_argument(
            "--no-survey-data",
            action="store_true",
            help="create the public services but no survey responses, complaints or forum posts",
        )
        parser.add_argument(
            "--organisation-only", action="store_true", help="only units, positions and people"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        from kinerja.organisation.models import Employee

        if Employee.objects.exists():
            if options["if_empty"]:
                self.stdout.write("Data sudah ada; demo tidak di-seed ulang.")
                return
            raise CommandError(
                "Database sudah berisi data pegawai; seed_demo hanya untuk database kosong."
            )
        if options["employees"] < 100:
            raise CommandError("--employees minimal 100 (struktur OPD saja sekitar 300 jabatan).")
        started = time.monotonic()
        with transaction.atomic():
            count = build_demo(employees=options["employees"], seed=options["seed"])
            summaries = [] if options["organisation_only"] else self._extensions(options)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo Kabupaten Bukitintan: {count} pegawai dalam {elapsed:.1f} s.")
        )
        for line in summaries:
            self.stdout.write(f"  {line}")
        print_logins(self.stdout)

    def _extensions(self, options) -> list[str]:  # type: ignore[no-untyped-def]
        summaries = []
        for name in DEMO_EXTENSIONS:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            summaries.append(module.seed(seed=options["seed"], options=options))
        return summaries


def print_logins(out) -> None:  # type: ignore[no-untyped-def]
    out.write(f"\nLogin demo (kata sandi semua akun: {DEMO_PASSWORD})")
    for login in demo_logins():
        out.write(f"  {login.role:<22} {login.username:<20} {login.who}")
