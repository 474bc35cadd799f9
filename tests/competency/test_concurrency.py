"""No overbooking under truly simultaneous enrolments: many threads, each with its own database
connection, enrol different employees into one session at once (SQLite: the IMMEDIATE
transaction mode serialises writers; PostgreSQL: the session row is locked FOR UPDATE and the
seat is taken by a conditional UPDATE)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from django.db import close_old_connections, connection

from kinerja.competency import services
from kinerja.competency.choices import EnrolmentStatus
from kinerja.competency.models import Enrolment, Session
from kinerja.organisation.models import Employee
from tests.conftest import Org
from tests.factories import EmployeeFactory, make_user

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 16
QUOTA = 5


def test_simultaneous_enrolments_never_overbook_on_a_database_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The suite's SQLite test database lives in memory (shared cache), where SQLite answers a
    busy writer "table is locked" instead of waiting: the race runs again in a subprocess on a
    database file, as production runs (WAL, IMMEDIATE transactions, busy timeout)."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        pytest.skip("the race below runs on this database directly")
    env = {**os.environ, "TEST_SQLITE_NAME": str(tmp_path / "race.sqlite3")}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            f"{__file__}::test_simultaneous_enrolments_never_overbook",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "1 passed" in result.stdout


def test_simultaneous_enrolments_never_overbook(org: Org) -> None:
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("runs in a subprocess on a database file (the test above)")
    session = make_session(org, make_programme(org), quota=QUOTA)
    people = [EmployeeFactory(unit=org.puskesmas, supervisor=org.supervisor) for _ in range(PEOPLE)]
    users = [make_user(employee=e) for e in people]
    barrier = threading.Barrier(PEOPLE)
    errors: list[BaseException] = []

    def enrol(user, employee: Employee) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            services.enrolment_create(
                session=Session.objects.get(pk=session.pk), employee=employee, by=user
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=enrol, args=(u, e)) for u, e in zip(users, people, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    session.refresh_from_db()
    enrolments = Enrolment.objects.filter(session=session)
    assert session.seats_taken == QUOTA
    assert enrolments.filter(status=EnrolmentStatus.ENROLLED).count() == QUOTA
    waitlist = list(
        enrolments.filter(status=EnrolmentStatus.WAITLISTED)
        .order_by("waitlist_position")
        .values_list("waitlist_position", flat=True)
    )
    assert waitlist == list(range(1, PEOPLE - QUOTA + 1))
