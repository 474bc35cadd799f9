"""Figures monitoring shows from other apps, each behind one small adapter.

The dashboards leave a place for the community satisfaction index (kinerja.public, PermenPANRB
14/2017), complaints handling (kinerja.public), competency development hours (a training app,
PP 11/2017: 20 JP a year) and the predikat distribution (assessments, SE MenPANRB 3/2023). When
an app is not installed or does not offer the function yet, the adapter answers None and the
page shows a tidy "belum tersedia" panel instead of failing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def _cached(key: str, compute: Any) -> Any:
    """Regency-wide figures of other apps change slowly and cost a few aggregate queries: they
    are kept in the cache for MONITORING_EXTERNAL_CACHE_SECONDS (default 300; 0 turns it off)."""
    seconds = int(getattr(settings, "MONITORING_EXTERNAL_CACHE_SECONDS", 300))
    if seconds <= 0:
        return compute()
    found = cache.get(key)
    if found is not None:
        return found
    value = compute()
    if value is not None:
        cache.set(key, value, seconds)
    return value


@dataclass(frozen=True)
class UnitIkm:
    """The IKM of the services of a unit (and the units below it) this year."""

    unit_name: str
    value: Decimal | None  # the converted IKM, 25–100; None without complete answers
    mutu: str  # A–D, "" without a value
    respondents: int
    representative: bool


@dataclass(frozen=True)
class Complaints:
    received: int
    on_time_percent: Decimal | None


@dataclass(frozen=True)
class TrainingHours:
    """The JP of one person's year (kinerja.competency through the figures seam)."""

    hours: Decimal  # JP completed
    required: Decimal
    enrolled: Decimal = Decimal("0.00")
    shortfall: Decimal = Decimal("0.00")


def _public(product: str) -> Any | None:
    """The reads (selectors) of one product of kinerja.public: "survey" or "complaints"."""
    if not apps.is_installed("kinerja.public"):
        return None
    try:
        from kinerja.public.complaints import selectors as complaints
        from kinerja.public.survey import selectors as survey
    except ImportError:  # pragma: no cover - the app is being built
        return None
    return {"survey": survey, "complaints": complaints}[product]


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def unit_ikm(unit: Any, year: int) -> UnitIkm | None:
    """IKM of the public services of `unit` and below, for `year` (None when unavailable)."""
    public = _public("survey")
    if public is None or not hasattr(public, "survey_result") or not hasattr(public, "unit_scope"):
        return None
    start, end = _year_bounds(year)
    try:
        result = public.survey_result(scope=public.unit_scope(unit), start=start, end=end)
        ikm = result.ikm
        value = getattr(ikm, "converted", None)
        mutu = getattr(ikm, "mutu", None)
        return UnitIkm(
            unit_name=unit.name,
            value=value,
            mutu=getattr(mutu, "value", "") if mutu is not None else "",
            respondents=int(result.respondents),
            representative=bool(result.representative),
        )
    except Exception:  # another app's figures must never break this page
        logger.exception("IKM of unit %s is unavailable", getattr(unit, "pk", None))
        return None


def ikm_by_opd(year: int) -> dict[int, tuple[Decimal | None, int]] | None:
    """{OPD id: (converted IKM, respondents)} for `year`; None when unavailable."""
    return _cached(f"monitoring:ikm:{year}", lambda: _ikm_by_opd(year))  # type: ignore[no-any-return]


def _ikm_by_opd(year: int) -> dict[int, tuple[Decimal | None, int]] | None:
    public = _public("survey")
    if public is None or not hasattr(public, "survey_results_by"):
        return None
    from django.db.models import Q

    start, end = _year_bounds(year)
    try:
        results = public.survey_results_by(
            key="service__unit__opd_id", scope=Q(), start=start, end=end
        )
        return {
            opd_id: (getattr(r.ikm, "converted", None), int(r.respondents))
            for opd_id, r in results.items()
        }
    except Exception:
        logger.exception("IKM by OPD is unavailable")
        return None


def complaints_by_opd(year: int) -> dict[int, Complaints] | None:
    """{OPD id: complaints received and answered on time} for `year`; None when unavailable."""
    return _cached(f"monitoring:complaints:{year}", lambda: _complaints_by_opd(year))  # type: ignore[no-any-return]


def _complaints_by_opd(year: int) -> dict[int, Complaints] | None:
    public = _public("complaints")
    if public is None or not hasattr(public, "complaint_figures_by"):
        return None
    from django.db.models import Q

    start, end = _year_bounds(year)
    try:
        figures = public.complaint_figures_by(key="unit__opd_id", scope=Q(), start=start, end=end)
        return {
            opd_id: Complaints(int(f.received), f.on_time_percent) for opd_id, f in figures.items()
        }
    except Exception:
        logger.exception("complaints by OPD are unavailable")
        return None


