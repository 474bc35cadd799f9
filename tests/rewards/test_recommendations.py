"""Follow-up rules → recommendations → decisions: table-driven evaluation over real data,
idempotence, decision permissions per role, and what an accepted decision does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.core import events, figures
from kinerja.core.models import IssuedDocument, Notification
from kinerja.rewards import services
from kinerja.rewards.models import (
    CoachingPlan,
    DisciplineRecord,
    Recognition,
    Recommendation,
)
from tests.conftest import Org
from tests.rewards.conftest import finalise, import_rows


@dataclass(frozen=True)
class JpTotals:
    """The shape of kinerja.rules.training.JpTotals (built by the competency app in parallel)."""

    completed_jp: Decimal
    enrolled_jp: Decimal
    shortfall_jp: Decimal


def run(org: Org, year: int = 2026) -> services.RunReport:
    return services.rules_run(year=year, by=org.users["bkpsdm"])


def actions_of(employee) -> set[str]:  # type: ignore[no-untyped-def]
    return set(Recommendation.objects.filter(employee=employee).values_list("action", flat=True))


@pytest.fixture
def jp_known():  # type: ignore[no-untyped-def]
    """Competency provides JP totals: the nurse is 8 JP short, everybody else complete."""
    shortfalls: dict[int, Decimal] = {}

    def provider(*, employee_ids, year):  # type: ignore[no-untyped-def]
        zero = Decimal("0.00")
        return {
            pk: JpTotals(
                completed_jp=Decimal("20.00") - shortfalls.get(pk, zero),
                enrolled_jp=zero,
                shortfall_jp=shortfalls.get(pk, zero),
            )
            for pk in employee_ids
        }

    with figures.replaced("competency.jp", provider):
        yield shortfalls


@dataclass(frozen=True)
class Case:
    name: str
    periodic: tuple[str, ...]
    annual: str
    expected: set[str]


CASES = [
    Case("Sangat Baik for the year", ("baik",), "sangat_baik", {"piagam", "asn_berprestasi"}),
    Case("below standard in the last period", ("baik", "butuh_perbaikan"), "", {"pembinaan"}),
    Case(
        "Kurang twice in a row",
        ("kurang", "sangat_kurang"),
        "",
        {"pembinaan", "rujukan_bkpsdm"},
    ),
    Case("Baik everywhere", ("baik", "baik"), "baik", set()),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_it_recommends_what_the_rules_say(org: Org, jp_known, case: Case) -> None:  # type: ignore[no-untyped-def]
    for n, predikat in enumerate(case.periodic, start=1):
        finalise(org.employee, f"2026-T{n}", predikat)
    if case.annual:
        finalise(org.employee, "2026-TH", case.annual)
    run(org)
    assert actions_of(org.employee) == case.expected


def test_running_twice_never_duplicates(org: Org, jp_known) -> None:  # type: ignore[no-untyped-def]
    finalise(org.employee, "2026-T1", "butuh_perbaikan")
    first = run(org)
    second = run(org)
    assert first.created >= 1 and second.created == 0
    assert second.existing == first.created
    assert Recommendation.objects.filter(employee=org.employee).count() == first.created


def test_a_rule_needing_jp_is_not_evaluated_when_competency_is_absent(org: Org) -> None:
    finalise(org.employee, "2026-TH", "sangat_baik")
    with figures.replaced("competency.jp", None):
        report = run(org)
    assert "piagam" not in actions_of(org.employee)  # never guessed as zero
    assert any("JP" in reason for _n, reason in report.not_evaluated.values())
    assert "tidak dievaluasi" in report.summary()


def test_jp_shortfall_recommends_mandatory_training(org: Org, jp_known) -> None:  # type: ignore[no-untyped-def]
    jp_known[org.employee.pk] = Decimal("8.00")
    run(org)
    assert actions_of(org.employee) == {"pelatihan_wajib"}


def test_absence_maps_to_the_recommended_punishment(org: Org) -> None:
    rows = [
        (org.employee.nip, f"2026-03-{d:02d}", "", "", "TK")
        for d in (2, 4, 6, 9, 11, 13, 16, 18, 20, 23, 25)
    ]
    import_rows(org, rows)
    run(org)
    rec = Recommendation.objects.get(employee=org.employee, action="hukuman_disiplin")
    assert rec.parameters["punishment_kind"] == "potongan_tpp_6_bulan"
    assert any("11 hari" in f for f in rec.facts)
    assert not DisciplineRecord.objects.exists()  # a recommendation, never an automatic punishment


@pytest.mark.parametrize(
    ("days", "holidays", "year"),
    [
        # Monday 26 January to Friday 6 February 2026: ten working days across a month's end.
        (
            [f"2026-01-{d}" for d in (26, 27, 28, 29, 30)]
            + [f"2026-02-0{d}" for d in (2, 3, 4, 5, 6)],
            [],
            2026,
        ),
        # 1–15 June 2026 with Thursday 4 June a holiday (no attendance row that day).
        ([f"2026-06-{d:02d}" for d in (1, 2, 3, 5, 8, 9, 10, 11, 12, 15)], ["2026-06-04"], 2026),
        # 22 December 2026 – 8 January 2027 over the year-end holidays: the run ends in 2027.
        (
            [f"2026-12-{d}" for d in (22, 23, 24, 28, 29)]
            + [f"2027-01-0{d}" for d in (4, 5, 6, 7, 8)],
            ["2026-12-25", "2026-12-30", "2026-12-31", "2027-01-01"],
            2027,
        ),
    ],
)
def test_ten_working_days_in_a_row_across_a_month_or_a_holiday_recommend_dismissal(  # type: ignore[no-untyped-def]
    org: Org, settings, time_machine, days: list[str], holidays: list[str], year: int
) -> None:
    """PP 94/2021 Pasal 11: ten consecutive working days of unexcused absence. The run was
    counted within each month and broken by a holiday (5 + 5, or 3 + 7): "pernyataan tidak
    puas" instead of the dismissal recommendation."""
    time_machine.move_to("2027-02-01 09:00 +07:00", tick=False)
    settings.PUBLIC_HOLIDAYS = holidays
    import_rows(org, [(org.employee.nip, day, "", "", "TK") for day in days])
    run(org, year)
    rec = Recommendation.objects.get(employee=org.employee, action="hukuman_disiplin")
    assert rec.parameters["punishment_kind"] == "pdh_taps"
    assert any("terpanjang 10 hari berturut-turut" in f for f in rec.facts)
    crossed = any("sejak akhir tahun sebelumnya" in f for f in rec.facts)
    assert crossed is (year == 2027)


