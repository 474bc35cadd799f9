"""Template helpers of the monitoring pages: the SVG charts of kinerja.core.charts, and the
projection sentences of kinerja.monitoring.wording."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kinerja.core import charts
from kinerja.core.templatetags.kinerja import num, pct
from kinerja.rules.calendar import MONTHS

from .. import wording

register = template.Library()


@dataclass(frozen=True)
class ChartWords:
    """The fixed words of a row's two charts in the active language. A board translates them
    once (`current()`) for all its rows instead of four times a row."""

    trend_title: str
    trend_desc: str
    bar_title: str
    bar_desc: str
    no_realisation: str

    @classmethod
    def current(cls) -> ChartWords:
        return cls(
            trend_title=_("Tren capaian bulanan"),
            trend_desc=_("Capaian bulanan %(n)s: %(v)s."),
            bar_title=_("Capaian terhadap target"),
            bar_desc=_("Capaian %(l)s %(v)s dari target s.d. bulan ini."),
            no_realisation=_("Belum ada realisasi."),
        )


@register.simple_tag
def sparkline(values: list[Any], name: str = "", words: ChartWords | None = None) -> SafeString:
    """The monthly capaian trend of a board row."""
    w = words or ChartWords.current()
    shown = [v for v in values if v is not None]
    desc = (
        w.trend_desc
        % {
            "n": name,
            "v": "; ".join(
                f"{MONTHS[i][:3]} {pct(v)}" for i, v in enumerate(values) if v is not None
            ),
        }
        if shown
        else w.no_realisation
    )
    return charts.sparkline(values, title=w.trend_title, desc=desc)


@register.simple_tag
def capaian_bar(value: Any, label: str = "", words: ChartWords | None = None) -> SafeString:
    """A capaian bar against the pro-rated target (the marker at 100 %)."""
    w = words or ChartWords.current()
    desc = w.bar_desc % {"l": label, "v": pct(value)} if value is not None else w.no_realisation
    return charts.progress_bar(value, title=w.bar_title, desc=desc)


@register.simple_tag
def indicator_chart(card: Any) -> SafeString:
    """Monthly realisations of one indicator against the monthly target, with its data table."""
    indicator = card.indicator
    unit = indicator.unit_of_measure
    months = max(card.progress.months_elapsed, 1)
    labels = [m[:3] for m in MONTHS[:12]]
    values = card.monthly_values[:12]
    targets = card.monthly_targets[:12]
    series = [
        charts.Series(_("Realisasi"), values[:months]),
        charts.Series(_("Target bulanan"), targets, colour=charts.GREY, dashed=True),
    ]
    title = _("Realisasi bulanan %(n)s") % {"n": indicator.name}
    entered = [f"{MONTHS[i]} {num(v)} {unit}" for i, v in enumerate(values) if v is not None]
    desc = (
        _("Realisasi per bulan dibandingkan target bulanan: %(v)s.") % {"v": "; ".join(entered)}
        if entered
        else _("Belum ada realisasi.")
    )
    chart = charts.line_chart(series, labels=labels, title=title, desc=desc)
    rows = [
        (MONTHS[i], num(values[i]) if values[i] is not None else "—", num(targets[i]))
        for i in range(12)
    ]
    return charts.figure(
        chart,
        caption=title,
        headers=[_("Bulan"), _("Realisasi (%(u)s)") % {"u": unit}, _("Target")],
        rows=rows,
    )


@register.filter
def need_text(projection: Any, unit: str = "") -> str:
    return wording.need_text(projection.need if projection else None, unit)


@register.filter
def projection_text(projection: Any) -> str:
    return wording.projection_text(projection)


@register.filter
def heat(value: Any) -> str:
    return charts.heat_class(value)


@register.filter
def band(value: Any) -> str:
    return charts.band(value)


@register.filter
def decimal(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


@register.filter
def on_time(totals: Any, month: int) -> Any:
    return totals.on_time_share(month)


@register.filter
def amount(value: Any) -> str:
    """A figure for people: whole numbers without decimals, others with one (two under 10)."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return num(number, 0)
    return num(number, 1 if abs(number) >= 10 else 2)
