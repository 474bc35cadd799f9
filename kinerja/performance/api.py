"""Read API of plans, scoped by the access policy (a plan is visible to whoever sees its
employee)."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from kinerja.core.params import DbId

from . import selectors

router = Router(tags=["skp"])


class IndicatorOut(Schema):
    id: int
    rhk: str
    kind: str
    aspek: str
    name: str
    unit: str
    target: Decimal
    polarity: str
    aggregation: str
    realisation_to_date: Decimal | None
    target_to_date: Decimal | None
    capaian_to_date: Decimal | None
    months: dict[int, Decimal]


class PlanOut(Schema):
    id: int
    employee_id: int
    year: int
    status: str
    version: int
    capaian_to_date: Decimal | None
    indicators: list[IndicatorOut]


@router.get("/plans/{plan_id}", response=PlanOut)
def get_plan(request: HttpRequest, plan_id: DbId) -> dict:  # type: ignore[type-arg]
    plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)  # type: ignore[arg-type]
    view = selectors.plan_view(plan)
    return {
        "id": plan.pk,
        "employee_id": plan.employee_id,
        "year": plan.year,
        "status": plan.status,
        "version": plan.version,
        "capaian_to_date": view.capaian,
        "indicators": [
            {
                "id": p.indicator.pk,
                "rhk": p.indicator.rhk.text,
                "kind": p.indicator.rhk.kind,
                "aspek": p.indicator.aspek,
                "name": p.indicator.name,
                "unit": p.indicator.unit_of_measure,
                "target": p.indicator.target,
                "polarity": p.indicator.polarity,
                "aggregation": p.indicator.aggregation,
                "realisation_to_date": p.value,
                "target_to_date": p.target_to_date,
                "capaian_to_date": p.capaian_to_date,
                "months": {m: r.value for m, r in sorted(p.by_month.items())},
            }
            for p in view.all_progress
        ],
    }
