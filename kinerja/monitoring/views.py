"""Monitoring pages: "Kinerja saya", the supervisor's team board, the live stream, and the
regency dashboard with its drill-down and exports."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.core import pdf
from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.calendar import months_closed, months_due
from kinerja.core.http import querystring_without_page
from kinerja.core.params import int_param, whole_number, year_param
from kinerja.core.replica import replica_view
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.performance import services as performance_services
from kinerja.performance.models import Plan, Realisation, Rhk
from kinerja.rules.calendar import MONTHS

from . import board_rows, documents, external, hub, live, selectors, wording

PAGE_SIZE = 100
KEEPALIVE_SECONDS = 15.0  # an idle stream's comment line
ROW_CACHE_SECONDS = 600
# The fixed words of a board row, translated once per language instead of by 20 {% translate %}
# tags in every row (a quarter of a row's rendering; a cold filtered board renders 25 rows).
ROW_LABELS = {
    "pegawai": gettext_lazy("Pegawai"),
    "skp": gettext_lazy("SKP"),
    "capaian": gettext_lazy("Capaian"),
    "jp": gettext_lazy("JP tahun ini"),
    "tren": gettext_lazy("Tren"),
    "berisiko": gettext_lazy("Berisiko"),
    "realisasi_terakhir": gettext_lazy("Realisasi terakhir"),
    "menunggu": gettext_lazy("Menunggu diperiksa"),
    "umpan_balik": gettext_lazy("Umpan balik"),
    "disetujui": gettext_lazy("Disetujui"),
    "diajukan": gettext_lazy("Diajukan"),
    "dikembalikan": gettext_lazy("Dikembalikan"),
    "draf": gettext_lazy("Draf"),
    "belum_dibuat": gettext_lazy("belum dibuat"),
    "kekurangan_jp": gettext_lazy("kekurangan JP"),
    "tidak_ada": gettext_lazy("tidak ada"),
    "belum_ada": gettext_lazy("belum ada"),
    "proyeksi": gettext_lazy("proyeksi"),
    "tingkat": gettext_lazy("tingkat"),
    "ada_balasan": gettext_lazy("ada balasan"),
    "beri_umpan_balik": gettext_lazy("Beri umpan balik"),
    "buka_skp": gettext_lazy("Buka SKP untuk memberi umpan balik"),
}
_row_labels: dict[str, dict[str, str]] = {}


def row_labels() -> dict[str, str]:
    """ROW_LABELS in the active language (computed once per language and process)."""
    language = translation.get_language() or ""
    found = _row_labels.get(language)
    if found is None:
        found = _row_labels[language] = {k: str(v) for k, v in ROW_LABELS.items()}
    return found


def _row_key(row: selectors.BoardRow, year: int, closed: int, due: int) -> str:
    """Everything a board row's HTML depends on: the person, their figures (rewritten on every
    change, so `refreshed_at` changes), the viewer's relation to them, the calendar, the
    language. The cache can be per process (local memory): a key never names stale HTML."""
    e, f = row.employee, row.figures
    parts = [
        translation.get_language(),
        year,
        e.pk,
        e.updated_at.timestamp(),
        f.pk if f else 0,
        f.refreshed_at.timestamp() if f else 0,
        row.level,
        row.reports,
        row.waiting_for_me,
        "-".join(str(v) for v in vars(row.jp).values()) if row.jp else "",
        closed,
        due,
    ]
    return "monitoring:row:" + ":".join(str(p) for p in parts)


def rows_html(rows: list[selectors.BoardRow], year: int) -> list[str]:
    """The board's rows as HTML, from the cache where a row has not changed since it was last
    rendered (one cache round trip), rendering only the others."""
    closed, due = months_closed(year), months_due(year)
    keys = [_row_key(row, year, closed, due) for row in rows]
    found = cache.get_many(keys)
    labels = row_labels()
    links = board_rows.Links.make()
    words = board_rows.Words.make()
    fresh = {}
    out = []
    for key, row in zip(keys, rows, strict=True):
        html = found.get(key)
        if html is None:
            html = fresh[key] = board_rows.row_html(
                row, board_rows.row_text(row, year, links, words), labels
            )
        out.append(mark_safe(html))  # built by board_rows.row_html (escaped)
    if fresh:
        cache.set_many(fresh, ROW_CACHE_SECONDS)
    return out


def _year(request: HttpRequest) -> int:
    return year_param(request.GET.get("tahun"))


# --- Kinerja saya ----------------------------------------------------------------------------


@login_required
def my_performance(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    data = selectors.my_performance(request.user, year=year)
    return render(
        request,
        "monitoring/my_performance.html",
        {
            "data": data,
            "year": year,
            "suggestions": wording.suggestions(data),
            "years": sorted({year, timezone.localdate().year, *(h.year for h in data.history)}),
        },
    )


# --- Team board --------------------------------------------------------------------------------


@login_required
def team_board(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    board = selectors.team_board(
        request.user,
        year=year,
        filter=request.GET.get("saring", ""),
        scope=request.GET.get("lingkup", "semua"),
        head_id=int_param(request.GET.get("atasan"), "atasan"),
        page=request.GET.get("page"),
    )
    page = board.page or Paginator(board.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    summary_rows = board.summary and not board.filter
    # A filtered large board pages in the database: its rows are built for that page only.
    shown = board.rows if board.page is not None else list(page.object_list)
    _attach_jp(shown, year)
    context = {
        "board": board,
        "page": page,
        "rows_html": [] if summary_rows else rows_html(shown, year),
        "summary_rows": summary_rows,
        "head_query": f"&atasan={board.head.pk}"
        if board.head is not None and board.head.pk != request.user.employee_id
        else "",
        "year": year,
        "since": selectors.last_change_id(),
        "has_team": request.user.employee_id is not None and board.total > 0,
        "can_regency": access.can_view_regency_dashboard(request.user),
        "querystring": querystring_without_page(request),
    }
    if request.htmx and request.htmx.target == "board-body":
        return render(request, "monitoring/team_board.html#board", context)
    return render(request, "monitoring/team_board.html", context)


@login_required
@require_GET
def team_row(request: HttpRequest, employee_id: int) -> HttpResponse:
    """One row of the board, re-fetched by the page when the live stream names the person;
    with `ringkas=1` a large board's row (the person with their team's figures), re-fetched
    also when the stream names them among the heads whose team figures changed."""
    employee = selectors.team_member_get(request.user, employee_id)
    year = _year(request)
    if request.GET.get("ringkas") == "1":
        figures, team = selectors.team_summary_row(request.user, employee, year=year)
        return render(
            request,
            "monitoring/team_board.html#summary_row",
            {"e": employee, "f": figures, "t": team, "year": year},
        )
    row = selectors.team_row(request.user, employee, year=year)
    _attach_jp([row], year)
    return HttpResponse(
        board_rows.row_html(
            row, board_rows.row_text(row, year, board_rows.Links.make()), row_labels()
        )
    )


def _attach_jp(rows: list[selectors.BoardRow], year: int) -> None:
    """The JP column (kinerja.competency through the figures seam; unknown without it)."""
    found = external.training_by_employee([r.employee.pk for r in rows], year)
    for row in rows:
        row.jp = found.get(row.employee.pk) if found is not None else None


def _feedback_targets(plan: Plan) -> list[tuple[str, str]]:
    """What a quick feedback can be about: each indicator's latest realisation, then the RHK."""
    latest: dict[int, Realisation] = {}
    for r in (
        Realisation.objects.filter(indicator__rhk__plan=plan)
        .select_related("indicator")
        .order_by("indicator_id", "-month")
    ):
        latest.setdefault(r.indicator_id, r)
    options = [
        (
            f"realisation:{r.pk}",
            _("%(n)s — %(m)s") % {"n": r.indicator.name[:80], "m": MONTHS[r.month - 1]},
        )
        for r in sorted(latest.values(), key=lambda r: r.updated_at, reverse=True)
    ]
    options += [
        (f"rhk:{rhk.pk}", _("RHK: %(t)s") % {"t": rhk.text[:90]})
        for rhk in Rhk.objects.filter(plan=plan).order_by("kind", "order")
    ]
    return options


