"""Optional two-step login (TOTP, RFC 6238) for administrators, on django-otp, and the Django
admin kept for superusers.

- Who: BKPSDM administrators and superusers (`access.is_regency_admin`) may switch it on at
  /akun/dua-langkah/ (an authenticator app scans a QR code; a first code confirms it; ten
  single-use backup codes are shown once). Switching off needs a valid code. Both are audited.
- Login: with it on, the password alone does not log in; the login page keeps a pending login
  in the session (for OTP_PENDING_MINUTES) and asks for the code at /login/kode/. After
  OTP_MAX_FAILURES wrong codes the pending login is dropped, the failure counts towards the
  account's lockout (django-axes, as a wrong password) and the person starts again. django-otp
  itself also slows down guesses on the device (a growing delay after each wrong code).
- Django admin: superusers only; a superuser who has TOTP on needs a session verified with a
  code (`request.user.is_verified()`, django-otp's middleware). /admin/login/ refuses accounts
  with TOTP on: they log in on Kinerja's page, which asks for the code.
"""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache, wraps
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.params import whole_number

from . import access
from .models import User

PENDING_KEY = "organisation.otp_pending"
BACKUP_CODES = 10
DEVICE_NAME = "Kinerja"


def may_use(user: Any) -> bool:
    """Administrators of the regency: BKPSDM admins and superusers."""
    return access.is_regency_admin(user)


def is_enabled(user: Any) -> bool:
    return bool(getattr(user, "pk", None)) and user_has_device(user, confirmed=True)


# --- Setting up and switching off ----------------------------------------------------------


def setup_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device the set-up page shows (made once, kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_of(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code (a data: image; no network, no inline style)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


@transaction.atomic
def totp_enable(*, user: User, code: str) -> list[str] | None:
    """Confirm the set-up device with a first code; returns the backup codes (shown once) or
    None when the code is wrong (nothing changes)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(_digits(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = _new_backup_codes(user)
    audit_record(
        actor=user,
        action=AuditAction.UPDATE,
        obj=user,
        changes={"two_factor": [False, True]},
        note=_("Verifikasi dua langkah (TOTP) diaktifkan."),
    )
    return codes


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Kode cadangan"), confirmed=True)
    codes = [secrets.token_hex(4) for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


@transaction.atomic
def totp_disable(*, user: User, code: str) -> bool:
    """Switch two-step login off, if `code` (from the app or a backup code) is valid."""
    if verify(user, code) is None:
        return False
    _switch_off(user, by=user, note=_("Verifikasi dua langkah (TOTP) dimatikan."))
    return True


@transaction.atomic
def totp_reset(*, user: User) -> bool:
    """Switch two-step login off without a code (`manage.py two_factor_reset`: the server's
    operator, for a lost phone). False when it was not on."""
    if not is_enabled(user):
        return False
    _switch_off(
        user,
        by=None,
        note=_("Verifikasi dua langkah (TOTP) dimatikan oleh pengelola server (two_factor_reset)."),
    )
    return True


def _switch_off(user: User, *, by: User | None, note: str) -> None:
    """Remove the user's devices and backup codes, audited (by the user, or by the server's
    operator when `by` is None: no request address then)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=user,
        changes={"two_factor": [True, False]},
        note=note,
        record_ip=by is not None,
    )


def verify_device_of(user: User) -> TOTPDevice:
    """The confirmed TOTP device (to mark the session verified after set-up)."""
    return TOTPDevice.objects.get(user=user, confirmed=True)


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _digits(code: str) -> str:
    return "".join((code or "").split())


def verify(user: User, code: str) -> Any:
    """The confirmed device (TOTP or backup codes) that accepts `code`, or None. Each device
    throttles its own failures (django-otp); a backup code works once."""
    code = _digits(code)
    if not code or len(code) > 16:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


# --- The second step of the login ------------------------------------------------------------


@dataclass
class Pending:
    user: User
    next_url: str
    failures: int


def pending_start(request: HttpRequest, user: User, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "next": next_url,
        "failures": 0,
        "since": timezone.now().isoformat(),
    }


def pending_get(request: HttpRequest) -> Pending | None:
    """The login waiting for its code, or None (none, expired or the account changed)."""
    stored = request.session.get(PENDING_KEY)
    if not stored:
        return None
    since = datetime.fromisoformat(stored["since"])
    if timezone.now() - since > timedelta(minutes=settings.OTP_PENDING_MINUTES):
        pending_drop(request)
        return None
    user = User.objects.filter(pk=stored["user"], is_active=True).first()
    if user is None or not is_enabled(user):
        pending_drop(request)
        return None
    return Pending(user, stored["next"], int(stored["failures"]))


