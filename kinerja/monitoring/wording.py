"""Plain-Indonesian sentences for the projection figures ("perlu rata-rata 140 per bulan").

The arithmetic is kinerja.rules.projection; this module only says it in words, through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from kinerja.core.templatetags.kinerja import num, pct
from kinerja.rules.calendar import MONTHS
from kinerja.rules.projection import Comparison, Need, NeedKind, Projection

if TYPE_CHECKING:
    from .selectors import IndicatorCard, MyPerformance


def _amount(value: Decimal, unit: str) -> str:
    places = 0 if value == value.to_integral_value() or abs(value) >= 100 else 1
    text = num(value, places)
    return f"{text} {unit}".strip()


def need_text(need: Need | None, unit: str) -> str:
    """What the remaining months need, as one short clause without a final full stop
    ("" when there is nothing to say)."""
    if need is None:
        return ""
    if need.remaining_months == 0 and not need.year_over:
        # December entered before it ends (kinerja.rules.projection.Need.year_over).
        return _("semua bulan sudah diisi; realisasi Desember masih dapat diperbarui")
    if need.remaining_months == 0:
        return _("tahun telah berakhir")
    if need.met:
        return _("target sudah tercapai")
    if not need.reachable or need.amount is None:
        return _("target tidak lagi dapat dicapai tahun ini; bicarakan dengan atasan")
    amount = _amount(need.amount, unit)
    at_least = need.comparison is Comparison.AT_LEAST
    if need.kind is NeedKind.PER_MONTH:
        if at_least:
            return _("perlu rata-rata %(a)s per bulan") % {"a": amount}
        return _("perlu rata-rata paling banyak %(a)s per bulan") % {"a": amount}
    if need.kind is NeedKind.MONTHLY_AVERAGE:
        if at_least:
            return _("perlu rata-rata ≥ %(a)s pada bulan-bulan tersisa") % {"a": amount}
        return _("perlu rata-rata ≤ %(a)s pada bulan-bulan tersisa") % {"a": amount}
    if need.kind is NeedKind.FINAL_VALUE:
        sign = "≥" if at_least else "≤"
        return _("perlu mencapai %(s)s %(a)s pada Desember") % {"s": sign, "a": amount}
    if need.kind is NeedKind.EVERY_MONTH:
        sign = "≥" if at_least else "≤"
        return _("perlu bertahan %(s)s %(a)s setiap bulan") % {"s": sign, "a": amount}
    sign = "≥" if at_least else "≤"
    return _("perlu sekali saja mencapai %(s)s %(a)s") % {"s": sign, "a": amount}


def projection_text(projection: Projection | None) -> str:
    if projection is None or projection.projected_capaian is None:
        return _("Belum dapat diproyeksikan.")
    return _("diproyeksikan %(p)s dari target") % {"p": pct(projection.projected_capaian, 0)}


def month_list(months: list[int]) -> str:
    names = [MONTHS[m - 1] for m in months]
    if len(names) <= 1:
        return "".join(names)
    return _("%(a)s dan %(b)s") % {"a": ", ".join(names[:-1]), "b": names[-1]}


@dataclass(frozen=True)
class Suggestion:
    text: str
    url: str = ""
    link: str = ""
    level: str = "info"  # "info", "warn" or "ok"


def suggestions(data: MyPerformance) -> list[Suggestion]:
    """What the employee could do next, most urgent first, in plain Indonesian."""
    items: list[Suggestion] = []
    if data.employee is None:
        return items
    if data.plan is None:
        items.append(
            Suggestion(
                _("Anda belum memiliki SKP tahun %(y)d.") % {"y": data.year},
                reverse("performance:plan_list"),
                _("Susun SKP"),
                "warn",
            )
        )
        return items
    plan = data.plan
    plan_url = reverse("performance:plan_detail", args=[plan.pk])
    if plan.status in ("draf", "dikembalikan") and plan.version == 1:
        items.append(
            Suggestion(
                _("SKP %(y)d masih %(s)s: lengkapi lalu ajukan ke pejabat penilai.")
                % {"y": data.year, "s": plan.get_status_display().lower()},
                plan_url,
                _("Buka SKP"),
                "warn",
            )
        )
    elif plan.status == "diajukan" and plan.version == 1:
        items.append(
            Suggestion(_("SKP %(y)d menunggu persetujuan atasan.") % {"y": data.year}, plan_url)
        )
    for month in data.missing[-3:]:
        items.append(
            Suggestion(
                _("Realisasi bulan %(m)s belum diisi.") % {"m": MONTHS[month - 1]},
                reverse("performance:realisation_grid", args=[plan.pk, month]),
                _("Isi realisasi"),
                "warn",
            )
        )
    if len(data.missing) > 3:
        items.append(
            Suggestion(
                _("Realisasi %(n)d bulan sebelumnya juga belum lengkap: %(m)s.")
                % {"n": len(data.missing) - 3, "m": month_list(data.missing[:-3])},
                level="warn",
            )
        )
    for card in data.at_risk:
        items.append(card_suggestion(card))
    if not items and data.cards:
        items.append(
            Suggestion(_("Semua indikator berada pada jalur target. Pertahankan!"), level="ok")
        )
    return items


def card_suggestion(card: IndicatorCard) -> Suggestion:
    indicator = card.indicator
    projection = card.projection
    text = _("Indikator “%(n)s” %(p)s") % {"n": indicator.name, "p": projection_text(projection)}
    need = need_text(projection.need if projection else None, indicator.unit_of_measure)
    if need:
        text = f"{text}: {need}."
    return Suggestion(text, level="warn")
