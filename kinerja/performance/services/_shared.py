"""Helpers the write modules of the performance app share: the header snapshot of a person,
Decimal text, the cascade's head test, and the checks and lock every plan write begins with.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.organisation import access
from kinerja.organisation.models import Employee, User

from ..models import Plan

INDICATOR_FIELDS = (
    "aspek",
    "name",
    "unit_of_measure",
    "target",
    "polarity",
    "aggregation",
    "monthly_targets",
    "source",
    "source_ref",
)


def person_snapshot(employee: Employee | None, *, opd: bool = True) -> dict[str, str]:
    """The header fields of the SKP form (with the OPD) or of an assessment (without) for one
    person: a snapshot, which later mutasi keep."""
    if employee is None:
        return {}
    header = {
        "name": employee.full_name,
        "nip": employee.nip_formatted,
        "golongan": employee.get_golongan_display(),
        "position": employee.position.name,
        "unit": employee.unit.name,
    }
    if opd:
        header["opd"] = (employee.unit.opd or employee.unit).name
    return header


def decimal_text(value: Decimal) -> str:
    """A Decimal without exponent or trailing zeros: 150.0000 → "150", 2.5000 → "2.5"."""
    return format(value.normalize(), "f")


def require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def plan_url(plan: Plan) -> str:
    return reverse("performance:plan_detail", args=[plan.pk])


def is_unit_head(employee: Employee) -> bool:
    """The head of an organisation: nobody above them inside their OPD. Their RHK hang from the
    OPD's goals (PermenPANRB 6/2022: the top of the cascade)."""
    supervisor = employee.supervisor
    return supervisor is None or supervisor.unit.opd_id != employee.unit.opd_id


def lock_plan(plan: Plan, *, related: tuple[str, ...] = ("employee", "assessor")) -> Plan:
    """The plan read again, locked, with `related` (the grid's save needs only the employee)."""
    # PostgreSQL cannot lock the nullable side of an outer join: lock the plan row only.
    return Plan.objects.select_for_update(of=("self",)).select_related(*related).get(pk=plan.pk)


def check_editable(plan: Plan, by: User) -> None:
    require(access.is_plan_owner(by, plan), _("Hanya pegawai pemilik SKP yang dapat mengubahnya."))
    require(
        plan.is_editable,
        _(
            "SKP yang sedang diajukan atau sudah disetujui tidak dapat "
            "diubah. Untuk mengubah SKP yang disetujui, buat versi baru."
        ),
    )