def _feedback_target(plan: Plan, raw: str) -> dict[str, Any]:
    kind, _sep, raw_pk = raw.partition(":")
    pk = whole_number(raw_pk)
    if pk is None:
        raise Http404
    if kind == "realisation":
        target = Realisation.objects.filter(pk=pk, indicator__rhk__plan=plan).first()
    elif kind == "rhk":
        target = Rhk.objects.filter(pk=pk, plan=plan).first()
    else:
        target = None
    if target is None:
        raise Http404
    return {kind: target}


@login_required
@require_http_methods(["GET", "POST"])
def team_feedback(request: HttpRequest, employee_id: int) -> HttpResponse:
    """Quick feedback from the board: a small form swapped in place (htmx), posted through
    kinerja.performance.services.comment_add."""
    employee = selectors.team_member_get(request.user, employee_id)
    year = _year(request)
    plan = Plan.objects.filter(employee=employee, year=year).select_related("employee").first()
    if plan is None or not access.can_comment_on_plan(request.user, plan):
        raise Http404
    board_url = reverse("monitoring:team_board")
    context: dict[str, Any] = {
        "employee": employee,
        "plan": plan,
        "year": year,
        "targets": _feedback_targets(plan),
        "error": "",
        "body": "",
        "selected": "",
    }
    if request.method == "POST":
        body = request.POST.get("body", "")
        context["body"], context["selected"] = body, request.POST.get("target", "")
        try:
            target = _feedback_target(plan, request.POST.get("target", ""))
            performance_services.comment_add(plan=plan, by=request.user, body=body, **target)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            if not request.htmx:
                messages.error(request, context["error"])
                return HttpResponseRedirect(board_url)
        else:
            if not request.htmx:
                messages.success(request, _("Umpan balik terkirim."))
                return HttpResponseRedirect(board_url)
            response = render(request, "monitoring/_feedback_sent.html", context)
            response["HX-Trigger"] = json.dumps({"kinerja:team-changed": [employee.pk]})
            return response
    return render(request, "monitoring/_feedback_form.html", context)


