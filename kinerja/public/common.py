"""Pieces of community participation that several products use: the regency's holidays, which
units a user may read or administer (kinerja.organisation.access), and the public units with
their services for the "which unit or service" choosers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from kinerja.core.calendar import holidays as holidays  # re-exported for the products
from kinerja.organisation import access
from kinerja.organisation.models import Unit, User

from .models import Service

# --- Access-scoped reads --------------------------------------------------------------------


def public_units() -> QuerySet[Unit]:
    return Unit.objects.filter(serves_public=True, is_active=True)


def staff_units() -> QuerySet[Unit]:
    """The units with a public-services page for staff: public-facing units and their OPDs (an
    OPD's page pools the services of its whole tree)."""
    return Unit.objects.filter(
        Q(serves_public=True) | Q(pk__in=public_units().values("opd_id")), is_active=True
    )


def units_readable_by(user: User | None) -> QuerySet[Unit]:
    return staff_units().filter(access.public_unit_read_filter(user))


def units_administered_by(user: User | None) -> QuerySet[Unit]:
    return staff_units().filter(access.public_unit_admin_filter(user))


_M = TypeVar("_M", bound=Model)


def get_or_404(qs: QuerySet[_M], **lookup: Any) -> _M:
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unit_for_reader(user: User | None, unit_id: int) -> Unit:
    return get_or_404(units_readable_by(user).select_related("opd"), pk=unit_id)


def unit_for_admin(user: User | None, unit_id: int) -> Unit:
    return get_or_404(units_administered_by(user).select_related("opd"), pk=unit_id)


@dataclass
class Target:
    """A unit with its active services, for the "which unit or service" selectors."""

    unit: Unit
    services: list[Service] = field(default_factory=list)


def public_targets() -> list[Target]:
    """Every public unit with its active services (two queries), ordered by the unit tree."""
    targets = {u.pk: Target(u) for u in public_units().order_by("path")}
    for service in Service.objects.filter(is_active=True, unit_id__in=targets).order_by("name"):
        targets[service.unit_id].services.append(service)
    return list(targets.values())
