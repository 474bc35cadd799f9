from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import notifications
from .http import CSRF_FAILED_API, CSRF_FAILED_SHORT, same_site_referer, wants_json
from .models import ExportJob, ExportStatus, ImportJob


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness in one: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """settings.CSRF_FAILURE_VIEW: a refused form (the page stayed open past a new login, or
    cookies are blocked) answers 403 with the site's own page in Indonesian and a way back,
    not Django's English technical page. htmx and JSON callers get a short message: htmx is
    asked to reload the page (the realisation grid keeps its unsent values in the browser and
    puts them back), the API keeps its {"detail": ...} shape."""
    if wants_json(request):
        return JsonResponse({"detail": CSRF_FAILED_API}, status=403)
    if getattr(request, "htmx", False):
        response = HttpResponse(CSRF_FAILED_SHORT, status=403, content_type="text/plain")
        response["HX-Refresh"] = "true"
        return response
    referer = same_site_referer(request)
    context = {"back_url": referer or reverse("home:home"), "back_is_referer": bool(referer)}
    return render(request, "403_csrf.html", context, status=403)


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: database write, migrations, media space, task queue (kinerja/core/readiness.py);
    200 when all pass, 503 with the failing check named otherwise."""
    from .readiness import run_checks

    checks = run_checks()
    ok = all(c.ok for c in checks)
    return JsonResponse(
        {
            "status": "ok" if ok else "error",
            "failed": [c.name for c in checks if not c.ok],
            "checks": {c.name: c.as_json() for c in checks},
        },
        status=200 if ok else 503,
    )


def document_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public (no login): whether a printed document is genuine — its kind, title, holder's name
    and the facts chosen when it was issued; nothing more (kinerja.core.verification)."""
    from .verification import document_find

    document = document_find(code)
    return render(
        request,
        "core/document_verify.html",
        {"document": document, "code": code},
        status=200 if document is not None else 404,
    )


# --- Background exports (kinerja.core.exports) ----------------------------------------------

EXPORT_PARAMS = ("tahun", "periode", "opd", "unit")


@login_required
@require_POST
def export_request(request: HttpRequest, kind: str) -> HttpResponse:
    """Queue a background export from a page's button; then follow it on its own page."""
    from . import exports

    if not exports.is_registered(kind):
        raise Http404
    params = {k: str(request.POST.get(k, ""))[:40] for k in EXPORT_PARAMS if request.POST.get(k)}
    job = exports.export_request(kind=kind, params=params, user=request.user)
    return redirect("core:export_status", pk=job.pk)


def _my_job(request: HttpRequest, pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, requested_by=request.user).first()
    if job is None:
        raise Http404
    return job


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _my_job(request, pk)
    template = "core/export_status.html"
    if request.headers.get("HX-Request") and request.GET.get("bagian") == "status":
        template = "core/export_status.html#status"
    return render(request, template, {"job": job})


@login_required
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _my_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request: HttpRequest) -> HttpResponse:
    """The bell's page: every notification of the person, paged; POST marks all read."""
    if request.method == "POST":
        notifications.notifications_mark_read(user=request.user)
        return redirect("performance:notification_list")
    page = Paginator(notifications.notifications_of(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "core/notification_list.html", {"page": page, "querystring": ""})


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Open one's own notification (404 for anyone else's): marked read, then its page."""
    item = get_object_or_404(notifications.notifications_of(request.user), pk=notification_id)
    notifications.notifications_mark_read(user=request.user, notification=item)
    return redirect(item.url if item.url.startswith("/") else reverse("home:home"))


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(ExportJob.objects.filter(requested_by=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "core/export_list.html", {"page": page})


# --- Background imports (kinerja.core.importjobs) -------------------------------------------


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress of one's own import, then its result (counts or the rows to fix)."""
    job = ImportJob.objects.filter(pk=pk, requested_by=request.user).defer("journal").first()
    if job is None:
        raise Http404
    template = "core/import_status.html"
    if request.headers.get("HX-Request") and request.GET.get("bagian") == "status":
        template = "core/import_status.html#status"
    errors = Paginator(job.errors or [], 50).get_page(request.GET.get("page"))
    back = str((job.params or {}).get("back", ""))
    return render(
        request,
        template,
        {"job": job, "errors": errors, "back": back if back.startswith("/") else ""},
    )
