"""Writes of community participation: services, survey responses and their daily totals,
complaints, the forum.

Every function validates first (ValidationError with an Indonesian message, nothing changed),
writes inside one transaction, records staff actions in the audit log and schedules e-mails with
`transaction.on_commit`. Citizens' own actions (a questionnaire, a complaint, a forum post) are
not written to the audit log, which keeps client IPs: the app keeps only salted hashes of them.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import (
    DEFAULT_DB_ALIAS,
    IntegrityError,
    connection,
    connections,
    transaction,
)
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record, diff, snapshot
from kinerja.core.links import absolute_reverse
from kinerja.organisation.models import Employee, Unit, User
from kinerja.rules.periods import Period
from kinerja.rules.skm import ANSWER_MAX, ANSWER_MIN, UNSUR
from kinerja.rules.workdays import add_working_days

from . import protection
from .choices import (
    AGE_BANDS,
    AGE_MAX,
    AGE_MIN,
    COMPLAINT_TRANSITIONS,
    DEFAULT_QUESTIONS,
    Channel,
    ComplaintCategory,
    ComplaintKind,
    ComplaintStatus,
    Education,
    Occupation,
    PostStatus,
    ProfileDimension,
    Sex,
    TimeSlot,
    UpdateKind,
)
from .commits import group_commit
from .models import (
    Complaint,
    ComplaintUpdate,
    FollowUpPlan,
    ForumParticipant,
    ForumPost,
    ForumReport,
    ForumTopic,
    KioskDevice,
    Service,
    ServicePopulation,
    SurveyDay,
    SurveyProfileDay,
    SurveyQuestion,
    SurveyResponse,
)

SERVICE_FIELDS = (
    "unit",
    "code",
    "name",
    "description",
    "is_active",
    "ask_counter",
    "counters",
    "ask_officer",
)
SUGGESTION_MAX = 1000


@lru_cache(maxsize=4)
def _parse_holidays(values: tuple[str, ...]) -> frozenset[date]:
    return frozenset(date.fromisoformat(v) for v in values)


def holidays() -> frozenset[date]:
    """The regency's holidays (settings.PUBLIC_HOLIDAYS) as dates."""
    return _parse_holidays(tuple(settings.PUBLIC_HOLIDAYS))


# --- Services (layanan) ---------------------------------------------------------------------


def _check_service(service: Service) -> None:
    service.code = (service.code or "").strip().upper()
    unit = service.unit
    if not unit.serves_public or not unit.is_active:
        raise ValidationError(
            {"unit": _("%(unit)s tidak ditandai sebagai unit pelayanan publik.") % {"unit": unit}}
        )
    if service.ask_counter and not service.counter_list:
        raise ValidationError({"counters": _("Isi daftar loket, satu loket per baris.")})
    service.full_clean()


@transaction.atomic
def service_create(*, by: User | None, **fields: Any) -> Service:
    service = Service(**fields)
    _check_service(service)
    service.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=service,
        changes=diff({}, snapshot(service, SERVICE_FIELDS)),
    )
    return service


@transaction.atomic
def service_update(*, service: Service, by: User | None, **fields: Any) -> Service:
    current = Service.objects.select_for_update(of=("self",)).get(pk=service.pk)
    before = snapshot(current, SERVICE_FIELDS)
    for name, value in fields.items():
        setattr(current, name, value)
    _check_service(current)
    current.save()
    changes = diff(before, snapshot(current, SERVICE_FIELDS))
    if changes:
        audit_record(actor=by, action=AuditAction.UPDATE, obj=current, changes=changes)
    service.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def population_set(
    *, service: Service, year: int, values: Mapping[int, int | None], by: User | None
) -> int:
    """Record the monthly number of users of `service` in `year` (None clears a month).
    Returns how many months changed."""
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Tahun %(y)s di luar jangkauan.") % {"y": year})
    for month, value in values.items():
        if not 1 <= month <= 12:
            raise ValidationError(_("Bulan %(m)s tidak ada.") % {"m": month})
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ValidationError(
                _("Populasi bulan %(m)s harus bilangan bulat ≥ 0.") % {"m": month}
            )
    existing = {p.month: p for p in ServicePopulation.objects.filter(service=service, year=year)}
    changes: dict[str, list[Any]] = {}
    for month, value in sorted(values.items()):
        row = existing.get(month)
        old = row.population if row else None
        if old == value:
            continue
        changes[f"{year}-{month:02d}"] = [old, value]
        if value is None:
            row.delete()  # type: ignore[union-attr]  # old == value skipped row None
        elif row is None:
            ServicePopulation.objects.create(
                service=service, year=year, month=month, population=value
            )
        else:
            row.population = value
            row.save(update_fields=["population"])
    if changes:
        audit_record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=service,
            changes=changes,
            note=_("Populasi pengguna layanan"),
        )
    return len(changes)


# --- Kiosk devices --------------------------------------------------------------------------


