"""Every URL × every persona → the expected status. New URLs join this table.

404 (never 403) answers anything a persona may not see, so that existence is not revealed;
302 sends an anonymous visitor to the login page.

The `regional` persona (a Dinas Kesehatan employee whose account is Admin BKPSDM) answers as
BKPSDM unless a row says otherwise; its own record is a target too, which the Admin OPD of Dinas
Kesehatan may see but not edit, reset or re-role (an account takeover otherwise).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from kinerja.organisation.models import Employee
from tests.access import (
    ALL,
    MATRIX_PERSONAS,
    READERS,
    Route,
    by_persona,
    check_persona,
    expect,
    uncovered,
)
from tests.conftest import Org


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
    Route("home", "home:home", lambda o: reverse("home:home"), ALL),
    Route(
        "healthz",
        "core:healthz",
        lambda o: reverse("core:healthz"),
        dict.fromkeys(MATRIX_PERSONAS, 200),
    ),
    Route(
        "readyz",
        "core:readyz",
        lambda o: reverse("core:readyz"),
        dict.fromkeys(MATRIX_PERSONAS, 200),
    ),
    Route("my exports", "core:export_list", lambda o: reverse("core:export_list"), expect(200)),
    Route(
        "ask for a background export (it fails later for those without the right)",
        "core:export_request",
        lambda o: reverse("core:export_request", args=["organisation.directory"]),
        expect(302),
        "post",
    ),
    Route(
        "follow someone's export",
        "core:export_status",
        lambda o: reverse("core:export_status", args=[bkpsdm_export(o)]),
        expect(404, bkpsdm=200, regional=404),
    ),
    Route(
        "download someone's export",
        "core:export_download",
        lambda o: reverse("core:export_download", args=[bkpsdm_export(o)]),
        expect(404, bkpsdm=200, regional=404),
    ),
    Route(
        "follow someone's import",
        "core:import_status",
        lambda o: reverse("core:import_status", args=[bkpsdm_import(o)]),
        expect(404, bkpsdm=200, regional=404),
    ),
    Route(
        "document verify (unknown code; known codes: tests/core/test_verification.py)",
        "core:document_verify",
        lambda o: reverse("core:document_verify", args=["tidak-ada"]),
        dict.fromkeys(MATRIX_PERSONAS, 404),
    ),
    Route(
        "audit log",
        "home:audit_log",
        lambda o: reverse("home:audit_log"),
        expect(404, bkpsdm=200, inspektorat=200),
    ),
    Route(
        "login",
        "organisation:login",
        lambda o: reverse("organisation:login"),
        expect(302, anonymous=200),
    ),
    Route(
        "logout",
        "organisation:logout",
        lambda o: reverse("organisation:logout"),
        dict.fromkeys(MATRIX_PERSONAS, 302),
        "post",
    ),
    Route(
        "password change",
        "organisation:password_change",
        lambda o: reverse("organisation:password_change"),
        expect(200),
    ),
    Route(
        "profile", "organisation:profile", lambda o: reverse("organisation:profile"), expect(200)
    ),
    Route(
        "my API tokens",
        "organisation:api_tokens",
        lambda o: reverse("organisation:api_tokens"),
        expect(200),
    ),
    # UU 27/2022: everyone downloads their own data, and only their own (tests/home).
    Route("my data", "home:my_data", lambda o: reverse("home:my_data"), expect(200)),
    Route(
        "my data download", "home:my_data", lambda o: reverse("home:my_data"), expect(200), "post"
    ),
    # Two-step login: the set-up page for administrators; the code step without a pending
    # login sends everyone back to the login page (tests/organisation/test_two_factor.py).
    Route(
        "two-step set-up",
        "organisation:two_factor",
        lambda o: reverse("organisation:two_factor"),
        expect(404, bkpsdm=200, regional=200),
    ),
    Route(
        "login code step",
        "organisation:login_code",
        lambda o: reverse("organisation:login_code"),
        expect(302),
    ),
    Route(
        "revoke someone's API token",
        "organisation:api_token_revoke",
        lambda o: reverse("organisation:api_token_revoke", args=[bkpsdm_token(o)]),
        expect(404, bkpsdm=302, regional=404),
        "post",
    ),
    Route(
        "unit tree",
        "organisation:unit_tree",
        lambda o: reverse("organisation:unit_tree"),
        expect(200),
    ),
    Route(
        "directory",
        "organisation:employee_list",
        lambda o: reverse("organisation:employee_list"),
        expect(200),
    ),
    Route(
        "employee create",
        "organisation:employee_create",
        lambda o: reverse("organisation:employee_create"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "directory export",
        "organisation:employee_export",
        lambda o: reverse("organisation:employee_export"),
        expect(404, admin_opd=200, unit_head=200, **READERS),  # unit_head: Kepala Dinas
    ),
    Route(
        "employee detail (Dinkes nurse)",
        "organisation:employee_detail",
        lambda o: reverse("organisation:employee_detail", args=[o.employee.pk]),
        expect(200, other=404),
    ),
    Route(
        "employee detail (Disdik teacher)",
        "organisation:employee_detail",
        lambda o: reverse("organisation:employee_detail", args=[o.other_employee.pk]),
        expect(404, other=200, **READERS),
    ),
    Route(
        "employee detail (unit head, above the supervisor)",
        "organisation:employee_detail",
        lambda o: reverse("organisation:employee_detail", args=[o.unit_head.pk]),
        expect(404, unit_head=200, admin_opd=200, **READERS),
    ),
    Route(
        "employee detail (Dinkes employee with a regency-wide role)",
        "organisation:employee_detail",
        lambda o: reverse("organisation:employee_detail", args=[o.regional.pk]),
        expect(404, unit_head=200, admin_opd=200, **READERS),
    ),
    Route(
        "employee detail (missing)",
        "organisation:employee_detail",
        lambda o: reverse("organisation:employee_detail", args=[999999]),
        expect(404),
    ),
    Route(
        "employee edit",
        "organisation:employee_edit",
        lambda o: reverse("organisation:employee_edit", args=[o.employee.pk]),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "employee edit (other OPD)",
        "organisation:employee_edit",
        lambda o: reverse("organisation:employee_edit", args=[o.other_employee.pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "employee edit (regency-wide role, Admin OPD may not)",
        "organisation:employee_edit",
        lambda o: reverse("organisation:employee_edit", args=[o.regional.pk]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "reset password (regency-wide role, Admin OPD may not)",
        "organisation:employee_reset_password",
        lambda o: reverse("organisation:employee_reset_password", args=[o.regional.pk]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route(
        "account role (regency-wide role)",
        "organisation:employee_account_role",
        lambda o: reverse("organisation:employee_account_role", args=[o.regional.pk]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route(
        "reset password",
        "organisation:employee_reset_password",
        lambda o: reverse("organisation:employee_reset_password", args=[o.employee.pk]),
        expect(404, admin_opd=302, bkpsdm=302),
        "post",
    ),
    Route(
        "account role",
        "organisation:employee_account_role",
        lambda o: reverse("organisation:employee_account_role", args=[o.employee.pk]),
        expect(404, bkpsdm=302),
        "post",
    ),
    Route(
        "import",
        "organisation:import",
        lambda o: reverse("organisation:import"),
        expect(404, bkpsdm=200),
    ),
    Route(
        "import template",
        "organisation:import_template",
        lambda o: reverse("organisation:import_template", args=["employees", "xlsx"]),
        expect(404, bkpsdm=200),
    ),
    Route(
        "language",
        ":set_language",
        lambda o: reverse("set_language"),
        dict.fromkeys(MATRIX_PERSONAS, 302),
        "post",
    ),
    Route("api units", "api:list_units", lambda o: "/api/v1/units", expect(200, anonymous=401)),
    Route(
        "api employees",
        "api:list_employees",
        lambda o: "/api/v1/employees",
        expect(200, anonymous=401),
    ),
    Route(
        "api employee (Dinkes nurse)",
        "api:get_employee",
        lambda o: f"/api/v1/employees/{o.employee.pk}",
        expect(200, anonymous=401, other=404),
    ),
    Route("api docs", "api:openapi-view", lambda o: "/api/v1/docs", expect(200, anonymous=200)),
    Route(
        "api schema",
        "api:openapi-json",
        lambda o: "/api/v1/openapi.json",
        expect(200, anonymous=200),
    ),
    # No page at the API's root (its documentation is /api/v1/docs).
    Route("api root", "api:api-root", lambda o: "/api/v1/", dict.fromkeys(MATRIX_PERSONAS, 404)),
    Route("admin", "admin:index", lambda o: "/admin/", expect(302)),
]


@pytest.mark.parametrize(("route", "persona"), by_persona(ROUTES, MATRIX_PERSONAS))
def test_it_answers_each_persona_as_the_policy_says(
    org: Org,
    regional: Employee,
    route: Route,
    persona: str,
) -> None:
    check_persona(org, route, persona)


@pytest.mark.parametrize("namespace", ["core", "home", "organisation"])
def test_it_lists_every_named_url_in_the_matrix(namespace: str) -> None:
    """A new URL without a row here fails this test."""
    assert uncovered(namespace, ROUTES) == [], f"URLs missing from the access matrix ({namespace})"
