"""The employee directory, unit tree and employee pages: scoping, search, pagination, queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.organisation import services
from tests.conftest import Org, client_for
from tests.factories import EmployeeFactory

LIST = "/pegawai/"


def names(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.name for e in response.context["page"].object_list}


@pytest.mark.parametrize(
    "persona, expected",
    [
        ("employee", {"Siti Rahmawati"}),
        ("supervisor", {"Citra Syahputra", "Siti Rahmawati", "Dewi Lestari"}),
        ("unit_head", {"Kartika Ramadhan", "Citra Syahputra", "Siti Rahmawati", "Dewi Lestari"}),
        ("admin_opd", {"Kartika Ramadhan", "Citra Syahputra", "Siti Rahmawati", "Dewi Lestari"}),
        ("other", {"Agus Pratama"}),
        (
            "pimpinan",
            {
                "Kartika Ramadhan",
                "Citra Syahputra",
                "Siti Rahmawati",
                "Dewi Lestari",
                "Bambang Santoso",
                "Agus Pratama",
            },
        ),
    ],
)
def test_it_shows_each_persona_exactly_whom_they_may_see(
    org: Org, persona: str, expected: set[str]
) -> None:
    assert names(client_for(org, persona).get(LIST)) == expected


def test_it_searches_by_name_words_and_by_nip_with_spaces(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    assert names(client.get(LIST, {"q": "siti rahma"})) == {"Siti Rahmawati"}
    assert names(client.get(LIST, {"q": org.employee.nip_formatted})) == {"Siti Rahmawati"}
    assert names(client.get(LIST, {"q": "tidak ada orang ini"})) == set()
    assert "Tidak ada pegawai yang cocok" in client.get(LIST, {"q": "zzz"}).content.decode()


def test_it_filters_by_opd_status_kind_and_activity(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    assert names(client.get(LIST, {"opd": org.disdik.pk})) == {"Bambang Santoso", "Agus Pratama"}
    assert names(client.get(LIST, {"kind": "jpt"})) == {"Kartika Ramadhan", "Bambang Santoso"}
    services.employee_update(employee=org.peer, by=None, is_active=False)
    assert "Dewi Lestari" not in names(client.get(LIST))
    assert names(client.get(LIST, {"active": "0"})) == {"Dewi Lestari"}


def test_an_invalid_filter_shows_everything_instead_of_failing(org: Org) -> None:
    response = client_for(org, "bkpsdm").get(LIST, {"opd": "bukan-angka", "page": "999"})
    assert response.status_code == 200


def test_htmx_requests_get_only_the_results_fragment(org: Org) -> None:
    response = client_for(org, "bkpsdm").get(LIST, {"q": "siti"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert 'id="results"' in text and "<html" not in text and "Siti Rahmawati" in text


def test_it_paginates_by_25(org: Org) -> None:
    for i in range(30):
        EmployeeFactory(name=f"Staf {i:02d}", unit=org.puskesmas, supervisor=org.supervisor)
    client = client_for(org, "bkpsdm")
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 25
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"].object_list) == 36 - 25


def _grow(org: Org, n: int) -> None:
    for i in range(n):
        EmployeeFactory(name=f"Tambahan {i}", unit=org.puskesmas, supervisor=org.supervisor)


@pytest.mark.parametrize("persona", ["bkpsdm", "supervisor", "admin_opd"])
def test_the_directory_query_count_does_not_grow_with_rows(
    org: Org, persona: str, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, persona)
    client.get(LIST)  # warm caches (regency, session)
    with django_assert_max_num_queries(9) as small:
        client.get(LIST)
    _grow(org, 20)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) > 20
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_unit_tree_and_detail_pages_have_fixed_query_counts(
    org: Org, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "bkpsdm")
    client.get(reverse("organisation:unit_tree"))
    with django_assert_max_num_queries(14) as before:
        client.get(reverse("organisation:unit_tree"))
        client.get(reverse("organisation:employee_detail", args=[org.supervisor.pk]))
    _grow(org, 15)
    with django_assert_max_num_queries(len(before.captured_queries)):
        tree = client.get(reverse("organisation:unit_tree"))
        client.get(reverse("organisation:employee_detail", args=[org.supervisor.pk]))
    assert "UPT Puskesmas Bukitintan" in tree.content.decode()


def test_the_employee_page_shows_history_reports_and_no_admin_tools_to_a_supervisor(
    org: Org,
) -> None:
    text = (
        client_for(org, "supervisor")
        .get(reverse("organisation:employee_detail", args=[org.supervisor.pk]))
        .content.decode()
    )
    assert "Siti Rahmawati" in text and "Riwayat jabatan" in text
    assert "Atur ulang kata sandi" not in text
    admin = (
        client_for(org, "admin_opd")
        .get(reverse("organisation:employee_detail", args=[org.employee.pk]))
        .content.decode()
    )
    assert "Atur ulang kata sandi" in admin


def _edit_form(client: Client, url: str, org: Org, **values: str) -> dict[str, object]:
    """The employee form as the page gives it, filled as an admin would, with `values`."""
    form = client.get(url).context["form"]
    data: dict[str, object] = {name: form.initial.get(name, "") or "" for name in form.fields}
    data.update(
        nip=org.employee.nip,
        position=org.employee.position_id,
        unit=org.puskesmas.pk,
        supervisor_nip=org.supervisor.nip,
        is_active="on",
        status="pns",
        reason="koreksi",
        **values,
    )
    return data


def test_an_admin_edits_an_employee_and_a_stale_form_is_refused(org: Org) -> None:
    client = client_for(org, "admin_opd")
    url = reverse("organisation:employee_edit", args=[org.employee.pk])
    data = _edit_form(client, url, org, name="Siti Rahmawati", golongan="III/b")
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "golongan": "III/c"})
    assert stale.status_code == 200
    assert "telah diubah oleh pengguna lain" in stale.content.decode()
    from kinerja.organisation.models import Employee

    assert Employee.objects.get(pk=org.employee.pk).golongan == "III/b"
    looping = client.get(url).context["form"].initial["version"]
    response = client.post(url, {**data, "version": looping, "supervisor_nip": org.employee.nip})
    assert "berputar" in response.content.decode() or "sendiri" in response.content.decode()


@pytest.mark.parametrize("version", ["abc", "2026-13-01", "2026-02-30", "NaN", "31/12/2026"])
def test_a_damaged_page_version_is_refused_with_a_message(org: Org, version: str) -> None:
    client = client_for(org, "bkpsdm")
    url = reverse("organisation:employee_edit", args=[org.employee.pk])
    data = {**_edit_form(client, url, org, name="Nama Baru"), "version": version}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "tidak lagi cocok dengan data pegawai" in response.content.decode()
    org.employee.refresh_from_db()
    assert org.employee.name != "Nama Baru"


def test_it_filters_by_unit_subtree_from_the_unit_tree(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    assert names(client.get(LIST, {"unit": org.puskesmas.pk})) == {
        "Citra Syahputra",
        "Siti Rahmawati",
        "Dewi Lestari",
    }
    tree = client.get(reverse("organisation:unit_tree")).content.decode()
    assert f"?unit={org.puskesmas.pk}" in tree


def test_errors_render_in_indonesian_inside_the_layout(org: Org) -> None:
    response = client_for(org, "employee").get("/pegawai/999999/")
    text = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in text and 'name="viewport"' in text
