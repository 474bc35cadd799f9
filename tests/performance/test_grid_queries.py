"""The realisation grid's save writes in a fixed number of queries, whatever the number of
indicators: the rows are decided first, then written with one query each for the new rows,
the changed rows and their audit records (services.realisation_save_month)."""

from __future__ import annotations

from decimal import Decimal

from kinerja.core.models import AuditLog
from kinerja.performance import services
from kinerja.performance.models import Realisation
from tests.conftest import Org
from tests.performance.conftest import Plans

RI = services.RealisationInput


def _save(org: Org, plans: Plans, rows: list[services.RealisationInput]) -> None:
    services.realisation_save_month(
        plan=plans.employee, month=6, by=org.users["employee"], rows=rows
    )


def test_a_grid_save_costs_the_same_queries_for_one_row_or_two(
    org: Org, employee_plan: Plans, django_assert_num_queries, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-07-03 10:00 +07:00")  # June open, its deadline not passed
    # The plan lock, the month's entries, the new rows, their audit records (and the atomic
    # block's savepoint and its release inside the test's transaction).
    with django_assert_num_queries(6):
        _save(org, employee_plan, [RI(employee_plan.patients, Decimal(10))])
    Realisation.objects.all().delete()
    with django_assert_num_queries(6):
        _save(
            org,
            employee_plan,
            [RI(employee_plan.patients, Decimal(10)), RI(employee_plan.response_time, Decimal(8))],
        )
    assert Realisation.objects.count() == 2


def test_changed_rows_are_written_and_audited_in_row_order(
    org: Org, employee_plan: Plans, django_assert_num_queries, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to("2026-07-03 10:00 +07:00")  # June open, its deadline not passed
    patients, minutes = employee_plan.patients, employee_plan.response_time
    _save(org, employee_plan, [RI(patients, Decimal(10), "awal")])
    first = Realisation.objects.get(indicator=patients, month=6)
    with django_assert_num_queries(7):  # + the update of the changed row
        _save(
            org,
            employee_plan,
            [RI(patients, Decimal(12), "ubah", first.revision), RI(minutes, Decimal(8))],
        )
    changed = Realisation.objects.get(pk=first.pk)
    assert (changed.value, changed.narrative, changed.revision) == (Decimal(12), "ubah", 2)
    assert changed.updated_at > first.updated_at
    assert changed.entered_by == org.users["employee"]
    entries = list(AuditLog.objects.filter(object_type="performance.realisation").order_by("id"))
    assert [(e.action, e.object_id) for e in entries] == [
        ("create", str(first.pk)),
        ("update", str(first.pk)),
        ("create", str(Realisation.objects.get(indicator=minutes, month=6).pk)),
    ]
    assert entries[1].changes == {"value": ["10.0000", "12"], "narrative": ["awal", "ubah"]}
    assert entries[1].actor == org.users["employee"]
    assert entries[1].object_repr == f"{patients.name} / 6"
    assert entries[2].changes == {"value": [None, "8"], "late": [None, False]}