def training_hours(employee: Any, year: int) -> TrainingHours | None:
    """Competency development hours (JP) of `employee` in `year` from the figures seam
    ("competency.jp", kinerja.competency); None (unknown, never zero) without that app."""
    from kinerja.core import figures

    try:
        found = figures.value("competency.jp", employee_ids=[employee.pk], year=year)
    except Exception:
        logger.exception("the JP figure is unavailable")
        return None
    if found is None or employee.pk not in found:
        return None
    totals = found[employee.pk]
    return TrainingHours(
        hours=totals.completed_jp,
        required=Decimal(_required_jp(employee)),
        enrolled=totals.enrolled_jp,
        shortfall=totals.shortfall_jp,
    )


def _required_jp(employee: Any) -> int:
    from kinerja.rules.training import JP_REQUIRED_PER_YEAR

    if getattr(employee, "status", "") == "pppk":
        return int(getattr(settings, "COMPETENCY_JP_REQUIRED_PPPK", JP_REQUIRED_PER_YEAR))
    return JP_REQUIRED_PER_YEAR


def training_by_employee(employee_ids: list[int], year: int) -> dict[int, Any] | None:
    """JpTotals per employee (the team board's JP column); None without competency."""
    from kinerja.core import figures

    if not employee_ids:
        return {}
    try:
        return figures.value("competency.jp", employee_ids=employee_ids, year=year)  # type: ignore[no-any-return]
    except Exception:
        logger.exception("the JP figures are unavailable")
        return None


def jp_compliance(year: int) -> Any | None:
    """The regency's 20 JP compliance (kinerja.competency), per OPD; None without the app.
    Cached like the other regency-wide figures."""
    if not apps.is_installed("kinerja.competency"):
        return None
    from kinerja.competency import selectors as competency

    def compute() -> Any:
        try:
            return competency.regency_compliance(year)
        except Exception:
            logger.exception("JP compliance is unavailable")
            return None

    return _cached(f"monitoring:jp-compliance:{year}", compute)


@dataclass(frozen=True)
class Rating:
    """One final assessment of the employee, as "Kinerja saya" lists it."""

    pk: int
    period: str
    hasil: str
    perilaku: str
    predikat: str
    capaian: Decimal | None


def _assessment() -> Any | None:
    if not apps.is_installed("kinerja.assessment"):
        return None
    try:
        from kinerja.assessment import selectors
    except ImportError:  # pragma: no cover - the app is being built
        return None
    return selectors


def ratings_history(user: Any) -> list[Rating] | None:
    """The employee's final assessments, newest first (None when assessments are unavailable)."""
    assessment = _assessment()
    if assessment is None or not hasattr(assessment, "my_results"):
        return None
    try:
        return [
            Rating(
                a.pk,
                a.period_label,
                a.get_hasil_display(),
                a.get_perilaku_display(),
                a.get_predikat_display(),
                a.capaian,
            )
            for a in assessment.my_results(user)
        ]
    except Exception:
        logger.exception("the ratings history is unavailable")
        return None


@dataclass(frozen=True)
class PredikatSpread:
    """One OPD's predikat counts in a period against the curve of its organisation predikat."""

    org_predikat: str  # label, "" while not set
    counts: list[tuple[str, int]]  # (predikat label, employees), best first
    total: int
    violations: list[str]


def predikat_by_opd(opd_ids: list[int], year: int) -> tuple[str, dict[int, PredikatSpread]] | None:
    """(period label, {OPD id: spread}) for the latest assessment period of `year` that has
    ended (SE MenPANRB 3/2023 curve); None when assessments are unavailable."""
    key = f"monitoring:predikat:{year}:{len(opd_ids)}:{sum(opd_ids)}"
    return _cached(key, lambda: _predikat_by_opd(opd_ids, year))  # type: ignore[no-any-return]


def _predikat_by_opd(opd_ids: list[int], year: int) -> tuple[str, dict[int, PredikatSpread]] | None:
    assessment = _assessment()
    if assessment is None or not hasattr(assessment, "distributions"):
        return None
    try:
        from django.utils import timezone

        period = (
            assessment.default_period()
            if year == timezone.localdate().year
            else assessment.periods(year)[-1]
        )
        spreads = {}
        for opd_id, d in assessment.distributions(opd_ids, period).items():
            spreads[opd_id] = PredikatSpread(
                org_predikat=d.org_predikat.label if d.org_predikat else "",
                counts=[(p.label, n) for p, n, _percent in d.bars],
                total=d.total,
                violations=[getattr(v, "message", "") or str(v) for v in d.violations],
            )
        if not any(spread.total for spread in spreads.values()):
            return None  # nobody assessed yet in that period: the page keeps its tidy slot
        return period.label, spreads
    except Exception:
        logger.exception("the predikat distribution is unavailable")
        return None
