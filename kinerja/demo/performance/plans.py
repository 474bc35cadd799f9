"""The performance demo's plans: every OPD's goals and every active employee's approved SKP,
cascaded from them, built in memory and written in bulk (kinerja.demo.performance)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from kinerja.core.audit import AuditAction, audit_record
from kinerja.core.models import Notification
from kinerja.organisation.choices import Role, Sector
from kinerja.organisation.models import Employee, Unit, User
from kinerja.performance import services
from kinerja.performance.choices import PlanStatus, RhkKind
from kinerja.performance.models import (
    BehaviourExpectation,
    Indicator,
    OrgGoal,
    Plan,
    PlanVersion,
    Rhk,
)
from kinerja.rules import berakhlak

from ..bulk import RowWriter, reset_sequences
from ..organisation import demo_logins
from .activity import Activity
from .catalogue import (
    AUTOMATIC_BY_OPD,
    EXPECTATIONS,
    FACTORS,
    FIELD_BY_OPD,
    GOALS,
    LAMPIRAN,
    LEVEL_UNITS,
    MANAGER_WORK,
    PREFERRED_WORK,
    PROFILES,
    SECTOR_GOALS,
    STAFF_WORK,
    SUM,
    TAMBAHAN_WORK,
    Spec,
    Work,
    automatic_work,
)
from .drafts import PlanDraft, _moment, _nice

PLAN_MODELS = (OrgGoal, Plan, Rhk, Indicator, BehaviourExpectation, PlanVersion)
CHUNK = 20_000  # employees per batch (PerformanceDemo.run)


class PerformanceDemo(Activity):
    def __init__(self, *, seed: int) -> None:
        self.rng = random.Random(seed * 7919 + 17)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.year = self.today.year
        self.months_open = self.today.month  # months of this year that have started
        self.ids = {
            model: (model.objects.aggregate(m=Max("id"))["m"] or 0) + 1
            for model in (*PLAN_MODELS, *Activity.MODELS)
        }
        self.counts: dict[str, int] = defaultdict(int)
        self.utama: dict[int, list[Rhk]] = {}  # each employee's Utama RHK, for their team
        self.writer = RowWriter(self.now)
        self.people: dict[int, dict[str, str]] = {}
        self.other_files = 3  # real evidence files beside the Pegawai's (Activity)

    def next_id(self, model: type[models.Model]) -> int:
        value = self.ids[model]
        self.ids[model] += 1
        return value

    # --- Run ------------------------------------------------------------------------------

    def run(self) -> str:
        employees = list(
            Employee.objects.filter(is_active=True)
            .select_related("position", "unit", "unit__opd")
            .order_by("depth", "pk")
        )
        if not employees:
            return "Kinerja (SKP): tidak ada pegawai; tidak ada data kinerja."
        self.by_id = {e.pk: e for e in employees}
        self.users = dict(
            User.objects.filter(employee__isnull=False).values_list("employee_id", "pk")
        )
        self.pimpinan_id = (
            User.objects.filter(role=Role.PIMPINAN, is_active=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        self.reports: dict[int, int] = defaultdict(int)
        for e in employees:
            if e.supervisor_id:
                self.reports[e.supervisor_id] += 1
        self.personas = self._personas()
        goals = self._goals()
        self.inbox_plan: Plan | None = None
        told = False
        # In batches of employees (supervisors before their teams): at 100,000 employees the
        # drafts of every plan, RHK, indicator and realisation do not fit in memory at once.
        # Up to CHUNK employees (the default and the 10k demo) it is one batch, so the same seed
        # gives the same data as before batching.
        for start in range(0, len(employees), CHUNK):
            drafts = [self._plan(e, goals) for e in employees[start : start + CHUNK]]
            self._write_plans(drafts)
            told = told or self._story(drafts)
            self._realisations(drafts)
            self._feedback(drafts)
            self._dialogs(drafts)
            del drafts
        reset_sequences(self.ids)
        audit_record(
            actor=None,
            action=AuditAction.IMPORT,
            object_type="demo",
            object_repr="Data demo kinerja (SKP) Kabupaten Bukitintan",
            changes={k: v for k, v in sorted(self.counts.items())},
        )
        c = self.counts
        return (
            f"Kinerja (SKP) {self.year}: {c['goals']} sasaran OPD, {c['plans']} SKP "
            f"({c['rhk']} RHK, {c['indicators']} indikator), {c['realisations']} realisasi, "
            f"{c['evidence']} bukti, {c['comments']} umpan balik, {c['dialogs']} dialog kinerja."
        )

    # --- Who is who ---------------------------------------------------------------------

    def _personas(self) -> dict[str, Employee]:
        found: dict[str, Employee] = {}
        by_nip = {e.nip: e for e in self.by_id.values()}
        for login in demo_logins():
            if login.role in {"Pegawai", "Atasan langsung"} and login.username in by_nip:
                found[login.role] = by_nip[login.username]
        return found

    def _person(self, e: Employee | None) -> dict[str, str]:
        """The SKP header of a person, as the services snapshot it (each person once)."""
        if e is None:
            return {}
        if not self.reports.get(e.pk):  # asked once: their own plan
            return services.person_snapshot(e)
        if e.pk not in self.people:  # a supervisor: in every plan of their team
            self.people[e.pk] = services.person_snapshot(e)
        return self.people[e.pk]

    def is_head(self, e: Employee) -> bool:
        sup = self.by_id.get(e.supervisor_id) if e.supervisor_id else None
        return sup is None or sup.unit.opd_id != e.unit.opd_id

    def _field(self, e: Employee) -> str:
        opd = e.unit.opd or e.unit
        if opd.code in FIELD_BY_OPD:
            return FIELD_BY_OPD[opd.code]
        if opd.code.startswith("KEC-"):
            return "district"
        return e.unit.sector if e.unit.sector in STAFF_WORK else Sector.GENERAL

    # --- Goals --------------------------------------------------------------------------

    def _goals(self) -> dict[int, list[OrgGoal]]:
        """Every OPD's goals; `self.goal_specs` keeps each goal's indicator for the head's RHK."""
        by_opd: dict[int, list[OrgGoal]] = {}
        self.goal_specs: dict[int, Spec] = {}
        for opd in Unit.objects.filter(parent__isnull=True, is_active=True).order_by("code"):
            key = "KEC" if opd.code.startswith("KEC-") else opd.code
            works = GOALS.get(key) or GOALS[SECTOR_GOALS.get(opd.sector, "SETDA")]
            by_opd[opd.pk] = []
            for number, work in enumerate(works, start=1):
                spec = work.specs[0]
                goal = OrgGoal(
                    id=self.next_id(OrgGoal),
                    opd=opd,
                    year=self.year,
                    number=number,
                    sasaran=work.rhk,
                    indicator=spec.name,
                    unit_of_measure=spec.unit,
                    target=spec.target,
                    polarity=spec.polarity,
                )
                by_opd[opd.pk].append(goal)
                self.goal_specs[goal.id] = spec
        rows = [g for goals in by_opd.values() for g in goals]
        self.writer.insert_objects(OrgGoal, rows)
        self.counts["goals"] = len(rows)
        return by_opd

    # --- Plans --------------------------------------------------------------------------

    def _plan(self, e: Employee, goals: dict[int, list[OrgGoal]]) -> PlanDraft:
        rng = self.rng
        sup = self.by_id.get(e.supervisor_id) if e.supervisor_id else None
        profile = rng.choices([p for p, _w in PROFILES], [w for _p, w in PROFILES])[0]
        if e in self.personas.values():
            profile = "on_track"
        low, high = FACTORS[profile]
        submitted = _moment(date(self.year, 1, rng.randint(6, 24)), rng.randint(8, 15), self.now)
        approved = min(
            submitted + timedelta(days=rng.randint(1, 9), hours=rng.randint(0, 6)), self.now
        )
        approver = self.users.get(sup.pk) if sup else self.pimpinan_id
        plan = Plan(
            id=self.next_id(Plan),
            employee=e,
            year=self.year,
            status=PlanStatus.APPROVED,
            version=1,
            period_start=date(self.year, 1, 1),
            period_end=date(self.year, 12, 31),
            assessor_id=sup.pk if sup else None,
            employee_snapshot=self._person(e),
            assessor_snapshot=self._person(sup),
            dukungan_sumber_daya=rng.choice(LAMPIRAN["dukungan"]),
            skema_pertanggungjawaban=rng.choice(LAMPIRAN["skema"]),
            konsekuensi=rng.choice(LAMPIRAN["konsekuensi"]),
            submitted_at=submitted,
            approved_at=approved,
            approved_by_id=approver,
        )
        draft = PlanDraft(plan, e, profile, rng.uniform(low, high), approver, self.users.get(e.pk))
        expecting = rng.random() < 0.25
        for value in berakhlak.VALUES:
            text = ""
            if expecting and value.code in EXPECTATIONS and rng.random() < 0.3:
                text = rng.choice(EXPECTATIONS[value.code])
            draft.behaviours.append((self.next_id(BehaviourExpectation), plan.id, value.code, text))
        if self.is_head(e):
            opd_goals = goals.get(e.unit.opd_id or e.unit_id, [])
            for goal in opd_goals[:3]:  # the head answers for the OPD's goals
                rhk = self._rhk(draft, RhkKind.UTAMA, goal.sasaran, goal=goal)
                self._indicator(draft, rhk, self.goal_specs[goal.id], scale=1.0)
            automatic = AUTOMATIC_BY_OPD.get((e.unit.opd or e.unit).code)
            if automatic:
                work = automatic_work(*automatic)
                rhk = self._rhk(draft, RhkKind.TAMBAHAN, work.rhk)
                for spec in work.specs:
                    self._indicator(draft, rhk, spec, scale=1.0)
        else:
            parents = self.utama.get(sup.pk, []) if sup else []
            works = self._works_for(e)
            count = 1 if rng.random() < 0.35 else 2
            for i in range(count):
                work = works[i % len(works)]
                parent = parents[(i + rng.randint(0, 1)) % len(parents)] if parents else None
                rhk = self._rhk(
                    draft, RhkKind.UTAMA, work.rhk.format(unit=e.unit.name), parent=parent
                )
                self._indicators(draft, rhk, work)
        if rng.random() < 0.3:
            work = rng.choice(TAMBAHAN_WORK)
            rhk = self._rhk(draft, RhkKind.TAMBAHAN, work.rhk)
            self._indicators(draft, rhk, work, most=1)
        if self.reports.get(e.pk):  # kept for the team's plans (later batches included)
            self.utama[e.pk] = [r for r in draft.rhks if r.kind == RhkKind.UTAMA]
        return draft

    def _works_for(self, e: Employee) -> list[Work]:
        pool = list(STAFF_WORK[self._field(e)])
        self.rng.shuffle(pool)
        words = next((w for title, w in PREFERRED_WORK if title in e.position.name), ())
        if words:
            fits = [w for w in pool if any(k.lower() in w.rhk.lower() for k in words)]
            pool = fits + [w for w in pool if w not in fits]
        if self.reports.get(e.pk):
            managerial = list(MANAGER_WORK)
            self.rng.shuffle(managerial)
            return [managerial[0], *pool]
        return pool

    def _rhk(
        self,
        draft: PlanDraft,
        kind: str,
        text: str,
        *,
        parent: Rhk | None = None,
        goal: OrgGoal | None = None,
    ) -> Rhk:
        rhk = Rhk(
            id=self.next_id(Rhk),
            plan_id=draft.plan.id,
            kind=kind,
            order=len(draft.rhks) + 1,
            text=text[:500],
            parent=parent,
            goal=goal,
        )
        draft.rhks.append(rhk)
        return rhk

    def _indicators(self, draft: PlanDraft, rhk: Rhk, work: Work, most: int = 2) -> None:
        specs = work.specs[: 1 if self.rng.random() < 0.4 else most]
        team = self.reports.get(draft.employee.pk, 0)
        for spec in specs:
            # Counts of a team lead cover their team's share of the work.
            scale = self.rng.uniform(0.6, 1.4) * (1 + team / 3 if spec.aggregation == SUM else 1)
            self._indicator(draft, rhk, spec, scale=scale)

    def _indicator(self, draft: PlanDraft, rhk: Rhk, spec: Spec, *, scale: float) -> None:
        target = spec.target
        if target and spec.unit not in LEVEL_UNITS:
            target = _nice(target * Decimal(str(round(scale, 3))), spec.unit)
        draft.indicators[rhk.id].append(
            Indicator(
                id=self.next_id(Indicator),
                rhk_id=rhk.id,
                order=len(draft.indicators[rhk.id]) + 1,
                aspek=spec.aspek,
                name=spec.name,
                unit_of_measure=spec.unit,
                target=target,
                polarity=spec.polarity,
                aggregation=spec.aggregation,
                source=spec.source,
                source_ref=spec.source_ref,
            )
        )

    def snapshot(self, draft: PlanDraft) -> dict[str, Any]:
        """The data `services.plan_snapshot` returns for this plan, built from memory."""
        plan = draft.plan
        # Rhk.Meta.ordering: A. Utama before B. Tambahan, then their order.
        ordered = sorted(draft.rhks, key=lambda r: (r.kind != RhkKind.UTAMA, r.order, r.id))
        return {
            "employee": plan.employee_snapshot,
            "assessor": plan.assessor_snapshot,
            "rhk": [
                {
                    "id": rhk.id,
                    "kind": rhk.kind,
                    "text": rhk.text,
                    "parent": rhk.parent.text if rhk.parent is not None else None,
                    "goal": str(rhk.goal) if rhk.goal is not None else None,
                    "indicators": [
                        {
                            "id": i.id,
                            "aspek": i.aspek,
                            "name": i.name,
                            "unit": i.unit_of_measure,
                            "target": services.decimal_text(i.target),
                            "polarity": i.polarity,
                            "aggregation": i.aggregation,
                        }
                        for i in draft.indicators[rhk.id]
                    ],
                }
                for rhk in ordered
            ],
            "behaviours": {code: text for _id, _plan, code, text in draft.behaviours},
            "lampiran": {
                "dukungan_sumber_daya": plan.dukungan_sumber_daya,
                "skema_pertanggungjawaban": plan.skema_pertanggungjawaban,
                "konsekuensi": plan.konsekuensi,
            },
        }

    def _write_plans(self, drafts: list[PlanDraft]) -> None:
        first = services.snapshot_changes(None, {"rhk": [], "behaviours": {}, "lampiran": {}})
        versions = [
            PlanVersion(
                id=self.next_id(PlanVersion),
                plan_id=d.plan.id,
                number=1,
                snapshot=self.snapshot(d),
                changes=first,
                approved_at=d.plan.approved_at,
                approved_by_id=d.approver_id,
            )
            for d in drafts
        ]
        write = self.writer
        write.insert_objects(Plan, [d.plan for d in drafts])
        write.insert(
            BehaviourExpectation,
            ("id", "plan", "value_code", "expectation"),
            [b for d in drafts for b in d.behaviours],
        )
        write.insert_objects(Rhk, [r for d in drafts for r in d.rhks])
        indicators = [i for d in drafts for items in d.indicators.values() for i in items]
        write.insert_objects(Indicator, indicators)
        write.insert_objects(PlanVersion, versions)
        self.counts["plans"] += len(drafts)
        self.counts["rhk"] += sum(len(d.rhks) for d in drafts)
        self.counts["indicators"] += len(indicators)

    # --- The demo logins' story ---------------------------------------------------------

    def _story(self, drafts: list[PlanDraft]) -> bool:
        """One plan of the Atasan's team waits for approval: a revised version 2 (a higher target
        after a mid-year change), submitted yesterday. False when this batch has no candidate
        (the next batch is asked)."""
        boss = self.personas.get("Atasan langsung")
        pegawai = self.personas.get("Pegawai")
        if boss is None:
            return True
        candidates = [
            d
            for d in drafts
            if d.employee.supervisor_id == boss.pk
            and d.employee != pegawai
            and not self.reports.get(d.employee.pk)
            and any(i.aggregation == SUM for items in d.indicators.values() for i in items)
        ]
        if not candidates:
            return False
        draft = candidates[0]
        plan = draft.plan
        indicator = next(
            i for items in draft.indicators.values() for i in items if i.aggregation == SUM
        )
        before = self.snapshot(draft)
        new_target = _nice(indicator.target * Decimal("1.2"), indicator.unit_of_measure)
        Indicator.objects.filter(pk=indicator.pk).update(target=new_target)
        indicator.target = new_target
        submitted = self.now - timedelta(days=1, hours=3)
        Plan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.SUBMITTED, version=2, submitted_at=submitted
        )
        plan.status, plan.version, plan.submitted_at = PlanStatus.SUBMITTED, 2, submitted
        self.inbox_plan = plan
        changes = services.snapshot_changes(before, self.snapshot(draft))
        Notification.objects.create(
            recipient_id=self.users[boss.pk],
            message=f"{draft.employee.full_name} mengajukan SKP {self.year} untuk disetujui."[:300],
            url=reverse("performance:plan_detail", args=[plan.pk]),
            created_at=submitted,
        )
        self.counts["inbox_changes"] = len(changes)
        return True
