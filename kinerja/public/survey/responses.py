"""Writes of questionnaires: one from a phone or a kiosk, a batch of paper ones, and the repair
of the daily totals. Citizens' answers are not written to the audit log.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import NOT_PROVIDED
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.params import whole_number
from kinerja.organisation.models import Employee, User
from kinerja.rules.skm import ANSWER_MAX, ANSWER_MIN, UNSUR

from ..choices import (
    AGE_BANDS,
    AGE_MAX,
    AGE_MIN,
    Channel,
    Education,
    Occupation,
    ProfileDimension,
    Sex,
    TimeSlot,
)
from ..commits import group_commit
from ..models import KioskDevice, Service, SurveyDay, SurveyProfileDay, SurveyResponse

SUGGESTION_MAX = 1000


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
    elif isinstance(age, str) and (number := whole_number(age)) is not None:
        age = number  # anything else (too long to read, too) is refused just below
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
    verify_device: bool = False,
) -> SurveyResponse:
    """Store one questionnaire from a phone (web) or a counter tablet (kiosk), and add it to the
    service's daily totals in the same transaction. Every unsur must be answered.

    The daily totals follow in the same statement (the database trigger of migration 0002), so
    the insert is the only write: SQLite's write lock is held for one statement.

    `verify_device`: `device` and `service` were remembered by this process
    (`selectors.kiosk_device_cached`), not read now; the INSERT itself then stores the row only
    if the device is still active and its service still open under the same code, and raises
    StaleKioskDevice (nothing stored) when they are not."""
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
    guard = None
    if verify_device:
        if device is None:
            raise ValueError("verify_device needs the device")
        guard = (device.pk, service.pk, service.code)
    try:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint: the caller's transaction survives an error
                _insert_response(response, guard)
        else:
            # One INSERT (with its trigger) is atomic on its own; without BEGIN … COMMIT around
            # it, SQLite's write lock is held only while that statement runs.
            _insert_response(response, guard)
    except IntegrityError as exc:
        if guard is not None:  # the guard gave no service: revoked, closed or renamed since
            raise StaleKioskDevice from exc
        raise ValidationError(once, code="once_per_day") from exc  # the same browser, at once
    return response


class StaleKioskDevice(Exception):
    """A remembered kiosk device or its service no longer holds (nothing was stored): read the
    device again and decide with what the database says now."""


def _guard_sql(q: Any) -> str:
    """The service id of a questionnaire stored with `verify_device`: a subquery that gives the
    service only while the device (1st parameter) is active and belongs to the service (2nd),
    and the service is open under the same code (3rd); otherwise NULL, which the NOT NULL
    service column refuses (IntegrityError), so nothing is stored."""
    d, s = q(KioskDevice._meta.db_table), q(Service._meta.db_table)
    return (
        f"(SELECT d.{q('service_id')} FROM {d} d JOIN {s} s ON s.{q('id')} = d.{q('service_id')} "
        f"WHERE d.{q('id')} = %s AND d.{q('revoked_at')} IS NULL AND s.{q('id')} = %s "
        f"AND s.{q('is_active')} AND s.{q('code')} = %s)"
    )


@lru_cache(maxsize=8)
def _insert_statement(
    vendor: str, returning: bool, guarded: bool = False
) -> tuple[str, tuple[Any, ...]]:
    """`INSERT INTO public_surveyresponse (…) VALUES (…) [RETURNING id]` and its fields, built once
    per database kind (`guarded`: the service id is `_guard_sql`, three parameters)."""
    fields = tuple(f for f in SurveyResponse._meta.concrete_fields if not f.primary_key)
    for field in fields:  # what the ORM would leave to the database or compute itself
        if field.generated or field.db_default is not NOT_PROVIDED:
            raise ImproperlyConfigured(
                f"_insert_response cannot write {field.name}: extend it as the ORM's INSERT does."
            )
    q = connection.ops.quote_name
    values = [_guard_sql(q) if guarded and f.name == "service" else "%s" for f in fields]
    sql = (
        f"INSERT INTO {q(SurveyResponse._meta.db_table)} "
        f"({', '.join(q(f.column) for f in fields)}) VALUES ({', '.join(values)})"
    )
    if returning:
        sql += f" RETURNING {q(SurveyResponse._meta.pk.column)}"
    return sql, fields


def _insert_response(response: SurveyResponse, guard: tuple[int, int, str] | None = None) -> None:
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
    sql, fields = _insert_statement(db.vendor, returning, guard is not None)
    # pre_save(add=True) as the ORM's INSERT does (auto_now, upload names, …), then the
    # field's own conversion for this database.
    params: list[Any] = []
    for field in fields:
        if guard is not None and field.name == "service":
            params.extend(guard)  # _guard_sql: device, service, code
        else:
            params.append(field.get_db_prep_save(field.pre_save(response, True), db))
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