@transaction.atomic
def device_issue(*, service: Service, name: str, by: User | None) -> tuple[KioskDevice, str]:
    """A new counter-tablet token for `service`; returns the device and the token (shown once,
    only its SHA-256 is stored)."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Beri nama perangkat, misalnya Tablet Loket 1.")})
    if not service.is_active:
        raise ValidationError(_("Survei layanan ini sedang ditutup."))
    token = protection.new_token("kios")
    device = KioskDevice.objects.create(
        service=service,
        name=name[:100],
        token_hash=protection.token_hash(token),
        token_hint=token[-4:],
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=device,
        changes={"service": [None, service.code], "name": [None, device.name]},
        note=_("Token perangkat kios diterbitkan"),
    )
    return device, token


@transaction.atomic
def device_revoke(*, device: KioskDevice, by: User | None) -> KioskDevice:
    device = KioskDevice.objects.select_for_update(of=("self",)).get(pk=device.pk)
    if device.revoked_at is not None:
        raise ValidationError(_("Token perangkat ini sudah dicabut."))
    device.revoked_at = timezone.now()
    device.revoked_by = by if getattr(by, "pk", None) else None
    device.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=device,
        changes={"revoked_at": [None, device.revoked_at.isoformat()]},
        note=_("Token perangkat kios dicabut"),
    )
    return device


# --- Survey responses -----------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """The respondent profile of one questionnaire (every part optional)."""

    sex: str = ""
    age: int | None = None
    education: str = ""
    occupation: str = ""


PROFILE_KEYS = ("sex", "age", "education", "occupation")


def validate_answers(values: object, *, allow_blank: bool = False) -> list[int | None]:
    """Answers to U1..U9 as integers 1–4 (None for a blank when `allow_blank`)."""
    if not isinstance(values, list | tuple) or len(values) != len(UNSUR):
        raise ValidationError(
            _("Jawaban harus berisi %(n)d nilai, untuk U1 sampai U9 berurutan.") % {"n": len(UNSUR)}
        )
    answers: list[int | None] = []
    for unsur, value in zip(UNSUR, values, strict=True):
        if value is None and allow_blank:
            answers.append(None)
            continue
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not ANSWER_MIN <= value <= ANSWER_MAX
        ):
            raise ValidationError(
                _("Jawaban %(code)s (%(name)s) harus angka %(lo)d sampai %(hi)d, tertulis %(v)s.")
                % {
                    "code": unsur.code,
                    "name": unsur.name,
                    "lo": ANSWER_MIN,
                    "hi": ANSWER_MAX,
                    "v": "kosong" if value is None else repr(value),
                }
            )
        answers.append(value)
    if all(a is None for a in answers):
        raise ValidationError(_("Kuesioner tanpa satu pun jawaban tidak dapat disimpan."))
    return answers


def _normal_choice(text: str) -> str:
    return text.strip().lower().replace("-", "").replace("–", "").replace("/", "")


@lru_cache(maxsize=32)
def _choice_lookup(choices: Any, language: str | None) -> dict[str, str]:
    """Value → key for a profile choice: its key or its label in `language`, normalised
    (the kiosk API runs this for every questionnaire; labels are lazy translations)."""
    lookup: dict[str, str] = {}
    for key, text in choices.choices:
        lookup.setdefault(_normal_choice(str(text)), str(key))
        lookup[str(key).lower()] = lookup[_normal_choice(str(key))] = str(key)
    return lookup


def validate_profile(data: Mapping[str, Any] | None) -> Profile:
    """The respondent profile from plain values; unknown keys and values are refused."""
    if data is None:
        return Profile()
    if not isinstance(data, Mapping):
        raise ValidationError(_("Profil responden harus berupa objek."))
    unknown = sorted(set(data) - set(PROFILE_KEYS))
    if unknown:
        raise ValidationError(
            _("Isian profil tidak dikenal: %(keys)s. Yang dikenal: %(known)s.")
            % {"keys": ", ".join(map(str, unknown)), "known": ", ".join(PROFILE_KEYS)}
        )

    def choice(key: str, choices: Any, label: str) -> str:
        value = data.get(key) or ""
        if not isinstance(value, str):
            raise ValidationError(_("%(label)s harus berupa teks.") % {"label": label})
        wanted = _normal_choice(value)
        if not wanted:
            return ""
        found = _choice_lookup(choices, get_language()).get(wanted)
        if found is not None:
            return found
        raise ValidationError(
            _("%(label)s '%(v)s' tidak dikenal; pilih salah satu: %(all)s.")
            % {"label": label, "v": value, "all": ", ".join(str(t) for _k, t in choices.choices)}
        )

    age = data.get("age")
    if age in ("", None):
        age = None
    elif isinstance(age, str) and age.strip().isdecimal():
        age = int(age)
    if age is not None and (
        not isinstance(age, int) or isinstance(age, bool) or not AGE_MIN <= age <= AGE_MAX
    ):
        raise ValidationError(
            _("Usia harus bilangan bulat %(lo)d sampai %(hi)d tahun.")
            % {"lo": AGE_MIN, "hi": AGE_MAX}
        )
    sex = data.get("sex") or ""
    if not isinstance(sex, str) or sex.strip().upper() not in {"", *Sex.values}:
        raise ValidationError(_("Jenis kelamin harus L atau P."))
    return Profile(
        sex=sex.strip().upper(),
        age=age,
        education=choice("education", Education, _("Pendidikan")),
        occupation=choice("occupation", Occupation, _("Pekerjaan")),
    )


def slot_of(moment: datetime) -> str:
    """The questionnaire's jam survei for a local time: before 12.30 morning, else afternoon."""
    local = timezone.localtime(moment)
    return TimeSlot.MORNING if local.time() < time(12, 30) else TimeSlot.AFTERNOON


def _clean_suggestion(text: str) -> str:
    text = (text or "").strip()
    if len(text) > SUGGESTION_MAX:
        raise ValidationError(
            _("Saran paling banyak %(n)d karakter (tertulis %(m)d).")
            % {"n": SUGGESTION_MAX, "m": len(text)}
        )
    return text


