"""What the competency services share: the JP dashboards' staleness mark, the "already
enrolled" error and the input checks (package-private helpers live here)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from kinerja.organisation.models import Employee, User


def jp_changed() -> None:
    """After commit, make cached JP dashboards stale (kinerja.competency.selectors.jp_version)."""

    def bump() -> None:
        from django.core.cache import cache

        try:
            cache.incr("competency:jp-version")
        except ValueError:
            cache.set("competency:jp-version", 2, None)

    transaction.on_commit(bump)


class AlreadyEnrolled(ValidationError):
    """The employee already holds an active enrolment in the session (API: 409)."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _employee_of(user: User) -> Employee | None:
    return user.employee if getattr(user, "employee_id", None) else None
