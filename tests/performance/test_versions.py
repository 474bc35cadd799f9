"""A changed plan shows the approver what changed (issue 10, item 12): while version 2 waits, the
plan page and the version history list the RHK and indicators added, removed and changed since
the approved version, with the old and new values."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.performance import services
from kinerja.performance.models import Plan
from tests.conftest import Org, client_for

from .conftest import Plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(org: Org, employee_plan: Plans) -> Plan:
    """The nurse reopens her approved plan, raises one target, changes how another is counted,
    drops nothing, adds an RHK with an indicator, and submits version 2."""
    user = org.users["employee"]
    plan = employee_plan.employee
    assert plan is not None and employee_plan.patients and employee_plan.response_time
    services.plan_new_version(plan=plan, by=user)
    services.indicator_update(
        indicator=employee_plan.patients, by=user, target=Decimal("1500.5"), unit_of_measure="orang"
    )
    services.indicator_update(indicator=employee_plan.response_time, by=user, aggregation="last")
    rhk = services.rhk_add(
        plan=plan,
        by=user,
        kind="tambahan",
        text="Tersusunnya laporan mutu ruangan",
        parent=None,
        goal=None,
    )
    services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="kualitas",
        name="Laporan mutu tersusun",
        unit_of_measure="laporan",
        target=Decimal(4),
        polarity="higher_is_better",
        aggregation="sum",
    )
    services.plan_submit(plan=plan, by=user)
    plan.refresh_from_db()
    return plan


EXPECTED = [
    "Perubahan versi 2 dibanding versi 1 yang disetujui",
    "Indikator diubah: Jumlah pasien terlayani (target 1.200 → 1.500,5; satuan pasien → orang)",
    "Indikator diubah: Waktu respons penanganan gawat darurat (cara menghitung",
    "RHK baru: Tersusunnya laporan mutu ruangan",
    "Indikator baru: Laporan mutu tersusun (target 4 laporan)",
]


def text(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(response.content.decode().split())


def test_the_approver_sees_what_changed_on_the_plan_page(org: Org, changed: Plan) -> None:
    page = text(
        client_for(org, "supervisor").get(reverse("performance:plan_detail", args=[changed.pk]))
    )
    for expected in EXPECTED:
        assert expected in page, expected
    assert "Periksa perubahan ini sebelum menyetujui" in page


def test_the_version_history_shows_the_waiting_version(org: Org, changed: Plan) -> None:
    page = text(
        client_for(org, "supervisor").get(reverse("performance:plan_versions", args=[changed.pk]))
    )
    assert "menunggu persetujuan" in page
    for expected in EXPECTED[1:]:
        assert expected in page, expected
    assert page.index("menunggu persetujuan") < page.index("disetujui 10 Juli 2026")


def test_the_approved_version_keeps_the_same_list_and_the_page_stops_showing_it(
    org: Org, changed: Plan
) -> None:
    services.plan_approve(plan=changed, by=org.users["supervisor"])
    changed.refresh_from_db()
    version = changed.versions.get(number=2)
    assert any(c.startswith("Indikator diubah: Jumlah pasien terlayani") for c in version.changes)
    assert services.plan_pending_changes(changed) is None
    page = text(
        client_for(org, "employee").get(reverse("performance:plan_detail", args=[changed.pk]))
    )
    assert "Perubahan versi 2" not in page


def test_a_plan_never_approved_has_no_pending_changes(org: Org, plans: Plans) -> None:
    user = org.users["employee"]
    plan = services.plan_create(employee=user.employee, year=2026, by=user)
    assert services.plan_pending_changes(plan) is None


def test_the_inbox_points_the_approver_to_the_changes(org: Org, changed: Plan) -> None:
    page = text(client_for(org, "supervisor").get(reverse("performance:approval_inbox")))
    assert f'href="/skp/{changed.pk}/#perubahan"' in page


def test_the_changes_cost_a_fixed_number_of_queries(
    org: Org, changed: Plan, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "supervisor")
    urls = [
        reverse("performance:plan_detail", args=[changed.pk]),
        reverse("performance:plan_versions", args=[changed.pk]),
    ]
    for url in urls:
        client.get(url)
    with django_assert_max_num_queries(60) as small:
        for url in urls:
            client.get(url)
    user = org.users["employee"]
    services.plan_return(plan=changed, by=org.users["supervisor"], note="Tambah indikator mutu.")
    for n in range(4):
        rhk = services.rhk_add(
            plan=changed, by=user, kind="tambahan", text=f"Tugas tambahan {n}", parent=None
        )
        for m in range(2):
            services.indicator_add(
                rhk=rhk,
                by=user,
                aspek="kuantitas",
                name=f"Keluaran {n}.{m}",
                unit_of_measure="dokumen",
                target=Decimal(3),
                polarity="higher_is_better",
                aggregation="sum",
            )
    services.plan_submit(plan=changed, by=user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        for url in urls:
            assert "Keluaran 3.1" in client.get(url).content.decode()
