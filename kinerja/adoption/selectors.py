"""Reads of the adoption app, scoped by kinerja.organisation.access."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from kinerja.organisation import access
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance.choices import PlanStatus
from kinerja.performance.models import Plan, Realisation

from .models import (
    Announcement,
    AnnouncementRead,
    HelpArticle,
    HelpdeskContact,
    OnboardingState,
    SupervisorReport,
)

# --- Onboarding ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url: str
    done: bool


def onboarding_steps(user: User) -> list[Step]:
    """The first-steps checklist of `user`, each step completed from real data."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.employee_id is None:
        return _admin_steps(user)
    state = OnboardingState.objects.filter(user=user).first()
    employee_id = user.employee_id
    year = timezone.localdate().year
    plans = Plan.objects.filter(employee_id=employee_id)
    reported = SupervisorReport.objects.filter(employee_id=employee_id).exists()
    steps = [
        Step(
            "profil",
            "Periksa profil dan atasan Anda",
            reverse("adoption:onboarding_profile"),
            bool(state and state.profile_checked_at) or reported,
        ),
        Step(
            "skp",
            "Susun SKP tahun ini",
            reverse("performance:plan_list"),
            plans.filter(year=year).exists(),
        ),
        Step(
            "realisasi",
            "Isi realisasi pertama Anda",
            reverse("performance:plan_list"),
            Realisation.objects.filter(indicator__rhk__plan__employee_id=employee_id).exists(),
        ),
    ]
    if Employee.objects.filter(supervisor_id=employee_id, is_active=True).exists():
        steps += [
            Step(
                "setujui",
                "Setujui SKP bawahan",
                reverse("performance:approval_inbox"),
                Plan.objects.filter(approved_by=user).exists(),
            ),
            Step(
                "papan_tim",
                "Buka papan tim",
                reverse("adoption:onboarding_team_board"),
                bool(state and state.team_board_opened_at),
            ),
        ]
    return steps


def _admin_steps(user: User) -> list[Step]:
    """An administrator's first steps (Admin OPD, BKPSDM): get everyone activated."""
    from .models import ActivationBatch

    if not access.can_issue_activation(user):
        return []
    steps = []
    if access.is_opd_admin(user):
        steps.append(
            Step(
                "helpdesk",
                "Isi kontak helpdesk OPD Anda",
                reverse("adoption:helpdesk_edit"),
                HelpdeskContact.objects.filter(opd_id=user.managed_opd_id).exists(),
            )
        )
    steps += [
        Step(
            "aktivasi",
            "Terbitkan kode aktivasi untuk pegawai yang belum aktif",
            reverse("adoption:activation_issue"),
            ActivationBatch.objects.filter(created_by=user).exists(),
        ),
        Step(
            "pengumuman",
            "Umumkan Kinerja kepada pegawai",
            reverse("adoption:announcement_create"),
            Announcement.objects.filter(created_by=user).exists(),
        ),
    ]
    return steps


# --- Announcements -------------------------------------------------------------------------------


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def announcement_audience_filter(user: User) -> Q:
    """Announcements meant for `user`: every given condition (OPD, unit or a unit above,
    role, position kind) holds."""
    employee = user.employee if user.employee_id else None
    if employee is not None:
        unit = employee.unit
        opd_id = unit.opd_id or unit.pk
        condition = Q(opd__isnull=True) | Q(opd_id=opd_id)
        condition &= Q(unit__isnull=True) | Q(unit_id__in=_ancestor_ids(unit.path))
        condition &= Q(position_kind="") | Q(position_kind=employee.position.kind)
    else:
        condition = Q(unit__isnull=True, position_kind="")
        if user.managed_opd_id:
            condition &= Q(opd__isnull=True) | Q(opd_id=user.managed_opd_id)
        else:
            condition &= Q(opd__isnull=True)
    condition &= Q(role="") | Q(role=user.role)
    return condition


def announcements_for(user: User, *, unread_only: bool = False) -> QuerySet[Announcement]:
    now = timezone.now()
    qs = Announcement.objects.filter(
        announcement_audience_filter(user), Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    ).filter(starts_at__lte=now)
    read = AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user)
    qs = qs.annotate(is_read=Exists(read))
    if unread_only:
        qs = qs.filter(is_read=False)
    return qs.order_by("-starts_at", "-pk")


