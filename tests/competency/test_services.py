"""Enrolment, waitlist, approval, cancellation, attendance, completion, certificates, external
learning, ratings and development plans, through the services."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kinerja.competency import selectors, services
from kinerja.competency.choices import EnrolmentStatus, ExternalStatus, GapSource
from kinerja.competency.models import DevelopmentItem, Enrolment, Session
from kinerja.core import events, figures
from kinerja.core.models import AuditLog, IssuedDocument, Notification
from kinerja.core.verification import document_find
from tests.conftest import Org

from .conftest import make_programme, make_session

pytestmark = pytest.mark.django_db


def _enrol(org: Org, session: Session, who: str, employee=None) -> Enrolment:  # type: ignore[no-untyped-def]
    user = org.users[who]
    return services.enrolment_create(session=session, employee=employee or user.employee, by=user)


def test_it_takes_seats_then_waitlists_in_order(org: Org, session: Session) -> None:
    first = _enrol(org, session, "employee")
    second = _enrol(org, session, "supervisor")
    third = _enrol(org, session, "unit_head")
    fourth = _enrol(org, session, "other")
    assert [first.status, second.status] == [EnrolmentStatus.ENROLLED] * 2
    assert (third.status, third.waitlist_position) == (EnrolmentStatus.WAITLISTED, 1)
    assert (fourth.status, fourth.waitlist_position) == (EnrolmentStatus.WAITLISTED, 2)
    session.refresh_from_db()
    assert session.seats_taken == 2
    assert AuditLog.objects.filter(object_type="competency.enrolment").count() == 4


def test_it_refuses_a_second_enrolment(org: Org, session: Session) -> None:
    _enrol(org, session, "employee")
    with pytest.raises(services.AlreadyEnrolled):
        _enrol(org, session, "employee")
    session.refresh_from_db()
    assert session.seats_taken == 1


def test_it_promotes_the_waitlist_in_order_on_cancellation(org: Org, session: Session) -> None:
    first = _enrol(org, session, "employee")
    _enrol(org, session, "supervisor")
    third = _enrol(org, session, "unit_head")
    fourth = _enrol(org, session, "other")
    services.enrolment_cancel(enrolment=first, by=org.users["employee"])
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, third.waitlist_position) == (EnrolmentStatus.ENROLLED, None)
    assert (fourth.status, fourth.waitlist_position) == (EnrolmentStatus.WAITLISTED, 2)
    session.refresh_from_db()
    assert session.seats_taken == 2
    # The cancelled one may enrol again (at the end of the queue).
    again = _enrol(org, session, "employee")
    assert (again.status, again.waitlist_position) == (EnrolmentStatus.WAITLISTED, 3)


def test_it_refuses_enrolment_and_cancellation_after_the_deadline(
    org: Org, session: Session
) -> None:
    enrolment = _enrol(org, session, "employee")
    with time_machine.travel(session.registration_deadline + timedelta(seconds=1)):
        with pytest.raises(ValidationError, match="ditutup"):
            _enrol(org, session, "supervisor")
        with pytest.raises(ValidationError, match="Batas pembatalan"):
            services.enrolment_cancel(enrolment=enrolment, by=org.users["employee"])
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_it_waits_for_the_supervisor_and_frees_the_seat_on_rejection(org: Org, programme) -> None:  # type: ignore[no-untyped-def]
    session = make_session(org, programme, quota=1, needs_approval=True)
    pending = _enrol(org, session, "employee")
    waiting = _enrol(org, session, "peer")
    assert pending.status == EnrolmentStatus.PENDING_APPROVAL
    assert waiting.status == EnrolmentStatus.WAITLISTED
    assert selectors.pending_enrolments(org.users["supervisor"]) == [pending]
    assert selectors.pending_enrolments(org.users["other"]) == []
    with pytest.raises(ValidationError):
        services.enrolment_decide(enrolment=pending, by=org.users["other"], approve=True)
    with pytest.raises(ValidationError, match="alasan"):
        services.enrolment_decide(enrolment=pending, by=org.users["supervisor"], approve=False)
    services.enrolment_decide(
        enrolment=pending, by=org.users["supervisor"], approve=False, note="Jadwal pelayanan"
    )
    waiting.refresh_from_db()
    pending.refresh_from_db()
    assert pending.status == EnrolmentStatus.REJECTED
    # The promoted self-registration needs its own approval too.
    assert waiting.status == EnrolmentStatus.PENDING_APPROVAL
    services.enrolment_decide(enrolment=waiting, by=org.users["supervisor"], approve=True)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED


def test_a_nomination_needs_no_approval_and_only_those_above_may_nominate(
    org: Org, programme
) -> None:  # type: ignore[no-untyped-def]
    session = make_session(org, programme, needs_approval=True)
    enrolment = services.enrolment_create(
        session=session, employee=org.employee, by=org.users["supervisor"]
    )
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert enrolment.nominated_by == org.users["supervisor"]
    with pytest.raises(ValidationError, match="berwenang"):
        services.enrolment_create(session=session, employee=org.peer, by=org.users["other"])


def _sheet_all_present(org: Org, session: Session, *, score: str | None = None) -> None:
    people = Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
    services.attendance_sheet_save(
        session=session,
        by=org.users["bkpsdm"],
        present={e.pk: session.days for e in people},
        scores={e.pk: score for e in people} if score is not None else None,
    )


def test_completion_credits_jp_and_issues_a_verifiable_certificate(
    org: Org, session: Session, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    done = _enrol(org, session, "employee")
    absent = _enrol(org, session, "peer")
    services.attendance_sheet_save(
        session=session, by=org.users["bkpsdm"], present={done.pk: session.days, absent.pk: []}
    )
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.session_close(session=session, by=org.users["bkpsdm"])
    assert counts == {"completed": 1, "not_completed": 1}
    done.refresh_from_db()
    absent.refresh_from_db()
    assert (done.status, done.jp_credited) == (EnrolmentStatus.COMPLETED, Decimal("8.00"))
    assert done.completed_year == session.ends_on.year
    assert absent.status == EnrolmentStatus.NOT_COMPLETED
    document = IssuedDocument.objects.get(source_type="competency.enrolment", source_id=done.pk)
    found = document_find(document.code)
    assert found is not None and found.holder_name == org.employee.full_name
    assert found.title == "Literasi Digital untuk Pelayanan Publik"
    # The verification page shows the name, programme, dates and JP: not the NIP or the unit.
    shown = " ".join(v for _l, v in found.facts)
    assert org.employee.nip not in shown and org.employee.unit.name not in shown
    totals = figures.value(
        "competency.jp", employee_ids=[org.employee.pk], year=done.completed_year
    )
    assert totals[org.employee.pk].completed_jp == Decimal("8.00")
    assert totals[org.employee.pk].shortfall_jp == Decimal("12.00")
    assert Notification.objects.filter(recipient=org.users["employee"]).exists()


def test_a_failed_post_test_is_not_a_completion(org: Org) -> None:
    programme = make_programme(org, title="Penyusunan SKP", post_test_pass_mark=Decimal("70"))
    session = make_session(org, programme)
    low = _enrol(org, session, "employee")
    high = _enrol(org, session, "peer")
    people = {low.pk: session.days, high.pk: session.days}
    services.attendance_sheet_save(
        session=session,
        by=org.users["bkpsdm"],
        present=people,
        scores={low.pk: "69,99", high.pk: "70"},
    )
    services.session_close(session=session, by=org.users["bkpsdm"])
    low.refresh_from_db()
    high.refresh_from_db()
    assert low.status == EnrolmentStatus.NOT_COMPLETED
    assert high.status == EnrolmentStatus.COMPLETED


def test_the_attendance_sheet_rejects_bad_input_and_changes_nothing(
    org: Org, session: Session
) -> None:
    enrolment = _enrol(org, session, "employee")
    with pytest.raises(ValidationError):
        services.attendance_sheet_save(
            session=session,
            by=org.users["bkpsdm"],
            present={enrolment.pk: [session.starts_on - timedelta(days=1)]},
        )
    with pytest.raises(ValidationError):
        services.attendance_sheet_save(
            session=session, by=org.users["other"], present={enrolment.pk: session.days}
        )
    assert not enrolment.attendance.exists()


def test_qr_checkin_accepts_the_current_code_only(org: Org, session: Session) -> None:
    enrolment = _enrol(org, session, "employee")
    with pytest.raises(ValidationError, match="Kode"):
        services.attendance_checkin(session=session, by=org.users["employee"], code="000000x")
    code = services.checkin_code(session)
    services.attendance_checkin(session=session, by=org.users["employee"], code=code)
    assert enrolment.attendance.get().minutes == session.daily_minutes
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert not services.checkin_code_valid(session, code)
    with pytest.raises(ValidationError, match="tidak terdaftar"):
        services.attendance_checkin(session=session, by=org.users["peer"], code=code)


def _pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "sertifikat.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf"
    )


def test_external_learning_counts_once_approved(org: Org) -> None:
    today = timezone.localdate()
    item = services.external_submit(
        employee=org.employee,
        by=org.users["employee"],
        title="Webinar Keamanan Siber",
        kind="seminar",
        provider="BSSN",
        started_on=today,
        ended_on=today,
        hours=Decimal("3"),
        upload=_pdf_upload(),
    )
    before = selectors.jp_provider(employee_ids=[org.employee.pk], year=today.year)
    assert before[org.employee.pk].completed_jp == Decimal("0.00")
    with pytest.raises(ValidationError):
        services.external_review(item=item, by=org.users["supervisor"], approve=True)
    services.external_review(item=item, by=org.users["bkpsdm"], approve=True)
    item.refresh_from_db()
    assert (item.status, item.jp_confirmed) == (ExternalStatus.APPROVED, Decimal("4.00"))
    after = selectors.jp_provider(employee_ids=[org.employee.pk], year=today.year)
    assert after[org.employee.pk].completed_jp == Decimal("4.00")


def test_external_learning_is_returned_with_a_reason_and_resubmitted(org: Org) -> None:
    today = timezone.localdate()
    kwargs = {
        "employee": org.employee,
        "by": org.users["employee"],
        "title": "Kursus Excel",
        "kind": "kursus",
        "provider": "Lembaga Kursus",
        "started_on": today,
        "ended_on": today,
        "hours": Decimal("6"),
    }
    item = services.external_submit(**kwargs, upload=_pdf_upload())
    with pytest.raises(ValidationError, match="alasan"):
        services.external_review(item=item, by=org.users["bkpsdm"], approve=False)
    services.external_review(
        item=item, by=org.users["bkpsdm"], approve=False, reason="Sertifikat tidak terbaca"
    )
    item.refresh_from_db()
    assert (item.status, item.return_reason) == (
        ExternalStatus.RETURNED,
        "Sertifikat tidak terbaca",
    )
    services.external_submit(**kwargs, upload=_pdf_upload(), item=item)
    item.refresh_from_db()
    assert item.status == ExternalStatus.SUBMITTED and item.return_reason == ""


def _submit_external(org: Org, upload: Any, **changes: Any) -> Any:
    """The employee's external learning of today, 3 hours, with `upload` as its evidence."""
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "employee": org.employee,
        "by": org.users["employee"],
        "title": "Webinar",
        "kind": "seminar",
        "provider": "BSSN",
        "started_on": today,
        "ended_on": today,
        "hours": Decimal("3"),
        **changes,
    }
    return services.external_submit(**fields, upload=upload)