def response_submit(
    *,
    service: Service,
    answers: object,
    channel: str,
    profile: Profile | None = None,
    suggestion: str = "",
    time_slot: str = "",
    counter: str = "",
    officer: Employee | None = None,
    device: KioskDevice | None = None,
    ip_hash: str = "",
    browser_hash: str = "",
) -> SurveyResponse:
    """Store one questionnaire from a phone (web) or a counter tablet (kiosk), and add it to the
    service's daily totals in the same transaction. Every unsur must be answered.

    The daily totals follow in the same statement (the database trigger of migration 0002), so
    the insert is the only write: SQLite's write lock is held for one statement."""
    if not service.is_active:
        raise ValidationError(_("Survei layanan ini sedang ditutup."))
    values = validate_answers(answers)
    profile = profile or Profile()
    now = timezone.now()
    today = timezone.localdate(now)
    if counter and counter not in service.counter_list:
        raise ValidationError(_("Loket '%(c)s' tidak dikenal.") % {"c": counter})
    if officer is not None and officer.unit_id != service.unit_id:
        raise ValidationError(_("Petugas tidak bekerja di unit layanan ini."))
    response = SurveyResponse(
        service=service,
        submitted_at=now,
        survey_date=today,
        time_slot=time_slot or slot_of(now),
        channel=channel,
        sex=profile.sex,
        age=profile.age,
        education=profile.education,
        occupation=profile.occupation,
        suggestion=_clean_suggestion(suggestion),
        counter=counter,
        officer=officer,
        device=device,
        ip_hash=ip_hash,
        browser_hash=browser_hash,
    )
    for field, value in zip(SurveyResponse.ANSWER_FIELDS, values, strict=True):
        setattr(response, field, value)
    once = gettext_lazy("Anda sudah mengisi survei layanan ini hari ini. Terima kasih!")
    if (
        browser_hash
        and SurveyResponse.objects.filter(
            service=service, browser_hash=browser_hash, survey_date=today
        ).exists()
    ):
        raise ValidationError(once, code="once_per_day")
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint: the caller's transaction survives an error
                _insert_response(response)
        else:
            # One INSERT (with its trigger) is atomic on its own; without BEGIN … COMMIT around
            # it, SQLite's write lock is held only while that statement runs.
            _insert_response(response)
    except IntegrityError as exc:  # the same browser, concurrently (unique constraint)
        raise ValidationError(once, code="once_per_day") from exc
    return response


@lru_cache(maxsize=4)
def _insert_statement(vendor: str, returning: bool) -> tuple[str, tuple[Any, ...]]:
    """`INSERT INTO public_surveyresponse (…) VALUES (…) [RETURNING id]` and its fields, built once
    per database kind."""
    fields = tuple(f for f in SurveyResponse._meta.concrete_fields if not f.primary_key)
    for field in fields:  # what the ORM would leave to the database or compute itself
        if field.generated or field.db_default is not NOT_PROVIDED:
            raise ImproperlyConfigured(
                f"_insert_response cannot write {field.name}: extend it as the ORM's INSERT does."
            )
    q = connection.ops.quote_name
    sql = (
        f"INSERT INTO {q(SurveyResponse._meta.db_table)} "
        f"({', '.join(q(f.column) for f in fields)}) VALUES ({', '.join(['%s'] * len(fields))})"
    )
    if returning:
        sql += f" RETURNING {q(SurveyResponse._meta.pk.column)}"
    return sql, fields


def _insert_response(response: SurveyResponse) -> None:
    """Store a new questionnaire as `response.save(force_insert=True)` would, with the statement
    built once: compiling the 25-column INSERT was 40% of a kiosk submission's time
    (docs/PERFORMANCE.md). Each value is prepared by its field, as the ORM does; the model has no
    save signals. tests/public/test_insert.py compares the stored row with the ORM's."""
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself, not the per-attribute proxy
    # On SQLite the id comes from lastrowid, not RETURNING: with RETURNING the autocommit
    # transaction (and the database's write lock) stays open until the row is fetched by a
    # second step, after Python has run again and perhaps waited for the GIL while the other
    # workers wait for the lock. A plain INSERT commits within the one C call. lastrowid is the
    # questionnaire's even though the trigger inserts too (SQLite restores it after a trigger).
    returning = db.vendor != "sqlite" and bool(db.features.can_return_columns_from_insert)
    sql, fields = _insert_statement(db.vendor, returning)
    # pre_save(add=True) as the ORM's INSERT does (auto_now, upload names, …), then the
    # field's own conversion for this database.
    params = [field.get_db_prep_save(field.pre_save(response, True), db) for field in fields]
    if (
        db.vendor == "postgresql"
        and returning
        and not db.in_atomic_block
        and settings.PUBLIC_GROUP_COMMIT
    ):
        # Concurrent submissions of this process share one commit (kinerja.public.commits):
        # still committed before the caller answers, one WAL flush per batch.
        response.pk = group_commit.insert(sql, params)
    else:
        with db.cursor() as cursor:
            cursor.execute(sql, params)
            response.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    response._state.adding = False
    response._state.db = db.alias


@dataclass(frozen=True)
class PaperRow:
    """One paper questionnaire as entered by staff (answers may be blank)."""

    survey_date: date
    time_slot: str
    answers: Sequence[int | None]
    profile: Profile
    suggestion: str = ""


@transaction.atomic
def responses_enter(
    *, service: Service, rows: Sequence[PaperRow], by: User | None, source: str
) -> int:
    """Store a batch of paper questionnaires (grid entry or XLSX import) at once, all or
    nothing (the database trigger adds them to the daily totals). Returns the number stored."""
    if not rows:
        raise ValidationError(_("Tidak ada kuesioner yang diisi."))
    today = timezone.localdate()
    objects = []
    for number, row in enumerate(rows, start=1):
        try:
            values = validate_answers(list(row.answers), allow_blank=True)
        except ValidationError as exc:
            raise ValidationError(
                _("Kuesioner ke-%(n)d: %(e)s") % {"n": number, "e": " ".join(exc.messages)}
            ) from exc
        if row.survey_date > today:
            raise ValidationError(
                _("Kuesioner ke-%(n)d: tanggal survei tidak boleh setelah hari ini.")
                % {"n": number}
            )
        if row.time_slot and row.time_slot not in TimeSlot.values:
            raise ValidationError(
                _("Kuesioner ke-%(n)d: jam survei tidak dikenal.") % {"n": number}
            )
        response = SurveyResponse(
            service=service,
            survey_date=row.survey_date,
            time_slot=row.time_slot,
            channel=Channel.PAPER,
            sex=row.profile.sex,
            age=row.profile.age,
            education=row.profile.education,
            occupation=row.profile.occupation,
            suggestion=_clean_suggestion(row.suggestion),
            entered_by=by if getattr(by, "pk", None) else None,
        )
        for field, value in zip(SurveyResponse.ANSWER_FIELDS, values, strict=True):
            setattr(response, field, value)
        objects.append(response)
    SurveyResponse.objects.bulk_create(objects, batch_size=1000)
    audit_record(
        actor=by,
        action=AuditAction.IMPORT,
        obj=service,
        changes={"questionnaires": len(objects)},
        note=_("Kuesioner kertas (%(src)s)") % {"src": source},
    )
    return len(objects)