def managed_announcements(user: User) -> QuerySet[Announcement]:
    """What a manager sees in the list with read receipts: BKPSDM all, an Admin OPD their OPD's."""
    if not access.can_manage_announcements(user):
        return Announcement.objects.none()
    qs = Announcement.objects.select_related("opd", "unit").annotate(read_count=Count("reads"))
    opd_only = access.announcement_opd_id(user)
    if opd_only is not None:
        qs = qs.filter(opd_id=opd_only)
    return qs.order_by("-starts_at", "-pk")


def announcement_get(user: User, pk: int) -> Announcement:
    """One announcement its audience or its managers may open; 404 otherwise."""
    found = announcements_for(user).filter(pk=pk).first()
    if found is None:
        found = managed_announcements(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def training_catalogue_url() -> str:
    """The training catalogue of kinerja.competency when installed (a "Sosialisasi"
    announcement without its own link points there), else ""."""
    from django.urls import NoReverseMatch

    for name in ("competency:catalogue", "competency:catalog", "competency:home"):
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


def audience_users(announcement: Announcement) -> QuerySet[User]:
    """Active accounts the announcement is meant for (for read-receipt shares)."""
    qs = User.objects.filter(is_active=True)
    if announcement.role:
        qs = qs.filter(role=announcement.role)
    if announcement.opd_id:
        qs = qs.filter(
            Q(employee__unit__opd_id=announcement.opd_id)
            | Q(employee__unit_id=announcement.opd_id)
            | Q(employee__isnull=True, managed_opd_id=announcement.opd_id)
        )
    if announcement.unit is not None:
        qs = qs.filter(access.under(announcement.unit.path, "employee__unit__path"))
    if announcement.position_kind:
        qs = qs.filter(employee__position__kind=announcement.position_kind)
    return qs


# --- Help centre ---------------------------------------------------------------------------------


def articles(query: str = "") -> QuerySet[HelpArticle]:
    qs = HelpArticle.objects.all()
    for word in (query or "").split()[:8]:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return qs.order_by("kind", "order", "title")


def article_for_page(view_name: str) -> HelpArticle | None:
    """The article whose `pages` lists the URL name `view_name` ("performance:plan_list"), or
    one listing the namespace ("performance:*")."""
    if not view_name:
        return None
    namespace = view_name.split(":")[0] + ":*"
    best = None
    for article in HelpArticle.objects.exclude(pages="").only("slug", "pages"):
        names = {n.strip() for n in article.pages.split(",")}
        if view_name in names:
            return article
        if best is None and namespace in names:
            best = article
    return best


def helpdesk_for(user: Any) -> HelpdeskContact | None:
    """The helpdesk of the user's OPD (an Admin OPD: theirs)."""
    if not getattr(user, "is_authenticated", False):
        return None
    opd_id = None
    if user.employee_id:
        unit = Unit.objects.filter(employees__pk=user.employee_id).values("pk", "opd_id").first()
        if unit:
            opd_id = unit["opd_id"] or unit["pk"]
    elif user.managed_opd_id:
        opd_id = user.managed_opd_id
    if opd_id is None:
        return None
    return HelpdeskContact.objects.select_related("opd").filter(opd_id=opd_id).first()


# --- Reports of a wrong supervisor ---------------------------------------------------------------


def supervisor_reports(user: User) -> QuerySet[SupervisorReport]:
    return (
        SupervisorReport.objects.filter(access.supervisor_report_filter(user))
        .select_related("employee", "employee__unit", "recorded_supervisor")
        .order_by("status", "-created_at")
    )


# --- Adoption list -------------------------------------------------------------------------------


def adoption_people(user: User, *, unit: Unit | None, which: str) -> QuerySet[Employee]:
    """Active employees in the user's adoption scope (and under `unit`): not yet activated
    ("belum_aktif") or without an approved plan this year ("tanpa_skp")."""
    qs = Employee.objects.filter(is_active=True)
    opd_id = access.adoption_opd_id(user)
    if opd_id is not None:
        qs = qs.filter(Q(unit__opd_id=opd_id) | Q(unit_id=opd_id))
    if unit is not None:
        qs = qs.filter(access.under(unit.path, "unit__path"))
    if which == "tanpa_skp":
        approved = Plan.objects.filter(
            employee=OuterRef("pk"), year=timezone.localdate().year, status=PlanStatus.APPROVED
        )
        qs = qs.exclude(Exists(approved))
    else:
        qs = qs.filter(Q(user__isnull=True) | Q(user__last_login__isnull=True))
    return qs.select_related("unit", "position", "user").order_by("unit__path", "name", "pk")
