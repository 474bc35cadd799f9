"""The precomputed figures: what a person's and a unit's rows hold, the rebuild, and the events
subscriber that keeps them true after every committed change."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from kinerja.core.calendar import months_closed
from kinerja.monitoring import services
from kinerja.monitoring.models import ChangeEvent, PersonFigures, UnitFigures
from kinerja.performance import selectors as performance
from kinerja.performance import services as performance_services
from kinerja.performance.models import Realisation
from tests.conftest import Org

from .conftest import YEAR, Monitored, save_month


def figures(org: Org, who: str = "employee") -> PersonFigures:
    return PersonFigures.objects.get(employee=getattr(org, who), year=YEAR)


def test_it_holds_the_capaian_the_plan_page_shows(org: Org, monitored: Monitored) -> None:
    row = figures(org)
    # Patients 350 of 500 to date → 70 %; response time 12 against ≤ 10 → 80 %; mean 75 %.
    assert row.capaian == Decimal(75)
    view = performance.plan_view(monitored.plans.employee)
    assert row.capaian == view.capaian
    assert row.plan_status == "disetujui"
    assert row.assessor_id == org.supervisor.pk
    assert row.indicator_count == 2


def test_it_keeps_the_monthly_trend_and_entry_statistics(org: Org, monitored: Monitored) -> None:
    row = figures(org)
    assert row.trend[:5] == [75.0] * 5
    assert row.trend[5:] == [None] * 7
    expected, entered, on_time = ([m[i] for m in row.months[:6]] for i in range(3))
    assert expected == [2] * 6
    assert entered == [2, 2, 2, 2, 2, 0]
    assert on_time == [2, 2, 0, 2, 2, 0]  # March entered after 5 April
    assert row.late_entries == 2
    assert row.waiting_review == 10
    assert row.last_realisation_at is not None


def test_it_flags_both_indicators_of_the_nurse_at_risk(org: Org, monitored: Monitored) -> None:
    row = figures(org)
    # Patients: 350 over 6 months counted → 700 → 58,33 %; response time 12 → 80 %.
    assert row.risk_basis == 6
    assert {r["name"] for r in row.at_risk} == {
        "Jumlah pasien terlayani",
        "Waktu respons penanganan gawat darurat",
    }
    assert not figures(org, "peer").at_risk


def test_it_recomputes_the_risks_when_the_calendar_moves_on(org: Org, monitored: Monitored) -> None:
    row = figures(org, "peer")
    # The peer is on pace with 6 × 10 of 120; three months later without entries: 60/9 × 12.
    risks = services.indicator_risks(row.indicators, 9)
    assert [r["name"] for r in risks] == ["Jumlah kunjungan antenatal"]


def test_units_add_up_their_own_employees(org: Org, monitored: Monitored) -> None:
    unit = UnitFigures.objects.get(unit=org.puskesmas, year=YEAR)
    assert unit.employees == 3  # supervisor, nurse, midwife
    assert unit.plans == 3 and unit.approved == 3
    assert unit.with_capaian == 2  # the supervisor has no realisation
    assert unit.capaian_sum == Decimal(175)  # 75 + 100
    assert unit.at_risk_people == 2  # the nurse, and the supervisor (nothing entered: pace 0)
    assert unit.months[0][:3] == [4, 3, 3]  # expected (2 + 1 + 1), entered, on time
    assert UnitFigures.objects.get(unit=org.disdik, year=YEAR).plans == 0


def test_a_units_refresh_writes_its_one_row_in_place(
    org: Org, monitored: Monitored, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The first refresh of a unit's year inserts its row; later ones update that row in place
    (the same row, no look-up first), with the same sums as a fresh count."""
    UnitFigures.objects.filter(unit=org.puskesmas).delete()
    first = services.unit_figures_refresh(unit_id=org.puskesmas.pk, year=YEAR)
    stored = UnitFigures.objects.get(unit=org.puskesmas, year=YEAR)
    assert stored.pk == first.pk and stored.employees == 3 and stored.capaian_sum == Decimal(175)
    Realisation.objects.filter(indicator=monitored.peer_indicator, month=1).update(value=0)
    services.person_figures_refresh(employee_id=org.peer.pk, year=YEAR)
    # The person figures of its people, its headcount, then one UPDATE (in a savepoint).
    with django_assert_num_queries(5):
        services.unit_figures_refresh(unit_id=org.puskesmas.pk, year=YEAR)
    after = UnitFigures.objects.get(unit=org.puskesmas, year=YEAR)
    assert after.pk == stored.pk and UnitFigures.objects.filter(unit=org.puskesmas).count() == 1
    fields = ("employees", "plans", "with_capaian", "capaian_sum", "at_risk_people", "months")
    assert [getattr(after, f) for f in fields] != [getattr(stored, f) for f in fields]
    services.figures_rebuild(year=YEAR)
    rebuilt = UnitFigures.objects.get(unit=org.puskesmas, year=YEAR)
    assert [getattr(after, f) for f in fields] == [getattr(rebuilt, f) for f in fields]


