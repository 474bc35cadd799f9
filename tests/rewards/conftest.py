"""Rewards fixtures on top of the personas (tests/conftest.py): the TPP base table, finalised
assessment results and attendance imported through the real import."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pytest

from kinerja.assessment.models import Assessment
from kinerja.organisation.models import Employee
from kinerja.rewards import imports, services
from kinerja.rules.periods import parse_period
from tests.conftest import Org

BASES = {6: 3_000_000, 8: 4_000_000, 9: 5_000_000, 14: 12_000_000}
RATINGS = {
    "sangat_baik": ("di_atas", "di_atas"),
    "baik": ("sesuai", "sesuai"),
    "butuh_perbaikan": ("di_bawah", "sesuai"),
    "kurang": ("sesuai", "di_bawah"),
    "sangat_kurang": ("di_bawah", "di_bawah"),
}


def finalise(employee: Employee, period: str, predikat: str) -> Assessment:
    """A final assessment result (the assessment app's own flow is tested there; here only its
    outcome matters)."""
    hasil, perilaku = RATINGS[predikat]
    unit = employee.unit
    return Assessment.objects.create(
        employee=employee,
        period=period,
        year=parse_period(period).year,
        opd_id=unit.opd_id or unit.pk,
        unit=unit,
        status="final",
        hasil=hasil,
        perilaku=perilaku,
        predikat=predikat,
        capaian=Decimal("100.00"),
        code=secrets.token_urlsafe(12),
        employee_snapshot={"name": employee.full_name},
    )


def csv_of(rows: Iterable[tuple[str, str, str, str, str]]) -> bytes:
    lines = ["NIP,Tanggal,Jam Masuk,Jam Pulang,Status"]
    lines += [",".join(r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def on_time_days(
    employee: Employee, year: int, month: int, days: int = 3
) -> list[tuple[str, str, str, str, str]]:
    return [
        (employee.nip, date(year, month, d).isoformat(), "07:25", "16:05", "H")
        for d in range(1, days + 1)
    ]


def import_rows(org: Org, rows: list[tuple[str, str, str, str, str]]) -> imports.AttendanceReport:
    report = imports.import_attendance(
        data=csv_of(rows), filename="absen.csv", by=org.users["bkpsdm"]
    )
    assert report.ok, report.errors
    return report


@pytest.fixture(autouse=True)
def default_rules(db) -> None:  # type: ignore[no-untyped-def]
    """The rules the data migration ships: a transactional test elsewhere in the run flushes
    the tables (data migrations included), so they are made sure of here."""
    from kinerja.rewards.defaults import DEFAULT_RULES
    from kinerja.rewards.models import FollowUpRule

    for data in DEFAULT_RULES:
        values = dict(data)
        FollowUpRule.objects.get_or_create(code=values.pop("code"), defaults=values)


@pytest.fixture
def bases(org: Org) -> dict[int, int]:
    for kelas, amount in BASES.items():
        services.tpp_base_set(
            kelas=kelas,
            amount=Decimal(amount),
            effective_from=date(2020, 1, 1),
            by=org.users["bkpsdm"],
        )
    return BASES


@pytest.fixture
def jp_complete():  # type: ignore[no-untyped-def]
    """JP through the figures seam: everybody has completed their 20 JP (the competency app's
    provider, when installed, is put back afterwards)."""
    from types import SimpleNamespace

    from kinerja.core import figures

    def provider(*, employee_ids, year):  # type: ignore[no-untyped-def]
        zero = Decimal("0.00")
        return {
            pk: SimpleNamespace(completed_jp=Decimal("20.00"), enrolled_jp=zero, shortfall_jp=zero)
            for pk in employee_ids
        }

    previous = figures._providers.get("competency.jp")
    figures.register("competency.jp", provider)
    yield
    figures.unregister("competency.jp")
    if previous is not None:
        figures.register("competency.jp", previous)
