"""Rewards benchmarks at 10,000 employees (issue 13): one month of fingerprint attendance
imported (≈ 220k rows), the month's TPP calculated, the follow-up rules evaluated."""

from __future__ import annotations

import secrets
import time
from datetime import date, timedelta
from decimal import Decimal

from kinerja.assessment.models import Assessment
from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, User
from kinerja.rewards import imports, services
from kinerja.rewards.models import AttendanceMonth
from kinerja.rules.calendar import month_bounds

from .harness import Harness
from .registry import Result, benchmark

EMPLOYEES = 10_000
YEAR, MONTH = 2026, 10
PREDIKAT = ["sangat_baik", "baik", "baik", "baik", "butuh_perbaikan", "kurang"]
RATINGS = {
    "sangat_baik": ("di_atas", "di_atas"),
    "baik": ("sesuai", "sesuai"),
    "butuh_perbaikan": ("di_bawah", "sesuai"),
    "kurang": ("sesuai", "di_bawah"),
}


def _admin() -> User:
    return User.objects.filter(role=Role.ADMIN_BKPSDM).order_by("pk").first()  # type: ignore[return-value]


def _csv(employees: list[tuple[int, str]]) -> tuple[bytes, int]:
    first, last = month_bounds(YEAR, MONTH)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    lines = ["NIP,Tanggal,Jam Masuk,Jam Pulang,Status"]
    for n, (pk, nip) in enumerate(employees):
        for i, day in enumerate(days):
            roll = (pk * 31 + i * 7) % 100
            if roll < 5:
                lines.append(f"{nip},{day.isoformat()},07:{40 + roll},16:05,H")
            elif roll < 7:
                lines.append(f"{nip},{day.isoformat()},,,C")
            elif roll == 7 and n % 3 == 0:
                lines.append(f"{nip},{day.isoformat()},,,TK")
            else:
                lines.append(f"{nip},{day.isoformat()},07:2{roll % 10},16:0{roll % 10},H")
    return ("\n".join(lines) + "\n").encode(), len(lines) - 1


def _dataset(h: Harness) -> None:
    """The 10k demo regency, with a Q1–Q3 finalised predikat for everyone and the TPP base
    table (untimed; assessments are written in bulk: the assessment app's own seeding is
    measured by its benchmarks)."""
    tag = f"rewards:{EMPLOYEES}:{h.seed}"
    if h.dataset == tag:
        return
    h.demo(EMPLOYEES)
    print("  (seeding predikat and the TPP base table for 10k…)", flush=True)
    admin = _admin()
    for kelas in range(1, 18):
        services.tpp_base_set(
            kelas=kelas,
            amount=Decimal(1_500_000 + kelas * 400_000),
            effective_from=date(2026, 1, 1),
            by=admin,
        )
    rows = []
    for e in Employee.objects.filter(is_active=True).select_related("unit"):
        for q in (1, 2, 3):
            predikat = PREDIKAT[(e.pk + q) % len(PREDIKAT)]
            hasil, perilaku = RATINGS[predikat]
            rows.append(
                Assessment(
                    employee=e,
                    period=f"{YEAR}-T{q}",
                    year=YEAR,
                    opd_id=e.unit.opd_id or e.unit_id,
                    unit_id=e.unit_id,
                    status="final",
                    hasil=hasil,
                    perilaku=perilaku,
                    predikat=predikat,
                    code=secrets.token_urlsafe(12),
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=2000)
    h.dataset = tag
    h.shared["rewards_attendance"] = False
    h.settle()


@benchmark("attendance_import_10k_s", unit="s", target=30)
def attendance_import_10k(h: Harness) -> Result:
    """Import one month of fingerprint attendance for 10,000 employees (≈ 220k rows, CSV):
    validation of every row, the all-or-nothing write and the month summaries."""
    _dataset(h)
    employees = list(Employee.objects.filter(is_active=True).values_list("pk", "nip"))
    data, rows = _csv(employees)
    with h.measure() as timer:
        report = imports.import_attendance(data=data, filename="oktober.csv", by=_admin())
    if not report.ok:
        raise AssertionError(report.errors[:3])
    h.shared["rewards_attendance"] = True
    return Result(
        timer.seconds, {"rows": rows, "employees": len(employees), "mb": round(len(data) / 1e6, 1)}
    )


def _attendance(h: Harness) -> None:
    _dataset(h)
    if not h.shared.get("rewards_attendance"):
        employees = list(Employee.objects.filter(is_active=True).values_list("pk", "nip"))
        data, _rows = _csv(employees)
        assert imports.import_attendance(data=data, filename="oktober.csv", by=_admin()).ok
        h.shared["rewards_attendance"] = True


@benchmark("tpp_month_10k_s", unit="s", target=5)
def tpp_month_10k(h: Harness) -> Result:
    """Calculate the TPP of 10,000 employees for one month (positions on the 1st, base table,
    predikat, attendance, cuts; every line stored with its inputs)."""
    _attendance(h)
    with h.measure() as timer:
        month = services.tpp_calculate(year=YEAR, month=MONTH, by=_admin())
    return Result(
        timer.seconds,
        {
            "lines": month.lines.count(),
            "skipped": len(month.skipped),
            "attendance_months": AttendanceMonth.objects.filter(year=YEAR, month=MONTH).count(),
        },
    )


@benchmark("rules_run_10k_s", unit="s", target=10)
def rules_run_10k(h: Harness) -> Result:
    """Evaluate every follow-up rule over 10,000 employees' results of the year (first run:
    creating the recommendations), then again (idempotent: nothing new)."""
    _attendance(h)
    with h.measure() as timer:
        first = services.rules_run(year=YEAR, by=_admin())
    started = time.perf_counter()
    again = services.rules_run(year=YEAR, by=_admin())
    second = time.perf_counter() - started
    h.invalidate()
    return Result(
        timer.seconds,
        {
            "created": first.created,
            "evaluated": first.evaluated,
            "second_run_s": round(second, 2),
            "second_created": again.created,
        },
    )
