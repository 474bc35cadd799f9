"""The performance demo: a valid cascade, realistic figures, the demo logins' story, determinism.

The 1,500-employee demo is seeded once for the module inside a transaction that is rolled back
at the end (each test still runs in its own savepoint), with media in a temporary directory.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kinerja.core.calendar import months_started
from kinerja.core.models import Notification
from kinerja.demo import performance as demo
from kinerja.demo.management.commands.seed_demo import DEMO_EXTENSIONS
from kinerja.demo.organisation import build_demo, demo_logins
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import selectors, services
from kinerja.performance.choices import ActionStatus, IndicatorSource, PlanStatus, RhkKind
from kinerja.performance.models import (
    AgreedAction,
    BehaviourExpectation,
    Comment,
    Dialog,
    Evidence,
    Indicator,
    OrgGoal,
    Plan,
    PlanVersion,
    Realisation,
    Rhk,
)

from .. import clock

EMPLOYEES = 1500


@pytest.fixture(scope="module", autouse=True)
def _on_demo_day() -> Iterator[None]:
    """The demo is seeded and read on one fixed day, whatever day the suite runs."""
    yield from clock.demo_day()


SEED = 2026


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:  # type: ignore[no-untyped-def]
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        build_demo(employees=EMPLOYEES, seed=SEED)
        summary = demo.seed(seed=SEED, options={})
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def data(seeded: str, db) -> str:  # type: ignore[no-untyped-def]
    return seeded


def logins() -> dict[str, User]:
    return {login.role: User.objects.get(username=login.username) for login in demo_logins()}


def test_the_command_runs_this_module_and_it_reports_what_it_made(data: str) -> None:
    assert "kinerja.demo.performance" in DEMO_EXTENSIONS
    assert data.startswith("Kinerja (SKP) ")
    assert "1500 SKP" in data


def test_every_opd_has_three_or_four_goals_of_this_year(data: str) -> None:
    year = timezone.localdate().year
    counts = Counter(OrgGoal.objects.filter(year=year).values_list("opd_id", flat=True))
    opds = set(Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    assert set(counts) == opds
    assert all(3 <= n <= 4 for n in counts.values())
    dinkes = OrgGoal.objects.filter(opd__code="DINKES", year=year)
    assert dinkes.filter(polarity="lower_is_better").exists()  # e.g. maternal mortality


def test_everyone_has_one_approved_plan_with_its_first_version(data: str) -> None:
    year = timezone.localdate().year
    active = Employee.objects.filter(is_active=True).count()
    plans = Plan.objects.filter(year=year)
    assert plans.count() == active == EMPLOYEES
    statuses = Counter(plans.values_list("status", flat=True))
    assert statuses == {PlanStatus.APPROVED: EMPLOYEES - 1, PlanStatus.SUBMITTED: 1}
    assert PlanVersion.objects.filter(number=1).count() == EMPLOYEES
    assert not plans.filter(approved_at__isnull=True).exists()
    assert BehaviourExpectation.objects.count() == 7 * EMPLOYEES


def test_the_cascade_is_valid(data: str) -> None:
    """Every Utama RHK of a non-head hangs from an RHK of the direct supervisor's plan of the
    same year; a unit head's hang from their own OPD's goals (PermenPANRB 6/2022)."""
    employees = {e.pk: e for e in Employee.objects.select_related("unit")}
    plan_of = dict(Plan.objects.values_list("pk", "employee_id"))
    rhk_plan = dict(Rhk.objects.values_list("pk", "plan_id"))
    goal_opd = dict(OrgGoal.objects.values_list("pk", "opd_id"))
    heads = non_heads = 0
    for rhk in Rhk.objects.filter(kind=RhkKind.UTAMA).values("plan_id", "parent_id", "goal_id"):
        employee = employees[plan_of[rhk["plan_id"]]]
        supervisor = employees.get(employee.supervisor_id)
        if supervisor is None or supervisor.unit.opd_id != employee.unit.opd_id:
            heads += 1
            assert rhk["parent_id"] is None and rhk["goal_id"] is not None
            assert goal_opd[rhk["goal_id"]] == (employee.unit.opd_id or employee.unit_id)
        else:
            non_heads += 1
            assert rhk["goal_id"] is None and rhk["parent_id"] is not None
            assert plan_of[rhk_plan[rhk["parent_id"]]] == supervisor.pk
    assert heads >= 15 and non_heads > 1500
    assert Indicator.objects.values("rhk_id").distinct().count() == Rhk.objects.count()


def test_plans_pass_the_services_own_checks_and_snapshots_match_them(data: str) -> None:
    """The bulk writer writes what the services would: no submission problem, and each version
    snapshot equals services.plan_snapshot of the plan."""
    plans = list(Plan.objects.select_related("employee__supervisor__unit", "employee__unit"))
    sample = plans[:: len(plans) // 40]
    for plan in sample:
        assert services.submission_problems(plan) == [], plan
        if plan.status == PlanStatus.APPROVED:
            assert plan.versions.get().snapshot == services.plan_snapshot(plan)


def test_capaian_is_spread_like_a_real_year(data: str) -> None:
    year = timezone.localdate().year
    months = months_started(year)
    by_plan: dict[int, list[Any]] = defaultdict(list)
    realisations: dict[int, list[Realisation]] = defaultdict(list)
    for r in Realisation.objects.all():
        realisations[r.indicator_id].append(r)
    for indicator in Indicator.objects.select_related("rhk"):
        by_plan[indicator.rhk.plan_id].append(
            selectors.indicator_progress(indicator, realisations[indicator.pk], months)
        )
    figures = [selectors.plan_capaian(p) for p in by_plan.values()]
    figures = [f for f in figures if f is not None]
    assert len(figures) > 0.95 * EMPLOYEES
    above = sum(f >= 110 for f in figures) / len(figures)
    within = sum(90 <= f < 110 for f in figures) / len(figures)
    below = sum(f < 90 for f in figures) / len(figures)
    assert 0.04 <= above <= 0.30, above
    assert 0.50 <= within <= 0.90, within
    assert 0.05 <= below <= 0.30, below


def test_entries_are_late_reviewed_and_missing_in_realistic_shares(data: str) -> None:
    today = timezone.localdate()
    entries = Realisation.objects.all()
    total = entries.count()
    assert not entries.filter(month__gt=today.month).exists()
    late = entries.filter(is_late=True).count() / total
    assert 0.03 <= late <= 0.20, late
    old = entries.filter(month__lte=today.month - 2)
    reviewed = old.filter(reviewed_at__isnull=False).count() / old.count()
    assert reviewed > 0.85, reviewed
    assert not entries.filter(month=today.month, reviewed_at__isnull=False).exists()
    assert not entries.filter(month=today.month, is_late=True).exists()
    current = set(entries.filter(month=today.month).values_list("indicator__rhk__plan", flat=True))
    assert 0.15 * EMPLOYEES <= len(current) <= 0.6 * EMPLOYEES
    last = set(entries.filter(month=today.month - 1).values_list("indicator__rhk__plan", flat=True))
    assert 0.01 * EMPLOYEES <= EMPLOYEES - len(last) <= 0.15 * EMPLOYEES  # some are behind
    # Reviews are the assessing official's, a month after the month at the earliest.
    sample = entries.filter(reviewed_at__isnull=False).select_related(
        "indicator__rhk__plan", "reviewed_by"
    )[:200]
    for entry in sample:
        plan = entry.indicator.rhk.plan
        if plan.assessor_id:
            assert entry.reviewed_by.employee_id == plan.assessor_id
        assert timezone.localtime(entry.reviewed_at).month != entry.month or entry.month == 12


def test_the_pegawai_has_last_month_entered_unreviewed_with_a_question(data: str) -> None:
    today = timezone.localdate()
    users = logins()
    pegawai, atasan = users["Pegawai"], users["Atasan langsung"]
    plan = Plan.objects.get(employee=pegawai.employee, year=today.year)
    assert plan.status == PlanStatus.APPROVED and plan.assessor_id == atasan.employee_id
    indicators = list(Indicator.objects.filter(rhk__plan=plan))
    last = Realisation.objects.filter(indicator__in=indicators, month=today.month - 1)
    assert last.count() == len(indicators)
    assert not last.filter(reviewed_at__isnull=False).exists()
    earlier = Realisation.objects.filter(indicator__in=indicators, month__lt=today.month - 1)
    assert earlier.exists() and not earlier.filter(reviewed_at__isnull=True).exists()
    assert set(earlier.values_list("reviewed_by", flat=True)) == {atasan.pk}
    assert not Realisation.objects.filter(indicator__in=indicators, month=today.month).exists()
    question = Comment.objects.filter(realisation__in=last).get()
    assert question.author == atasan and question.body.endswith("sebelum saya periksa.")
    answered = Comment.objects.filter(plan=plan, realisation__month=today.month - 3)
    assert [c.author for c in answered] == [atasan, pegawai]
    assert Notification.objects.filter(recipient=pegawai, read_at__isnull=True).exists()
    assert Evidence.objects.filter(realisation__indicator__rhk__plan=plan, kind="file").exists()


def test_the_atasan_has_one_revised_plan_waiting_in_the_inbox(data: str) -> None:
    users = logins()
    atasan = users["Atasan langsung"]
    inbox = list(selectors.approval_inbox(atasan))
    assert len(inbox) == 1
    plan = inbox[0]
    assert plan.employee.supervisor_id == atasan.employee_id
    assert plan.employee_id != users["Pegawai"].employee_id
    assert plan.status == PlanStatus.SUBMITTED and plan.version == 2
    changes = services.snapshot_changes(
        plan.versions.get(number=1).snapshot, services.plan_snapshot(plan)
    )
    assert any(c.startswith("Indikator diubah") for c in changes)
    assert Notification.objects.filter(recipient=atasan, url__contains=f"/skp/{plan.pk}/").exists()
    # The approval flow works on it through the real service.
    services.plan_approve(plan=plan, by=atasan)
    assert plan.versions.count() == 2


def test_the_kepala_unit_answers_for_the_dinkes_goals(data: str) -> None:
    head = logins()["Kepala unit (OPD)"]
    plan = Plan.objects.get(employee=head.employee)
    goals = set(
        Rhk.objects.filter(plan=plan, goal__isnull=False).values_list("goal__opd__code", flat=True)
    )
    assert goals == {"DINKES"}


def test_heads_with_public_services_answer_for_satisfaction_and_complaints(data: str) -> None:
    """Their plans carry indicators that the system fills (from the survey and complaints: the
    public demo does it, see tests/public/test_demo.py); nobody typed a realisation for them."""
    head = logins()["Kepala unit (OPD)"]
    automatic = Indicator.objects.filter(rhk__plan__employee=head.employee).exclude(
        source=IndicatorSource.MANUAL
    )
    assert {(i.source, i.source_ref) for i in automatic} == {
        (IndicatorSource.IKM, "RSUD-RJ"),
        (IndicatorSource.COMPLAINTS, ""),
    }
    assert {i.rhk.kind for i in automatic} == {RhkKind.TAMBAHAN}
    assert (
        Indicator.objects.filter(source=IndicatorSource.IKM, source_ref="DUKCAPIL-KTP").count() == 1
    )
    assert not Realisation.objects.exclude(indicator__source=IndicatorSource.MANUAL).exists()


def test_evidence_links_and_a_handful_of_real_files(data: str) -> None:
    links = Evidence.objects.filter(kind="link")
    assert links.count() > 500
    assert all(
        url.startswith("https://arsip.bukitintan.go.id/bukti/")
        for url in links.values_list("url", flat=True)[:50]
    )
    files = list(Evidence.objects.filter(kind="file"))
    assert 3 <= len(files) <= 8
    for item in files:
        with item.file.open("rb") as handle:
            data = handle.read()
        assert data.startswith(b"%PDF-") and len(data) == item.size
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
        assert "Rekap realisasi" in text
        assert item.original_name.endswith(".pdf") and item.original_name not in item.file.name


def test_feedback_threads_and_dialogs(data: str) -> None:
    comments = list(Comment.objects.select_related("plan__employee", "author"))
    threads = {c.realisation_id for c in comments if c.realisation_id}
    assert 150 <= len(threads) <= 450
    replies = [c for c in comments if c.author.employee_id == c.plan.employee_id]
    assert len(replies) > 0.4 * len(threads)
    assert Comment.objects.filter(rhk__isnull=False).exists()
    assert Dialog.objects.count() >= 10
    statuses = Counter(AgreedAction.objects.values_list("status", flat=True))
    assert statuses[ActionStatus.OPEN] and statuses[ActionStatus.DONE]


def test_the_demo_pages_answer(data: str, client) -> None:  # type: ignore[no-untyped-def]
    users = logins()
    client.force_login(users["Atasan langsung"])
    assert client.get(reverse("performance:team_plans")).status_code == 200
    plan = Plan.objects.get(employee=users["Pegawai"].employee)
    month = timezone.localdate().month - 1
    page = client.get(reverse("performance:realisation_grid", args=[plan.pk, month]))
    assert "sebelum saya periksa" in page.content.decode()
    assert client.get(reverse("performance:plan_pdf", args=[plan.pk])).status_code == 200


def fingerprint() -> list[tuple[Any, ...]]:
    rhk = list(
        Rhk.objects.order_by("plan__employee__nip", "kind", "order").values_list(
            "plan__employee__nip", "kind", "text", "parent__text", "goal__number"
        )
    )
    order = ("indicator__rhk__plan__employee__nip", "indicator__name", "month")
    values = list(
        Realisation.objects.order_by(*order).values_list(
            "indicator__rhk__plan__employee__nip",
            "indicator__name",
            "indicator__target",
            "month",
            "value",
            "is_late",
        )
    )  # fmt: skip
    return [*rhk, *values, *Comment.objects.order_by("body").values_list("body")]


def test_it_is_deterministic_for_a_seed(data: str) -> None:
    """Seeding again with the same seed (on the same organisation) gives the same data."""
    first = fingerprint()
    Notification.objects.all().delete()
    Rhk.objects.update(parent=None, goal=None)
    Plan.objects.all().delete()
    OrgGoal.objects.all().delete()
    demo.seed(seed=SEED, options={})
    assert fingerprint() == first
    assert Decimal(0) <= min(Realisation.objects.values_list("value", flat=True))
