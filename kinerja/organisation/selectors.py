"""Reads of the organisation that depend on who asks (scoped by kinerja.organisation.access)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet, Subquery, Sum
from django.http import Http404

from kinerja.organisation import access

from .models import Employee, EmployeeHistory, Unit, UnitHeadcount, User


def unit_lineages(units: Iterable[Unit], *, below: int | None = None) -> dict[int, str]:
    """For each unit, the names of its ancestors from the top down ("UPT Puskesmas Sungai
    Emas", or "Bidang X › Seksi Y"), leaving out the unit `below` and those above it: a list
    of one OPD's units then tells its six "Subbagian Tata Usaha" apart. One query at most."""
    units = list(units)
    paths = {u.pk: [int(part) for part in u.path.strip("/").split("/") if part] for u in units}
    names = {u.pk: u.name for u in units}
    missing = {pk for path in paths.values() for pk in path} - set(names)
    if missing:
        names.update(Unit.objects.filter(pk__in=missing).values_list("pk", "name"))
    lineages = {}
    for unit_pk, path in paths.items():
        ancestors = path[:-1]
        if below is not None and below in ancestors:
            ancestors = ancestors[ancestors.index(below) + 1 :]
        lineages[unit_pk] = " › ".join(names[pk] for pk in ancestors if pk in names)
    return lineages


def employees_visible_to(user: User | None) -> QuerySet[Employee]:
    return Employee.objects.filter(access.employee_filter(user)).select_related(
        "unit", "unit__opd", "position", "supervisor"
    )


def employee_get_for_user(*, user: User | None, employee_id: int) -> Employee:
    """The employee, or 404 when it does not exist or `user` may not see it."""
    try:
        return employees_visible_to(user).get(pk=employee_id)
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def openable_ids(user: User | None, employees: Iterable[Employee | None]) -> set[int]:
    """The ids among `employees` whose page `user` may open: pages link only those, and show
    the others as plain names (a link that answers 404 tells nothing but annoys)."""
    ids = {e.pk for e in employees if e is not None}
    if not ids or access.sees_all(user):
        return ids
    return set(employees_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def employee_search(
    qs: QuerySet[Employee],
    *,
    q: str = "",
    opd: int | None = None,
    unit: int | None = None,
    status: str = "",
    kind: str = "",
    active: str = "1",
) -> QuerySet[Employee]:
    """Filters of the directory. `q` matches name or NIP (spaces in a NIP are ignored)."""
    q = q.strip()
    if q:
        compact = "".join(q.split())
        if compact.isdecimal():
            qs = qs.filter(nip__startswith=compact)
        else:
            for word in q.split():
                qs = qs.filter(
                    Q(name__icontains=word)
                    | Q(front_title__icontains=word)
                    | Q(back_title__icontains=word)
                )
    if opd:
        qs = qs.filter(unit__opd_id=opd)
    if unit:
        unit_obj = Unit.objects.filter(pk=unit).only("path").first()
        qs = qs.filter(unit__path__startswith=unit_obj.path) if unit_obj else qs.none()
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(position__kind=kind)
    if active == "1":
        qs = qs.filter(is_active=True)
    elif active == "0":
        qs = qs.filter(is_active=False)
    return qs


def active_headcount(*, opd: int | None = None, unit: int | None = None) -> int:
    """Active employees of the regency, of an OPD or of a unit's subtree, from the units' kept
    headcounts (UnitHeadcount, kept by the database): the same number as counting the
    employees, without reading them. One query."""
    rows = UnitHeadcount.objects.all()
    if opd:
        rows = rows.filter(unit__opd_id=opd)
    if unit:
        path = Unit.objects.filter(pk=unit).values("path")[:1]
        rows = rows.filter(unit__path__startswith=Subquery(path))
    return int(rows.aggregate(n=Sum("active"))["n"] or 0)


def directory_count(user: User | None, filters: dict[str, Any]) -> int | None:
    """How many employees the directory lists, from the kept headcounts when its filters are
    ones they answer (only active employees, by OPD or unit, for a user who sees everyone);
    None otherwise (the page counts its rows)."""
    if not access.sees_all(user) or (filters.get("active") or "1") != "1":
        return None
    if any(filters.get(name) for name in ("q", "status", "kind")):
        return None
    return active_headcount(
        opd=getattr(filters.get("opd"), "pk", None), unit=filters.get("unit") or None
    )


def employee_history(employee: Employee) -> QuerySet[EmployeeHistory]:
    return employee.history.select_related("position", "unit", "supervisor", "recorded_by")


def direct_reports(employee: Employee) -> QuerySet[Employee]:
    return employee.direct_reports.filter(is_active=True).select_related("position", "unit")


@dataclass
class UnitNode:
    unit: Unit
    employees: int = 0
    children: list[UnitNode] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.employees + sum(child.total for child in self.children)


def unit_tree() -> list[UnitNode]:
    """The whole organisation as a tree with active-employee counts, in two queries."""
    counts: Counter[int] = Counter(
        dict(
            Employee.objects.filter(is_active=True)
            .values_list("unit_id")
            .annotate(n=Count("id"))
            .values_list("unit_id", "n")
        )
    )
    nodes: dict[int, UnitNode] = {}
    roots: list[UnitNode] = []
    for unit in Unit.objects.filter(is_active=True).order_by("depth", "name"):
        node = UnitNode(unit=unit, employees=counts.get(unit.pk, 0))
        nodes[unit.pk] = node
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(node)
    return roots


def opds() -> QuerySet[Unit]:
    return Unit.objects.filter(parent__isnull=True, is_active=True).order_by("name")


def account_for(employee: Employee) -> User | None:
    return User.objects.filter(employee=employee).first()


def role_summary(user: Any) -> dict[str, Any]:
    """Figures for the home page of each role (a stub that later features fill in)."""
    data: dict[str, Any] = {}
    if access.sees_all(user):
        data["employees"] = active_headcount()
        data["opds"] = Unit.objects.filter(parent__isnull=True, is_active=True).count()
    elif access.is_opd_admin(user):
        opd = user.managed_opd_id
        data["employees"] = active_headcount(opd=opd) if opd else 0
    if user.employee_id:
        data["direct_reports"] = user.employee.direct_reports.filter(is_active=True).count()
        data["subtree"] = (
            Employee.objects.filter(path__startswith=user.employee.path, is_active=True).count() - 1
        )
    return data