# --- Daily totals ---------------------------------------------------------------------------
# SurveyDay and SurveyProfileDay are kept by an AFTER INSERT trigger on SurveyResponse
# (migrations/0002_daily_totals_trigger.py), whatever writes the questionnaire; the function
# below recomputes them from scratch (`manage.py skm_rebuild_aggregates`), for repairs.


def _age_band_sql() -> str:
    parts = ["CASE WHEN age IS NULL THEN ''"]
    for key, _label, _low, high in AGE_BANDS:
        parts.append(f"WHEN age <= {high} THEN '{key}'" if high is not None else f"ELSE '{key}'")
    return " ".join(parts) + " END"


@transaction.atomic
def aggregates_rebuild(*, service_ids: Sequence[int] | None = None) -> int:
    """Recompute SurveyDay and SurveyProfileDay from the stored responses (all services, or
    those given) with INSERT … SELECT … GROUP BY. Returns the number of SurveyDay rows. On
    PostgreSQL new questionnaires wait for it (SHARE lock); SQLite writers are serialised anyway."""
    q = connection.ops.quote_name
    responses = q(SurveyResponse._meta.db_table)
    where, params = "", []
    days = SurveyDay.objects.all()
    profiles = SurveyProfileDay.objects.all()
    if service_ids is not None:
        ids = [int(i) for i in service_ids]
        if not ids:
            return 0
        where = f" WHERE service_id IN ({', '.join(['%s'] * len(ids))})"
        params = ids
        days = days.filter(service_id__in=ids)
        profiles = profiles.filter(service_id__in=ids)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {responses} IN SHARE MODE")
    days.delete()
    profiles.delete()
    answer_fields = SurveyResponse.ANSWER_FIELDS
    sums = ", ".join(f"COALESCE(SUM({f}), 0)" for f in answer_fields)
    counts = ", ".join(f"COUNT({f})" for f in answer_fields)
    day_columns = ", ".join(q(c) for c in ["service_id", "day", *SurveyDay.TOTAL_FIELDS])
    profile_columns = ", ".join(q(c) for c in ["service_id", "day", "dimension", "value", "count"])
    expressions = {
        ProfileDimension.SEX: "sex",
        ProfileDimension.AGE: _age_band_sql(),
        ProfileDimension.EDUCATION: "education",
        ProfileDimension.OCCUPATION: "occupation",
        ProfileDimension.SLOT: "time_slot",
        ProfileDimension.CHANNEL: "channel",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(SurveyDay._meta.db_table)} ({day_columns}) "
            f"SELECT service_id, survey_date, COUNT(*), {sums}, {counts} FROM {responses}"
            f"{where} GROUP BY service_id, survey_date",
            params,
        )
        for dimension, expression in expressions.items():
            cursor.execute(
                f"INSERT INTO {q(SurveyProfileDay._meta.db_table)} ({profile_columns}) "
                f"SELECT service_id, survey_date, %s, {expression}, COUNT(*) FROM {responses}"
                f"{where} GROUP BY service_id, survey_date, {expression}",
                [str(dimension), *params],
            )
    return days.count()


# --- Questionnaire text, follow-up plans ------------------------------------------------------


@transaction.atomic
def question_update(
    *, code: str, question: str, labels: Sequence[str], by: User | None
) -> SurveyQuestion:
    """Reword the question of one unsur (the unsur and its 1–4 scale stay)."""
    if code not in DEFAULT_QUESTIONS:
        raise ValidationError(_("Unsur %(c)s tidak ada; unsur U1 sampai U9.") % {"c": code})
    if len(labels) != 4 or not all((label or "").strip() for label in labels):
        raise ValidationError(_("Keempat label jawaban wajib diisi."))
    # get_or_create: two administrators saving the first wording of one unsur at the same time
    # both end up updating the one row (it retries the read after a unique-key conflict).
    row, created = SurveyQuestion.objects.get_or_create(
        code=code, defaults={"question": DEFAULT_QUESTIONS[code]}
    )
    row = SurveyQuestion.objects.select_for_update().get(pk=row.pk)
    before = {
        "question": "" if created else row.question,
        "labels": ["", "", "", ""]
        if created
        else [row.label_1, row.label_2, row.label_3, row.label_4],
    }
    row.question = (question or "").strip()
    row.label_1, row.label_2, row.label_3, row.label_4 = (label.strip() for label in labels)
    row.full_clean()
    row.save()
    after = {
        "question": row.question,
        "labels": [row.label_1, row.label_2, row.label_3, row.label_4],
    }
    audit_record(actor=by, action=AuditAction.UPDATE, obj=row, changes=diff(before, after))
    return row


