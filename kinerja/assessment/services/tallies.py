"""The assessor tallies recomputed from the assessments (`manage.py assessment_rebuild_tallies`).

The database keeps them on every write (triggers of migration 0004); this is the plain ORM
definition of the same figures, used to rebuild them and, in the tests, as the reference the
triggers are compared with."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce

from kinerja.rules.enums import Predikat

from ..models import Assessment, AssessorTally

# An assessment whose rating differs from the system's suggestion (the calibration's "override").
OVERRIDDEN = (~Q(suggested_hasil="") & ~Q(hasil=F("suggested_hasil"))) | (
    ~Q(suggested_perilaku="") & ~Q(perilaku=F("suggested_perilaku"))
)


def tallies_computed(period: str | None = None) -> list[AssessorTally]:
    """Every tally computed from the assessments (of one period, or all), unsaved."""
    rows = Assessment.objects.exclude(predikat="")
    if period is not None:
        rows = rows.filter(period=period)
    grouped = (
        rows.values("period", "opd_id", key=Coalesce("assessor_id", Value(0)))
        .annotate(
            **{p.value: Count("id", filter=Q(predikat=p.value)) for p in Predikat},
            overrides=Count("id", filter=OVERRIDDEN),
        )
        .order_by()
    )
    return [
        AssessorTally(
            period=row["period"],
            opd_id=row["opd_id"],
            assessor_id=row["key"],
            overrides=row["overrides"],
            **{p.value: row[p.value] for p in Predikat},
        )
        for row in grouped
    ]


@transaction.atomic
def rebuild_tallies() -> int:
    """Replace every tally with one computed from the assessments; returns how many."""
    AssessorTally.objects.all().delete()
    return len(AssessorTally.objects.bulk_create(tallies_computed(), batch_size=1000))
