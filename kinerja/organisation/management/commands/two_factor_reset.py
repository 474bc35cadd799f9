from django.core.management.base import BaseCommand, CommandError

from kinerja.organisation import twofactor
from kinerja.organisation.models import User


class Command(BaseCommand):
    help = (
        "Switch off two-step login for an account whose phone and backup codes are lost "
        "(audited); the person logs in with the password and may set it up again."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Akun {options['username']!r} tidak ada.")
        if not twofactor.totp_reset(user=user):
            self.stdout.write("Verifikasi dua langkah akun ini memang tidak aktif.")
            return
        self.stdout.write(
            f"Verifikasi dua langkah {user.username} dimatikan (tercatat di log audit)."
        )
