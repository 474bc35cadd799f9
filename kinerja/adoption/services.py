"""Writes of the adoption app (activation lives in .activation, reminders in .reminders):
preferences, onboarding, reports of a wrong supervisor, help articles, helpdesk contacts,
announcements and their read receipts, one-click reminders from the adoption list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.core.notifications import notify
from kinerja.organisation import access
from kinerja.organisation.choices import Role
from kinerja.organisation.models import Employee, Unit, User

from .choices import EmailMode, NotificationKind, ReportStatus
from .models import (
    Announcement,
    AnnouncementRead,
    HelpArticle,
    HelpdeskContact,
    NotificationPreference,
    OnboardingState,
    SupervisorReport,
)


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


# --- Preferences ---------------------------------------------------------------------------------


@transaction.atomic
def preference_update(
    *, user: User, email_mode: str, webhook_enabled: bool, muted_kinds: Iterable[str]
) -> NotificationPreference:
    _require(email_mode in EmailMode.values, _("Pilihan surel tidak dikenal."))
    muted = sorted({k for k in muted_kinds if k in NotificationKind.values})
    preference, _created = NotificationPreference.objects.get_or_create(user=user)
    before = snapshot(preference, ["email_mode", "webhook_enabled", "muted_kinds"])
    preference.email_mode = email_mode
    preference.webhook_enabled = webhook_enabled
    preference.muted_kinds = muted
    preference.save()
    changes = diff(before, snapshot(preference, ["email_mode", "webhook_enabled", "muted_kinds"]))
    if changes:
        audit_record(actor=user, action=AuditAction.UPDATE, obj=preference, changes=changes)
    return preference


# --- Onboarding ----------------------------------------------------------------------------------


def _state(user: User) -> OnboardingState:
    state, _created = OnboardingState.objects.get_or_create(user=user)
    return state


@transaction.atomic
def onboarding_mark(*, user: User, step: str) -> OnboardingState:
    """Record a step that leaves no other trace: "profil" (profile and supervisor checked),
    "papan_tim" (team board opened), "sembunyikan" (checklist hidden)."""
    field = {
        "profil": "profile_checked_at",
        "papan_tim": "team_board_opened_at",
        "sembunyikan": "dismissed_at",
    }.get(step)
    if field is None:
        raise ValidationError(_("Langkah tidak dikenal."))
    state = _state(user)
    if getattr(state, field) is None or step == "sembunyikan":
        setattr(state, field, timezone.now())
        state.save(update_fields=[field])
    return state


@transaction.atomic
def supervisor_report_create(
    *, by: User, correct_supervisor: str, note: str = ""
) -> SupervisorReport:
    """ "My supervisor on record is wrong": recorded, the profile step counts as checked, and
    the Admin OPD(s) of the employee's OPD are notified."""
    employee_id = by.employee_id
    if employee_id is None:
        raise ValidationError(_("Hanya pegawai yang dapat melapor."))
    correct_supervisor = (correct_supervisor or "").strip()
    _require(bool(correct_supervisor), _("Tulis nama, NIP, atau jabatan atasan yang benar."))
    employee = Employee.objects.select_related("unit").get(pk=employee_id)
    report = SupervisorReport.objects.create(
        employee=employee,
        recorded_supervisor_id=employee.supervisor_id,
        correct_supervisor=correct_supervisor[:200],
        note=(note or "").strip()[:1000],
    )
    onboarding_mark(user=by, step="profil")
    audit_record(actor=by, action=AuditAction.CREATE, obj=report, note="Laporan atasan keliru")
    opd_id = employee.unit.opd_id or employee.unit_id
    url = reverse("adoption:supervisor_reports")
    for admin in User.objects.filter(role=Role.ADMIN_OPD, managed_opd_id=opd_id, is_active=True):
        notify(
            recipient=admin,
            message=f"{employee.full_name} melaporkan atasan di data keliru: {correct_supervisor}",
            url=url,
        )
    return report


