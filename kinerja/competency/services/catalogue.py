"""The catalogue: programmes and their sessions (BKPSDM; an Admin OPD for its own programmes)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.numbers import format_number
from kinerja.organisation import access
from kinerja.organisation.models import User
from kinerja.rules.training import SESSION_QUOTA_MAX

from ..models import Programme, Session
from .common import _require, jp_changed
from .rights import can_manage_programme
from .seats import _lock_session, _promote_waitlist

# --- Catalogue (BKPSDM; an Admin OPD for its own programmes) ------------------------------------


@transaction.atomic
def programme_save(
    *, by: User, programme: Programme, audience_units: Iterable[Any] = ()
) -> Programme:
    """Create or change a programme (the form validated its fields)."""
    _require(
        can_manage_programme(by, programme if programme.pk else None),
        _("Anda tidak berwenang mengelola program ini."),
    )
    if access.is_opd_admin(by) and not access.is_regency_admin(by):
        programme.owner_opd_id = by.managed_opd_id
    created = programme.pk is None
    programme.full_clean()
    programme.save()
    programme.audience_units.set(list(audience_units))
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=programme,
        changes={"jp": str(programme.jp), "kind": programme.kind},
    )
    return programme


@transaction.atomic
def session_save(*, by: User, session: Session) -> Session:
    """Create or change a session of a programme; the quota never drops below the seats taken."""
    _require(
        can_manage_programme(by, session.programme),
        _("Anda tidak berwenang mengelola program ini."),
    )
    _require(
        isinstance(session.quota, int) and 1 <= session.quota <= SESSION_QUOTA_MAX,
        _("Kuota harus 1 sampai %(n)s peserta.") % {"n": format_number(SESSION_QUOTA_MAX)},
    )
    created = session.pk is None
    if created:
        session.checkin_secret = secrets.token_hex(16)
        session.organiser = session.organiser or by
    else:
        current = Session.objects.select_for_update().get(pk=session.pk)
        session.seats_taken = current.seats_taken
        _require(
            session.quota >= current.seats_taken,
            _("Kuota tidak boleh kurang dari kursi yang sudah terisi (%(n)d).")
            % {"n": current.seats_taken},
        )
    session.full_clean(exclude=["checkin_secret"])
    session.save()
    audit_record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=session,
        changes={"quota": session.quota, "starts_on": str(session.starts_on)},
    )
    if not created:
        locked = _lock_session(session.pk)
        _promote_waitlist(locked, by)
    jp_changed(year=session.ends_on.year)
    return session
