"""Citizens' personal data follows its retention (UU 27/2022; kinerja/public/retention.py):
IP hashes after 30 days, a complainant's contact a year after closure, an inactive forum
account after two years, an unconfirmed sign-up after 30 days. The aggregates stay: the IKM and
the complaint figures do not change. Time is frozen: the retention is about dates."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from kinerja.adoption.schedule import job_named, run_job
from kinerja.core.models import AuditLog
from kinerja.public import selectors, services
from kinerja.public.models import Complaint, ForumParticipant, ForumPost, SurveyResponse
from kinerja.public.retention import personal_data_purge

from .test_complaints import file
from .test_forum import confirmed

pytestmark = pytest.mark.django_db

FILED = "2026-02-02 09:00 +07:00"


def _closed_complaint(pub, org, **extra):  # type: ignore[no-untyped-def]
    complaint = file(pub, contact_name="Rina", contact_phone="0812345678", **extra)
    admin = org.users["admin_opd"]
    services.complaint_respond(complaint=complaint, by=admin, to_status="diverifikasi")
    services.complaint_respond(complaint=complaint, by=admin, to_status="diproses", message="Cek.")
    services.complaint_respond(
        complaint=complaint, by=admin, to_status="selesai", message="Loket kedua dibuka."
    )
    complaint.refresh_from_db()
    return complaint


def _ikm(pub):  # type: ignore[no-untyped-def]
    return selectors.survey_result(
        scope=selectors.unit_scope(pub.org.puskesmas),
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    ).ikm


def test_each_kind_of_personal_data_goes_after_its_retention_and_figures_stay(
    pub, org, answer, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(FILED)
    for n in range(3):
        answer(pub.pkm, [4, 3, 4, 2, 4, 3, 4, 4, 3], ip_hash="a" * 64, browser_hash=f"{n}" * 64)
    complaint = _closed_complaint(pub, org)
    still_open = file(pub, contact_name="Budi", contact_email="budi@example.id")
    participant = confirmed()
    participant.trusted = True  # published at once (a new participant's post waits)
    participant.save()
    topic = services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=pub.pkm,
        title="Antrean loket pagi",
        body="Antrean pagi sangat panjang, mohon loket ditambah.",
    )
    services.participant_signup(email="lupa@example.id", nickname="Belum Konfirmasi")
    ikm_before = _ikm(pub)
    assert ikm_before.respondents == 3 and ikm_before.converted is not None

    # After 31 days: only the hashes go.
    time_machine.move_to("2026-03-06 09:00 +07:00")
    result = personal_data_purge()
    assert result.hashes >= 3 and result.complaint_contacts == 0
    assert not SurveyResponse.objects.exclude(ip_hash="").exists()
    assert result.unconfirmed_signups == 1  # the never-confirmed sign-up (30 days)
    assert not ForumParticipant.objects.filter(nickname="Belum Konfirmasi").exists()

    # A year after closure, the contact of the closed complaint goes, not of the open one.
    time_machine.move_to("2027-02-10 09:00 +07:00")
    result = personal_data_purge()
    assert result.complaint_contacts == 1 and result.forum_participants == 0
    complaint.refresh_from_db()
    assert (complaint.contact_name, complaint.contact_email, complaint.contact_phone) == (
        "",
        "",
        "",
    )
    assert complaint.description and complaint.status == "selesai"  # the case itself stays
    still_open.refresh_from_db()
    assert still_open.contact_email == "budi@example.id"

    # Two years without a post: the forum account is erased, the post stays.
    time_machine.move_to("2028-02-10 09:00 +07:00")
    result = personal_data_purge()
    assert result.forum_participants == 1
    participant.refresh_from_db()
    assert participant.erased_at is not None and "rina" not in participant.email
    assert participant.email.endswith("@forum.invalid")
    assert ForumPost.objects.filter(topic=topic, status="published").count() == 1
    assert AuditLog.objects.filter(note__contains="tidak aktif lebih dari 730 hari").exists()

    assert _ikm(pub) == ikm_before  # the IKM is the same: answers and aggregates stay
    assert SurveyResponse.objects.count() == 3
    # Nothing is left to purge.
    assert personal_data_purge().summary().startswith("0 hash")


def test_a_recent_forum_post_keeps_the_account(pub, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(FILED)
    participant = confirmed()
    time_machine.move_to("2027-12-01 09:00 +07:00")
    participant.trusted = True
    participant.save()
    services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=None,
        title="Jam buka Sabtu",
        body="Apakah puskesmas buka hari Sabtu?",
    )
    time_machine.move_to("2028-03-01 09:00 +07:00")  # two years after sign-up, not after the post
    assert personal_data_purge().forum_participants == 0
    participant.refresh_from_db()
    assert participant.erased_at is None


def test_the_dry_run_counts_and_changes_nothing(pub, org, time_machine) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(FILED)
    complaint = _closed_complaint(pub, org)
    time_machine.move_to("2027-03-01 09:00 +07:00")
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "uji coba" in out.getvalue() and "1 kontak pengadu dikosongkan" in out.getvalue()
    complaint.refresh_from_db()
    assert complaint.contact_name == "Rina"
    audit_before = AuditLog.objects.count()
    call_command("purge_personal_data", stdout=StringIO())
    complaint.refresh_from_db()
    assert complaint.contact_name == ""
    assert AuditLog.objects.count() == audit_before + 1


def test_the_scheduler_runs_the_purge_daily(pub, org, time_machine) -> None:  # type: ignore[no-untyped-def]
    job = job_named("data_pribadi")
    assert job.cron.endswith("* * *")  # every day
    time_machine.move_to(FILED)
    _closed_complaint(pub, org)
    time_machine.move_to("2027-03-01 09:00 +07:00")
    detail = run_job("data_pribadi")
    assert "1 kontak pengadu dikosongkan" in detail
    assert not Complaint.objects.exclude(contact_name="").exists()


def test_the_contact_retention_must_outlast_the_reopening_window() -> None:
    import os
    import subprocess
    import sys
    from pathlib import Path

    result = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "PUBLIC_COMPLAINT_CONTACT_RETENTION_DAYS": "7", "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0 and "PUBLIC_COMPLAINT_REOPEN_DAYS" in result.stderr
