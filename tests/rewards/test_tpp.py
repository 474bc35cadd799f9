"""The monthly TPP, hand-computed (DOMAIN §6): base × (60% × performance factor + 40% ×
discipline factor) − the Sedang cut, whole rupiah rounded down; a cut spanning months; a mid-month
position change; a locked month that never changes; corrections in a later month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.organisation import services as org_services
from kinerja.organisation.models import EmployeeHistory
from kinerja.rewards import imports, services
from kinerja.rewards.models import TppLine
from tests.conftest import Org
from tests.factories import PositionFactory
from tests.rewards.conftest import csv_of, finalise, import_rows, on_time_days


def line_of(tpp_month, employee) -> TppLine:  # type: ignore[no-untyped-def]
    return tpp_month.lines.get(employee=employee, kind="reguler")


def test_it_computes_the_slip_by_hand_and_explains_it(org: Org, bases: dict[int, int]) -> None:
    finalise(org.employee, "2026-T3", "baik")
    import_rows(
        org,
        [
            (org.employee.nip, "2026-10-01", "07:40", "16:05", "H"),  # 10 minutes late: 0.5%
            (org.employee.nip, "2026-10-02", "08:15", "16:05", "H"),  # 45 minutes late: 1%
            (org.employee.nip, "2026-10-05", "07:30", "16:00", "H"),
            (org.employee.nip, "2026-10-06", "", "", "C"),  # leave: cuts nothing
        ],
    )
    month = services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"])
    line = line_of(month, org.employee)
    # 4.000.000 × (0,6 × 1,00 + 0,4 × 0,985) = 2.400.000 + 1.576.000
    assert line.base == Decimal(4_000_000)
    assert line.discipline_factor == Decimal("98.50")
    assert line.performance_part == Decimal("2400000.00")
    assert line.discipline_part == Decimal("1576000.00")
    assert line.total == Decimal(3_976_000)
    assert "Faktor kinerja 100% karena predikat Baik" in line.explanation
    assert "potongan kehadiran 1,5% karena terlambat 2 kali" in line.explanation
    assert services.recompute_line(line).total == line.total  # reproducible from its inputs


def test_it_rounds_down_to_whole_rupiah(org: Org, bases: dict[int, int]) -> None:
    finalise(org.peer, "2026-T3", "butuh_perbaikan")
    import_rows(org, [(org.peer.nip, "2026-10-01", "07:31", "16:00", "H")])  # 0.5%
    line = line_of(services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"]), org.peer)
    # 3.000.000 × (0,6 × 0,75 + 0,4 × 0,995) = 1.350.000 + 1.194.000 = 2.544.000
    assert line.total == Decimal(2_544_000)
    services.tpp_base_set(
        kelas=6, amount=Decimal(3_000_001), effective_from=date(2026, 11, 1), by=org.users["bkpsdm"]
    )
    import_rows(org, [(org.peer.nip, "2026-11-02", "07:31", "16:00", "H")])
    line = line_of(services.tpp_calculate(year=2026, month=11, by=org.users["bkpsdm"]), org.peer)
    # 3.000.001 × 0,848 = 2.544.000,848 → 2.544.000
    assert line.gross == Decimal("2544000.85")
    assert line.total == Decimal(2_544_000)


def test_a_sedang_cut_spans_its_months_and_no_more(org: Org, bases: dict[int, int]) -> None:
    finalise(org.employee, "2026-T3", "baik")
    services.discipline_record_create(
        employee=org.employee,
        kind="potongan_tpp_6_bulan",
        reason="Tidak masuk kerja tanpa keterangan 11 hari.",
        decree_number="800/12/BKPSDM/2026",
        decree_date=date(2026, 11, 10),
        effective_from=date(2026, 11, 15),
        official="Bupati Bukitintan",
        by=org.users["bkpsdm"],
    )
    totals = {}
    for year, month in [(2026, 10), (2026, 11), (2027, 4), (2027, 5)]:
        import_rows(org, on_time_days(org.employee, year, month, days=1))
        tm = services.tpp_calculate(year=year, month=month, by=org.users["bkpsdm"])
        totals[(year, month)] = line_of(tm, org.employee).total
    assert totals == {
        (2026, 10): Decimal(4_000_000),
        (2026, 11): Decimal(3_000_000),  # first month of the cut (effective mid-month)
        (2027, 4): Decimal(3_000_000),  # sixth and last month
        (2027, 5): Decimal(4_000_000),
    }


def test_a_mid_month_position_change_takes_effect_the_next_month(
    org: Org, bases: dict[int, int], time_machine
) -> None:  # type: ignore[no-untyped-def]
    EmployeeHistory.objects.filter(employee=org.employee).update(
        valid_from="2020-01-01T00:00:00+07:00"
    )
    finalise(org.employee, "2026-T1", "baik")
    time_machine.move_to("2026-03-15 10:00 +07:00")
    promoted = PositionFactory(
        name="Perawat Ahli Muda", kind="fungsional", kelas=9, jenjang="ahli_muda"
    )
    org_services.employee_update(
        employee=org.employee, by=None, position=promoted, reason="promosi"
    )
    for month in (3, 4):
        import_rows(org, on_time_days(org.employee, 2026, month, days=1))
    march = line_of(
        services.tpp_calculate(year=2026, month=3, by=org.users["bkpsdm"]), org.employee
    )
    april = line_of(
        services.tpp_calculate(year=2026, month=4, by=org.users["bkpsdm"]), org.employee
    )
    assert (march.kelas, march.base) == (8, Decimal(4_000_000))
    assert (april.kelas, april.base) == (9, Decimal(5_000_000))


def test_a_locked_month_never_changes_and_is_corrected_later(
    org: Org, bases: dict[int, int]
) -> None:
    bkpsdm = org.users["bkpsdm"]
    finalise(org.employee, "2026-T3", "baik")
    import_rows(org, on_time_days(org.employee, 2026, 10))
    tm = services.tpp_calculate(year=2026, month=10, by=bkpsdm)
    with pytest.raises(ValidationError):  # the OPD has not reviewed yet
        services.tpp_approve(tpp_month=tm, by=bkpsdm)
    with pytest.raises(ValidationError):  # the Admin OPD of Dinkes may not review Disdik
        services.tpp_review_opd(tpp_month=tm, opd=org.disdik, by=org.users["admin_opd"])
    services.tpp_review_opd(tpp_month=tm, opd=org.dinkes, by=org.users["admin_opd"])
    with pytest.raises(ValidationError):  # only BKPSDM approves
        services.tpp_approve(tpp_month=tm, by=org.users["admin_opd"])
    services.tpp_approve(tpp_month=tm, by=bkpsdm)
    services.tpp_lock(tpp_month=tm, by=bkpsdm)
    before = list(tm.lines.values_list("pk", "total"))

    with pytest.raises(ValidationError):
        services.tpp_calculate(year=2026, month=10, by=bkpsdm)
    late = csv_of([(org.employee.nip, "2026-10-20", "", "", "TK")])
    report = imports.import_attendance(data=late, filename="susulan.csv", by=bkpsdm)
    assert not report.ok and "dikunci" in report.errors[0].message
    assert list(tm.lines.values_list("pk", "total")) == before

    import_rows(org, on_time_days(org.employee, 2026, 11))
    november = services.tpp_calculate(year=2026, month=11, by=bkpsdm)
    correction = services.tpp_correction_add(
        tpp_month=november,
        employee=org.employee,
        corrects="2026-10",
        amount=Decimal(-120_000),
        reason="Tanpa keterangan 20 Oktober dilaporkan terlambat oleh unit.",
        by=bkpsdm,
    )
    assert correction.total == Decimal(-120_000)
    assert "Koreksi TPP bulan 2026-10" in correction.explanation
    with pytest.raises(ValidationError):  # a correction of a month that is not locked
        services.tpp_correction_add(
            tpp_month=november,
            employee=org.employee,
            corrects="2026-11",
            amount=Decimal(1),
            reason="x",
            by=bkpsdm,
        )


def test_it_lists_who_cannot_be_calculated_instead_of_guessing(
    org: Org, bases: dict[int, int]
) -> None:
    finalise(org.employee, "2026-T3", "baik")
    import_rows(
        org, on_time_days(org.employee, 2026, 10) + on_time_days(org.other_employee, 2026, 10)
    )
    tm = services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"])
    reasons = {s["employee_id"]: s["reason"] for s in tm.skipped}
    assert reasons[org.other_employee.pk] == "Belum ada hasil penilaian kinerja final."
    assert "kehadiran" in reasons[org.peer.pk] or "penilaian" in reasons[org.peer.pk]
    assert tm.lines.filter(employee=org.other_employee).count() == 0


def test_only_bkpsdm_calculates(org: Org, bases: dict[int, int]) -> None:
    for persona in ("admin_opd", "pimpinan", "unit_head", "employee"):
        with pytest.raises(ValidationError):
            services.tpp_calculate(year=2026, month=10, by=org.users[persona])


def test_a_later_assessment_does_not_change_an_earlier_month(
    org: Org, bases: dict[int, int]
) -> None:
    finalise(org.employee, "2026-T2", "baik")
    finalise(org.employee, "2026-T3", "kurang")
    import_rows(org, on_time_days(org.employee, 2026, 9) + on_time_days(org.employee, 2026, 10))
    september = line_of(
        services.tpp_calculate(year=2026, month=9, by=org.users["bkpsdm"]), org.employee
    )
    october = line_of(
        services.tpp_calculate(year=2026, month=10, by=org.users["bkpsdm"]), org.employee
    )
    assert september.predikat == "kurang"  # Q3 ends 30 September: September uses it
    assert (september.total, october.total) == (Decimal(2_800_000), Decimal(2_800_000))
    august_tm = None
    import_rows(org, on_time_days(org.employee, 2026, 8))
    august_tm = services.tpp_calculate(year=2026, month=8, by=org.users["bkpsdm"])
    assert line_of(august_tm, org.employee).predikat == "baik"


def test_the_latest_periodic_result_comes_before_an_annual_one(org: Org) -> None:
    """DOMAIN §6's default is the latest finalised periodic result. With Q4 not yet final, the
    year's annual result ranked first because it ends later (an audit of the arithmetic);
    an annual result is used only without any periodic one."""
    finalise(org.employee, "2026-T3", "butuh_perbaikan")
    finalise(org.employee, "2026-TH", "sangat_baik")
    finalise(org.peer, "2026-TH", "baik")
    chosen = services.predikat_for_month([org.employee.pk, org.peer.pk], 2027, 1)
    assert chosen[org.employee.pk].period == "2026-T3"
    assert chosen[org.employee.pk].predikat == "butuh_perbaikan"
    assert chosen[org.peer.pk].period == "2026-TH"
    finalise(org.employee, "2026-T4", "baik")
    assert services.predikat_for_month([org.employee.pk], 2027, 1)[org.employee.pk].period == (
        "2026-T4"
    )