def test_external_learning_rejects_a_disguised_file(org: Org) -> None:
    with pytest.raises(ValidationError, match="Jenis berkas"):
        _submit_external(org, SimpleUploadedFile("bukti.pdf", b"MZ not a pdf"))
    assert not selectors.ExternalLearning.objects.exists()


def test_ratings_are_1_to_5_after_the_session(org: Org, session: Session) -> None:
    enrolment = _enrol(org, session, "employee")
    _sheet_all_present(org, session)
    services.session_close(session=session, by=org.users["bkpsdm"])
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.rating_submit(enrolment=enrolment, by=org.users["employee"], score=6)
    services.rating_submit(enrolment=enrolment, by=org.users["employee"], score=4, comment="Bagus")
    summary = selectors.rating_summary(session)
    assert (summary.count, summary.average, summary.comments) == (1, Decimal("4.0"), ["Bagus"])


def test_training_required_adds_a_plan_item_once(org: Org, programme) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year
    for _ in range(2):
        events.publish(
            "training.required",
            employee_id=org.employee.pk,
            year=year,
            tag="Teknologi Informasi",
            reason="Tindak lanjut hasil penilaian",
            source="rewards:decision:7",
        )
    items = DevelopmentItem.objects.filter(plan__employee=org.employee, plan__year=year)
    assert items.count() == 1
    item = items.get()
    assert (item.origin, item.programme) == (GapSource.MANDATORY, programme)


