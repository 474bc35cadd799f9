from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.public.models import Service
from kinerja.public.survey import services


class Command(BaseCommand):
    help = "Issue a counter-tablet token for a service and print it (shown once), or --list codes."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("code", nargs="?", help="service code (kode layanan)")
        parser.add_argument("--name", default="Tablet loket", help="device name")
        parser.add_argument("--list", action="store_true", help="list the service codes")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["list"]:
            for code, name, unit in (
                Service.objects.filter(is_active=True)
                .order_by("code")
                .values_list("code", "name", "unit__name")
            ):
                self.stdout.write(f"{code}\t{name}\t{unit}")
            return
        if not options["code"]:
            raise CommandError("Sebutkan kode layanan, atau --list untuk melihat daftarnya.")
        service = Service.objects.filter(code=options["code"].upper()).first()
        if service is None:
            raise CommandError(
                f"Layanan {options['code']} tidak ada. Lihat: manage.py kiosk_token --list"
            )
        try:
            _device, token = services.device_issue(service=service, name=options["name"], by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(token)
