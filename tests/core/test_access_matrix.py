"""Every URL × every persona → the expected status. New URLs join this table.

404 (never 403) answers anything a persona may not see, so that existence is not revealed;
302 sends an anonymous visitor to the login page.

The `regional` persona (a Dinas Kesehatan employee whose account is Admin BKPSDM) answers as
BKPSDM unless a row says otherwise; its own record is a target too, which the Admin OPD of Dinas
Kesehatan may see but not edit, reset or re-role (an account takeover otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from kinerja.organisation.models import Employee
from tests.conftest import PERSONAS, Org, client_for

MATRIX_PERSONAS = [*PERSONAS, "regional"]
ALL = dict.fromkeys(MATRIX_PERSONAS, 200)


def expect(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(MATRIX_PERSONAS, default)
    table["anonymous"] = anonymous
    table.update(overrides)
    if "regional" not in overrides:
        table["regional"] = table["bkpsdm"]
    return table


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[Org], str]
    expected: dict[str, int]
    method: str = "get"


READERS = {"bkpsdm": 200, "pimpinan": 200, "inspektorat": 200}


def bkpsdm_token(org: Org) -> int:
    from kinerja.organisation.tokens import token_create

    row, _plain = token_create(user=org.users["bkpsdm"], name="matriks", scopes=["read"])
    return row.pk


def bkpsdm_export(org: Org) -> int:
    """A finished background export of the BKPSDM admin: only they may follow or download it."""
    from django.core.files.base import ContentFile

    from kinerja.core.models import ExportJob, ExportStatus

    job = ExportJob(
        kind="organisation.directory",
        title="Direktori pegawai (XLSX)",
        requested_by=org.users["bkpsdm"],
        status=ExportStatus.DONE,
        progress=100,
        filename="direktori.xlsx",
        content_type="application/octet-stream",
    )
    job.file.save("direktori.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    return job.pk


def bkpsdm_import(org: Org) -> int:
    """A finished background import of the BKPSDM admin: only they may follow it."""
    from django.core.files.base import ContentFile

    from kinerja.core.models import ImportJob, ImportStatus

    job = ImportJob(
        kind="organisation.employees",
        title="Impor pegawai",
        requested_by=org.users["bkpsdm"],
        status=ImportStatus.REJECTED,
        progress=100,
        filename="pegawai.csv",
        errors=[[2, "NIP", "NIP harus 18 digit."]],
        summary="Impor dibatalkan: 1 kesalahan pada 1 baris. Tidak ada data yang diubah.",
    )
    job.file.save("pegawai.csv", ContentFile(b"NIP\n1"), save=True)
    return job.pk


ROUTES = [
    # Anonymous visitors get the citizens' portal at / (kinerja.public.views.portal).
    Route("home", lambda o: reverse("home:home"), ALL),
    Route("healthz", lambda o: reverse("core:healthz"), dict.fromkeys(MATRIX_PERSONAS, 200)),
    Route("readyz", lambda o: reverse("core:readyz"), dict.fromkeys(MATRIX_PERSONAS, 200)),
    Route("my exports", lambda o: reverse("core:export_list"), expect(200)),
    Route(
        "ask for a background export (it fails later for those without the right)",
        lambda o: reverse("core:export_request", args=["organisation.directory"]),
        expect(302),
        "post",
    ),
    Route(
        "follow someone's export",
        lambda o: reverse("core:export_status", args=[bkpsdm_export(o)]),
        expect(404, bkpsdm=200, regional=404),
    ),
    Route(
        "download someone's export",
        lambda o: reverse("core:export_download", args=[bkpsdm_export(o)]),
        expect(404, bkpsdm=200, regional=404),
    ),
    Route(
        "follow someone's import",
        lambda o: reverse("core:import_status", args=[bkpsdm_import(o)]),
        expect(404, bkpsdm=200, regional=404),
    ),
    Route(
        "document verify (unknown code; known codes: tests/core/test_verification.py)",
        lambda o: reverse("core:document_verify", args=["tidak-ada"]),
        dict.fromkeys(MATRIX_PERSONAS, 404),
    ),
    Route(
        "audit log", lambda o: reverse("home:audit_log"), expect(404, bkpsdm=200, inspektorat=200)
    ),
    Route("login", lambda o: reverse("organisation:login"), expect(302, anonymous=200)),
    Route(
        "logout",
        lambda o: reverse("organisation:logout"),
        dict.fromkeys(MATRIX_PERSONAS, 302),
        "post",
    ),
    Route("password change", lambda o: reverse("organisation:password_change"), expect(200)),
    Route("profile", lambda o: reverse("organisation:profile"), expect(200)),
    Route("my API tokens", lambda o: reverse("organisation:api_tokens"), expect(200)),
    Route(
        "revoke someone's API token",
        lambda o: reverse("organisation:api_token_revoke", args=[bkpsdm_token(o)]),
        expect(404, bkpsdm=302, regional=404),
        "post",
    ),
    Route("unit tree", lambda o: reverse("organisation:unit_tree"), expect(200)),
    Route("directory", lambda o: reverse("organisation:employee_list"), expect(200)),
    Route(
        "employee create",
        lambda o: reverse("organisation:employee_create"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "directory export",
        lambda o: reverse("organisation:employee_export"),
        expect(404, admin_opd=200, unit_head=200, **READERS),  # unit_head: Kepala Dinas
    ),
    Route(
        "employee detail (Dinkes nurse)",
        lambda o: reverse("organisation:employee_detail", args=[o.employee.pk]),
        expect(200, other=404),
    ),
    Route(
        "employee detail (Disdik teacher)",
        lambda o: reverse("organisation:employee_detail", args=[o.other_employee.pk]),
        expect(404, other=200, **READERS),
    ),
    Route(
        "employee detail (unit head, above the supervisor)",
        lambda o: reverse("organisation:employee_detail", args=[o.unit_head.pk]),
        expect(404, unit_head=200, admin_opd=200, **READERS),
    ),
    Route(
        "employee detail (Dinkes employee with a regency-wide role)",
        lambda o: reverse("organisation:employee_detail", args=[o.regional.pk]),
        expect(404, unit_head=200, admin_opd=200, **READERS),
    ),
    Route(
        "employee detail (missing)",
        lambda o: reverse("organisation:employee_detail", args=[999999]),
        expect(404),
    ),
    Route(
        "employee edit",
        lambda o: reverse("organisation:employee_edit", args=[o.employee.pk]),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "employee edit (other OPD)",
        lambda o: reverse("organisation:employee_edit", args=[o.other_employee.pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "employee edit (regency-wide role, Admin OPD may not)",
        lambda o: reverse("organisation:employee_edit", args=[o.regional.pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "reset password (regency-wide role, Admin OPD may not)",
        lambda o: reverse("organisation:employee_reset_password", args=[o.regional.pk]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route(
        "account role (regency-wide role)",
        lambda o: reverse("organisation:employee_account_role", args=[o.regional.pk]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route(
        "reset password",
        lambda o: reverse("organisation:employee_reset_password", args=[o.employee.pk]),
        expect(404, admin_opd=302, bkpsdm=302),
        "post",
    ),
    Route(
        "account role",
        lambda o: reverse("organisation:employee_account_role", args=[o.employee.pk]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route("import", lambda o: reverse("organisation:import"), expect(404, bkpsdm=200)),
    Route(
        "import template",
        lambda o: reverse("organisation:import_template", args=["employees", "xlsx"]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "language", lambda o: reverse("set_language"), dict.fromkeys(MATRIX_PERSONAS, 302), "post"
    ),
    Route("api units", lambda o: "/api/v1/units", expect(200, anonymous=401)),
    Route("api employees", lambda o: "/api/v1/employees", expect(200, anonymous=401)),
    Route(
        "api employee (Dinkes nurse)",
        lambda o: f"/api/v1/employees/{o.employee.pk}",
        expect(200, anonymous=401, other=404),
    ),
    Route("api docs", lambda o: "/api/v1/docs", expect(200, anonymous=200)),
    Route("admin", lambda o: "/admin/", expect(302)),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
@pytest.mark.parametrize("persona", MATRIX_PERSONAS)
def test_it_answers_each_persona_as_the_policy_says(
    org: Org,
    regional: Employee,
    route: Route,
    persona: str,
) -> None:
    client = client_for(org, persona)
    response = getattr(client, route.method)(route.url(org))
    assert response.status_code == route.expected[persona], (
        f"{route.name} as {persona}: {response.status_code}"
    )


def test_it_lists_every_named_url_in_the_matrix() -> None:
    """A new URL without a row here fails this test."""
    from django.urls import get_resolver

    covered = {
        "home:home",
        "core:healthz",
        "core:readyz",
        "core:export_list",
        "core:export_request",
        "core:export_status",
        "core:export_download",
        "core:import_status",
        "home:audit_log",
        "core:document_verify",
        "organisation:login",
        "organisation:logout",
        "organisation:password_change",
        "organisation:profile",
        "organisation:api_tokens",
        "organisation:api_token_revoke",
        "organisation:unit_tree",
        "organisation:employee_list",
        "organisation:employee_create",
        "organisation:employee_export",
        "organisation:employee_detail",
        "organisation:employee_edit",
        "organisation:employee_reset_password",
        "organisation:employee_account_role",
        "organisation:import",
        "organisation:import_template",
    }
    resolver = get_resolver()
    names = set()
    for namespace in ("core", "home", "organisation"):
        _prefix, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{name}" for name in sub.reverse_dict if isinstance(name, str)}
    assert names <= covered, f"URLs missing from the access matrix: {sorted(names - covered)}"