def test_plan_items_are_added_and_agreed_by_both(org: Org, programme) -> None:  # type: ignore[no-untyped-def]
    year = timezone.localdate().year
    plan = services.plan_refresh(employee=org.employee, year=year, by=org.users["employee"])
    item = services.plan_item_add(
        plan=plan, by=org.users["supervisor"], tag="Adaptif", gap="Layanan daring"
    )
    assert item.programme == programme and item.origin == GapSource.SUPERVISOR
    with pytest.raises(ValidationError):
        services.plan_item_add(plan=plan, by=org.users["other"], tag="Adaptif", gap="x")
    services.plan_agree(plan=plan, by=org.users["employee"])
    services.plan_agree(plan=plan, by=org.users["supervisor"])
    item.refresh_from_db()
    assert item.status == "disepakati"
    rows = selectors.needs_analysis(year)
    assert [(r.opd, r.tag, r.people) for r in rows] == [("Dinas Kesehatan", "Adaptif", 1)]


def test_the_provider_answers_every_id_with_zeros(org: Org) -> None:
    result = figures.value("competency.jp", employee_ids=[org.employee.pk, org.peer.pk], year=2026)
    assert set(result) == {org.employee.pk, org.peer.pk}
    assert result[org.peer.pk].shortfall_jp == Decimal("20.00")
    assert io  # keep the import list honest for the upload helpers


