"""Reminders on a schedule: each once (by key) across runs and workers, never to inactive people,
respecting preferences; the supervisors' digest; the scheduler and the worker in real
processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from kinerja.adoption import services
from kinerja.adoption.choices import EmailMode, NotificationKind
from kinerja.adoption.models import JobRun, ReminderSent
from kinerja.adoption.reminders import (
    REMINDER_SOURCES,
    Reminder,
    digests_build,
    digests_send,
    register_reminder_source,
    reminders_run,
)
from kinerja.core.models import Notification
from kinerja.organisation.models import User
from kinerja.performance import services as performance
from tests.conftest import Org
from tests.performance.conftest import Plans

from .conftest import Mailbox

ROOT = Path(__file__).resolve().parents[2]


def reminded(kind: str) -> set[int]:
    return set(ReminderSent.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_realisation_due_three_days_before_the_deadline_and_only_once(
    org: Org, employee_plan: Plans, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    nurse = org.users["employee"]
    time_machine.move_to("2026-08-01 07:00 +07:00")  # July's deadline is 5 August: too early
    assert reminders_run(kinds=[NotificationKind.REALISATION_DUE]) == {"realisasi_jatuh_tempo": 0}
    time_machine.move_to("2026-08-02 07:00 +07:00")
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_run(kinds=[NotificationKind.REALISATION_DUE])
    assert nurse.pk in reminded(NotificationKind.REALISATION_DUE)
    assert first["realisasi_jatuh_tempo"] == 3  # nurse, supervisor, head: July is empty
    message = Notification.objects.get(recipient=nurse).message
    assert "Realisasi Juli 2026" in message and "5 Agustus 2026" in message
    time_machine.move_to("2026-08-03 07:00 +07:00")
    assert reminders_run(kinds=[NotificationKind.REALISATION_DUE])["realisasi_jatuh_tempo"] == 0
    assert Notification.objects.filter(recipient=nurse).count() == 1


def test_an_entered_month_inactive_people_and_muted_kinds_get_no_reminder(
    org: Org, employee_plan: Plans, time_machine
) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from kinerja.performance.models import Indicator

    time_machine.move_to("2026-08-02 07:00 +07:00")
    nurse_plan = employee_plan.employee
    performance.realisation_save_month(
        plan=nurse_plan,
        month=7,
        by=org.users["employee"],
        rows=[
            performance.RealisationInput(indicator=i, value=Decimal(5))
            for i in Indicator.objects.filter(rhk__plan=nurse_plan)
        ],
    )
    User.objects.filter(pk=org.users["supervisor"].pk).update(is_active=False)
    services.preference_update(
        user=org.users["unit_head"],
        email_mode=EmailMode.IMMEDIATE,
        webhook_enabled=False,
        muted_kinds=[NotificationKind.REALISATION_DUE],
    )
    assert reminders_run(kinds=[NotificationKind.REALISATION_DUE]) == {"realisasi_jatuh_tempo": 0}


def test_a_plan_waiting_too_long_reminds_its_assessor(
    org: Org, plans: Plans, time_machine, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ADOPTION_PLAN_WAITING_DAYS = 5
    from tests.performance.conftest import approved_plan

    approved_plan(org, "employee", parent=plans.supervisor_rhk)  # submitted 10 July
    time_machine.move_to("2026-07-15 08:00 +07:00")
    assert reminders_run(kinds=[NotificationKind.PLAN_WAITING])["skp_menunggu"] == 0
    time_machine.move_to("2026-07-16 08:00 +07:00")
    assert reminders_run(kinds=[NotificationKind.PLAN_WAITING])["skp_menunggu"] == 1
    assert reminded(NotificationKind.PLAN_WAITING) == {org.users["supervisor"].pk}
    assert reminders_run(kinds=[NotificationKind.PLAN_WAITING])["skp_menunggu"] == 0


def test_the_assessment_period_closing_reminds_assessors(
    org: Org, employee_plan: Plans, time_machine, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ASSESSMENT_PERIODICITY = "quarterly"
    time_machine.move_to("2026-09-24 08:00 +07:00")  # Triwulan III ends 30 September
    sent = reminders_run(kinds=[NotificationKind.ASSESSMENT_CLOSING])
    assert sent["penilaian_berakhir"] == 2  # the supervisor (nurse) and the head (supervisor)
    assert org.users["supervisor"].pk in reminded(NotificationKind.ASSESSMENT_CLOSING)


def test_a_key_already_sent_by_another_worker_is_not_sent_again(
    org: Org, employee_plan: Plans, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-08-04 07:00 +07:00")
    nurse = org.users["employee"]
    ReminderSent.objects.create(
        key=f"realisasi:2026-07:{nurse.pk}", user=nurse, kind="realisasi_jatuh_tempo"
    )
    reminders_run(kinds=[NotificationKind.REALISATION_DUE])
    assert not Notification.objects.filter(recipient=nurse).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_the_same_moment_send_each_reminder_once(org: Org) -> None:
    """Two threads (two database connections) run the same reminders at once (PostgreSQL; the
    suite's in-memory SQLite shares one cache between threads, which locks instead of waiting:
    the next test runs two worker processes on a SQLite file instead)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: see the two-process test below")
    nurse = org.users["employee"]
    reminders = [Reminder(f"uji:{i}", nurse.pk, f"Pengingat {i}") for i in range(20)]
    register_reminder_source("uji", "Uji", lambda today: reminders)
    try:
        results: list[dict[str, int]] = []

        def run() -> None:
            try:
                results.append(reminders_run(kinds=["uji"]))
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(r["uji"] for r in results) == 20
        assert Notification.objects.filter(recipient=nurse).count() == 20
    finally:
        REMINDER_SOURCES[:] = [s for s in REMINDER_SOURCES if s.kind != "uji"]