def test_the_rebuild_sums_each_capaian_as_stored(org: Org, monitored: Monitored) -> None:
    """The bulk rebuild adds the rows it computes to the units' sums, a unit's own refresh the
    rows as stored (4 decimal places): both give the same unit figures, also for a capaian with
    more places than that (61 of 60: 101.6666…%)."""
    Realisation.objects.filter(indicator=monitored.peer_indicator, month=1).update(value=11)
    services.figures_rebuild(year=YEAR)
    assert figures(org, "peer").capaian == Decimal("101.6667")
    # What the rebuild adds up is what is stored (unrounded, sums of many such rows differed in
    # the last place from the stored rows' sums for a quarter of the demo's units).
    computed = services.person_figures_compute(employee_id=org.peer.pk, year=YEAR)
    assert str(computed.capaian) == "101.6667"
    fields = ("plans", "approved", "with_capaian", "capaian_sum", "at_risk_people", "months")
    rebuilt = {u.unit_id: [getattr(u, f) for f in fields] for u in UnitFigures.objects.all()}
    for unit_id in rebuilt:
        services.unit_figures_refresh(unit_id=unit_id, year=YEAR)
    assert rebuilt == {
        u.unit_id: [getattr(u, f) for f in fields] for u in UnitFigures.objects.all()
    }


def test_the_rebuild_command_recreates_everything(org: Org, monitored: Monitored) -> None:
    PersonFigures.objects.all().delete()
    UnitFigures.objects.all().delete()
    call_command("monitoring_rebuild", "--year", str(YEAR), verbosity=0)
    assert figures(org).capaian == Decimal(75)
    assert UnitFigures.objects.filter(year=YEAR).count() == 3


def test_the_demo_hook_rebuilds_and_says_what_it_did(org: Org, monitored: Monitored) -> None:
    from kinerja.demo.monitoring import seed

    PersonFigures.objects.all().delete()
    summary = seed(seed=1, options={})
    assert "pegawai" in summary
    assert PersonFigures.objects.filter(year=YEAR).count() == 4


