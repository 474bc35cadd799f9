"""Assessments and objections visible to a user (kinerja.organisation.access; 404 outside
scope), the objections a user decides, one's own results."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from kinerja.organisation import access
from kinerja.organisation.models import User

from ..choices import AssessmentStatus, ObjectionStatus
from ..models import Assessment, Objection

# --- Scoped reads ---------------------------------------------------------------------------


def assessments_visible_to(user: User | None) -> QuerySet[Assessment]:
    """Assessments of the employees `user` may see; an employee's own only once final."""
    qs = Assessment.objects.filter(access.employee_filter(user, "employee__"))
    if user is not None and getattr(user, "employee_id", None):
        qs = qs.exclude(Q(employee_id=user.employee_id) & ~Q(status=AssessmentStatus.FINAL))
    return qs.select_related(
        "employee", "employee__position", "employee__unit", "assessor", "opd", "unit"
    )


def assessment_get_for_user(*, user: User | None, pk: int) -> Assessment:
    try:
        return assessments_visible_to(user).get(pk=pk)
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def objections_visible_to(user: User | None) -> QuerySet[Objection]:
    """Objections on assessments the user may see, or that the user decides."""
    visible = Q(assessment__in=assessments_visible_to(user).values("pk"))
    if user is not None and getattr(user, "employee_id", None):
        visible |= Q(decider_id=user.employee_id)
    return Objection.objects.filter(visible).select_related(
        "assessment",
        "assessment__employee",
        "assessment__assessor",
        "assessment__employee__unit",
        "decider",
    )


def objection_get_for_user(*, user: User | None, pk: int) -> Objection:
    try:
        return objections_visible_to(user).get(pk=pk)
    except (Objection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def objections_to_decide(user: User) -> QuerySet[Objection]:
    qs = Objection.objects.filter(status__in=ObjectionStatus.open_values())
    mine = Q(decider_id=user.employee_id) if user.employee_id else Q(pk__in=[])
    if access.is_objection_decider(user, Objection(decider_id=None)):
        mine |= Q(decider__isnull=True)
    return (
        qs.filter(mine)
        .select_related("assessment", "assessment__employee")
        .order_by("submitted_at")
    )


def my_results(user: User) -> list[Assessment]:
    if user.employee_id is None:
        return []
    return list(
        Assessment.objects.filter(employee_id=user.employee_id, status=AssessmentStatus.FINAL)
        .prefetch_related("objections")
        .order_by("-year", "-period")
    )
