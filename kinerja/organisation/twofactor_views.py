"""Pages of the two-step login (kinerja.organisation.twofactor): the code step of the login and
the administrator's set-up page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import services, twofactor

BACKEND = "kinerja.organisation.auth.NipOrUsernameBackend"
SHOW_CODES_KEY = "organisation.otp_backup_codes"


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """Second step of a login with two-step verification on: the 6-digit code or a backup code."""
    pending = twofactor.pending_get(request)
    if pending is None:
        if request.method == "POST":
            messages.error(request, _("Waktu memasukkan kode habis. Masuk kembali."))
        return redirect("organisation:login")
    error = ""
    if request.method == "POST":
        device = twofactor.verify(pending.user, request.POST.get("kode", ""))
        if device is not None:
            twofactor.pending_drop(request)
            login(request, pending.user, backend=BACKEND)
            otp_login(request, device)
            services.account_login_succeeded(user=pending.user)
            return redirect(pending.next_url)
        if twofactor.pending_failed(request, pending):
            messages.error(
                request,
                _("Terlalu banyak kode yang salah. Masuk kembali dengan kata sandi Anda."),
            )
            return redirect("organisation:login")
        error = _(
            "Kode salah atau sudah dipakai. Masukkan 6 angka yang tampil di aplikasi "
            "autentikator saat ini, atau salah satu kode cadangan."
        )
    response = render(
        request, "organisation/login_code.html", {"error": error, "user_pending": pending.user}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Switch two-step verification on (QR code, confirm with a code) or off (with a code)."""
    user = request.user
    if not twofactor.may_use(user):
        raise Http404
    enabled = twofactor.is_enabled(user)
    error = ""
    if request.method == "POST":
        code = request.POST.get("kode", "")
        if request.POST.get("aksi") == "aktifkan" and not enabled:
            codes = twofactor.totp_enable(user=user, code=code)
            if codes is not None:
                otp_login(request, twofactor.verify_device_of(user))
                request.session[SHOW_CODES_KEY] = codes
                messages.success(request, _("Verifikasi dua langkah aktif."))
                return redirect("organisation:two_factor")
            error = _("Kode tidak cocok. Periksa jam ponsel Anda lalu masukkan kode terbaru.")
        elif request.POST.get("aksi") == "matikan" and enabled:
            if twofactor.totp_disable(user=user, code=code):
                messages.success(request, _("Verifikasi dua langkah dimatikan."))
                return redirect("organisation:two_factor")
            error = _("Kode salah. Verifikasi dua langkah tetap aktif.")
        else:
            return redirect("organisation:two_factor")
    context: dict[str, object] = {"enabled": enabled, "error": error}
    if enabled:
        context["codes"] = request.session.pop(SHOW_CODES_KEY, None)
        context["codes_left"] = twofactor.backup_codes_left(user)
    else:
        device = twofactor.setup_device(user)
        context["qr"] = twofactor.qr_data_uri(device)
        context["secret"] = twofactor.secret_of(device)
    response = render(request, "organisation/two_factor.html", context)
    response["Cache-Control"] = "no-store"
    return response
