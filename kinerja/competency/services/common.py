"""What the competency services share: the JP dashboards' staleness mark, the "already
enrolled" error and the input checks (package-private helpers live here)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.core import events
from kinerja.organisation.models import Employee, User


def jp_changed(employee_ids: Iterable[int] | None = None, year: int | None = None) -> None:
    """After commit, make cached JP dashboards stale (kinerja.competency.selectors.jp_version)
    and announce the "jp" event: the JP of these people (None: maybe anyone's) changed in
    `year` (default this year), so their kept unit figures are queued for a refresh
    (kinerja.competency.tasks.on_jp_changed)."""
    ids = None if employee_ids is None else sorted(set(employee_ids))

    def bump() -> None:
        from django.core.cache import cache

        try:
            cache.incr("competency:jp-version")
        except ValueError:
            cache.set("competency:jp-version", 2, None)
        events.publish("jp", employee_id=0, employee_ids=ids, year=year)

    transaction.on_commit(bump)


class AlreadyEnrolled(ValidationError):
    """The employee already holds an active enrolment in the session (API: 409)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _employee_of(user: User) -> Employee | None:
    return user.employee if getattr(user, "employee_id", None) else None
