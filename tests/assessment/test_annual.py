"""The annual assessment rests on the year's periodic results (issue 10, item 9; DOMAIN §1,
"annual from periodic"): the page shows every period's ratings and predikat beside the
suggestion; the suggested rating perilaku is the one given most often (a tie going to the latest
period); the hasil kerja suggestion comes from the indicators' annual capaian; an override needs a
written reason as for a period."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.assessment import selectors, services
from kinerja.assessment.models import Assessment
from kinerja.rules.enums import Rating
from kinerja.rules.periods import Period, Periodicity
from tests.conftest import Org, client_for

from .conftest import Team, record, set_org, values

pytestmark = pytest.mark.django_db

YEAR = 2026
QUARTERS = [Period(YEAR, Periodicity.QUARTERLY, n) for n in (1, 2, 3, 4)]
ANNUAL = Period(YEAR, Periodicity.ANNUAL)


def finalise_quarter(org: Org, team: Team, period: Period, hasil: str, perilaku: str) -> None:
    set_org(org, "baik", period)
    services.assessment_save(
        plan=team.plans.employee,
        period=period,
        by=org.users["supervisor"],
        behaviour=values(perilaku),
        hasil=hasil,
        perilaku=perilaku,
        hasil_reason="Capaian dibaca bersama bukti dukung.",
    )
    services.team_finalise(
        by=org.users["supervisor"], period=period, justification="Unit kecil, dua orang saja."
    )


@pytest.fixture
def year_of_quarters(org: Org, team: Team, time_machine) -> Team:  # type: ignore[no-untyped-def]
    """Perilaku over the year: Di Atas, Sesuai, Sesuai, Di Atas — a 2–2 tie that the latest
    quarter (Di Atas) decides."""
    ratings = [
        ("di_atas", "di_atas"),
        ("sesuai", "sesuai"),
        ("sesuai", "sesuai"),
        ("di_atas", "di_atas"),
    ]
    for period, (hasil, perilaku) in zip(QUARTERS, ratings, strict=True):
        finalise_quarter(org, team, period, hasil, perilaku)
    time_machine.move_to("2027-01-08 09:00 +07:00")
    return team


def test_the_basis_lists_the_finalised_quarters_in_order(org: Org, year_of_quarters: Team) -> None:
    basis = selectors.annual_basis(org.employee, YEAR)
    assert [a.period for a in basis.results] == [q.code for q in QUARTERS]
    assert basis.missing == []
    assert basis.suggested_perilaku is Rating.DI_ATAS
    assert basis.value_suggestions == dict.fromkeys(values("x"), Rating.DI_ATAS)


def test_a_draft_quarter_is_not_part_of_the_basis(org: Org, team: Team) -> None:
    finalise_quarter(org, team, QUARTERS[0], "di_atas", "sesuai")
    set_org(org, "baik", QUARTERS[1])
    services.assessment_save(
        plan=team.plans.employee,
        period=QUARTERS[1],
        by=org.users["supervisor"],
        behaviour=values("di_atas"),
        hasil="sesuai",
        perilaku="di_atas",
    )
    basis = selectors.annual_basis(org.employee, YEAR)
    assert [a.period for a in basis.results] == [QUARTERS[0].code]
    assert basis.missing == QUARTERS[1:]
    assert basis.suggested_perilaku is Rating.SESUAI


def test_the_annual_perilaku_suggestion_comes_from_the_periods(
    org: Org, year_of_quarters: Team
) -> None:
    plan = year_of_quarters.plans.employee
    # The seven values of the year read Sesuai, yet the periods say Di Atas (the latest of a tie).
    with pytest.raises(ValidationError, match=r"berbeda dari saran \(Di Atas Ekspektasi\)"):
        services.assessment_save(
            plan=plan,
            period=ANNUAL,
            by=org.users["supervisor"],
            behaviour=values("sesuai"),
            hasil="sesuai",
            perilaku="sesuai",
            hasil_reason="Capaian tahunan dibaca bersama bukti.",
        )
    assert not Assessment.objects.filter(period=ANNUAL.code).exists()
    annual = services.assessment_save(
        plan=plan,
        period=ANNUAL,
        by=org.users["supervisor"],
        behaviour=values("sesuai"),
        hasil="sesuai",
        perilaku="sesuai",
        hasil_reason="Capaian tahunan dibaca bersama bukti.",
        perilaku_reason="Triwulan IV hanya sebagian tahun; sepanjang tahun sesuai ekspektasi.",
    )
    assert annual.suggested_perilaku == "di_atas" and annual.perilaku_overridden
    assert annual.perilaku_reason.startswith("Triwulan IV")
    following = services.assessment_save(
        plan=plan,
        period=ANNUAL,
        by=org.users["supervisor"],
        behaviour=values("sesuai"),
        hasil="sesuai",
        perilaku="di_atas",
        hasil_reason="Capaian tahunan dibaca bersama bukti.",
    )
    assert not following.perilaku_overridden and following.perilaku_reason == ""


def test_the_annual_hasil_suggestion_comes_from_the_annual_capaian(
    org: Org, year_of_quarters: Team
) -> None:
    plan = year_of_quarters.plans.employee
    # Q1: 330 patients (110%) and 8 minutes (120%): Di Atas. Then 50 patients and 12 minutes a
    # month: 780 of 1200 in the year (65%, di bawah) and 11 minutes on average (90%, sesuai).
    # The annual figures rule with the same rules as a period: Sesuai, whatever Q1 said.
    record(org, "employee", plan, {m: [Decimal(50), Decimal(12)] for m in range(4, 13)})
    assert selectors.plan_evaluation(plan, QUARTERS[0]).suggested_hasil is Rating.DI_ATAS
    evaluation = selectors.plan_evaluation(plan, ANNUAL)
    assert [r.progress.capaian_to_date for r in evaluation.rows] == [Decimal(65), Decimal(90)]
    assert evaluation.suggested_hasil is Rating.SESUAI
    with pytest.raises(ValidationError, match=r"hasil kerja berbeda dari saran \(Sesuai"):
        services.assessment_save(
            plan=plan,
            period=ANNUAL,
            by=org.users["supervisor"],
            behaviour=values("di_atas"),
            hasil="di_atas",
            perilaku="di_atas",
        )
    annual = services.assessment_save(
        plan=plan,
        period=ANNUAL,
        by=org.users["supervisor"],
        behaviour=values("di_atas"),
        hasil="sesuai",
        perilaku="di_atas",
    )
    assert annual.suggested_hasil == "sesuai" and annual.capaian == Decimal("77.50")
    assert annual.predikat == "baik"


def test_months_left_unrecorded_count_as_nothing_in_the_annual_capaian(
    org: Org, year_of_quarters: Team
) -> None:
    """An audit found the annual suggestion computed against the target of the months that
    hold a value: Q1's 330 patients alone read as 110 % of 300 ("di atas"), not 330 of the
    year's 1,200. DOMAIN §1: the annual rating comes from the indicators' annual capaian."""
    plan = year_of_quarters.plans.employee
    # Only Q1 is recorded (the fixture): 330 of 1,200 patients (27.5 %, di bawah); the response
    # time, a level (average), is 8 of 10 minutes whatever the months (120 %, di atas).
    evaluation = selectors.plan_evaluation(plan, ANNUAL)
    assert [r.progress.capaian_to_date for r in evaluation.rows] == [
        Decimal("27.5"),
        Decimal(120),
    ]
    assert [r.progress.status for r in evaluation.rows] == [Rating.DI_BAWAH, Rating.DI_ATAS]
    assert [r.progress.target_to_date for r in evaluation.rows] == [Decimal(1200), Decimal(10)]
    assert evaluation.capaian == Decimal("73.75")
    # One of two di bawah is not more than half, and a di bawah Utama blocks Di Atas: Sesuai.
    assert evaluation.suggested_hasil is Rating.SESUAI
    assert selectors.plan_evaluation(plan, QUARTERS[0]).suggested_hasil is Rating.DI_ATAS
    assert selectors.plans_evaluations([plan], ANNUAL)[plan.pk].capaian == Decimal("73.75")


def test_the_annual_page_shows_every_period_beside_the_suggestion(
    org: Org, year_of_quarters: Team
) -> None:
    url = reverse("assessment:assess", args=[year_of_quarters.plans.employee.pk])
    page = client_for(org, "supervisor").get(f"{url}?periode={ANNUAL.code}").content.decode()
    page = " ".join(page.split())
    section = page[page.index("Dasar penilaian tahunan") :]
    for label in ("Triwulan I 2026", "Triwulan II 2026", "Triwulan III 2026", "Triwulan IV-Akhir"):
        assert label in section, label
    rows = section[: section.index("</table>")]
    assert rows.count("Sangat Baik") == 2 and rows.count(">Baik<") == 2
    assert "Saran rating perilaku kerja (dari periode)" in section
    assert "<strong>Di Atas Ekspektasi</strong>" in section
    # The value ratings start from what the periods say.
    assert 'value="di_atas" id="id_v_akuntabel_1" required checked' in page


def test_a_periodic_page_shows_no_annual_basis(org: Org, year_of_quarters: Team) -> None:
    url = reverse("assessment:assess", args=[year_of_quarters.plans.employee.pk])
    page = client_for(org, "supervisor").get(f"{url}?periode={QUARTERS[3].code}").content.decode()
    assert "Dasar penilaian tahunan" not in page


@pytest.mark.parametrize(
    ("polarity", "recorded", "capaian"),
    [
        # 120 complaints a year at most; only January recorded (10). Counted as nothing, the
        # eleven missing months would read (240 − 10) / 120 = 191.67 %: "di atas" for leaving
        # them out. Judged on the month recorded: (2 × 10 − 10) / 10 = 100 %.
        ("lower_is_better", {1: Decimal(10)}, Decimal(100)),
        # 1,200 patients a year; only January recorded (100): 100 / 1,200, not 100 / 100.
        ("higher_is_better", {1: Decimal(100)}, Decimal("8.333333333333333333333333333")),
        # Every month recorded: the annual capaian and the capaian to date are one.
        ("lower_is_better", {m: Decimal(10) for m in range(1, 13)}, Decimal(100)),
    ],
)
def test_a_month_left_unrecorded_never_raises_the_annual_capaian(
    polarity: str, recorded: dict[int, Decimal], capaian: Decimal
) -> None:
    from kinerja.assessment.selectors.evaluation import PeriodEntry, _progress
    from kinerja.performance.models import Indicator

    target = Decimal(120) if polarity == "lower_is_better" else Decimal(1200)
    indicator = Indicator(target=target, polarity=polarity, aggregation="sum")
    entries = [PeriodEntry(month, month, value) for month, value in recorded.items()]
    progress = _progress(indicator, entries, ANNUAL)
    assert progress.capaian_to_date == capaian
