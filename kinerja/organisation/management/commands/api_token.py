from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.organisation.models import User
from kinerja.organisation.tokens import SCOPES, token_create


class Command(BaseCommand):
    help = "Buat token API pribadi untuk sebuah akun dan cetak tokennya (sekali saja)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="skrip integrasi")
        parser.add_argument(
            "--scope", action="append", choices=sorted(SCOPES), help="boleh diulang; default read"
        )
        parser.add_argument("--expires", type=int, default=90, help="hari (default 90)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"Akun {options['username']} tidak ada atau tidak aktif.")
        try:
            _row, plain = token_create(
                user=user,
                name=options["name"],
                scopes=options["scope"] or ["read"],
                expires_days=options["expires"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(plain)
