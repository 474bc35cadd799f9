import time

from django.core.management.base import BaseCommand, CommandError

from kinerja.organisation.demo import DEMO_PASSWORD, build_demo, demo_logins


class Command(BaseCommand):
    help = "Seed the Bukitintan demo regency (deterministic) into an empty database."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--employees", type=int, default=1500, help="about how many employees")
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed (same seed, same data)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing (successfully) when data already exists",
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
            raise CommandError(
                "--employees minimal 100 (struktur OPD saja sudah sekitar 200 jabatan)."
            )
        started = time.monotonic()
        count = build_demo(employees=options["employees"], seed=options["seed"])
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo Kabupaten Bukitintan: {count} pegawai dalam {elapsed:.1f} s.")
        )
        print_logins(self.stdout)


def print_logins(out) -> None:  # type: ignore[no-untyped-def]
    out.write(f"\nLogin demo (kata sandi semua akun: {DEMO_PASSWORD})")
    for login in demo_logins():
        out.write(f"  {login.role:<22} {login.username:<20} {login.who}")
