"""The figures that count people follow an import at once (issue 10, item 13: the dashboard's
"1.500 pegawai aktif" lagged an import until the nightly rebuild)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from kinerja.monitoring import tasks
from kinerja.monitoring.models import ChangeEvent, TeamFigures, UnitFigures
from kinerja.organisation.imports import EMPLOYEE_COLUMNS, import_file
from kinerja.organisation.models import Employee
from tests.conftest import Org
from tests.factories import make_nip
from tests.organisation.test_imports import csv, row


def test_an_import_updates_the_unit_and_team_counts(
    org: Org, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    year = timezone.localdate().year
    cache.delete(tasks.team_rebuild_pending_key(year))
    unit_id = org.employee.unit_id
    before = UnitFigures.objects.filter(unit_id=unit_id, year=year).first()
    headers = [c.header for c in EMPLOYEE_COLUMNS]
    data = csv(
        headers,
        [row(make_nip(), f"Pegawai Baru {i}", supervisor=org.supervisor.nip) for i in range(3)],
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = import_file(kind="employees", data=data, filename="baru.csv", by=None)

    assert report.ok and report.created == 3
    in_unit = Employee.objects.filter(unit_id=unit_id, is_active=True).count()
    after = UnitFigures.objects.get(unit_id=unit_id, year=year)
    assert (
        after.employees == in_unit and in_unit == (before.employees if before else in_unit - 3) + 3
    )
    below = Employee.objects.filter(path__startswith=org.supervisor.path, is_active=True).count()
    team = TeamFigures.objects.get(employee=org.supervisor, year=year)
    assert team.people == below - 1  # everyone below, not the supervisor themself


@pytest.mark.parametrize("half", ["person_figures_compute", "person_figures_store"])
def test_a_failing_refresh_is_queued_again_not_lost(org: Org, half: str) -> None:
    """Issue 15, item 3: a figure refresh that fails in the request (computing the figures, or
    storing them, e.g. PostgreSQL's numeric overflow) is queued as a task (which the queue's
    recovery retries), so the figures never stay stale in silence."""
    from unittest import mock

    from kinerja.monitoring import live, services

    calls: list[int] = []
    real = getattr(services, half)

    def fail_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(org.employee.pk)
        if len(calls) == 1:
            raise OverflowError("numeric field overflow")
        return real(*args, **kwargs)

    with mock.patch.object(services, half, side_effect=fail_once):
        live.employee_changed(topic="realisation", employee_id=org.employee.pk)
    assert ChangeEvent.objects.filter(employee_id=org.employee.pk).exists()  # announced anyway
    assert calls == [org.employee.pk, org.employee.pk]  # failed, then the queued task ran


def test_a_change_queues_one_refresh_of_its_unit_and_teams(org: Org) -> None:
    """Issue 16, item 4: the unit's and the supervisors' figures after one person's change are
    one queued task (one row in the database queue), not two."""
    import contextlib
    from unittest import mock

    from kinerja.monitoring import live

    queued: list[tuple[str, dict[str, object]]] = []

    class Recording:
        def __init__(self, name: str) -> None:
            self.name, self.task = name, getattr(tasks, name)

        def enqueue(self, **kwargs: object) -> object:
            queued.append((self.name, kwargs))
            return self.task.enqueue(**kwargs)

    names = ("refresh_unit_and_team_figures", "refresh_unit_figures", "refresh_team_figures")
    with contextlib.ExitStack() as stack:
        for name in names:
            stack.enter_context(mock.patch.object(tasks, name, Recording(name)))
        live.employee_changed(topic="realisation", employee_id=org.employee.pk)
    assert [name for name, _kwargs in queued] == ["refresh_unit_and_team_figures"]
    kwargs = queued[0][1]
    assert kwargs["unit_id"] == org.employee.unit_id
    assert kwargs["employee_id"] == org.employee.pk
    year = kwargs["year"]
    assert UnitFigures.objects.filter(unit_id=org.employee.unit_id, year=year).exists()
    assert TeamFigures.objects.filter(employee=org.supervisor, year=year).exists()


def test_the_teams_are_refreshed_when_the_unit_refresh_fails(org: Org, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As with two separate tasks: one half failing does not skip the other; the task fails,
    so the queue's recovery retries it."""
    from kinerja.monitoring import services

    def boom(**kwargs):  # type: ignore[no-untyped-def]
        raise OverflowError("numeric field overflow")

    monkeypatch.setattr(services, "unit_figures_refresh", boom)
    TeamFigures.objects.filter(employee=org.supervisor).delete()
    with pytest.raises(OverflowError):
        tasks.refresh_unit_and_team_figures.call(
            unit_id=org.employee.unit_id, employee_id=org.employee.pk, year=2026
        )
    assert TeamFigures.objects.filter(employee=org.supervisor, year=2026).exists()


def test_a_failing_queue_keeps_the_figures_and_the_announcement(org: Org, monitored) -> None:  # type: ignore[no-untyped-def]
    """The after-commit writes are one transaction without savepoints; when a part fails, it
    is rolled back and written again part by part, so the others stand as before."""
    from unittest import mock

    from kinerja.monitoring import live
    from kinerja.monitoring.models import PersonFigures

    PersonFigures.objects.filter(employee=org.employee).delete()
    ChangeEvent.objects.all().delete()
    calls: list[int] = []
    real = tasks.refresh_unit_and_team_figures.enqueue

    def fail_once(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("queue unavailable")
        return real(**kwargs)

    class Failing:
        enqueue = staticmethod(fail_once)

    with mock.patch.object(tasks, "refresh_unit_and_team_figures", Failing):
        live.employee_changed(topic="realisation", employee_id=org.employee.pk, year=2026)
    assert calls == [1, 1]  # the one transaction, then the part-by-part writes
    assert PersonFigures.objects.get(employee=org.employee, year=2026).plan_id is not None
    assert ChangeEvent.objects.filter(employee_id=org.employee.pk).count() == 1