@transaction.atomic
def question_reset(*, code: str, by: User | None) -> bool:
    """Go back to the default wording of one unsur (PermenPANRB 14/2017, DOMAIN §3). Returns
    whether there was a wording of the regency's own to remove."""
    row = SurveyQuestion.objects.filter(code=code).first()
    if row is None:
        return False
    audit_record(
        actor=by,
        action=AuditAction.DELETE,
        obj=row,
        changes={
            "question": [row.question, DEFAULT_QUESTIONS.get(code, "")],
            "labels": [[row.label_1, row.label_2, row.label_3, row.label_4], None],
        },
    )
    row.delete()
    return True


@transaction.atomic
def follow_up_save(*, unit: Unit, period: Period, text: str, by: User | None) -> FollowUpPlan:
    """The unit's rencana tindak lanjut for `period`, printed in its SKM report."""
    text = (text or "").strip()
    if len(text) < 10:
        raise ValidationError({"text": _("Tulis rencana tindak lanjut (minimal 10 karakter).")})
    plan = FollowUpPlan.objects.filter(unit=unit, period=period.code).first()
    before = plan.text if plan else None
    if plan is None:
        plan = FollowUpPlan(unit=unit, period=period.code)
    plan.text = text
    plan.updated_by = by if getattr(by, "pk", None) else None
    plan.full_clean(exclude=["unit"])
    plan.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=plan,
        changes={"text": [before, text]},
        note=period.short_label,
    )
    return plan