def pending_drop(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_failed(request: HttpRequest, pending: Pending) -> bool:
    """Count a wrong code; True when the pending login is dropped (OTP_MAX_FAILURES reached).
    Each wrong code is audited; the drop also counts as a failed login for the lockout."""
    failures = pending.failures + 1
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        obj=pending.user,
        note=_("Kode verifikasi dua langkah salah (%(n)d).") % {"n": failures},
    )
    if failures >= settings.OTP_MAX_FAILURES:
        pending_drop(request)
        user_login_failed.send(
            sender=__name__,
            credentials={"username": pending.user.get_username()},
            request=request,
        )
        return True
    request.session[PENDING_KEY] = {**request.session[PENDING_KEY], "failures": failures}
    return False


# --- The Django admin: superusers only --------------------------------------------------------


def admin_has_permission(request: HttpRequest) -> bool:
    user = request.user
    if not (user.is_active and user.is_superuser):
        return False
    return not is_enabled(user) or user.is_verified()  # type: ignore[union-attr]


class AdminLoginForm(AdminAuthenticationForm):
    """/admin/login/: superusers without two-step login only (the others use /login/)."""

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            raise forms.ValidationError(
                _("Admin Django hanya untuk superuser. Masuk melalui halaman masuk Kinerja."),
                code="not_superuser",
            )
        if is_enabled(user):
            raise forms.ValidationError(
                _(
                    "Akun ini memakai verifikasi dua langkah: masuk melalui halaman masuk "
                    "Kinerja (/login/), lalu buka /admin/."
                ),
                code="two_factor",
            )


def _admin_login(original: Any) -> Any:
    def login(request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not admin_has_permission(request):
            if user.is_superuser:
                messages.warning(
                    request,
                    _(
                        "Admin Django memerlukan sesi yang diverifikasi dengan kode dua langkah: "
                        "keluar lalu masuk kembali dengan kode."
                    ),
                )
            else:
                messages.error(request, _("Admin Django hanya untuk superuser."))
            return redirect("home:home")
        return original(request, extra_context)  # type: ignore[no-any-return]

    return login


UUID_TEXT = re.compile(
    r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
)
ISO_DAY = re.compile(r"\s*(\d{1,4})-\d{1,2}-\d{1,2}(?:[ T][\d:.+]*)?\s*")
MAX_SEARCH_WORDS = 50


FREE_TEXT_KEYS = frozenset({"q", "term"})  # the changelist's search, the autocomplete's


@lru_cache(maxsize=1)
def _relation_names() -> frozenset[str]:
    """The names of the relations (foreign keys, many-to-many) of every model in the admin:
    the form fields whose values are ids, whatever the model."""
    return frozenset(
        field.name
        for model in admin.site._registry
        for field in model._meta.get_fields()
        if field.is_relation and (field.many_to_many or field.many_to_one) and field.concrete
    )


def admin_input_problem(request: HttpRequest) -> str | None:
    """What in an admin request Django's own admin would answer with a server error, or None.

    A fuzzing pass found these in Django's changelists and forms (no project code runs
    before them): a search of about a thousand words (SQLite: "Expression tree is too
    large"), a number past 18 digits as a filter or as a relation's id (an overflow on
    SQLite), a date filter at the calendar's ends (a time-zone overflow), a selected row that
    is no id at all. Text a person types (the search, a password, a name or a code) is not
    judged: only filters, relations and the selected rows."""
    if len(request.GET.get("q", "").split()) > MAX_SEARCH_WORDS:
        return _("Pencarian terlalu panjang: paling banyak %(n)d kata.") % {"n": MAX_SEARCH_WORDS}
    ids = [
        (key, value)
        for key, value in request.GET.lists()
        if key not in FREE_TEXT_KEYS and not key.startswith("_")
    ]
    ids += [(key, value) for key, value in request.POST.lists() if key in _relation_names()]
    for key, value in ids:
        for item in value:
            if any(part.isdigit() and len(part) > 18 for part in item.split(",")):
                return _("Angka pada isian %(k)s terlalu panjang.") % {"k": key[:40]}
    for key, value in request.GET.lists():  # a changelist's date filters
        for item in value:
            if "__" not in key:
                continue
            if (day := ISO_DAY.fullmatch(item)) and not 1000 <= int(day.group(1)) <= 9998:
                return _("Tanggal pada isian %(k)s di luar rentang.") % {"k": key[:40]}
    for item in request.POST.getlist("_selected_action"):
        if whole_number(item) is None and not UUID_TEXT.fullmatch(item):
            return _("Pilihan baris tidak valid.")
    return None


def _refuse_unreadable(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if problem := admin_input_problem(request):
            # Plain text: the message names a key the client chose.
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)

    return inner


def protect_admin(site: admin.AdminSite) -> None:
    """Apply the rules above to the project's admin site (config/urls.py): superusers with a
    verified second step only, and requests Django's admin cannot read refused with 400."""
    site.has_permission = admin_has_permission  # type: ignore[method-assign]
    site.login_form = AdminLoginForm
    site.login = _admin_login(site.login)  # type: ignore[method-assign]
    wrap = site.admin_view

    def admin_view(view: Callable[..., HttpResponse], cacheable: bool = False) -> Any:
        return wrap(_refuse_unreadable(view), cacheable)

    site.admin_view = admin_view  # type: ignore[method-assign]