def test_the_supervisor_digest_lists_the_four_things(org: Org, plans: Plans, time_machine) -> None:  # type: ignore[no-untyped-def]
    from tests.performance.conftest import approved_plan

    approved_plan(org, "employee", parent=plans.supervisor_rhk)  # waiting for the supervisor
    time_machine.move_to("2026-08-10 07:00 +07:00")
    digests = {d.user.pk: d for d in digests_build()}
    supervisor = digests[org.users["supervisor"].pk]
    assert supervisor.plans_to_approve == 1
    head = digests[org.users["unit_head"].pk]
    assert head.people_at_risk == 1  # the supervisor has not entered July
    assert org.users["employee"].pk not in digests  # nothing to do: no digest
    assert "1 SKP menunggu persetujuan Anda" in supervisor.body()


def test_the_digest_goes_to_the_local_smtp_server_once_a_day(
    org: Org, plans: Plans, time_machine, smtp: Mailbox
) -> None:  # type: ignore[no-untyped-def]
    from tests.performance.conftest import approved_plan

    approved_plan(org, "employee", parent=plans.supervisor_rhk)
    User.objects.filter(pk=org.users["supervisor"].pk).update(email="citra@dinkes.example.id")
    time_machine.move_to("2026-08-10 06:30 +07:00")
    assert digests_send() == 1
    [message] = smtp.to("citra@dinkes.example.id")
    assert "Ringkasan harian" in message["Subject"]
    assert "SKP menunggu persetujuan" in Mailbox.body(message)
    assert digests_send() == 0


def test_a_job_run_is_recorded_with_its_outcome(org: Org) -> None:
    call_command("run_scheduler", now=["pengingat"], exit=True)  # the immediate backend runs it
    run = JobRun.objects.get(job="pengingat")
    assert run.ok is True and run.finished_at is not None


