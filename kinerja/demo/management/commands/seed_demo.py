import gc
import time
from contextlib import contextmanager
from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kinerja.core.bulk import foreign_keys_checked_at_end
from kinerja.demo.models import DemoStage
from kinerja.demo.organisation import DEMO_PASSWORD, build_demo, demo_logins

ORGANISATION = "organisation"  # the first stage: units, positions, people and accounts

# The stages after the organisation, in this order: modules of this package, each with
# `seed(*, seed: int, options: dict) -> str` (returns a one-line summary). A missing module is
# skipped. Each stage's name is its module (a stage recorded under the app's own demo module
# before these moved here is renamed by migration demo 0002).
DEMO_EXTENSIONS = [
    "kinerja.demo.performance",
    "kinerja.demo.assessment",
    "kinerja.demo.public",
    "kinerja.demo.automatic",  # the survey and complaint figures into the SKP indicators
    "kinerja.demo.competency",
    "kinerja.demo.rewards",
    "kinerja.demo.adoption",
    "kinerja.demo.monitoring",  # last: rebuilds the dashboard aggregates from all of the above
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

        if options["employees"] < 100:
            raise CommandError("--employees minimal 100 (struktur OPD saja sekitar 300 jabatan).")
        planned = [ORGANISATION] + ([] if options["organisation_only"] else DEMO_EXTENSIONS)
        shape = {"no_survey_data": bool(options["no_survey_data"])}
        done = {stage.name: stage for stage in DemoStage.objects.all()}
        if Employee.objects.exists():
            pending = [name for name in planned if name not in done]
            if ORGANISATION not in done or not pending:
                if options["if_empty"]:
                    self.stdout.write("Data sudah ada; demo tidak di-seed ulang.")
                    return
                raise CommandError(
                    "Database sudah berisi data pegawai; seed_demo hanya untuk database kosong."
                )
            first = done[ORGANISATION]
            if (first.employees, first.seed, first.options) != (
                options["employees"],
                options["seed"],
                shape,
            ):
                flag = " --no-survey-data" if first.options.get("no_survey_data") else ""
                raise CommandError(
                    f"Seed demo sebelumnya terhenti (--employees {first.employees} --seed "
                    f"{first.seed}{flag}). Jalankan lagi dengan opsi yang sama untuk "
                    "melanjutkannya."
                )
            self.stdout.write(
                f"Melanjutkan seed demo yang terhenti: {len(done)} tahap sudah selesai, "
                f"{len(pending)} tahap lagi."
            )
        else:
            DemoStage.objects.all().delete()  # left by a database emptied since
            done = {}
        _bulk_session()
        started = time.monotonic()
        summaries = [stage.summary for name, stage in done.items() if name != ORGANISATION]
        for name in planned:
            if name in done:
                continue
            stage_started = time.monotonic()
            # One transaction per stage, its record written in it: an interrupted seed keeps
            # only whole stages, and the next run continues after the last one recorded. On
            # PostgreSQL the keys of the tables a stage copies rows into are checked once at
            # its end, not row by row at COMMIT (kinerja.core.bulk; 62.6 → 48.1 s at 10,000).
            with _without_cyclic_gc(), transaction.atomic(), foreign_keys_checked_at_end():
                summary = self._stage(name, options)
                if summary is None:
                    continue
                DemoStage.objects.create(
                    name=name,
                    employees=options["employees"],
                    seed=options["seed"],
                    options=shape,
                    seconds=round(time.monotonic() - stage_started, 2),
                    summary=summary,
                )
            self.stdout.write(f"  [{time.monotonic() - stage_started:6.1f} s] {name}")
            if name != ORGANISATION:
                summaries.append(summary)
        elapsed = time.monotonic() - started
        count = Employee.objects.count()
        self.stdout.write(
            self.style.SUCCESS(f"Demo Kabupaten Bukitintan: {count} pegawai dalam {elapsed:.1f} s.")
        )
        for line in summaries:
            self.stdout.write(f"  {line}")
        print_logins(self.stdout)

    def _stage(self, name: str, options) -> str | None:  # type: ignore[no-untyped-def]
        """Run one stage; its one-line summary, or None when its module does not exist."""
        if name == ORGANISATION:
            count = build_demo(employees=options["employees"], seed=options["seed"])
            return f"{count} pegawai"
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            return None
        return str(module.seed(seed=options["seed"], options=options))


@contextmanager
def _without_cyclic_gc():  # type: ignore[no-untyped-def]
    """Python's cyclic garbage collector off for one stage, then one collection.

    A stage holds millions of live objects (plans, indicators, evaluations, attendance days) and
    allocates millions more; every full collection walks all of them, and the collector runs
    one each time the survivors grow by a quarter: 6 s of the assessment stage's 20 s at 10,000
    employees. Almost nothing the stages drop is cyclic (a few thousand objects a stage, found
    by the collection after it), so memory does not grow without it; reference counting frees
    everything else as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.collect()


def _bulk_session() -> None:
    """On SQLite, a page cache large enough for the seed's indexes (the default 2 MB makes
    every insert into a 400,000-row table with three indexes re-read its pages). Only this
    connection, only while it seeds."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB


def print_logins(out) -> None:  # type: ignore[no-untyped-def]
    out.write(f"\nLogin demo (kata sandi semua akun: {DEMO_PASSWORD})")
    for login in demo_logins():
        out.write(f"  {login.role:<22} {login.username:<20} {login.who}")