@transaction.atomic
def hashes_purge(*, now: datetime | None = None) -> int:
    """Erase the IP and browser hashes older than PUBLIC_IP_RETENTION_DAYS. Returns the number of
    rows cleared."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PUBLIC_IP_RETENTION_DAYS)
    cleared = (
        SurveyResponse.objects.filter(submitted_at__lt=cutoff)
        .exclude(ip_hash="", browser_hash="")
        .update(ip_hash="", browser_hash="")
    )
    cleared += (
        Complaint.objects.filter(received_at__lt=cutoff).exclude(ip_hash="").update(ip_hash="")
    )
    cleared += (
        ForumReport.objects.filter(created_at__lt=cutoff)
        .exclude(reporter_hash="")
        .update(reporter_hash="")
    )
    return cleared


# --- Complaints -----------------------------------------------------------------------------

DESCRIPTION_MIN, DESCRIPTION_MAX = 20, 4000


def response_due(moment: datetime) -> datetime:
    """End of the N-th working day after the local day of `moment` (N =
    PUBLIC_COMPLAINT_RESPONSE_WORKDAYS; weekends and PUBLIC_HOLIDAYS skipped)."""
    day = add_working_days(
        timezone.localdate(moment), settings.PUBLIC_COMPLAINT_RESPONSE_WORKDAYS, holidays()
    )
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def _store_attachment(complaint: Complaint, upload: Upload | None) -> None:
    if upload is None:
        return
    if len(upload.data) > settings.PUBLIC_UPLOAD_MAX_BYTES:
        raise ValidationError(
            {
                "attachment": _("Lampiran terlalu besar: paling besar %(mb)d MB.")
                % {"mb": settings.PUBLIC_UPLOAD_MAX_BYTES // (1024 * 1024)}
            }
        )
    kind = protection.sniff_upload(upload.data)
    if kind is None:
        raise ValidationError(
            {
                "attachment": _(
                    "Lampiran harus foto (JPG, PNG, WebP) atau PDF; isi berkas ini bukan salah "
                    "satunya."
                )
            }
        )
    complaint.attachment_type = protection.ALLOWED_UPLOADS[kind]
    complaint.attachment.save(
        f"{secrets.token_hex(16)}.{kind}", ContentFile(upload.data), save=False
    )


def complaint_file(
    *,
    unit: Unit,
    service: Service | None,
    kind: str,
    category: str,
    description: str,
    attachment: Upload | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    anonymous: bool = False,
    ip_hash: str = "",
) -> Complaint:
    """File a citizen's complaint or suggestion; returns it with its tracking code."""
    description = (description or "").strip()
    errors: dict[str, str] = {}
    if not unit.serves_public or not unit.is_active:
        errors["unit"] = _("Unit ini tidak menerima pengaduan publik.")
    if service is not None and service.unit_id != unit.pk:
        errors["unit"] = _("Layanan tidak termasuk unit ini.")
    if kind not in ComplaintKind.values:
        errors["kind"] = _("Pilih jenis: pengaduan atau saran.")
    if category not in ComplaintCategory.values:
        errors["category"] = _("Pilih kategori.")
    if not DESCRIPTION_MIN <= len(description) <= DESCRIPTION_MAX:
        errors["description"] = _("Uraian %(lo)d sampai %(hi)d karakter (tertulis %(n)d).") % {
            "lo": DESCRIPTION_MIN,
            "hi": DESCRIPTION_MAX,
            "n": len(description),
        }
    contact = [
        (contact_name or "").strip(),
        (contact_email or "").strip(),
        (contact_phone or "").strip(),
    ]
    if anonymous:
        contact = ["", "", ""]
    if contact[1]:
        try:
            validate_email(contact[1])
        except ValidationError:
            errors["contact_email"] = _("Alamat surel tidak valid.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    due = response_due(now)
    complaint = Complaint(
        kind=kind,
        category=category,
        unit=unit,
        service=service,
        description=description,
        contact_name=contact[0][:100],
        contact_email=contact[1],
        contact_phone=contact[2][:30],
        anonymous=anonymous,
        received_at=now,
        first_response_due=due,
        clock_due=due,
        ip_hash=ip_hash,
    )
    _store_attachment(complaint, attachment)
    try:
        with transaction.atomic():
            for _attempt in range(5):
                complaint.tracking_code = protection.tracking_code()
                if not Complaint.objects.filter(tracking_code=complaint.tracking_code).exists():
                    break
            complaint.save()
            ComplaintUpdate.objects.create(
                complaint=complaint,
                at=now,
                kind=UpdateKind.STATUS,
                status_to=ComplaintStatus.RECEIVED,
            )
    except Exception:
        if complaint.attachment:
            complaint.attachment.delete(save=False)
        raise
    return complaint


def _notify_citizen(complaint: Complaint, message: str) -> None:
    if not complaint.contact_email:
        return
    link = absolute_reverse("public:complaint_status", complaint.tracking_code)

    def send() -> None:
        send_mail(
            _("Perkembangan pengaduan %(code)s") % {"code": complaint.code_display},
            _("%(message)s\n\nLihat perkembangan lengkapnya: %(link)s")
            % {"message": message, "link": link},
            settings.DEFAULT_FROM_EMAIL,
            [complaint.contact_email],
            fail_silently=True,
        )

    transaction.on_commit(send)


@transaction.atomic
def complaint_respond(
    *, complaint: Complaint, by: User | None, message: str = "", to_status: str = ""
) -> Complaint:
    """A unit's official action: a public response and/or a move to the next status.

    Selesai and Ditolak need a message (for Ditolak it is the reason shown to the citizen). The
    first message stops the service-level clock (first_response_at)."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    message = (message or "").strip()
    if current.removed_at is not None:
        raise ValidationError(_("Pengaduan ini sudah dihapus sebagai spam."))
    if not message and not to_status:
        raise ValidationError(_("Tulis tanggapan atau pilih status baru."))
    if len(message) > 4000:
        raise ValidationError({"message": _("Tanggapan paling banyak 4000 karakter.")})
    old = current.status
    if to_status:
        if to_status not in COMPLAINT_TRANSITIONS.get(old, ()):
            raise ValidationError(
                _("Status %(a)s tidak dapat diubah menjadi %(b)s.")
                % {
                    "a": ComplaintStatus(old).label,
                    "b": dict(ComplaintStatus.choices).get(to_status, to_status),
                }
            )
        if to_status in ComplaintStatus.final() and not message:
            raise ValidationError(
                {
                    "message": _("Tuliskan alasan penolakan.")
                    if to_status == ComplaintStatus.REJECTED
                    else _("Tuliskan penyelesaiannya untuk pelapor.")
                }
            )
    elif current.is_final:
        raise ValidationError(_("Pengaduan sudah ditutup; pelapor dapat membukanya kembali."))
    now = timezone.now()
    if to_status:
        current.status = to_status
        if to_status == ComplaintStatus.REJECTED:
            current.rejection_reason = message[:500]
        if to_status in ComplaintStatus.final():
            current.closed_at = now
            current.clock_due = None
    if message:
        current.first_response_at = current.first_response_at or now
        current.clock_due = None
    current.save()
    ComplaintUpdate.objects.create(
        complaint=current,
        at=now,
        kind=UpdateKind.STATUS if to_status else UpdateKind.RESPONSE,
        status_from=old if to_status else "",
        status_to=to_status,
        message=message,
        by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=current,
        changes={"status": [old, current.status]} if to_status else {},
        note=_("Tanggapan resmi") if message else _("Perubahan status"),
    )
    _notify_citizen(
        current,
        message or _("Status pengaduan Anda kini: %(s)s.") % {"s": current.get_status_display()},
    )
    complaint.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def complaint_remove(*, complaint: Complaint, by: User | None, reason: str) -> Complaint:
    """Remove a complaint as spam: hidden from the inbox and the tracking page, text kept."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    reason = (reason or "").strip()
    if current.removed_at is not None:
        raise ValidationError(_("Pengaduan ini sudah dihapus sebagai spam."))
    if len(reason) < 5:
        raise ValidationError({"reason": _("Tuliskan alasan penghapusan (minimal 5 karakter).")})
    now = timezone.now()
    current.removed_at = now
    current.clock_due = None
    current.save(update_fields=["removed_at", "clock_due"])
    ComplaintUpdate.objects.create(
        complaint=current, at=now, kind=UpdateKind.REMOVED, message=reason[:500], by=by
    )
    audit_record(actor=by, action=AuditAction.DELETE, obj=current, note=reason[:500])
    complaint.__dict__.update(current.__dict__)
    return current


@transaction.atomic
def complaint_rate(*, complaint: Complaint, rating: int, comment: str = "") -> Complaint:
    """The citizen rates a resolved complaint, 1–5, once per resolution."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    if current.status != ComplaintStatus.RESOLVED or current.removed_at is not None:
        raise ValidationError(_("Penilaian hanya untuk pengaduan yang sudah selesai."))
    if current.rating is not None:
        raise ValidationError(_("Anda sudah memberi penilaian."))
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Pilih penilaian 1 sampai 5.")})
    current.rating = rating
    current.save(update_fields=["rating"])
    ComplaintUpdate.objects.create(
        complaint=current, kind=UpdateKind.RATED, message=(comment or "").strip()[:1000]
    )
    complaint.__dict__.update(current.__dict__)
    return current


def can_reopen(complaint: Complaint, now: datetime | None = None) -> bool:
    """A closed complaint may be reopened once, within PUBLIC_COMPLAINT_REOPEN_DAYS days."""
    now = now or timezone.now()
    return (
        complaint.is_final
        and complaint.removed_at is None
        and complaint.reopened_at is None
        and complaint.closed_at is not None
        and now - complaint.closed_at <= timedelta(days=settings.PUBLIC_COMPLAINT_REOPEN_DAYS)
    )


@transaction.atomic
def complaint_reopen(*, complaint: Complaint, reason: str) -> Complaint:
    """The citizen reopens a closed complaint (once, within the allowed days): back to Diproses
    with a new response deadline."""
    current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
    reason = (reason or "").strip()
    if not can_reopen(current):
        raise ValidationError(
            _("Pengaduan hanya dapat dibuka kembali satu kali, dalam %(d)d hari setelah ditutup.")
            % {"d": settings.PUBLIC_COMPLAINT_REOPEN_DAYS}
        )
    if len(reason) < 10:
        raise ValidationError(
            {"reason": _("Jelaskan mengapa dibuka kembali (minimal 10 karakter).")}
        )
    now = timezone.now()
    old = current.status
    current.status = ComplaintStatus.IN_PROGRESS
    current.reopened_at = now
    current.closed_at = None
    current.rating = None
    current.rejection_reason = ""
    current.clock_due = response_due(now)
    current.save()
    ComplaintUpdate.objects.create(
        complaint=current,
        at=now,
        kind=UpdateKind.REOPENED,
        status_from=old,
        status_to=ComplaintStatus.IN_PROGRESS,
        message=reason[:1000],
    )
    complaint.__dict__.update(current.__dict__)
    return current


# --- Forum ----------------------------------------------------------------------------------

NICKNAME = re.compile(r"^[\w .-]{3,40}$")
CONFIRM_HOURS = 48


def check_words(text: str, field: str = "body") -> None:
    """Refuse text containing a word of PUBLIC_FORUM_BLOCKED_WORDS (whole words, any case)."""
    lowered = (text or "").lower()
    for word in settings.PUBLIC_FORUM_BLOCKED_WORDS:
        if word and re.search(rf"(?<!\w){re.escape(word.lower())}(?!\w)", lowered):
            raise ValidationError(
                {field: _("Tulisan memuat kata yang tidak diperbolehkan: “%(w)s”.") % {"w": word}}
            )


def confirmation_link(token: str) -> str:
    return absolute_reverse("public:forum_confirm", token)


@transaction.atomic
def participant_signup(*, email: str, nickname: str) -> tuple[ForumParticipant, str]:
    """Register (or sign in again) with an e-mail address; returns the participant and the
    confirmation token, which is e-mailed (only its hash is stored)."""
    email = (email or "").strip().lower()
    nickname = " ".join((nickname or "").split())
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Alamat surel tidak valid.")}) from exc
    participant = (
        ForumParticipant.objects.select_for_update(of=("self",)).filter(email=email).first()
    )
    if participant is None:
        if not NICKNAME.match(nickname):
            raise ValidationError(
                {"nickname": _("Nama panggilan 3–40 karakter: huruf, angka, spasi, titik, minus.")}
            )
        check_words(nickname, "nickname")
        if ForumParticipant.objects.filter(nickname__iexact=nickname).exists():
            raise ValidationError({"nickname": _("Nama panggilan ini sudah dipakai.")})
        participant = ForumParticipant(email=email, nickname=nickname)
    if participant.blocked:
        raise ValidationError(_("Akun forum ini diblokir."))
    token = protection.new_token("frm")
    participant.token_hash = protection.token_hash(token)
    participant.token_expires = timezone.now() + timedelta(hours=CONFIRM_HOURS)
    participant.save()
    link = confirmation_link(token)
    transaction.on_commit(
        lambda: send_mail(
            _("Konfirmasi forum warga"),
            _(
                "Halo %(nick)s,\n\nbuka tautan ini untuk masuk ke forum warga (berlaku %(h)d jam):"
                "\n%(link)s\n\nAbaikan surel ini bila Anda tidak memintanya."
            )
            % {"nick": participant.nickname, "h": CONFIRM_HOURS, "link": link},
            settings.DEFAULT_FROM_EMAIL,
            [participant.email],
            fail_silently=True,
        )
    )
    return participant, token


@transaction.atomic
def participant_erase(
    *, participant: ForumParticipant, note: str | None = None
) -> ForumParticipant:
    """Delete a participant's account at their request (UU 27/2022, personal data): the e-mail
    address and any confirmation token are erased and the nickname replaced with a neutral one;
    posts still waiting for moderation, and topics not yet public, are withdrawn; published
    posts stay in the public discussion under the neutral name. The row stays (without personal
    data) so that those posts keep one author and reports stay counted."""
    participant = ForumParticipant.objects.select_for_update().get(pk=participant.pk)
    if participant.erased_at is not None:
        return participant
    pending = ForumPost.objects.filter(participant=participant, status=PostStatus.PENDING)
    topics = set(pending.values_list("topic_id", flat=True))
    withdrawn = pending.count()
    pending.delete()
    hidden_topics = ForumTopic.objects.filter(
        started_by=participant, is_visible=False, posts__isnull=True
    )
    hidden_topics.delete()
    for topic_id in topics:
        _refresh_topic(topic_id)
    participant.email = f"dihapus-{participant.pk}-{secrets.token_hex(8)}@forum.invalid"
    participant.nickname = f"Peserta #{participant.pk} (akun dihapus)"
    participant.token_hash = ""
    participant.token_expires = None
    participant.erased_at = timezone.now()
    participant.save()
    audit_record(
        actor=None,
        action=AuditAction.DELETE,
        obj=participant,
        changes={"withdrawn_posts": withdrawn},
        note=note or _("Akun forum dihapus atas permintaan peserta."),
        record_ip=False,  # a deletion request must not leave new personal data behind
    )
    return participant


@transaction.atomic
def participant_confirm(*, token: str) -> ForumParticipant:
    participant = (
        ForumParticipant.objects.select_for_update(of=("self",))
        .filter(token_hash=protection.token_hash(token or ""))
        .exclude(token_hash="")
        .first()
    )
    if participant is None or participant.token_expires is None:
        raise ValidationError(_("Tautan konfirmasi tidak berlaku. Minta tautan baru."))
    if participant.token_expires < timezone.now():
        raise ValidationError(_("Tautan konfirmasi sudah kedaluwarsa. Minta tautan baru."))
    if participant.blocked:
        raise ValidationError(_("Akun forum ini diblokir."))
    participant.confirmed_at = participant.confirmed_at or timezone.now()
    participant.token_hash = ""
    participant.token_expires = None
    participant.save(update_fields=["confirmed_at", "token_hash", "token_expires"])
    return participant


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not 5 <= len(body) <= 4000:
        raise ValidationError({"body": _("Tulisan 5 sampai 4000 karakter.")})
    check_words(body)
    return body


def _check_participant(participant: ForumParticipant) -> None:
    """Whether the participant may write, read again under a row lock (callers are atomic): an
    account deleted or blocked in another request meanwhile cannot post afterwards."""
    current = (
        ForumParticipant.objects.select_for_update()
        .filter(pk=participant.pk)
        .values("confirmed_at", "blocked", "erased_at")
        .first()
    )
    if current is None or current["erased_at"] is not None:
        raise ValidationError(_("Akun forum ini sudah dihapus. Daftar lagi untuk menulis."))
    if current["confirmed_at"] is None or current["blocked"]:
        raise ValidationError(_("Konfirmasi surel Anda dahulu untuk menulis di forum."))


@transaction.atomic
def topic_start(
    *, participant: ForumParticipant, unit: Unit, service: Service | None, title: str, body: str
) -> ForumTopic:
    """A citizen opens a topic about a unit or one of its services, with its first post."""
    _check_participant(participant)
    title = " ".join((title or "").split())
    if not 5 <= len(title) <= 150:
        raise ValidationError({"title": _("Judul 5 sampai 150 karakter.")})
    check_words(title, "title")
    body = _clean_body(body)
    if not unit.serves_public or (service is not None and service.unit_id != unit.pk):
        raise ValidationError({"target": _("Pilih unit atau layanan publik.")})
    now = timezone.now()
    published = participant.trusted
    topic = ForumTopic.objects.create(
        unit=unit,
        service=service,
        title=title,
        started_by=participant,
        created_at=now,
        last_post_at=now,
        is_visible=published,
    )
    ForumPost.objects.create(
        topic=topic,
        participant=participant,
        body=body,
        status=PostStatus.PUBLISHED if published else PostStatus.PENDING,
        created_at=now,
    )
    return topic


@transaction.atomic
def post_reply(*, participant: ForumParticipant, topic: ForumTopic, body: str) -> ForumPost:
    """A citizen's reply; it waits for moderation until the participant is trusted."""
    _check_participant(participant)
    body = _clean_body(body)
    now = timezone.now()
    post = ForumPost.objects.create(
        topic=topic,
        participant=participant,
        body=body,
        status=PostStatus.PUBLISHED if participant.trusted else PostStatus.PENDING,
        created_at=now,
    )
    if post.status == PostStatus.PUBLISHED:
        ForumTopic.objects.filter(pk=topic.pk).update(last_post_at=now)
    return post


@transaction.atomic
def post_official(*, topic: ForumTopic, body: str, by: User) -> ForumPost:
    """The unit's official answer, published at once and marked as official."""
    body = _clean_body(body)
    now = timezone.now()
    post = ForumPost.objects.create(
        topic=topic,
        official=True,
        author=by,
        body=body,
        status=PostStatus.PUBLISHED,
        created_at=now,
    )
    ForumTopic.objects.filter(pk=topic.pk).update(last_post_at=now, has_official_answer=True)
    audit_record(actor=by, action=AuditAction.CREATE, obj=post, note=_("Jawaban resmi forum"))
    return post


HIDE_AFTER_REPORTS = 3


@transaction.atomic
def post_report(*, post: ForumPost, reason: str, reporter_hash: str) -> bool:
    """A reader reports a post; False when this reader already did. A post reported by
    HIDE_AFTER_REPORTS readers is hidden until a moderator looks at it."""
    reason = (reason or "").strip()
    if not 3 <= len(reason) <= 200:
        raise ValidationError({"reason": _("Tuliskan alasan singkat (3 sampai 200 karakter).")})
    try:
        with transaction.atomic():
            ForumReport.objects.create(post=post, reason=reason, reporter_hash=reporter_hash)
    except IntegrityError:
        return False
    current = ForumPost.objects.select_for_update(of=("self",)).get(pk=post.pk)
    current.reports += 1
    fields = ["reports"]
    if (
        current.reports >= HIDE_AFTER_REPORTS
        and not current.official
        and current.moderated_at is None
    ):
        current.status = PostStatus.HIDDEN
        fields.append("status")
    current.save(update_fields=fields)
    _refresh_topic(current.topic_id)
    return True


def _refresh_topic(topic_id: int) -> None:
    """A topic is visible while its opening post is published."""
    first = ForumPost.objects.filter(topic_id=topic_id).order_by("created_at", "id").first()
    visible = first is not None and first.status == PostStatus.PUBLISHED
    ForumTopic.objects.filter(pk=topic_id).update(is_visible=visible)


@transaction.atomic
def post_moderate(*, post: ForumPost, by: User, publish: bool) -> ForumPost:
    """Publish or hide a post; publishing a new participant's post makes them trusted."""
    current = (
        ForumPost.objects.select_for_update(of=("self",))
        .select_related("participant")
        .get(pk=post.pk)
    )
    old = current.status
    current.status = PostStatus.PUBLISHED if publish else PostStatus.HIDDEN
    current.moderated_at = timezone.now()
    current.moderated_by = by
    current.save(update_fields=["status", "moderated_at", "moderated_by"])
    if publish and current.participant is not None and not current.participant.trusted:
        ForumParticipant.objects.filter(pk=current.participant.pk).update(trusted=True)
    if publish:
        ForumTopic.objects.filter(pk=current.topic_id, last_post_at__lt=current.created_at).update(
            last_post_at=current.created_at
        )
    _refresh_topic(current.topic_id)
    audit_record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=current,
        changes={"status": [old, current.status]},
        note=_("Moderasi forum"),
    )
    post.__dict__.update(current.__dict__)
    return current
