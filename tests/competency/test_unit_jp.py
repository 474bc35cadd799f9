"""The units' kept 20 JP compliance (kinerja.competency.unit_jp): the regency dashboard's slot
reads it instead of every employee's JP, and it always equals the figures computed from the
learning itself — after a completion, an approved external learning, a transfer, a new month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.competency import selectors, services, unit_jp
from kinerja.competency.choices import EnrolmentStatus, ExternalStatus, SessionStatus
from kinerja.competency.models import Enrolment, ExternalLearning, Session, UnitJp
from kinerja.organisation import services as organisation
from tests.conftest import Org, client_for
from tests.factories import EmployeeFactory

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db
YEAR = 2026


@pytest.fixture(autouse=True)
def _clock(time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-06-10 09:00 +07:00")


def live(year: int = YEAR) -> selectors.Compliance:
    return selectors._compliance(selectors.Q(), year, with_people=False)


def figures(c: selectors.Compliance) -> list[tuple]:  # type: ignore[type-arg]
    return [
        (line.key, line.name, line.people, line.met, line.risk, line.completed_jp)
        for line in [*c.lines, c.total]
    ]


def complete(org: Org, *people) -> None:  # type: ignore[no-untyped-def]
    session = make_session(org, make_programme(org, jp=Decimal("21")), quota=5)
    admin = org.users["bkpsdm"]
    enrolments = [services.enrolment_create(session=session, employee=p, by=admin) for p in people]
    services.attendance_sheet_save(
        session=session, by=admin, present={e.pk: session.days for e in enrolments}
    )
    services.session_close(session=session, by=admin)


def test_the_kept_figures_equal_the_computed_ones(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    assert unit_jp.rebuild(YEAR) == UnitJp.objects.filter(year=YEAR).count() > 0
    assert figures(selectors.regency_compliance(YEAR)) == figures(live())
    with django_capture_on_commit_callbacks(execute=True):
        complete(org, org.employee, org.peer)
    kept = selectors._kept_regency(YEAR)
    assert kept is not None
    assert figures(kept) == figures(live())
    assert kept.total.met == 2 and kept.total.completed_jp == Decimal("42.00")


def test_an_approved_external_learning_refreshes_its_unit(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    unit_jp.rebuild(YEAR)
    item = ExternalLearning.objects.create(
        employee=org.other_employee,
        title="Kursus daring keamanan data",
        kind="teknis",
        provider="-",
        started_on=date(2026, 5, 1),
        ended_on=date(2026, 5, 3),
        year=YEAR,
        hours=Decimal("20"),
        status=ExternalStatus.SUBMITTED,
        evidence="bukti.pdf",
        evidence_name="bukti.pdf",
        evidence_type="application/pdf",
        submitted_at="2026-06-01T09:00:00+07:00",
    )
    before = UnitJp.objects.get(unit=org.other_employee.unit, year=YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        services.external_review(item=item, by=org.users["bkpsdm"], approve=True, jp=Decimal("20"))
    after = UnitJp.objects.get(unit=org.other_employee.unit, year=YEAR)
    assert (after.met, after.completed_jp) == (before.met + 1, before.completed_jp + 20)
    assert after.refreshed_at > before.refreshed_at
    assert figures(selectors.regency_compliance(YEAR)) == figures(live())


def test_a_transfer_counts_every_unit_again(org: Org, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    complete(org, org.employee)
    unit_jp.rebuild(YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        organisation.employee_update(employee=org.employee, by=org.users["bkpsdm"], unit=org.disdik)
    assert UnitJp.objects.get(unit=org.disdik, year=YEAR).met >= 1
    assert figures(selectors.regency_compliance(YEAR)) == figures(live())


def test_figures_of_another_month_are_not_read(org: Org, time_machine) -> None:  # type: ignore[no-untyped-def]
    unit_jp.rebuild(YEAR)
    assert selectors._kept_regency(YEAR) is not None
    time_machine.move_to("2026-07-01 00:01 +07:00")  # one month less left: "at risk" may change
    assert selectors._kept_regency(YEAR) is None
    assert figures(selectors.regency_compliance(YEAR)) == figures(live())
    # A unit refresh in that state rebuilds every unit for the new calendar.
    unit_jp.refresh(YEAR, [org.puskesmas.pk])
    assert set(UnitJp.objects.values_list("months_left", flat=True)) == {5}
    assert selectors._kept_regency(YEAR) is not None


def test_a_unit_refresh_never_leaves_a_year_half_kept(org: Org) -> None:
    unit_jp.refresh(YEAR, [org.puskesmas.pk])  # nothing kept yet: every unit is counted
    kept = selectors._kept_regency(YEAR)
    assert kept is not None and figures(kept) == figures(live())


def test_the_regency_dashboard_reads_the_kept_figures(org: Org) -> None:
    complete(org, org.employee)
    unit_jp.rebuild(YEAR)
    client = client_for(org, "pimpinan")
    url = reverse("monitoring:regency_dashboard") + f"?tahun={YEAR}"
    with CaptureQueriesContext(connection) as captured:
        body = client.get(url).content.decode()
    assert "pegawai memenuhi 20 JP" in body
    assert not [q for q in captured.captured_queries if "competency_enrolment" in q["sql"]]


def test_a_boards_jp_sums_equal_the_wide_sums_for_every_status_and_year(org: Org) -> None:
    """`_sums` for a few people (one grouped query, the statuses in WHERE and each sum's own
    condition in its FILTER) gives what the wide path (two plain queries) gives: completed JP
    only of this year's completions, pending JP only of open sessions ending this year, for an
    enrolment of every status in sessions of this year, of last year, open and closed."""
    programme = make_programme(org, jp=Decimal("7"))
    sessions = {}
    for key, ends_on, status in [
        ("open_now", date(YEAR, 8, 1), SessionStatus.OPEN),
        ("open_next", date(YEAR + 1, 1, 5), SessionStatus.OPEN),
        ("closed_now", date(YEAR, 3, 1), SessionStatus.CLOSED),
        ("cancelled_now", date(YEAR, 4, 1), SessionStatus.CANCELLED),
    ]:
        session = make_session(org, programme, starts_on=ends_on, ends_on=ends_on)
        Session.objects.filter(pk=session.pk).update(status=status)
        sessions[key] = session
    people = [org.employee, org.peer, org.supervisor]
    people += [EmployeeFactory(unit=org.puskesmas, supervisor=org.supervisor) for _ in range(4)]
    rows = []  # each session: every status once, each for another person
    for i, status in enumerate(EnrolmentStatus.values):
        for j, session in enumerate(sessions.values()):
            done = status == EnrolmentStatus.COMPLETED
            rows.append(
                Enrolment(
                    session=session,
                    employee=people[(i + j) % len(people)],
                    status=status,
                    completed_year=(YEAR if j % 2 == 0 else YEAR - 1) if done else None,
                    jp_credited=Decimal(1 + i + j) if done else None,
                )
            )
    Enrolment.objects.bulk_create(rows)
    scope = selectors.Q(employee_id__in=[p.pk for p in people])
    with CaptureQueriesContext(connection) as queries:
        narrow = selectors._sums(scope, YEAR)
    enrolments = next(q["sql"] for q in queries if "competency_enrolment" in q["sql"])
    where = enrolments.split(" WHERE ", 1)[1]
    assert " OR " not in where and "ends_on" not in where  # the conditions live in FILTER
    wide = selectors._sums(scope, YEAR, wide=True)
    as_dicts = [{k: v for k, v in sums.items() if v} for sums in (*narrow, *wide)]
    assert as_dicts[0] == as_dicts[2] and as_dicts[1] == as_dicts[3]
    expected_done: dict[int, Decimal] = {}
    expected_pending: dict[int, Decimal] = {}
    for row in rows:
        if row.status == EnrolmentStatus.COMPLETED and row.completed_year == YEAR:
            expected_done[row.employee_id] = expected_done.get(row.employee_id, 0) + row.jp_credited
        if (
            row.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.PENDING_APPROVAL)
            and row.session is sessions["open_now"]
        ):
            expected_pending[row.employee_id] = expected_pending.get(row.employee_id, 0) + 7
    assert as_dicts[0] == expected_done and as_dicts[1] == expected_pending
    assert expected_done and expected_pending  # the case is not empty