@transaction.atomic
def supervisor_report_resolve(*, report: SupervisorReport, by: User) -> SupervisorReport:
    _require(
        SupervisorReport.objects.filter(access.supervisor_report_filter(by), pk=report.pk).exists(),
        _("Laporan ini bukan wewenang Anda."),
    )
    if report.status != ReportStatus.DONE:
        report.status = ReportStatus.DONE
        report.resolved_at = timezone.now()
        report.resolved_by = by
        report.save(update_fields=["status", "resolved_at", "resolved_by"])
        audit_record(actor=by, action=AuditAction.UPDATE, obj=report, note="Laporan ditangani")
        notify(
            recipient=report.employee,
            message=_("Laporan Anda tentang atasan di data sudah ditangani Admin OPD."),
            url=reverse("organisation:profile"),
        )
    return report


# --- Help centre ---------------------------------------------------------------------------------

ARTICLE_FIELDS = ["slug", "title", "kind", "body", "pages", "order"]


@transaction.atomic
def article_save(*, by: User, article: HelpArticle | None = None, **fields: Any) -> HelpArticle:
    _require(access.can_edit_help(by), _("Hanya BKPSDM yang dapat mengubah bantuan."))
    creating = article is None
    article = article or HelpArticle()
    before = {} if creating else snapshot(article, ARTICLE_FIELDS)
    for name, value in fields.items():
        setattr(article, name, value)
    article.updated_at = timezone.now()
    article.updated_by = by
    article.full_clean()
    article.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=article,
        changes=diff(before, snapshot(article, ARTICLE_FIELDS)),
    )
    return article


@transaction.atomic
def helpdesk_save(*, by: User, opd: Unit, **fields: Any) -> HelpdeskContact:
    _require(
        access.is_regency_admin(by) or access.adoption_opd_id(by) == opd.pk,
        _("Kontak helpdesk OPD ini bukan wewenang Anda."),
    )
    contact = HelpdeskContact.objects.filter(opd=opd).first() or HelpdeskContact(opd=opd)
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact.save()
    audit_record(actor=by, action=AuditAction.UPDATE, obj=contact, note=f"Helpdesk {opd.name}")
    return contact


# --- Announcements -------------------------------------------------------------------------------


@transaction.atomic
def announcement_create(*, by: User, **fields: Any) -> Announcement:
    """BKPSDM: any audience; an Admin OPD: an audience inside their OPD (the OPD is set)."""
    _require(access.can_manage_announcements(by), _("Anda tidak berwenang membuat pengumuman."))
    opd_only = access.announcement_opd_id(by)
    announcement = Announcement(created_by=by, **fields)
    if opd_only is not None:
        announcement.opd_id = opd_only
        unit = announcement.unit
        _require(
            unit is None or (unit.opd_id or unit.pk) == opd_only,
            _("Unit kerja harus di dalam OPD Anda."),
        )
    if announcement.unit is not None and announcement.opd_id is not None:
        _require(
            (announcement.unit.opd_id or announcement.unit.pk) == announcement.opd_id,
            _("Unit kerja tidak berada di OPD yang dipilih."),
        )
    announcement.full_clean()
    announcement.save()
    audit_record(actor=by, action=AuditAction.CREATE, obj=announcement)
    return announcement


@transaction.atomic
def announcement_mark_read(*, announcement: Announcement, user: User) -> bool:
    """A read receipt (once); True when this call recorded it."""
    try:
        with transaction.atomic():
            AnnouncementRead.objects.create(announcement=announcement, user=user)
    except IntegrityError:
        return False
    return True


# --- One-click reminders from the adoption list ---------------------------------------------------


@transaction.atomic
def plan_reminders_send(*, by: User, employees: Iterable[Employee]) -> int:
    """Remind people without an approved plan to write theirs (in the app, and by e-mail per
    their preference). Returns how many accounts were reminded."""
    count = 0
    for employee in employees:
        notify(
            recipient=employee,
            message=_("Anda belum memiliki SKP yang disetujui tahun ini. Susun SKP Anda sekarang."),
            url=reverse("performance:plan_list"),
            kind=NotificationKind.GENERAL,
        )
        count += 1
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        object_type="adoption.reminder",
        object_repr=f"Pengingat SKP ke {count} pegawai",
    )
    return count
