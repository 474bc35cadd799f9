from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


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