def pending(org: Org, action: str, employee=None, key: str = "") -> Recommendation:  # type: ignore[no-untyped-def]
    from kinerja.rewards.models import FollowUpRule

    employee = employee or org.employee
    rule = FollowUpRule.objects.filter(action=action).first()
    assert rule is not None
    return Recommendation.objects.create(
        key=f"test:{action}:{employee.pk}{key}",
        rule=rule,
        action=action,
        employee=employee,
        opd=org.dinkes,
        year=2026,
        facts=["Fakta uji."],
        parameters={"punishment_kind": "potongan_tpp_6_bulan", "tag": "keperawatan"},
        created_at="2026-11-01T08:00:00+07:00",
    )


# persona → may decide (pembinaan, an OPD action; hukuman_disiplin, BKPSDM only)
DECIDERS = {
    "bkpsdm": (True, True),
    "unit_head": (True, False),  # head of Dinas Kesehatan
    "supervisor": (False, False),
    "admin_opd": (False, False),
    "pimpinan": (False, False),
    "inspektorat": (False, False),
    "employee": (False, False),
    "other": (False, False),
}


@pytest.mark.parametrize("persona", sorted(DECIDERS))
def test_only_the_authorised_official_decides(org: Org, persona: str) -> None:
    coaching, punishment = pending(org, "pembinaan"), pending(org, "hukuman_disiplin")
    for rec, allowed in zip((coaching, punishment), DECIDERS[persona], strict=True):
        kwargs = {
            "recommendation": rec,
            "by": org.users[persona],
            "accept": False,
            "reason": "Belum cukup bukti.",
            "official": "Pejabat",
        }
        if allowed:
            services.recommendation_decide(**kwargs)
            rec.refresh_from_db()
            assert rec.status == "ditolak"
        else:
            with pytest.raises(ValidationError):
                services.recommendation_decide(**kwargs)
            rec.refresh_from_db()
            assert rec.status == "menunggu"


def test_a_decision_needs_a_reason_and_the_decree_where_it_matters(org: Org) -> None:
    rec = pending(org, "hukuman_disiplin")
    by = org.users["bkpsdm"]
    with pytest.raises(ValidationError):
        services.recommendation_decide(
            recommendation=rec, by=by, accept=False, reason=" ", official="X"
        )
    with pytest.raises(ValidationError):
        services.recommendation_decide(
            recommendation=rec, by=by, accept=True, reason="Terbukti.", official="Bupati"
        )
    rec.refresh_from_db()
    assert rec.status == "menunggu"