def test_a_saved_realisation_refreshes_the_figures_and_announces_the_change(
    org: Org, monitored: Monitored, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    plans = monitored.plans
    assert plans.employee and plans.patients
    with django_capture_on_commit_callbacks(execute=True):
        save_month(org, "employee", plans.employee, 6, {plans.patients: 250})
    row = figures(org)
    assert row.months[5][1] == 1
    assert row.late_entries == 3  # June entered on 10 July, after the 5th
    event = ChangeEvent.objects.exclude(topic="team").latest("id")
    assert (event.topic, event.employee_id, event.path) == (
        "realisation",
        org.employee.pk,
        org.employee.path,
    )
    # The task (immediate here) recomputed the team figures of everyone above the nurse, and
    # announced each head once, after the person's change, on the head's own path.
    heads = org.employee.path.strip("/").split("/")[:-1]
    teams = ChangeEvent.objects.filter(topic="team", id__gt=event.id).order_by("employee_id")
    assert [(t.employee_id, t.path) for t in teams] == sorted(
        (int(h), "/" + "/".join(heads[: i + 1]) + "/") for i, h in enumerate(heads)
    )
    unit = UnitFigures.objects.get(unit=org.puskesmas, year=YEAR)
    assert unit.months[5][1] == 2  # the peer's June and the nurse's patients (immediate task)


def test_feedback_refreshes_the_figures(
    org: Org, monitored: Monitored, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    plans = monitored.plans
    with django_capture_on_commit_callbacks(execute=True):
        performance_services.comment_add(
            plan=plans.employee,
            by=org.users["supervisor"],
            body="Tambah layanan",
            rhk=plans.employee_rhk,
        )
    with django_capture_on_commit_callbacks(execute=True):
        performance_services.comment_add(
            plan=plans.employee, by=org.users["employee"], body="Siap", rhk=plans.employee_rhk
        )
    row = figures(org)
    assert row.feedback_count == 2
    assert row.last_reply_at == row.last_feedback_at
    assert ChangeEvent.objects.filter(topic="feedback").count() == 2


def test_a_plan_without_figures_gets_them_when_it_changes(
    org: Org, monitored: Monitored, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    PersonFigures.objects.filter(employee=org.employee).delete()
    plan = monitored.plans.employee
    with django_capture_on_commit_callbacks(execute=True):
        performance_services.plan_new_version(plan=plan, by=org.users["employee"])
    row = figures(org)
    assert row.plan_status == "draf"
    assert row.months[0][0] == 2  # a reopened plan keeps expecting entries (version 2)


def _figure_fields(row: PersonFigures) -> dict[str, object]:
    fields = [f.attname for f in PersonFigures._meta.concrete_fields]
    return {name: getattr(row, name) for name in fields if name not in {"id", "refreshed_at"}}


def test_the_figures_from_the_saves_rows_are_the_figures_read_again(
    org: Org, monitored: Monitored, django_capture_on_commit_callbacks, time_machine
) -> None:  # type: ignore[no-untyped-def]
    """The grid's save hands the year it committed to the live figures (the "realisation"
    event's `rows`) instead of their reading it again: the same figures, field for field."""
    from kinerja.monitoring import live

    plans = monitored.plans
    plan = plans.employee
    user = org.users["employee"]
    indicators = list(performance.plan_indicators(plan))
    time_machine.move_to("2026-07-20 10:00 +07:00")  # June late, July open
    published: list[dict[str, object]] = []

    def listen(**data: object) -> None:
        published.append(data)

    from kinerja.core import events

    for month, who in ((4, "supervisor"), (4, "employee"), (5, "supervisor")):
        with django_capture_on_commit_callbacks(execute=True):  # the figures count them
            performance_services.comment_add(
                plan=plan,
                by=org.users[who],
                body=f"Bulan {month}",
                realisation=Realisation.objects.get(indicator=plans.patients, month=month),
            )
    one = services._plan_comment_stats(plan)
    assert one == services._comment_stats([plan.pk])[plan.pk]  # the bulk rebuild's
    assert one.count == 3 and one.last_reply_at is not None
    events.subscribe("realisation", listen)
    try:
        for month, values in (
            (6, {plans.patients: "12,3456", plans.response_time: "9"}),  # creates, late
            (5, {plans.patients: "71.5", plans.response_time: "1.200"}),  # changes May
            (7, {plans.patients: "0,0001"}),
        ):
            stored = {r.indicator_id: r.revision for r in Realisation.objects.filter(month=month)}
            with django_capture_on_commit_callbacks(execute=True):
                saved = performance_services.realisation_save_month(
                    plan=plan,
                    month=month,
                    by=user,
                    rows=[
                        performance_services.RealisationInput(
                            i, performance_services.parse_value(v), revision=stored.get(i.pk)
                        )
                        for i, v in values.items()
                    ],
                    indicators=indicators,
                )
            rows = published[-1]["rows"]
            assert isinstance(rows, performance.PlanYear) and rows is saved.year
            shared = live.services.person_figures_compute(
                employee_id=org.employee.pk, year=YEAR, rows=rows
            )
            read = live.services.person_figures_compute(employee_id=org.employee.pk, year=YEAR)
            assert _figure_fields(shared) == _figure_fields(read)
            # Stored without counting the feedback again: the counts kept are the counts.
            assert _figure_fields(figures(org)) == _figure_fields(read)
            # The rows held are the rows stored (the page shows them), values as read back.
            for indicator_id, held in rows.realisations.items():
                again = list(
                    Realisation.objects.filter(indicator_id=indicator_id).order_by("month")
                )
                assert [(r.pk, r.month, r.value, str(r.value), r.revision) for r in held] == [
                    (r.pk, r.month, r.value, str(r.value), r.revision) for r in again
                ]
    finally:
        events._handlers["realisation"].remove(listen)
    assert str(figures(org).indicators[0]["v"]["6"]) == "12.3456"


def test_a_save_keeps_the_stored_feedback_counts_and_counts_them_for_a_first_row(
    org: Org, monitored: Monitored, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """A grid save writes realisations, not comments: the figures it stores keep the feedback
    counts already stored (not counted again), and count them when the row is new."""
    plans = monitored.plans
    plan = plans.employee
    indicators = list(performance.plan_indicators(plan))
    performance_services.comment_add(
        plan=plan, by=org.users["supervisor"], body="Lengkapi", rhk=plans.employee_rhk
    )
    PersonFigures.objects.filter(employee=org.employee).delete()

    def save(value: str) -> None:
        stored = {r.indicator_id: r.revision for r in Realisation.objects.filter(month=6)}
        with django_capture_on_commit_callbacks(execute=True):
            performance_services.realisation_save_month(
                plan=plan,
                month=6,
                by=org.users["employee"],
                rows=[
                    performance_services.RealisationInput(
                        plans.patients,
                        performance_services.parse_value(value),
                        revision=stored.get(plans.patients.pk),
                    )
                ],
                indicators=indicators,
            )

    save("10")
    first = figures(org)
    assert first.feedback_count == 1 and first.last_feedback_at is not None
    assert first.last_reply_at is None
    PersonFigures.objects.filter(pk=first.pk).update(feedback_count=7)
    save("11")
    again = figures(org)
    assert again.feedback_count == 7  # kept, not counted
    assert again.months != first.months or again.indicators != first.indicators
    services.person_figures_refresh(employee_id=org.employee.pk, year=YEAR)
    assert figures(org).feedback_count == 1  # a full refresh counts them


@pytest.mark.parametrize(
    "typed",
    ["7,5", "0,0001", "1.200", "12345678901,2345", "99999999999,9999", "123456789012,3456"],
)
def test_a_value_held_after_the_save_is_the_value_read_back(
    org: Org, monitored: Monitored, typed: str
) -> None:
    """What the save hands on holds each written value as reading it back gives it; beyond
    15 significant digits (SQLite keeps 15) it hands nothing on and the readers read."""
    from kinerja.performance.services.realisations import _as_stored

    value = performance_services.parse_value(typed)
    row = Realisation.objects.filter(indicator=monitored.plans.patients).first()
    assert row is not None
    Realisation.objects.filter(pk=row.pk).update(value=value)
    read = Realisation.objects.get(pk=row.pk).value
    held = _as_stored(value)
    if len(value.normalize().as_tuple().digits) > 15:
        assert held is None
    else:
        assert held is not None and (held, str(held)) == (read, str(read))


def test_a_failing_refresh_never_breaks_the_write(
    org: Org, monitored: Monitored, django_capture_on_commit_callbacks, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def boom(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "person_figures_compute", boom)
    plans = monitored.plans
    with django_capture_on_commit_callbacks(execute=True):
        saved = save_month(org, "employee", plans.employee, 6, {plans.patients: 10})
    assert saved


def test_old_changes_are_pruned(org: Org) -> None:
    ChangeEvent.objects.create(topic="x", employee_id=1, path="/1/")
    assert services.changes_prune(older_than_seconds=-1) == 1


@pytest.mark.parametrize(("year", "expected"), [(2025, 12), (2026, 6), (2027, 0)])
def test_months_closed(year: int, expected: int, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-07-10 09:00 +07:00")
    assert months_closed(year) == expected
