"""The units' active headcounts (UnitHeadcount) that the database keeps with triggers
(migration 0008): whatever writes the employees, they equal a recount, and the directory and the
home page figures read them instead of counting every employee."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.organisation import selectors
from kinerja.organisation.models import Employee, UnitHeadcount
from tests.conftest import Org, client_for
from tests.factories import EmployeeFactory
from tests.triggers import trigger_names

pytestmark = pytest.mark.django_db


def kept() -> dict[int, int]:
    return {u: n for u, n in UnitHeadcount.objects.values_list("unit_id", "active") if n}


def recount() -> dict[int, int]:
    return dict(Counter(Employee.objects.filter(is_active=True).values_list("unit_id", flat=True)))


def test_the_triggers_are_installed(db) -> None:  # type: ignore[no-untyped-def]
    names = trigger_names("organisation_employee")
    assert {
        "employee_headcount_insert",
        "employee_headcount_update",
        "employee_headcount_delete",
    } <= names


def test_every_kind_of_write_keeps_the_headcount(org: Org) -> None:
    assert kept() == recount() and kept()
    people = [EmployeeFactory(unit=org.puskesmas, supervisor=org.supervisor) for _ in range(3)]
    inactive = EmployeeFactory(unit=org.disdik, supervisor=org.other_head, is_active=False)
    assert kept() == recount()
    assert kept()[org.puskesmas.pk] == recount()[org.puskesmas.pk]
    people[0].unit = org.disdik  # moved
    people[0].save()
    people[1].is_active = False  # left
    people[1].save()
    inactive.is_active = True  # came back
    inactive.save()
    Employee.objects.filter(pk=people[2].pk).update(name="Nama Baru")  # neither column
    assert kept() == recount()
    Employee.objects.filter(unit=org.disdik).update(unit=org.dinkes)  # many in one statement
    assert kept() == recount()
    Employee.objects.filter(pk__in=[people[1].pk, people[2].pk]).delete()
    assert kept() == recount()


def test_the_kept_counts_answer_the_directory_filters(org: Org) -> None:
    all_active = Employee.objects.filter(is_active=True)
    assert selectors.active_headcount() == all_active.count()
    assert (
        selectors.active_headcount(opd=org.dinkes.pk)
        == all_active.filter(unit__opd_id=org.dinkes.pk).count()
    )
    assert (
        selectors.active_headcount(unit=org.puskesmas.pk)
        == all_active.filter(unit__path__startswith=org.puskesmas.path).count()
    )
    assert selectors.active_headcount(unit=999_999) == 0


@pytest.mark.parametrize(
    "query",
    ["", "?active=1", "?opd={dinkes}", "?unit={puskesmas}", "?q=a", "?status=pppk", "?active=0"],
)
def test_the_directory_shows_the_same_count_either_way(org: Org, query: str) -> None:
    url = reverse("organisation:employee_list") + query.format(
        dinkes=org.dinkes.pk, puskesmas=org.puskesmas.pk
    )
    client = client_for(org, "bkpsdm")
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    context_page = page.context["page"]
    counted = context_page.paginator.object_list.count()
    assert context_page.paginator.count == counted
    counting = [
        q
        for q in captured.captured_queries
        if "COUNT(*)" in q["sql"] and 'FROM "organisation_employee"' in q["sql"]
    ]
    kept_answer = query in ("", "?active=1", "?opd={dinkes}", "?unit={puskesmas}")
    assert bool(counting) != kept_answer, [q["sql"][:100] for q in counting]
