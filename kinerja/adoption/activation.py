"""Services of account activation: bulk issue of one-time codes (letters and e-mail) and their
redemption at /aktivasi/, where a person sets their own first password; and "Lupa kata sandi"
by e-mail with Django's password-reset tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.links import absolute_reverse
from kinerja.organisation import access
from kinerja.organisation.lockout import normalise_username, unlock
from kinerja.organisation.models import Employee, Unit, User

from .channels import email_queue
from .choices import ActivationScope, NotificationKind
from .models import ActivationBatch, ActivationCode

# 10 characters from 32 unambiguous ones: 50 bits, typed from paper as XXXXX-XXXXX.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
GENERIC_ERROR = "NIP atau kode aktivasi tidak cocok, atau kode sudah tidak berlaku."


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"


def normalise_code(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    """Keyed hash of a code (the key is the server's secret): a copy of the table alone does
    not let anyone try codes offline."""
    key = force_bytes(settings.SECRET_KEY)
    return hmac.new(key, normalise_code(code).encode(), hashlib.sha256).hexdigest()


def activation_url(code: str = "") -> str:
    url = absolute_reverse("adoption:activate")
    return f"{url}?kode={format_code(code)}" if code else url


@dataclass(frozen=True)
class Letter:
    """What one activation letter prints (the code only exists here, never stored)."""

    name: str
    nip: str
    unit: str
    opd: str
    email: str
    code: str

    @property
    def code_display(self) -> str:
        return format_code(self.code)

    @property
    def url(self) -> str:
        return activation_url(self.code)


@dataclass(frozen=True)
class IssuedBatch:
    batch: ActivationBatch
    letters: list[Letter]


def is_activated_filter(prefix: str = "") -> Q:
    """Accounts in use: logged in at least once."""
    return Q(**{f"{prefix}last_login__isnull": False})


def candidates(
    *,
    by: User,
    scope: str,
    unit: Unit | None = None,
    import_date: date | None = None,
    employee_ids: Iterable[int] = (),
    include_activated: bool = False,
) -> QuerySet[Employee]:
    """The active employees of a scope whose accounts `by` may activate, not yet activated
    unless asked."""
    qs = Employee.objects.filter(access.activation_employee_filter(by), is_active=True)
    if scope == ActivationScope.UNIT:
        if unit is None:
            raise ValidationError(_("Pilih unit kerja."))
        qs = qs.filter(access.under(unit.path, "unit__path"))
    elif scope == ActivationScope.OPD:
        if unit is None:
            raise ValidationError(_("Pilih OPD."))
        qs = qs.filter(Q(unit__opd_id=unit.opd_id or unit.pk) | Q(unit_id=unit.opd_id or unit.pk))
    elif scope == ActivationScope.IMPORT:
        if import_date is None:
            raise ValidationError(_("Pilih tanggal impor."))
        tz = timezone.get_current_timezone()
        start = datetime.combine(import_date, time.min, tzinfo=tz)
        qs = qs.filter(user__date_joined__gte=start, user__date_joined__lt=start + timedelta(1))
    elif scope == ActivationScope.PEOPLE:
        qs = qs.filter(pk__in=list(employee_ids))
    else:
        raise ValidationError(_("Cakupan tidak dikenal."))
    if not include_activated:
        qs = qs.filter(Q(user__isnull=True) | Q(user__last_login__isnull=True))
    return qs.exclude(user__is_active=False)


def _create_missing_accounts(employees: Sequence[Employee]) -> None:
    have = set(User.objects.filter(employee__in=employees).values_list("employee_id", flat=True))
    accounts = []
    for employee in employees:
        if employee.pk in have:
            continue
        user = User(
            username=employee.nip,
            employee=employee,
            email=employee.email,
            must_change_password=True,
        )
        user.set_unusable_password()
        accounts.append(user)
    User.objects.bulk_create(accounts, batch_size=1000, ignore_conflicts=True)


@transaction.atomic
def activation_issue(
    *,
    by: User,
    scope: str,
    unit: Unit | None = None,
    import_date: date | None = None,
    employee_ids: Iterable[int] = (),
    days: int | None = None,
    send_email: bool = True,
) -> IssuedBatch:
    """Issue a one-time activation code to every not-yet-activated person of the scope that
    `by` may manage; older live codes of these people are revoked. Returns the letters (the only
    place the codes exist in clear) and e-mails a code to each person with an address."""
    if not access.can_issue_activation(by):
        raise ValidationError(_("Anda tidak berwenang menerbitkan kode aktivasi."))
    employees = list(
        candidates(
            by=by, scope=scope, unit=unit, import_date=import_date, employee_ids=employee_ids
        )
        .select_related("unit", "unit__opd")
        .order_by("unit__path", "name", "pk")
    )
    if not employees:
        raise ValidationError(_("Tidak ada pegawai yang belum aktif pada cakupan ini."))
    _create_missing_accounts(employees)
    accounts = dict(User.objects.filter(employee__in=employees).values_list("employee_id", "pk"))
    emails = dict(User.objects.filter(employee__in=employees).values_list("employee_id", "email"))
    now = timezone.now()
    expires = now + timedelta(days=days or settings.ADOPTION_ACTIVATION_DAYS)
    label = {
        ActivationScope.UNIT: f"Unit {unit.name}" if unit else "",
        ActivationScope.OPD: f"OPD {(unit.opd or unit).name}" if unit else "",
        ActivationScope.IMPORT: f"Impor {import_date:%d-%m-%Y}" if import_date else "",
        ActivationScope.PEOPLE: f"{len(employees)} pegawai terpilih",
    }.get(scope, "")
    batch = ActivationBatch.objects.create(
        scope=scope,
        label=label[:300],
        unit=unit,
        created_by=by,
        created_at=now,
        expires_at=expires,
        count=len(employees),
    )
    user_ids = list(accounts.values())
    ActivationCode.objects.filter(
        user_id__in=user_ids, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    letters, codes = [], []
    for employee in employees:
        code = new_code()
        codes.append(
            ActivationCode(
                user_id=accounts[employee.pk],
                batch=batch,
                code_hash=code_hash(code),
                created_at=now,
                expires_at=expires,
            )
        )
        opd = employee.unit.opd or employee.unit
        letters.append(
            Letter(
                name=employee.full_name,
                nip=employee.nip,
                unit=employee.unit.name,
                opd=opd.name,
                email=emails.get(employee.pk) or employee.email,
                code=code,
            )
        )
    ActivationCode.objects.bulk_create(codes, batch_size=1000)
    emailed = 0
    if send_email:
        users = {u.employee_id: u for u in User.objects.filter(pk__in=user_ids)}
        for employee, letter in zip(employees, letters, strict=True):
            if letter.email:
                email_queue(
                    user=users[employee.pk],
                    kind=NotificationKind.ACTIVATION,
                    subject="[Kinerja] Kode aktivasi akun Anda",
                    body=activation_email_body(letter, expires),
                    to=letter.email,
                )
                emailed += 1
    batch.emailed = emailed
    batch.save(update_fields=["emailed"])
    audit_record(
        actor=by,
        action=AuditAction.CREATE,
        obj=batch,
        changes={"count": len(employees), "emailed": emailed, "scope": scope},
        note=f"Kode aktivasi diterbitkan: {label}"[:500],
    )
    return IssuedBatch(batch, letters)


def activation_email_body(letter: Letter, expires: datetime) -> str:
    until = timezone.localtime(expires).strftime("%d-%m-%Y")
    return (
        f"Yth. {letter.name},\n\n"
        "Akun Kinerja Anda siap diaktifkan. Buka alamat di bawah, masukkan NIP dan kode "
        "aktivasi, lalu buat kata sandi Anda sendiri.\n\n"
        f"Alamat: {letter.url}\nNIP: {letter.nip}\nKode aktivasi: {letter.code_display}\n"
        f"Berlaku sampai: {until}\n\n"
        "Kode hanya dapat dipakai satu kali. Jangan berikan kode ini kepada siapa pun."
    )


@transaction.atomic
def activation_revoke(*, code: ActivationCode, by: User) -> ActivationCode:
    if code.used_at is None and code.revoked_at is None:
        code.revoked_at = timezone.now()
        code.save(update_fields=["revoked_at"])
        audit_record(actor=by, action=AuditAction.UPDATE, obj=code, note="Kode aktivasi dicabut")
    return code


@transaction.atomic
def activation_redeem(*, nip: str, code: str, password: str) -> User:
    """Set the first password of the account `nip` with a live code. Every failure raises the
    same generic message (wrong NIP, wrong code, used, expired, revoked), so that nothing is
    learnt from it; the view throttles tries."""
    username = normalise_username(nip)
    hashed = code_hash(code)
    now = timezone.now()
    found = (
        ActivationCode.objects.select_for_update()
        .select_related("user")
        .filter(code_hash=hashed, user__username=username, user__is_active=True)
        .first()
    )
    if found is None or not found.is_live(now):
        raise ValidationError(_(GENERIC_ERROR), code="generic")
    user = found.user
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    found.used_at = now
    found.save(update_fields=["used_at"])
    unlock(user.username)
    audit_record(
        actor=user, action=AuditAction.PASSWORD_CHANGE, obj=user, note="Aktivasi akun dengan kode"
    )
    return user


# --- Lupa kata sandi ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResetHelp:
    """Whom to ask when the account has no e-mail address."""

    opd_name: str
    admins: list[tuple[str, str]]  # (name, contact)
    helpdesk: Any


def password_reset_request(*, nip: str) -> ResetHelp | None:
    """E-mail a reset link when the account `nip` has an address (nothing is said either way
    about whether it exists); otherwise, for an existing account without one, whom to ask."""
    from .models import HelpdeskContact

    username = normalise_username(nip)
    user = (
        User.objects.select_related("employee__unit__opd", "employee__unit")
        .filter(username=username, is_active=True)
        .first()
    )
    if user is None:
        return None
    if user.email:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = absolute_reverse("adoption:password_reset_confirm", uid, token)
        email_queue(
            user=user,
            kind=NotificationKind.ACTIVATION,
            subject="[Kinerja] Atur ulang kata sandi",
            body=(
                f"Yth. {user.get_full_name()},\n\nAda permintaan untuk mengatur ulang kata sandi "
                f"akun Kinerja Anda. Buka tautan ini (berlaku 3 hari, satu kali):\n\n{link}\n\n"
                "Jika Anda tidak memintanya, abaikan surel ini."
            ),
        )
        audit_record(actor=None, action=AuditAction.PASSWORD_RESET, obj=user, note="Tautan surel")
        return None
    if user.employee_id is None:
        return None
    unit = user.employee.unit
    opd = unit.opd or unit
    admins = [
        (a.get_full_name(), a.email or (a.employee.phone if a.employee_id else ""))
        for a in User.objects.select_related("employee").filter(
            role="admin_opd", managed_opd=opd, is_active=True
        )
    ]
    return ResetHelp(
        opd_name=opd.name,
        admins=admins,
        helpdesk=HelpdeskContact.objects.filter(opd=opd).first(),
    )


@transaction.atomic
def password_reset_complete(*, user: User, password: str) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    unlock(user.username)
    audit_record(actor=user, action=AuditAction.PASSWORD_RESET, obj=user, note="Lewat surel")
    return user
