"""A person's own data, as one file they can download (UU 27/2022 tentang Pelindungan Data
Pribadi, Pasal 7 and 13: the subject's right to access and obtain a copy of their personal data).

Only rows that belong to the asking user (their account, their employee record and what hangs
from it) are read: every query below starts from `user` or `user.employee`, never from a
parameter. Files are listed (name, type, size, date), not included: the evidence itself stays
behind its own download with its own access check. Secrets (password hashes, token and code
digests, IP hashes) are never written.

This lives in kinerja.home, the top layer, because it reads every app's tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kinerja.assessment.models import Assessment, Objection
from kinerja.competency.models import DevelopmentItem, Enrolment, ExternalLearning
from kinerja.core.models import AuditLog, Notification
from kinerja.organisation.models import ApiToken, EmployeeHistory, User
from kinerja.performance.models import (
    BehaviourExpectation,
    Comment,
    Dialog,
    Evidence,
    Indicator,
    Plan,
    PlanVersion,
    Realisation,
    Rhk,
)
from kinerja.rewards.models import (
    AttendanceMonth,
    CoachingPlan,
    DisciplineRecord,
    Recognition,
    Recommendation,
    TppLine,
)

FORMAT_VERSION = 1
# Never exported, whatever the model: credentials and their digests, and hashes kept only to
# limit abuse (they identify nothing to the person and would help an attacker).
SECRET_FIELDS = {"password", "digest", "token_hash", "code_hash", "ip_hash", "browser_hash"}


def _value(obj: models.Model, field: models.Field[Any, Any]) -> Any:
    if isinstance(field, models.ForeignKey):
        related = getattr(obj, field.attname)
        return None if related is None else {"id": related, "nama": str(getattr(obj, field.name))}
    value = getattr(obj, field.attname)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date | Decimal):
        return str(value)
    return value


def record(obj: models.Model, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """Every stored field of `obj` but secrets (foreign keys as id and name)."""
    skip = SECRET_FIELDS | set(exclude)
    return {
        field.name: _value(obj, field)
        for field in obj._meta.concrete_fields
        if field.name not in skip
    }


def _records(queryset: models.QuerySet[Any], exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [record(obj, exclude) for obj in queryset]


def my_data(user: User) -> dict[str, Any]:
    """Everything Kinerja holds about `user`, by section (Indonesian keys: the file is for the
    person to read)."""
    employee = user.employee if user.employee_id else None
    data: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "dibuat": timezone.localtime().isoformat(),
        "keterangan": (
            "Salinan data pribadi Anda di Kinerja (UU 27/2022). Berkas bukti dukung tidak "
            "disertakan, hanya daftarnya; unduh berkasnya dari halaman realisasi."
        ),
        "akun": record(user, exclude={"employee"}),
        "token_api": _records(ApiToken.objects.filter(user=user).order_by("created_at")),
        "notifikasi": _records(
            Notification.objects.filter(recipient=user).order_by("-created_at"),
            exclude={"recipient"},
        ),
    }
    # Entries about the person's account and employee record (their logins, role and password
    # changes, transfers...). What they did to other people's records is those people's data.
    about = Q(object_type=User._meta.label_lower, object_id=str(user.pk))
    if employee is not None:
        about |= Q(object_type=employee._meta.label_lower, object_id=str(employee.pk))
    data["log_audit_tentang_saya"] = _records(
        AuditLog.objects.filter(about).order_by("-at", "-id"), exclude={"ip_address"}
    )
    if employee is None:
        return data

    plans = Plan.objects.filter(employee=employee)
    realisations = Realisation.objects.filter(indicator__rhk__plan__employee=employee)
    assessments = Assessment.objects.filter(employee=employee)
    data.update(
        {
            "pegawai": record(employee),
            "riwayat_jabatan": _records(
                EmployeeHistory.objects.filter(employee=employee).order_by("valid_from", "pk")
            ),
            "skp": _records(plans.order_by("year", "pk")),
            "skp_versi": _records(PlanVersion.objects.filter(plan__in=plans).order_by("pk")),
            "rhk": _records(Rhk.objects.filter(plan__in=plans).order_by("plan", "pk")),
            "indikator": _records(
                Indicator.objects.filter(rhk__plan__in=plans).order_by("rhk", "pk")
            ),
            "perilaku": _records(
                BehaviourExpectation.objects.filter(plan__in=plans).order_by("plan", "pk")
            ),
            "realisasi": _records(realisations.order_by("indicator", "month")),
            "bukti_dukung": _records(
                Evidence.objects.filter(realisation__in=realisations).order_by("pk")
            ),
            "umpan_balik": _records(Comment.objects.filter(plan__in=plans).order_by("pk")),
            "dialog_kinerja": _records(Dialog.objects.filter(plan__in=plans).order_by("pk")),
            "penilaian": _records(assessments.order_by("pk")),
            "keberatan": _records(
                Objection.objects.filter(assessment__in=assessments).order_by("pk")
            ),
            "pelatihan": _records(Enrolment.objects.filter(employee=employee).order_by("pk")),
            "pembelajaran_mandiri": _records(
                ExternalLearning.objects.filter(employee=employee).order_by("pk")
            ),
            "rencana_pengembangan": _records(
                DevelopmentItem.objects.filter(plan__employee=employee).order_by("pk")
            ),
            "tpp": _records(TppLine.objects.filter(employee=employee).order_by("pk")),
            "kehadiran_bulanan": _records(
                AttendanceMonth.objects.filter(employee=employee).order_by("pk")
            ),
            "disiplin": _records(DisciplineRecord.objects.filter(employee=employee)),
            "rekomendasi": _records(Recommendation.objects.filter(employee=employee)),
            "pembinaan": _records(CoachingPlan.objects.filter(employee=employee)),
            "penghargaan": _records(Recognition.objects.filter(employee=employee)),
        }
    )
    return data


SECTION_LABELS = {
    "akun": _("Akun"),
    "token_api": _("Token API (tanpa rahasianya)"),
    "notifikasi": _("Notifikasi"),
    "log_audit_tentang_saya": _("Log audit tentang akun dan data kepegawaian Anda"),
    "pegawai": _("Data kepegawaian"),
    "riwayat_jabatan": _("Riwayat jabatan"),
    "skp": _("SKP"),
    "skp_versi": _("Versi SKP"),
    "rhk": _("Rencana hasil kerja (RHK)"),
    "indikator": _("Indikator"),
    "perilaku": _("Ekspektasi perilaku"),
    "realisasi": _("Realisasi"),
    "bukti_dukung": _("Bukti dukung (daftar berkas)"),
    "umpan_balik": _("Umpan balik"),
    "dialog_kinerja": _("Dialog kinerja"),
    "penilaian": _("Penilaian kinerja"),
    "keberatan": _("Keberatan"),
    "pelatihan": _("Pelatihan"),
    "pembelajaran_mandiri": _("Pembelajaran mandiri"),
    "rencana_pengembangan": _("Rencana pengembangan kompetensi"),
    "tpp": _("TPP"),
    "kehadiran_bulanan": _("Kehadiran bulanan"),
    "disiplin": _("Hukuman disiplin"),
    "rekomendasi": _("Rekomendasi tindak lanjut"),
    "pembinaan": _("Pembinaan"),
    "penghargaan": _("Penghargaan"),
}


def sections(data: dict[str, Any]) -> list[tuple[str, int]]:
    """(section, number of rows) for the page that offers the download."""
    return [
        (key, len(value) if isinstance(value, list) else 1)
        for key, value in data.items()
        if isinstance(value, list | dict)
    ]


def my_data_json(user: User) -> bytes:
    return json.dumps(my_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
