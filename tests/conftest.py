"""Shared fixtures: the personas every test speaks of, named once here.

The small regency built by `org`:

    Dinas Kesehatan (OPD "DINKES")                 Dinas Pendidikan (OPD "DISDIK")
      Kepala Dinas Kesehatan ........ unit_head       Kepala Dinas Pendidikan ... other_head
        Kepala UPT Puskesmas ........ supervisor        Guru ....................... other_employee
          Perawat ................... employee
          Bidan ..................... peer (same supervisor as employee)

Personas (clients logged in as):
- employee        an ASN; sees only themself
- supervisor      the employee's direct supervisor; sees their subtree
- unit_head       head of Dinas Kesehatan; sees the whole OPD through the reporting lines
- admin_opd       Admin OPD of Dinas Kesehatan (username login, not an ASN)
- bkpsdm          Admin BKPSDM: sees and changes everything in the regency
- pimpinan        the regent's office: reads everything
- inspektorat     the inspectorate: reads everything, including the audit log
- other           an employee of Dinas Pendidikan: must get 404 for Dinas Kesehatan's people
- anonymous       a citizen without an account

One more persona joins when a test asks for the `regional` fixture (the access matrices do):
- regional        a Dinas Kesehatan employee (under the unit head) whose account holds the
                  regency-wide role Admin BKPSDM: sees what BKPSDM sees, and the Admin OPD of
                  Dinas Kesehatan may not edit, reset or re-role that account
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.test import Client

from kinerja.organisation.choices import PositionKind, Role, UnitKind
from kinerja.organisation.models import Employee, Unit, User

from . import clock
from .factories import EmployeeFactory, PositionFactory, UnitFactory, make_user

PASSWORD = "rahasia-kuat-123"


def pytest_configure(config: pytest.Config) -> None:
    clock.start()  # KINERJA_TEST_NOW: the whole suite on another day (tests/clock.py)


def pytest_report_header(config: pytest.Config) -> str | None:
    moment = clock.frozen_now()
    return f"clock frozen at {moment.isoformat()} (KINERJA_TEST_NOW)" if moment else None


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@dataclass
class Org:
    dinkes: Unit
    puskesmas: Unit
    disdik: Unit
    unit_head: Employee
    supervisor: Employee
    employee: Employee
    peer: Employee
    other_head: Employee
    other_employee: Employee
    users: dict[str, User]
    regional: Employee | None = None


@pytest.fixture
def org(db) -> Org:  # type: ignore[no-untyped-def]
    dinkes = UnitFactory(code="DINKES", name="Dinas Kesehatan", kind=UnitKind.DINAS)
    puskesmas = UnitFactory(
        code="DINKES-PKM-01",
        name="UPT Puskesmas Bukitintan",
        kind=UnitKind.PUSKESMAS,
        parent=dinkes,
        serves_public=True,
    )
    disdik = UnitFactory(code="DISDIK", name="Dinas Pendidikan", kind=UnitKind.DINAS)
    head_pos = PositionFactory(name="Kepala Dinas Kesehatan", kind=PositionKind.JPT, kelas=14)
    pkm_pos = PositionFactory(
        name="Kepala UPT Puskesmas Bukitintan", kind=PositionKind.PENGAWAS, kelas=9
    )
    nurse = PositionFactory(
        name="Perawat Ahli Pertama", kind=PositionKind.FUNGSIONAL, kelas=8, jenjang="ahli_pertama"
    )
    midwife = PositionFactory(
        name="Bidan Terampil", kind=PositionKind.FUNGSIONAL, kelas=6, jenjang="terampil"
    )
    unit_head = EmployeeFactory(
        name="Kartika Ramadhan",
        back_title="S.KM., M.Kes.",
        position=head_pos,
        unit=dinkes,
        golongan="IV/c",
    )
    supervisor = EmployeeFactory(
        name="Citra Syahputra",
        position=pkm_pos,
        unit=puskesmas,
        supervisor=unit_head,
        golongan="III/d",
    )
    employee = EmployeeFactory(
        name="Siti Rahmawati",
        back_title="S.Kep., Ners",
        position=nurse,
        unit=puskesmas,
        supervisor=supervisor,
    )
    peer = EmployeeFactory(
        name="Dewi Lestari",
        position=midwife,
        unit=puskesmas,
        supervisor=supervisor,
        golongan="II/c",
    )
    other_head = EmployeeFactory(
        name="Bambang Santoso",
        unit=disdik,
        golongan="IV/c",
        position=PositionFactory(name="Kepala Dinas Pendidikan", kind=PositionKind.JPT, kelas=14),
    )
    other_employee = EmployeeFactory(
        name="Agus Pratama",
        unit=disdik,
        supervisor=other_head,
        position=PositionFactory(
            name="Guru Ahli Pertama", kind=PositionKind.FUNGSIONAL, kelas=8, jenjang="ahli_pertama"
        ),
    )
    users = {
        "employee": make_user(employee=employee),
        "supervisor": make_user(employee=supervisor),
        "unit_head": make_user(employee=unit_head),
        "admin_opd": make_user(username="admin.dinkes", role=Role.ADMIN_OPD, managed_opd=dinkes),
        "bkpsdm": make_user(username="admin.bkpsdm", role=Role.ADMIN_BKPSDM),
        "pimpinan": make_user(username="pimpinan", role=Role.PIMPINAN),
        "inspektorat": make_user(username="inspektorat", role=Role.INSPEKTORAT),
        "other": make_user(employee=other_employee),
    }
    return Org(
        dinkes,
        puskesmas,
        disdik,
        unit_head,
        supervisor,
        employee,
        peer,
        other_head,
        other_employee,
        users,
    )


@pytest.fixture
def regional(org: Org) -> Employee:
    """The `regional` persona (module doc): a Dinas Kesehatan employee who is Admin BKPSDM."""
    employee = EmployeeFactory(
        name="Rina Kusumawati",
        unit=org.dinkes,
        supervisor=org.unit_head,
        position=PositionFactory(name="Analis Sumber Daya Manusia Aparatur Ahli Muda", kelas=9),
    )
    org.users["regional"] = make_user(employee=employee, role=Role.ADMIN_BKPSDM)
    org.regional = employee
    return employee


PERSONAS = [
    "anonymous",
    "employee",
    "supervisor",
    "unit_head",
    "admin_opd",
    "bkpsdm",
    "pimpinan",
    "inspektorat",
    "other",
]


def client_for(org: Org, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(org.users[persona])
    return client


@pytest.fixture
def clients(org: Org) -> dict[str, Client]:
    return {persona: client_for(org, persona) for persona in PERSONAS}
