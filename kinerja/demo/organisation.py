"""The Bukitintan demo regency: a deterministic, realistic organisation and its people.

`build_demo(employees=N, seed=S)` creates the OPDs of a typical regency (Sekretariat Daerah,
Bappeda, BKPSDM, Inspektorat, Dinas Kesehatan with RSUD and Puskesmas, Dinas Pendidikan,
Disdukcapil, DPMPTSP, Dinas Sosial, Dinas PUPR, Satpol PP and several Kecamatan: see
kinerja.demo.regency), structural heads for every unit, and functional and administrative staff
in realistic spans of control (4–12 direct reports: large sections get team leads). Everything
depends only on N and S.

It is a bulk tool: employees are written with pre-assigned ids in one pass (paths computed in
memory), and every account shares one pre-computed password hash, so that 10,000 employees
seed in seconds. The coordination of OPD heads through the three Asisten of the Sekretariat
Daerah is the demo's simplification of the regent's span of control.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.organisation import services
from kinerja.organisation.choices import (
    ChangeReason,
    EmploymentStatus,
    PositionKind,
    Role,
    UnitKind,
)
from kinerja.organisation.models import Employee, EmployeeHistory, Position, Regency, Unit, User

from .bulk import reset_sequences
from .regency import (
    DEGREES,
    FAMILY,
    FEMALE,
    GENERAL_STAFF,
    GOLONGAN_BY_JENJANG,
    GOLONGAN_BY_KIND,
    MALE,
    PPPK_GOLONGAN,
    UnitSpec,
    position_kind_of,
    regency_structure,
)

DEMO_PASSWORD = "bukitintan"


@dataclass
class Person:
    pk: int
    unit: Unit
    position: Position
    supervisor: Person | None
    depth: int = 0
    path: str = ""


class DemoBuilder:
    def __init__(self, *, employees: int, seed: int) -> None:
        self.target = max(employees, 1)
        self.rng = random.Random(seed)
        self.positions: dict[str, Position] = {}
        self.people: list[Person] = []
        self.next_pk = (Employee.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.used_nips: set[str] = set(Employee.objects.values_list("nip", flat=True))
        self.units: dict[str, Unit] = {}

    # Positions
    def position(self, name: str, kind: str | None = None, kelas: int | None = None) -> Position:
        if name not in self.positions:
            guessed_kind, guessed_kelas, jenjang = position_kind_of(name)
            kind = kind or guessed_kind
            self.positions[name] = Position(
                name=name,
                kind=kind,
                kelas=kelas or guessed_kelas,
                jenjang=jenjang if kind == PositionKind.FUNGSIONAL else "",
            )
        return self.positions[name]

    def head_position(self, spec: UnitSpec, parent: UnitSpec | None, owner: str) -> Position:
        """The head's position; `owner` is the OPD or UPT the unit belongs to (names must be
        unique across the regency, so they carry it)."""
        if parent is None:
            kelas = 15 if spec.kind == UnitKind.SEKRETARIAT_DAERAH else 14
            return self.position(spec.head, PositionKind.JPT, kelas)
        if spec.kind == UnitKind.RSUD:
            return self.position(f"Direktur {spec.name}", PositionKind.ADMINISTRATOR, 12)
        if spec.kind == UnitKind.PUSKESMAS:
            return self.position(f"Kepala {spec.name}", PositionKind.PENGAWAS, 9)
        if spec.kind == UnitKind.SEKRETARIAT:
            kelas = 11 if parent.kind == UnitKind.KECAMATAN else 12
            return self.position(f"Sekretaris {owner}", PositionKind.ADMINISTRATOR, kelas)
        if spec.kind in {UnitKind.BIDANG, UnitKind.BAGIAN}:
            name = spec.name if spec.name.startswith("Inspektur") else f"Kepala {spec.name} {owner}"
            return self.position(name, PositionKind.ADMINISTRATOR, 12)
        return self.position(f"Kepala {spec.name} {owner}", PositionKind.PENGAWAS, 9)

    # Units
    def create_units(self, specs: list[UnitSpec]) -> None:
        def walk(spec: UnitSpec, parent: Unit | None) -> None:
            unit = services.unit_create(
                by=None,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                sector=spec.sector,
                parent=parent,
                serves_public=spec.serves_public,
            )
            self.units[spec.code] = unit
            for child in spec.children:
                walk(child, unit)

        for spec in specs:
            walk(spec, None)

    def add(self, unit: Unit, position: Position, supervisor: Person | None) -> Person:
        person = Person(pk=self.next_pk, unit=unit, position=position, supervisor=supervisor)
        self.next_pk += 1
        person.depth = supervisor.depth + 1 if supervisor else 0
        person.path = f"{supervisor.path if supervisor else '/'}{person.pk}/"
        self.people.append(person)
        return person

    def attach_staff(self, leader: Person, unit: Unit, names: list[str], count: int) -> None:
        """Attach `count` staff under `leader`, adding team leads so no one leads more than 12."""
        if count <= 0:
            return
        if count <= 12:
            for _ in range(count):
                self.add(unit, self.position(self.rng.choice(names)), leader)
            return
        leads = min(max(4, -(-count // 10)), 12)
        remaining = count - leads
        lead_people = [
            self.add(unit, self.position(self._lead_position(names)), leader) for _ in range(leads)
        ]
        share, extra = divmod(remaining, leads)
        for i, lead in enumerate(lead_people):
            self.attach_staff(lead, unit, names, share + (1 if i < extra else 0))

    def _lead_position(self, names: list[str]) -> str:
        seniors = [n for n in names if n.endswith((" Ahli Muda", " Ahli Madya", " Penyelia"))]
        return self.rng.choice(seniors or ["Analis Kebijakan Ahli Muda"])

    def build_people(self, specs: list[UnitSpec]) -> None:
        sekda_spec, *others = specs
        sekda = self.add(
            self.units[sekda_spec.code], self.head_position(sekda_spec, None, sekda_spec.name), None
        )
        asisten = [
            self.add(self.units["SETDA"], self.position(title, PositionKind.JPT, 14), sekda)
            for title in [
                "Asisten Pemerintahan dan Kesejahteraan Rakyat",
                "Asisten Perekonomian dan Pembangunan",
                "Asisten Administrasi Umum",
            ]
        ]
        coordination = {  # OPD code -> asisten index; Inspektorat reports to the Sekda
            "SETDA-PEM": 0,
            "SETDA-HKM": 0,
            "SETDA-KESRA": 0,
            "SETDA-EKO": 1,
            "SETDA-PBJ": 1,
            "SETDA-ORG": 2,
            "SETDA-UMUM": 2,
            "SETDA-PROKOPIM": 2,
            "BAPPEDA": 1,
            "DPMPTSP": 1,
            "DPUPR": 1,
            "BKPSDM": 2,
            "DINKES": 2,
            "DISDIK": 2,
            "DISDUKCAPIL": 0,
            "DINSOS": 0,
            "SATPOLPP": 0,
        }
        # (head, unit, share): staff work in leaf units, and a few work directly for the head
        # of a bidang/bagian/UPT (the functional analysts of today's flatter structure).
        leaves: list[tuple[Person, UnitSpec, float]] = []

        def walk(
            spec: UnitSpec,
            parent_spec: UnitSpec | None,
            supervisor: Person,
            owner: str,
            weight: float = 1.0,
        ) -> None:
            head = self.add(
                self.units[spec.code], self.head_position(spec, parent_spec, owner), supervisor
            )
            weight *= spec.weight
            if spec.kind in {UnitKind.RSUD, UnitKind.PUSKESMAS}:
                owner = spec.name
            for child in spec.children:
                walk(child, spec, head, owner, weight)
            if not spec.children:
                leaves.append((head, spec, weight))
            elif parent_spec is not None:
                leaves.append((head, spec, weight * 0.3))

        for part in sekda_spec.children:
            walk(part, sekda_spec, asisten[coordination[part.code]], sekda_spec.name)
        for spec in others:
            boss = (
                sekda
                if spec.code == "INSPEKTORAT"
                else (asisten[coordination[spec.code]] if spec.code in coordination else asisten[0])
            )
            walk(spec, None, boss, spec.name)
        # Staff: what is left of the target, spread over the leaf units by their OPD's weight.
        remaining = max(self.target - len(self.people), 0)
        leaf_weights = [weight for _head, _spec, weight in leaves]
        total = sum(leaf_weights) or 1.0
        allotted = [int(remaining * w / total) for w in leaf_weights]
        for i in range(remaining - sum(allotted)):
            allotted[i % len(allotted)] += 1
        for (head, spec, _weight), count in zip(leaves, allotted, strict=True):
            self.attach_staff(head, self.units[spec.code], spec.staff or GENERAL_STAFF, count)

    # People's details
    def nip(self, sex: str, kind: str) -> tuple[str, date]:
        while True:
            age_floor = 30 if kind in {PositionKind.JPT, PositionKind.ADMINISTRATOR} else 22
            birth = date(
                self.rng.randint(1966, 2026 - age_floor),
                self.rng.randint(1, 12),
                self.rng.randint(1, 28),
            )
            year = self.rng.randint(birth.year + 20, min(birth.year + 35, 2024))
            month = self.rng.randint(1, 12)
            nip = (
                f"{birth:%Y%m%d}{year:04d}{month:02d}{'1' if sex == 'L' else '2'}"
                f"{self.rng.randint(1, 999):03d}"
            )
            if nip not in self.used_nips:
                self.used_nips.add(nip)
                return nip, birth

    def employee_rows(self) -> Iterator[Employee]:
        now = timezone.now()
        for person in self.people:
            sex = self.rng.choice("LP")
            first = self.rng.choice(MALE if sex == "L" else FEMALE)
            name = f"{first} {self.rng.choice(FAMILY)}"
            position = person.position
            nip, _birth = self.nip(sex, position.kind)
            front, back = "", self.rng.choice(DEGREES)
            if position.name.startswith("Dokter"):
                front, back = "dr.", ""
            elif position.name.startswith(("Perawat", "Bidan")):
                back = self.rng.choice(["A.Md.Kep.", "S.Kep., Ners", "A.Md.Keb."])
            elif position.name.startswith("Guru"):
                back = "S.Pd."
            elif position.kind in {PositionKind.JPT, PositionKind.ADMINISTRATOR}:
                back = f"{self.rng.choice(DEGREES[:7])}, M.Si."
            status = EmploymentStatus.PNS
            if position.jenjang in PPPK_GOLONGAN and self.rng.random() < 0.2:
                status = EmploymentStatus.PPPK
                golongan = PPPK_GOLONGAN[position.jenjang]
            elif position.jenjang:
                golongan = self.rng.choice(GOLONGAN_BY_JENJANG[position.jenjang])
            else:
                golongan = self.rng.choice(GOLONGAN_BY_KIND[position.kind])
            yield Employee(
                pk=person.pk,
                nip=nip,
                name=name,
                front_title=front,
                back_title=back,
                status=status,
                golongan=golongan,
                position=position,
                unit=person.unit,
                supervisor_id=person.supervisor.pk if person.supervisor else None,
                email=f"{first.lower()}.{person.pk}@bukitintan.go.id",
                is_active=True,
                path=person.path,
                depth=person.depth,
                created_at=now,
                updated_at=now,
            )


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    who: str


ADMIN_ACCOUNTS = [
    ("admin.dinkes", "Admin OPD Dinas Kesehatan", Role.ADMIN_OPD),
    ("admin.bkpsdm", "Admin BKPSDM", Role.ADMIN_BKPSDM),
    ("pimpinan", "Kantor Bupati Bukitintan", Role.PIMPINAN),
    ("inspektorat", "Inspektorat Daerah", Role.INSPEKTORAT),
]


@transaction.atomic
def build_demo(*, employees: int = 1500, seed: int = 2026) -> int:
    """Seed the demo regency into an empty database; returns the number of employees."""
    if Employee.objects.exists() or Unit.objects.exists():
        raise ValueError("Database already holds organisation data; the demo seeds an empty one.")
    Regency.get()
    specs = regency_structure()
    builder = DemoBuilder(employees=employees, seed=seed)
    builder.create_units(specs)
    builder.build_people(specs)
    Position.objects.bulk_create(builder.positions.values(), batch_size=500)
    saved = {p.name: p for p in Position.objects.all()}
    for person in builder.people:
        person.position = saved[person.position.name]
    rows = list(builder.employee_rows())
    Employee.objects.bulk_create(rows, batch_size=2000)
    reset_sequences([Employee])
    now = timezone.now()
    EmployeeHistory.objects.bulk_create(
        [services.history_row(e, valid_from=now, reason=ChangeReason.INITIAL) for e in rows],
        batch_size=2000,
    )
    password = make_password(DEMO_PASSWORD)
    User.objects.bulk_create(
        [
            User(
                username=e.nip,
                employee_id=e.pk,
                email=e.email,
                password=password,
                must_change_password=False,
            )
            for e in rows
        ],
        batch_size=2000,
    )
    dinkes = Unit.objects.get(code="DINKES")
    for username, display, role in ADMIN_ACCOUNTS:
        User.objects.create(
            username=username,
            display_name=display,
            role=role,
            password=password,
            must_change_password=False,
            managed_opd=dinkes if role == Role.ADMIN_OPD else None,
        )
    _give_regional_role()
    User.objects.create(
        username="superadmin",
        display_name="Superadmin",
        password=password,
        must_change_password=False,
        is_superuser=True,
        is_staff=True,
    )
    audit_record(
        actor=None,
        action=AuditAction.IMPORT,
        object_type="demo",
        object_repr="Data demo Kabupaten Bukitintan",
        changes={"employees": len(rows), "seed": seed},
    )
    return len(rows)


def regional_employee() -> Employee | None:
    """The demo's Dinas Kesehatan employee whose account holds a regency-wide role (Admin
    BKPSDM): the Admin OPD of Dinas Kesehatan sees them but may not edit or reset that account;
    the access checks use this persona. Deterministic: the first staff member (by NIP) of the
    Sekretariat of Dinas Kesehatan without reports."""
    return (
        Employee.objects.filter(
            unit__code="DINKES-SEK",
            direct_reports__isnull=True,
            is_active=True,
            position__kind__in=[PositionKind.FUNGSIONAL, PositionKind.PELAKSANA],
        )
        .select_related("position")
        .order_by("nip")
        .first()
    )


def _give_regional_role() -> None:
    employee = regional_employee()
    if employee is not None:
        User.objects.filter(employee=employee).update(role=Role.ADMIN_BKPSDM)


def demo_logins() -> list[DemoLogin]:
    """One login per role, found from the seeded data (the same for the same N and seed)."""
    logins: list[DemoLogin] = []
    staff = (
        Employee.objects.filter(
            unit__code="DINKES-PKM-01",
            position__kind=PositionKind.FUNGSIONAL,
            direct_reports__isnull=True,
            supervisor__unit__code="DINKES-PKM-01",
            is_active=True,
        )
        .select_related("supervisor", "position")
        .order_by("nip")
        .first()
    )
    if staff is not None:
        logins.append(DemoLogin("Pegawai", staff.nip, f"{staff.full_name} — {staff.position.name}"))
        sup = staff.supervisor
        logins.append(
            DemoLogin("Atasan langsung", sup.nip, f"{sup.full_name} — {sup.position.name}")
        )
    head = Employee.objects.filter(position__name="Kepala Dinas Kesehatan").first()
    if head is not None:
        logins.append(
            DemoLogin("Kepala unit (OPD)", head.nip, f"{head.full_name} — Kepala Dinas Kesehatan")
        )
    for username, display, role in ADMIN_ACCOUNTS:
        logins.append(DemoLogin(Role(role).label, username, display))
    regional = regional_employee()
    if regional is not None:
        logins.append(
            DemoLogin(
                "Pegawai Dinkes dengan peran Admin BKPSDM",
                regional.nip,
                f"{regional.full_name} — {regional.position.name}",
            )
        )
    logins.append(DemoLogin("Superuser", "superadmin", "Administrator sistem"))
    return [login for login in logins if User.objects.filter(username=login.username).exists()]


def persona(role: str) -> Employee | None:
    """The employee behind the demo login of `role` ("Pegawai", "Atasan langsung", ...): the
    other stages give these logins their story."""
    for login in demo_logins():
        if login.role == role:
            return Employee.objects.filter(nip=login.username).first()
    return None
