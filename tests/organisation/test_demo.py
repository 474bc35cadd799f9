"""The Bukitintan demo: deterministic, realistic, valid, one login per role."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from kinerja.demo.organisation import DEMO_PASSWORD, build_demo, demo_logins
from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.nip import parse_nip

REQUIRED_OPDS = {
    "Sekretariat Daerah",
    "Badan Perencanaan Pembangunan Daerah",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Inspektorat Daerah",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
    "Dinas Sosial",
    "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Satuan Polisi Pamong Praja",
}


@pytest.fixture
def demo(db) -> int:  # type: ignore[no-untyped-def]
    return build_demo(employees=1500, seed=7)


def test_it_builds_the_regency_with_its_opds_and_upts(demo: int) -> None:
    opds = set(Unit.objects.filter(parent__isnull=True).values_list("name", flat=True))
    assert opds >= REQUIRED_OPDS
    assert sum(name.startswith("Kecamatan") for name in opds) >= 3
    dinkes = Unit.objects.get(code="DINKES")
    upts = Unit.objects.filter(parent=dinkes, kind__in=["rsud", "puskesmas"])
    assert upts.filter(kind="rsud").exists() and upts.filter(kind="puskesmas").count() >= 3
    assert all(u.serves_public for u in upts)


def test_every_nip_is_valid_unique_and_matches_the_sex_digit(demo: int) -> None:
    nips = list(Employee.objects.values_list("nip", flat=True))
    assert len(nips) == len(set(nips)) == demo
    for nip in nips:
        parse_nip(nip)


def test_spans_of_control_are_realistic_and_there_is_one_root(demo: int) -> None:
    spans = Counter(
        dict(
            Employee.objects.annotate(n=Count("direct_reports"))
            .filter(n__gt=0)
            .values_list("id", "n")
        )
    )
    assert max(spans.values()) <= 12
    assert Employee.objects.filter(supervisor__isnull=True).count() == 1  # the Sekretaris Daerah
    median = sorted(spans.values())[len(spans) // 2]
    assert 3 <= median <= 12


def test_paths_match_the_supervisor_links(demo: int) -> None:
    by_id = {e.pk: e for e in Employee.objects.all()}
    for employee in by_id.values():
        expected = by_id[employee.supervisor_id].path if employee.supervisor_id else "/"
        assert employee.path == f"{expected}{employee.pk}/"


def test_it_is_deterministic_for_a_seed(demo: int) -> None:
    first = list(Employee.objects.order_by("id").values_list("nip", "name", "position__name"))
    Employee.objects.update(supervisor=None)
    User.objects.all().delete()
    from kinerja.organisation.models import EmployeeHistory, Position

    EmployeeHistory.objects.all().delete()
    Employee.objects.all().delete()
    Position.objects.all().delete()
    Unit.objects.update(parent=None, opd=None)
    Unit.objects.all().delete()
    build_demo(employees=1500, seed=7)
    second = list(Employee.objects.order_by("id").values_list("nip", "name", "position__name"))
    assert first == second


def test_there_is_one_working_login_per_role(demo: int) -> None:
    logins = demo_logins()
    roles = {login.role for login in logins}
    assert {"Pegawai", "Atasan langsung", "Kepala unit (OPD)", "Superuser"} <= roles
    assert {str(label) for label in Role.labels} - {"Pegawai"} <= roles
    for login in logins:
        user = User.objects.get(username=login.username)
        assert user.check_password(DEMO_PASSWORD) and not user.must_change_password
    staff = Employee.objects.get(nip=logins[0].username)
    assert staff.supervisor.nip == logins[1].username


def test_it_has_a_dinkes_employee_with_a_regency_wide_role(demo: int) -> None:
    """The access checks need an account that an Admin OPD sees but must not take over."""
    from kinerja.organisation import access

    login = next(lg for lg in demo_logins() if "peran Admin BKPSDM" in lg.role)
    account = User.objects.select_related("employee__unit").get(username=login.username)
    assert account.role == Role.ADMIN_BKPSDM
    assert account.employee.unit.opd.code == "DINKES"
    admin_opd = User.objects.get(username="admin.dinkes")
    assert access.can_view_employee(admin_opd, account.employee)
    assert not access.can_manage_employee(admin_opd, account.employee)
    assert access.can_manage_employee(User.objects.get(username="admin.bkpsdm"), account.employee)


def test_the_demo_kepala_dinas_reads_his_opd_dashboard(demo: int) -> None:
    """Issue 10, workflow 6: the demo "Kepala unit" got 404 on his own OPD's dashboard."""
    from django.test import Client
    from django.urls import reverse

    from kinerja.organisation import access

    login = next(lg for lg in demo_logins() if lg.role == "Kepala unit (OPD)")
    head = User.objects.get(username=login.username)
    dinkes = Unit.objects.get(code="DINKES")
    assert access.headed_opd_id(head) == dinkes.pk
    client = Client()
    client.force_login(head)
    for unit in (dinkes, Unit.objects.get(code="DINKES-PKM-01")):
        url = reverse("monitoring:unit_dashboard", args=[unit.pk])
        assert client.get(url).status_code == 200
    other = Unit.objects.get(code="DISDIK")
    assert client.get(reverse("monitoring:unit_dashboard", args=[other.pk])).status_code == 404
    assert client.get(reverse("organisation:employee_create")).status_code == 404  # read only
    # The staff and the supervisors of the demo head nothing.
    for role in ("Pegawai", "Atasan langsung"):
        user = User.objects.get(
            username=next(lg for lg in demo_logins() if lg.role == role).username
        )
        assert access.headed_opd_id(user) is None


def test_the_command_refuses_a_database_that_has_data(demo: int) -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "tidak di-seed ulang" in out.getvalue()
