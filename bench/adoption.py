"""Adoption benchmarks: one PDF of 1,500 activation letters, the daily digests of a
10,000-employee regency built and sent to a local SMTP server (aiosmtpd), and the transferred
size of the ten most used pages (HTML only: cached static assets and evidence images excluded).
"""

from __future__ import annotations

import socket
import time
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, User

from .harness import Harness
from .registry import Result, benchmark

PAGE_LIMIT_KB = 150


def _dataset(h: Harness, employees: int) -> None:
    from .monitoring import _performance_dataset

    _performance_dataset(h, employees)


@benchmark("activation_letters_1500_s", unit="s", target=20)
def activation_letters_1500(h: Harness) -> Result:
    """Issue activation codes for 1,500 people (hashed, one transaction, audited) and render the
    one PDF of their letters (a page each, with a QR code), at the 1,500-employee demo."""
    from kinerja.adoption.activation import activation_issue
    from kinerja.adoption.documents import activation_letters_pdf

    h.demo(1500)
    bkpsdm = User.objects.filter(role=Role.ADMIN_BKPSDM).order_by("pk").first()
    ids = list(Employee.objects.filter(is_active=True).values_list("pk", flat=True)[:1500])
    User.objects.filter(employee_id__in=ids).update(last_login=None)
    with h.measure() as issue:
        issued = activation_issue(by=bkpsdm, scope="orang", employee_ids=ids, send_email=False)
    with h.measure() as render:
        data = activation_letters_pdf(issued.letters, expires_at=issued.batch.expires_at)
    h.invalidate()
    return Result(
        round(issue.seconds + render.seconds, 2),
        {
            "letters": len(issued.letters),
            "issue_s": round(issue.seconds, 2),
            "pdf_s": round(render.seconds, 2),
            "pdf_bytes": len(data),
        },
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@benchmark("digest_10k_s", unit="s", target=30)
def digest_10k(h: Harness) -> Result:
    """Build and send, over SMTP to a local aiosmtpd server, the daily digests of every
    supervisor of a 10,000-employee regency with a year of plans and realisations."""
    from aiosmtpd.controller import Controller
    from django.conf import settings

    from kinerja.adoption.models import ReminderSent
    from kinerja.adoption.reminders import digests_send

    _dataset(h, 10_000)
    User.objects.filter(employee__direct_reports__isnull=False).update(
        email="atasan@bukitintan.example.id"
    )
    ReminderSent.objects.filter(kind="ringkasan_harian").delete()

    received: list[int] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(len(envelope.original_content))
            return "250 OK"

    port = _free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    saved = {
        name: getattr(settings, name)
        for name in ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS")
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    try:
        with h.measure() as timer:
            sent = digests_send(timezone.localdate())
        deadline = time.monotonic() + 10
        while len(received) < sent and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        controller.stop()
        for name, value in saved.items():
            setattr(settings, name, value)
    h.invalidate()
    return Result(round(timer.seconds, 2), {"digests": sent, "received": len(received)})


@benchmark("page_weight_max_kb", unit="KB", target=PAGE_LIMIT_KB)
def page_weight(h: Harness) -> Result:
    """The transferred size (HTML, uncompressed as served; cached static assets excluded) of the
    ten most used pages, for the demo's supervisor at 1,500 employees with a year of data; the
    value is the largest, the extra lists each page."""
    from kinerja.demo.organisation import demo_logins
    from kinerja.performance.models import Plan

    _dataset(h, 1500)
    logins = {login.role: login.username for login in demo_logins()}
    user = User.objects.get(username=logins["Atasan langsung"])
    plan = Plan.objects.filter(employee_id=user.employee_id).order_by("-year").first()
    month = timezone.localdate().month
    pages = {
        "beranda": reverse("home:home"),
        "skp_saya": reverse("performance:plan_list"),
        "skp": reverse("performance:plan_detail", args=[plan.pk]) if plan else None,
        "realisasi": reverse("performance:realisation_grid", args=[plan.pk, month])
        if plan
        else None,
        "kinerja_saya": reverse("monitoring:my_performance"),
        "papan_tim": reverse("monitoring:team_board"),
        "tim_saya": reverse("performance:team_plans"),
        "persetujuan": reverse("performance:approval_inbox"),
        "notifikasi": reverse("performance:notification_list"),
        "penilaian": reverse("assessment:home"),
    }
    client = Client()
    client.force_login(user)
    sizes: dict[str, float] = {}
    for name, url in pages.items():
        if url is None:
            continue
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        sizes[name] = round(len(body) / 1024, 1)
    largest = max(sizes.values())
    return Result(largest, {"pages_kb": sizes, "limit_kb": PAGE_LIMIT_KB})