def test_a_larger_quota_gives_its_seats_to_the_waitlist_in_order(
    org: Org, session: Session
) -> None:
    _enrol(org, session, "employee")
    _enrol(org, session, "supervisor")
    third = _enrol(org, session, "unit_head")
    fourth = _enrol(org, session, "other")
    session.quota = 3
    services.session_save(by=org.users["bkpsdm"], session=session)
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert third.status == EnrolmentStatus.ENROLLED
    assert (fourth.status, fourth.waitlist_position) == (EnrolmentStatus.WAITLISTED, 2)
    session.quota = 2
    with pytest.raises(ValidationError, match="Kuota"):
        services.session_save(by=org.users["bkpsdm"], session=session)


def test_a_session_offers_1_to_10000_seats(org: Org, programme) -> None:  # type: ignore[no-untyped-def]
    for quota in (0, 10_001):
        with pytest.raises(ValidationError, match=r"Kuota harus 1 sampai 10\.000 peserta"):
            make_session(org, programme, quota=quota)
    assert not Session.objects.exists()
    assert make_session(org, programme, quota=10_000).quota == 10_000


@time_machine.travel("2026-03-01 10:00 +07:00", tick=False)  # the day after 28 February
def test_external_learning_claims_at_most_12_hours_a_day_and_not_before_last_year(
    org: Org,
) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="12 jam per hari"):
        _submit_external(org, _pdf_upload(), started_on=yesterday, hours=Decimal("1000"))
    with pytest.raises(ValidationError, match="Tanggal mulai paling awal"):
        _submit_external(org, _pdf_upload(), started_on=date(1900, 1, 1), hours=Decimal("2"))
    item = _submit_external(org, _pdf_upload(), started_on=yesterday, hours=Decimal("24"))
    assert item.hours == Decimal("24.00")


def test_a_long_evidence_name_keeps_its_extension(org: Org) -> None:
    upload = SimpleUploadedFile("Sertifikat " + "x" * 300 + ".pdf", b"%PDF-1.4\n%test\n")
    item = _submit_external(org, upload)
    assert len(item.evidence_name) == 200 and item.evidence_name.endswith("x.pdf")


def test_evidence_whose_content_and_extension_disagree_is_refused(org: Org) -> None:
    with pytest.raises(ValidationError, match=r"Isi berkas adalah dokumen PDF.*ekstensi \.png"):
        _submit_external(org, SimpleUploadedFile("sertifikat.png", b"%PDF-1.4\n%test\n"))