def test_the_scheduler_and_the_worker_run_a_job_in_real_processes(tmp_path: Path) -> None:
    database = tmp_path / "kinerja.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DEBUG": "1",
        "KINERJA_TESTING": "",
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "KINERJA_VAR_DIR": str(tmp_path),
        "ADOPTION_PLAN_WAITING_DAYS": "1",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]

    def run(*args: str) -> str:
        done = subprocess.run(
            [*manage, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    run("migrate", "--noinput", "-v", "0")
    run("shell", "-c", SETUP_SCRIPT)  # a plan waiting three days for its approver
    assert "antre: pengingat" in run("run_scheduler", "--now", "pengingat", "--exit")
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM adoption_jobrun").fetchone()[0] == 0
    run("db_worker", "--batch", "--no-startup-delay")
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT job, ok, detail FROM adoption_jobrun").fetchall()
        reminders = db.execute("SELECT kind FROM adoption_remindersent").fetchall()
        notes = db.execute("SELECT message FROM core_notification").fetchall()
    assert rows == [("pengingat", 1, rows[0][2])] and "skp_menunggu: 1" in rows[0][2]
    assert reminders == [("skp_menunggu",)]
    reminded = [n for (n,) in notes if "menunggu persetujuan Anda sejak" in n]
    assert len(reminded) == 1  # (the other notification is the submission's own)


SETUP_SCRIPT = """
from datetime import timedelta
from decimal import Decimal
from django.utils import timezone
from kinerja.performance import services
from kinerja.performance.models import Plan
from tests.factories import EmployeeFactory, PositionFactory, UnitFactory, make_user
unit = UnitFactory(code="DINKES", name="Dinas Kesehatan", kind="dinas")
boss = EmployeeFactory(unit=unit, position=PositionFactory(name="Kepala", kind="jpt", kelas=14))
staff = EmployeeFactory(unit=unit, supervisor=boss, position=PositionFactory(name="Staf"))
year = timezone.localdate().year
chief = make_user(employee=boss)
top = services.plan_create(employee=boss, year=year, by=chief)
top_rhk = services.rhk_add(plan=top, by=chief, kind="utama", text="Derajat kesehatan")
user = make_user(employee=staff)
plan = services.plan_create(employee=staff, year=year, by=user)
rhk = services.rhk_add(plan=plan, by=user, kind="utama", text="Pelayanan", parent=top_rhk)
services.indicator_add(rhk=rhk, by=user, aspek="kuantitas", name="Layanan",
    unit_of_measure="kegiatan", target=Decimal(12), polarity="higher_is_better",
    aggregation="sum")
services.plan_submit(plan=plan, by=user)
Plan.objects.update(submitted_at=timezone.now() - timedelta(days=3))
"""


WORKER_SCRIPT = """
from kinerja.adoption.reminders import Reminder, register_reminder_source, reminders_run
def collect(today):
    return [Reminder(f"uji:{i}", 1, f"P{i}") for i in range(60)]
register_reminder_source("uji", "Uji", collect)
print("SENT", reminders_run(kinds=["uji"])["uji"])
"""


def test_two_worker_processes_send_each_reminder_once(tmp_path: Path) -> None:
    database = tmp_path / "kinerja.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}},
        "DEBUG": "1",
        "KINERJA_TESTING": "",
        "DATABASE_URL": f"sqlite:///{database}",
        "KINERJA_VAR_DIR": str(tmp_path),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, cwd=ROOT, check=True, timeout=300)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from kinerja.organisation.models import User; "
            "User.objects.create(pk=1, username='uji')",
        ],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    workers = [
        subprocess.Popen(
            [*manage, "shell", "-c", WORKER_SCRIPT],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=300) for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), [e[-1500:] for _o, e in outputs]
    sent = [int(out.split("SENT")[1]) for out, _err in outputs]
    assert sum(sent) == 60
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM core_notification").fetchone()[0] == 60
        assert db.execute("SELECT count(*) FROM adoption_remindersent").fetchone()[0] == 60


def _final(org: Org, employee, predikat: str, shown_at):  # type: ignore[no-untyped-def]
    from kinerja.assessment.models import Assessment

    return Assessment.objects.create(
        employee=employee,
        period="2026-T2",
        year=2026,
        opd=org.dinkes,
        unit=employee.unit,
        status="final",
        hasil="di_bawah",
        perilaku="sesuai",
        predikat=predikat,
        code=f"kode-{employee.pk}",
        shown_at=shown_at,
    )


def test_the_objection_window_closing_reminds_who_may_object(
    org: Org, time_machine, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kinerja.assessment.models import Objection

    shown = datetime(2026, 7, 1, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    nurse = _final(org, org.employee, "butuh_perbaikan", shown)  # deadline 15 July 10:00
    _final(org, org.peer, "baik", shown)  # "Baik": nothing to object to, no reminder
    objected = _final(org, org.supervisor, "kurang", shown)
    Objection.objects.create(
        assessment=objected, reasons="Tidak sesuai", submitted_at=shown + timedelta(days=1)
    )
    time_machine.move_to("2026-07-11 08:00 +07:00")  # four days before: too early
    assert reminders_run(kinds=[NotificationKind.OBJECTION_DEADLINE])["batas_keberatan"] == 0
    time_machine.move_to("2026-07-12 08:00 +07:00")
    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders_run(kinds=[NotificationKind.OBJECTION_DEADLINE])
    assert sent["batas_keberatan"] == 1
    assert reminded(NotificationKind.OBJECTION_DEADLINE) == {org.users["employee"].pk}
    message = Notification.objects.get(recipient=org.users["employee"]).message
    assert "15-07-2026 10:00" in message
    time_machine.move_to("2026-07-15 11:00 +07:00")  # the window has closed
    ReminderSent.objects.all().delete()
    assert reminders_run(kinds=[NotificationKind.OBJECTION_DEADLINE])["batas_keberatan"] == 0
    assert nurse.objections.count() == 0