def test_accepting_a_punishment_records_it_and_tells_the_employee(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    rec = pending(org, "hukuman_disiplin")
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_decide(
            recommendation=rec,
            by=org.users["bkpsdm"],
            accept=True,
            reason="Terbukti tidak masuk 11 hari tanpa keterangan.",
            official="Bupati Bukitintan",
            decree_number="800/1/2026",
            decree_date=date(2026, 11, 20),
            effective_from=date(2026, 12, 1),
        )
    record = DisciplineRecord.objects.get(recommendation=rec)
    assert (record.level, record.tpp_cut_percent) == ("sedang", Decimal(25))
    assert record.effective_to == date(2027, 5, 31)
    assert Notification.objects.filter(
        recipient=org.users["employee"], message__contains="diterima"
    ).exists()
    with pytest.raises(ValidationError):  # decided once
        services.recommendation_decide(
            recommendation=rec, by=org.users["bkpsdm"], accept=False, reason="x", official="x"
        )


def test_accepting_mandatory_training_publishes_the_event(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    received = []

    def handler(**data):  # type: ignore[no-untyped-def]
        received.append(data)

    events.subscribe("training.required", handler)
    try:
        rec = pending(org, "pelatihan_wajib")
        with django_capture_on_commit_callbacks(execute=True):
            services.recommendation_decide(
                recommendation=rec,
                by=org.users["unit_head"],
                accept=True,
                reason="Belum 20 JP.",
                official="Kepala Dinas Kesehatan",
            )
    finally:
        events._handlers["training.required"].remove(handler)
    assert received == [
        {
            "topic": "training.required",
            "employee_id": org.employee.pk,
            "year": 2026,
            "tag": "keperawatan",
            "reason": "Pelatihan wajib: Fakta uji.",
            "source": f"rewards:decision:{rec.pk}",
        }
    ]


def test_accepting_coaching_and_a_piagam_gives_them_effect(org: Org) -> None:
    by = org.users["unit_head"]
    coaching = pending(org, "pembinaan")
    services.recommendation_decide(
        recommendation=coaching,
        by=by,
        accept=True,
        reason="Perlu pembinaan.",
        official="Kepala Dinas",
        effective_from=date(2026, 11, 1),
    )
    plan = CoachingPlan.objects.get(recommendation=coaching)
    assert (plan.starts, plan.ends, plan.supervisor_id) == (
        date(2026, 11, 1),
        date(2027, 5, 1),
        org.supervisor.pk,
    )
    piagam = pending(org, "piagam", employee=org.peer)
    services.recommendation_decide(
        recommendation=piagam,
        by=org.users["bkpsdm"],
        accept=True,
        reason="Sangat Baik.",
        official="Bupati",
        decree_number="003/PH/2026",
        decree_date=date(2026, 12, 1),
    )
    recognition = Recognition.objects.get(recommendation=piagam)
    assert IssuedDocument.objects.filter(
        source_type="rewards.recognition", source_id=str(recognition.pk)
    ).exists()
    assert not recognition.wall_consent  # the wall waits for the employee's consent


def test_a_failed_coaching_leads_to_the_reassignment_recommendation(org: Org) -> None:
    coaching = pending(org, "pembinaan")
    services.recommendation_decide(
        recommendation=coaching,
        by=org.users["bkpsdm"],
        accept=True,
        reason="Perlu pembinaan.",
        official="Kepala BKPSDM",
        effective_from=date(2026, 1, 5),
    )
    plan = CoachingPlan.objects.get(recommendation=coaching)
    with pytest.raises(ValidationError):  # a colleague may not record it
        services.coaching_outcome(plan=plan, by=org.users["other"], improved=False, outcome="x")
    services.coaching_session_add(
        plan=plan, by=org.users["supervisor"], day=date(2026, 2, 2), notes="Sesi 1."
    )
    services.coaching_outcome(
        plan=plan, by=org.users["supervisor"], improved=False, outcome="Tidak membaik."
    )
    run(org)
    assert "mutasi" in actions_of(org.employee)


def test_failure_is_recorded_only_at_the_end_of_the_period(org: Org, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-11-10 09:00 +07:00")
    coaching = pending(org, "pembinaan")
    services.recommendation_decide(
        recommendation=coaching,
        by=org.users["bkpsdm"],
        accept=True,
        reason="Perlu pembinaan.",
        official="Kepala BKPSDM",
        effective_from=date(2026, 11, 2),
    )
    plan = CoachingPlan.objects.get(recommendation=coaching)
    with pytest.raises(ValidationError):
        services.coaching_outcome(
            plan=plan, by=org.users["supervisor"], improved=False, outcome="Belum."
        )
    time_machine.move_to("2027-05-02 09:00 +07:00")
    services.coaching_outcome(
        plan=plan, by=org.users["supervisor"], improved=False, outcome="Tidak membaik."
    )
    plan.refresh_from_db()
    assert plan.status == "tidak_berhasil"


def test_mandatory_training_reaches_the_development_plan(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The contract with kinerja.competency (BRIEF-PILLARS §2), end to end."""
    from kinerja.competency.models import DevelopmentItem

    rec = pending(org, "pelatihan_wajib")
    with django_capture_on_commit_callbacks(execute=True):
        services.recommendation_decide(
            recommendation=rec,
            by=org.users["bkpsdm"],
            accept=True,
            reason="Belum 20 JP.",
            official="Kepala BKPSDM",
        )
    item = DevelopmentItem.objects.get(source=f"rewards:decision:{rec.pk}")
    assert item.tag == "keperawatan" and item.plan.employee_id == org.employee.pk