# --- Live stream --------------------------------------------------------------------------------


def _sse(event: str, data: Any, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data)}\n\n"


@never_cache
@login_required
async def stream(request: HttpRequest) -> StreamingHttpResponse:
    """Server-Sent Events for the open page: "notifications" (the unread count) on every page,
    and "team" (the employees whose figures changed) for a supervisor's board (`?tim=1`).

    At its start the stream runs one query (kinerja.monitoring.live.poll: the unread count, the
    newest feed id, and the changes after Last-Event-ID); then it waits on this worker's hub
    (kinerja.monitoring.hub), which hands it the changes under the supervisor's path and the
    changes of the viewer's unread count, from one listener per worker process. Nothing is sent
    while nothing changes, except a comment every 15 s. When the viewer's own notification row
    wakes it, it first checks that the viewer is still signed in (`_signed_in`: the session
    exists, the account is active, the password unchanged); when not it sends "signedout"
    ({"login": the login page}) and ends, and the page stops listening instead of reconnecting.
    Neither a timer nor a team change reads the session (1,000 idle pages, or a busy board):
    a logout, a password change or a deactivation writes that row (kinerja.monitoring.live.
    on_account_changed). The stream ends after
    MONITORING_STREAM_MAX_SECONDS (the browser reconnects with Last-Event-ID and the session is
    checked again), at `?once=1` after the first query (tests), when the worker shuts down, or
    when the client goes away. Under a WSGI server every answer is one query (the browser
    reconnects after 15 s).
    """
    user = await request.auser()
    employee_path = None
    if request.GET.get("tim") == "1" and user.employee_id is not None:
        employee_path = await sync_to_async(_employee_path, thread_sensitive=False)(
            user.employee_id
        )
    raw_since = request.headers.get("Last-Event-ID") or request.GET.get("sejak", "")
    since = int_param(raw_since, "sejak")
    # Under a WSGI server (manage.py runserver, the test live server) a response is sent only
    # once complete, so a long stream would hold a thread and show nothing: answer one poll
    # and let the browser come back later instead.
    asgi = hasattr(request, "scope")
    once = request.GET.get("once") == "1" or not asgi
    lifetime = float(getattr(settings, "MONITORING_STREAM_MAX_SECONDS", 300))
    sent_unread = int_param(request.GET.get("belum"), "belum")
    user_id = user.pk
    session_key = request.session.session_key
    login_url = resolve_url(settings.LOGIN_URL)

    async def still_signed_in() -> bool:
        return await sync_to_async(_signed_in, thread_sensitive=False)(session_key, user_id)

    async def events() -> AsyncIterator[str]:
        cursor = live.Cursor(since)
        last_unread = sent_unread
        deadline = time.monotonic() + lifetime
        yield "retry: 2000\n\n" if asgi else "retry: 15000\n\n"
        # Subscribed before the first query, so nothing committed in between is missed (the
        # cursor drops what both report).
        subscription = None if once else hub.get_hub().subscribe(user_id, employee_path)
        try:
            result = await sync_to_async(live.poll, thread_sensitive=False)(
                user_id=user_id, path=employee_path, after=cursor.after
            )
            while True:
                if employee_path is not None and result is not None:
                    started = cursor.position is None
                    employees, heads = cursor.advance_with_teams(result)
                    if result.overflow:
                        yield _sse("team", {"employees": [], "reload": True}, cursor.position)
                    elif employees or heads:
                        # `teams`: heads whose team figures were recomputed (a large board's
                        # rows); only sent when there are some.
                        data: dict[str, Any] = {"employees": employees}
                        if heads:
                            data["teams"] = heads
                        yield _sse("team", data, cursor.position)
                    elif started:
                        yield f"id: {cursor.position}\n\n"
                if result is not None and result.unread != last_unread:
                    yield _sse("notifications", {"unread": result.unread})
                    last_unread = result.unread
                if subscription is None:
                    return
                result = None
                while result is None:
                    left = deadline - time.monotonic()
                    if left <= 0 or subscription.closed:
                        return
                    if not await subscription.wait(min(KEEPALIVE_SECONDS, left)):
                        if deadline - time.monotonic() > 0:
                            yield ": tetap tersambung\n\n"
                        continue
                    if subscription.closed:
                        return
                    changes, teams, unread_changed, overflow = subscription.take_all()
                    # A logout, a password change and a deactivation all come as the account's
                    # "notifications" row (live.on_account_changed): only then is the session
                    # read again, not for every team change a busy board receives.
                    if unread_changed and not await still_signed_in():
                        yield _sse("signedout", {"login": login_url})
                        return
                    unread = last_unread
                    if unread_changed:
                        unread = (
                            await sync_to_async(live.poll, thread_sensitive=False)(
                                user_id=user_id, path=None, after=0
                            )
                        ).unread
                    if changes or teams or overflow or unread != last_unread:
                        last_id = max(
                            [
                                cursor.position or 0,
                                *(i for i, _e in changes),
                                *(i for i, _h in teams),
                            ]
                        )
                        result = live.PollResult(unread, last_id, changes, overflow, teams)
        finally:
            if subscription is not None:
                subscription.close()

    response = StreamingHttpResponse(events(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through at once
    return response


def _signed_in(session_key: str | None, user_id: int) -> bool:
    """Whether an open stream's viewer is still signed in, as a new request would find: their
    session still exists and names them (a logout, in any tab, deletes it; so does an expiry),
    their account is active, and the session's password hash is still theirs (a password
    change ends the other sessions). Read only: unlike django.contrib.auth.get_user it never
    flushes or re-keys the session (a stream cannot send the browser a new cookie). Two
    indexed reads, run when the viewer's own "notifications" row wakes the stream (a logout
    writes one: kinerja.monitoring.live.on_account_changed), never on a timer."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.db import close_old_connections, connection
    from django.utils.crypto import constant_time_compare

    if not session_key:
        return False
    try:
        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
        data = store.load()
        backend_path = data.get(BACKEND_SESSION_KEY)
        if str(data.get(SESSION_KEY)) != str(user_id) or (
            backend_path not in settings.AUTHENTICATION_BACKENDS
        ):
            return False
        user = load_backend(backend_path).get_user(user_id)
        if user is None or not getattr(user, "is_active", False):
            return False
        if not hasattr(user, "get_session_auth_hash"):
            return True
        session_hash = data.get(HASH_SESSION_KEY) or ""
        return bool(session_hash) and any(
            constant_time_compare(session_hash, known)
            for known in (user.get_session_auth_hash(), *user.get_session_auth_fallback_hash())
        )
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


def _employee_path(employee_id: int) -> str | None:
    from django.db import close_old_connections, connection

    from kinerja.organisation.models import Employee

    try:
        return Employee.objects.filter(pk=employee_id).values_list("path", flat=True).first()
    finally:
        if not connection.in_atomic_block:
            close_old_connections()


# --- Regency dashboard ---------------------------------------------------------------------------


def _check_regency(request: HttpRequest) -> None:
    if not access.can_view_regency_dashboard(request.user):
        raise Http404


@login_required
@replica_view
def regency_dashboard(request: HttpRequest) -> HttpResponse:
    _check_regency(request)
    year = _year(request)
    dashboard = selectors.regency_dashboard(year=year)
    return render(
        request,
        "monitoring/regency_dashboard.html",
        {
            "dashboard": dashboard,
            "year": year,
            "charts": documents.dashboard_charts(dashboard),
            "jp": external.jp_compliance(year),  # kinerja.competency: the 20 JP slot
        },
    )


@login_required
@replica_view
def unit_dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_for_dashboard(request.user, unit_id)
    year = _year(request)
    dashboard = selectors.unit_dashboard(request.user, unit, year=year)
    return render(
        request,
        "monitoring/unit_dashboard.html",
        {
            "dashboard": dashboard,
            "year": year,
            "charts": documents.dashboard_charts(dashboard),
            "regency": access.can_view_regency_dashboard(request.user),
        },
    )


@login_required
def regency_export_xlsx(request: HttpRequest) -> HttpResponse:
    _check_regency(request)
    year = _year(request)
    dashboard = selectors.regency_dashboard(year=year)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="monitoring.dasbor",
        object_repr=f"Dasbor daerah {year} (XLSX)",
    )
    response = HttpResponse(
        documents.dashboard_xlsx(dashboard),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="dasbor-kinerja-{year}.xlsx"'
    return response


@login_required
def regency_export_pdf(request: HttpRequest) -> HttpResponse:
    _check_regency(request)
    data, filename, _type = regency_pdf_export(user=request.user, params={"tahun": _year(request)})
    return pdf.pdf_response(data, filename)


def regency_pdf_export(
    *, user: User, params: dict[str, Any], progress: Any = None
) -> tuple[bytes, str, str]:
    """The regency dashboard as PDF (the page's download, and the background export
    "monitoring.regency_pdf" of kinerja.core.exports)."""
    if not access.can_view_regency_dashboard(user):
        raise PermissionError
    year = year_param(params.get("tahun"))
    dashboard = selectors.regency_dashboard(year=year)
    if progress is not None:
        progress(30)
    data = documents.dashboard_pdf_bytes(dashboard)
    audit_record(
        actor=user,
        action=AuditAction.EXPORT,
        object_type="monitoring.dasbor",
        object_repr=f"Dasbor daerah {year} (PDF)",
    )
    return data, f"dasbor-kinerja-{year}.pdf", "application/pdf"
