"""The performance forms through HTTP: validation messages, nothing saved on bad input."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from kinerja.core.models import Notification
from kinerja.performance import services
from kinerja.performance.choices import IndicatorSource
from kinerja.performance.forms import RealisationGridFormSet
from kinerja.performance.models import AgreedAction, Dialog, Indicator, OrgGoal, Plan, Rhk
from tests.conftest import Org, client_for
from tests.performance.conftest import YEAR, Plans


def test_creating_a_plan_by_copy_needs_a_previous_year(org: Org, plans: Plans) -> None:
    client = client_for(org, "employee")
    response = client.post(reverse("performance:plan_list"), {"year": YEAR, "start": "copy"})
    assert "Belum ada SKP tahun sebelumnya" in response.content.decode()
    assert not Plan.objects.filter(employee=org.employee).exists()
    response = client.post(reverse("performance:plan_list"), {"year": YEAR, "start": "blank"})
    plan = Plan.objects.get(employee=org.employee)
    assert response["Location"] == reverse("performance:plan_detail", args=[plan.pk])
    again = client.post(reverse("performance:plan_list"), {"year": YEAR, "start": "blank"})
    assert "sudah ada" in again.content.decode()


def test_rhk_and_indicator_forms_validate_and_save(org: Org, plans: Plans) -> None:
    client = client_for(org, "employee")
    client.post(reverse("performance:plan_list"), {"year": YEAR, "start": "blank"})
    plan = Plan.objects.get(employee=org.employee)
    url = reverse("performance:rhk_create", args=[plan.pk])
    form_page = client.get(url).content.decode()
    assert "Terlaksananya pelayanan Puskesmas" in form_page  # the supervisor's RHK to pick
    empty = client.post(url, {"kind": "utama", "text": "   "})
    assert empty.status_code == 200 and not Rhk.objects.filter(plan=plan).exists()
    response = client.post(
        url, {"kind": "utama", "text": "Terlayaninya pasien", "parent": plans.supervisor_rhk.pk}
    )
    rhk = Rhk.objects.get(plan=plan)
    assert response["Location"] == reverse("performance:indicator_create", args=[rhk.pk])
    ind_url = reverse("performance:indicator_create", args=[rhk.pk])
    library = client.get(ind_url, {"pustaka": "kesehatan-2"}).content.decode()
    assert "Waktu respons penanganan gawat darurat" in library
    bad = client.post(
        ind_url,
        {
            "aspek": "kuantitas",
            "name": "Jumlah pasien",
            "unit_of_measure": "pasien",
            "target": "0",
            "polarity": "higher_is_better",
            "aggregation": "sum",
            "monthly_targets": "1;2;3",
        },
    )
    text = bad.content.decode()
    assert "Target 0 hanya" in text and "tepat 12 angka" in text
    assert not Indicator.objects.filter(rhk=rhk).exists()
    ok = client.post(
        ind_url,
        {
            "aspek": "kuantitas",
            "name": "Jumlah pasien",
            "unit_of_measure": "pasien",
            "target": "1.200",
            "polarity": "higher_is_better",
            "aggregation": "sum",
            "monthly_targets": "100;100;100;100;100;100;100;100;100;100;100;100",
        },
    )
    assert ok.status_code == 302
    indicator = Indicator.objects.get(rhk=rhk)
    assert indicator.target == Decimal(1200) and len(indicator.monthly_targets) == 12


def test_the_assessor_sets_leader_expectations(org: Org, plans: Plans) -> None:
    user = org.users["employee"]
    plan = services.plan_create(employee=org.employee, year=YEAR, by=user)
    behaviour = plan.behaviours.get(value_code="berorientasi_pelayanan")
    url = reverse("performance:behaviour_edit", args=[behaviour.pk])
    assert client_for(org, "employee").get(url).status_code == 404
    client_for(org, "supervisor").post(url, {"expectation": "Ramah kepada pasien lansia"})
    behaviour.refresh_from_db()
    assert behaviour.expectation == "Ramah kepada pasien lansia"


def test_a_dialog_with_agreed_actions_and_follow_up(org: Org, employee_plan: Plans) -> None:
    url = reverse("performance:dialog_list", args=[employee_plan.employee.pk])
    client = client_for(org, "supervisor")
    missing_due = client.post(
        url,
        {
            "held_on": "2026-07-08",
            "participants": "Citra, Siti",
            "notes": "Membahas capaian",
            "action_1": "Pelatihan triase",
        },
    )
    assert "Isi tenggat" in missing_due.content.decode() and not Dialog.objects.exists()
    client.post(
        url,
        {
            "held_on": "2026-07-08",
            "participants": "Citra, Siti",
            "notes": "Membahas capaian",
            "action_1": "Pelatihan triase",
            "due_1": "2026-08-31",
        },
    )
    action = AgreedAction.objects.get()
    assert action.dialog.notes == "Membahas capaian"
    client_for(org, "employee").post(
        reverse("performance:action_update", args=[action.pk]),
        {"status": "selesai", "follow_up": "Sudah ikut"},
    )
    action.refresh_from_db()
    assert action.status == "selesai" and action.follow_up == "Sudah ikut"
    assert client_for(org, "other").post(url, {}).status_code == 404


def test_goals_are_managed_by_the_opd_admin_only(org: Org, plans: Plans) -> None:
    url = f"{reverse('performance:goal_list')}?opd={org.dinkes.pk}&tahun={YEAR}"
    data = {
        "number": 2,
        "sasaran": "Meningkatnya cakupan imunisasi",
        "indicator": "Cakupan IDL",
        "unit_of_measure": "persen",
        "target": "95",
        "polarity": "higher_is_better",
    }
    client_for(org, "admin_opd").post(url, data)
    assert OrgGoal.objects.filter(opd=org.dinkes, number=2).exists()
    page = client_for(org, "unit_head").get(url)
    assert page.status_code == 200 and "Tambah sasaran" not in page.content.decode()
    assert client_for(org, "unit_head").post(url, {**data, "number": 3}).status_code == 404
    duplicate = client_for(org, "admin_opd").post(url, data)
    assert duplicate.status_code == 200 and OrgGoal.objects.filter(number=2).count() == 1
    in_use = client_for(org, "bkpsdm").post(
        reverse("performance:goal_delete", args=[plans.goal.pk]), follow=True
    )
    assert "tidak dapat dihapus" in in_use.content.decode()


def test_notifications_open_and_mark_read(
    org: Org, employee_plan: Plans, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(
            plan=employee_plan.employee,
            by=org.users["supervisor"],
            body="Mohon lengkapi bukti",
            rhk=employee_plan.employee_rhk,
        )
    client = client_for(org, "employee")
    home = client.get(reverse("home:home")).content.decode()
    assert 'class="pill"' in home
    item = Notification.objects.get(recipient=org.users["employee"])
    response = client.get(reverse("performance:notification_open", args=[item.pk]))
    assert response["Location"].startswith(
        reverse("performance:plan_detail", args=[employee_plan.employee.pk])
    )
    item.refresh_from_db()
    assert item.read_at is not None
    assert (
        client_for(org, "supervisor")
        .get(reverse("performance:notification_open", args=[item.pk]))
        .status_code
        == 404
    )
    plan_page = client.get(reverse("performance:plan_detail", args=[employee_plan.employee.pk]))
    assert "Mohon lengkapi bukti" in plan_page.content.decode()


def test_the_realisation_grid_is_a_formset_with_the_page_field_names(
    org: Org, employee_plan: Plans
) -> None:
    patients, response_time = employee_plan.patients, employee_plan.response_time
    automatic = Indicator(pk=10**6, name="IKM", source=IndicatorSource.IKM)
    rows = [patients, response_time, automatic]
    grid = RealisationGridFormSet(
        {
            f"value-{patients.pk}": " 1.200 ",
            f"narrative-{patients.pk}": " Poli umum ",
            f"revision-{patients.pk}": "3",
            f"value-{response_time.pk}": "",
            f"value-{automatic.pk}": "99",  # filled by the system: ignored
        },
        indicators=rows,
    )
    assert grid.is_valid()  # no management form is posted: the rows are the indicators
    assert grid.submitted() == (
        {patients.pk: "1.200", response_time.pk: "", automatic.pk: "99"},
        {patients.pk: " Poli umum ", response_time.pk: "", automatic.pk: ""},
    )
    [row] = grid.inputs()
    assert (row.indicator, row.value, row.narrative, row.revision) == (
        patients,
        Decimal("1200"),
        " Poli umum ",
        3,
    )
    bad = RealisationGridFormSet(
        {f"value-{patients.pk}": "-1", f"value-{response_time.pk}": "lima"}, indicators=rows
    )
    assert not bad.is_valid()
    assert bad.row_errors() == {
        patients.pk: "Angka tidak boleh negatif.",
        response_time.pk: "“lima” bukan angka.",
    }
