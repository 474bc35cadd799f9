"""A plan as plain data (for approved versions and documents) and what changed between two
versions, in sentences for people."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kinerja.core.numbers import format_number

from ..choices import Aggregation, Aspek, PlanStatus, Polarity, RhkKind
from ..models import Plan, PlanVersion
from ._shared import decimal_text


def plan_snapshot(plan: Plan) -> dict[str, Any]:
    """The whole plan as plain data, for versions and documents."""
    return {
        "employee": plan.employee_snapshot,
        "assessor": plan.assessor_snapshot,
        "rhk": [
            {
                "id": rhk.pk,
                "kind": rhk.kind,
                "text": rhk.text,
                "parent": rhk.parent.text if rhk.parent else None,
                "goal": str(rhk.goal) if rhk.goal_id else None,
                "indicators": [
                    {
                        "id": i.pk,
                        "aspek": i.aspek,
                        "name": i.name,
                        "unit": i.unit_of_measure,
                        "target": decimal_text(i.target),
                        "polarity": i.polarity,
                        "aggregation": i.aggregation,
                    }
                    for i in rhk.indicators.all()
                ],
            }
            for rhk in plan.rhks.select_related("parent", "goal").prefetch_related("indicators")
        ],
        "behaviours": {b.value_code: b.expectation for b in plan.behaviours.all()},
        "lampiran": {
            "dukungan_sumber_daya": plan.dukungan_sumber_daya,
            "skema_pertanggungjawaban": plan.skema_pertanggungjawaban,
            "konsekuensi": plan.konsekuensi,
        },
    }


_INDICATOR_FIELDS = {
    "name": _lazy("nama"),
    "aspek": _lazy("aspek"),
    "target": _lazy("target"),
    "unit": _lazy("satuan"),
    "polarity": _lazy("arah"),
    "aggregation": _lazy("cara menghitung"),
}


def _indicator_value(field: str, value: Any) -> str:
    """A value of an indicator snapshot as people read it (labels, Indonesian numbers)."""
    if value in (None, ""):
        return "—"
    choices = {"aspek": Aspek, "polarity": Polarity, "aggregation": Aggregation}.get(field)
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)
    if field == "target":
        return format_number(value)
    return str(value)


def snapshot_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[str]:
    """What changed between two versions (RHK and indicators added, removed or changed, with
    the old and new values), as sentences for people: stored with every approved version and
    shown to the approver while a changed plan waits."""
    if before is None:
        return [_("Versi pertama.")]
    changes: list[str] = []
    old_rhk = {r["id"]: r for r in before["rhk"]}
    new_rhk = {r["id"]: r for r in after["rhk"]}
    for pk in [r["id"] for r in after["rhk"] if r["id"] not in old_rhk]:
        rhk = new_rhk[pk]
        changes.append(_("RHK baru: %(t)s") % {"t": rhk["text"]})
        for ind in rhk["indicators"]:
            changes.append(
                _("Indikator baru: %(n)s (target %(t)s %(u)s)")
                % {"n": ind["name"], "t": format_number(ind["target"]), "u": ind["unit"]}
            )
    for pk in [r["id"] for r in before["rhk"] if r["id"] not in new_rhk]:
        changes.append(_("RHK dihapus: %(t)s") % {"t": old_rhk[pk]["text"]})
    for pk in [r["id"] for r in after["rhk"] if r["id"] in old_rhk]:
        old, new = old_rhk[pk], new_rhk[pk]
        if old["text"] != new["text"]:
            changes.append(
                _("RHK diubah: “%(a)s” menjadi “%(b)s”") % {"a": old["text"], "b": new["text"]}
            )
        if old.get("kind") != new.get("kind"):
            changes.append(
                _("RHK “%(t)s” dipindah dari %(a)s ke %(b)s")
                % {
                    "t": new["text"],
                    "a": RhkKind(old["kind"]).label if old.get("kind") else "—",
                    "b": RhkKind(new["kind"]).label if new.get("kind") else "—",
                }
            )
        if (old.get("parent"), old.get("goal")) != (new.get("parent"), new.get("goal")):
            changes.append(
                _("RHK “%(t)s” kini mengintervensi: %(p)s")
                % {"t": new["text"], "p": new.get("parent") or new.get("goal") or "—"}
            )
        old_ind = {i["id"]: i for i in old["indicators"]}
        for ind in new["indicators"]:
            prev = old_ind.pop(ind["id"], None)
            if prev is None:
                changes.append(
                    _("Indikator baru: %(n)s (target %(t)s %(u)s)")
                    % {"n": ind["name"], "t": format_number(ind["target"]), "u": ind["unit"]}
                )
            elif prev != ind:
                detail = "; ".join(
                    f"{label} {_indicator_value(key, prev.get(key))} → "
                    f"{_indicator_value(key, ind.get(key))}"
                    for key, label in _INDICATOR_FIELDS.items()
                    if prev.get(key) != ind.get(key)
                )
                changes.append(
                    _("Indikator diubah: %(n)s (%(d)s)") % {"n": ind["name"], "d": detail}
                )
        for ind in old_ind.values():
            changes.append(_("Indikator dihapus: %(n)s") % {"n": ind["name"]})
    if before["behaviours"] != after["behaviours"]:
        changes.append(_("Ekspektasi khusus pimpinan diubah."))
    if before["lampiran"] != after["lampiran"]:
        changes.append(_("Lampiran diubah."))
    return changes or [_("Tidak ada perubahan isi.")]


def plan_pending_changes(plan: Plan) -> tuple[PlanVersion, list[str]] | None:
    """While a plan that was approved before is being changed (draft, submitted or returned):
    the last approved version and what changed since, for the approver and the employee.
    None for a plan that was never approved, or that is approved as it stands."""
    if plan.status == PlanStatus.APPROVED:
        return None
    previous = plan.versions.order_by("-number").first()
    if previous is None:
        return None
    return previous, snapshot_changes(previous.snapshot, plan_snapshot(plan))
