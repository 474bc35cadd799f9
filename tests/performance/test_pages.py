"""The performance pages: every URL × persona, the grid and evidence through HTTP, query counts."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.core.models import Notification
from kinerja.performance import services
from kinerja.performance.models import AgreedAction, Evidence, Realisation
from tests.access import Route, by_persona, check_persona, expect, uncovered
from tests.conftest import PERSONAS, Org, client_for
from tests.performance.conftest import YEAR, Plans

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def data(org: Org, employee_plan: Plans) -> Plans:
    """June entered with evidence and a comment; July entered; the plan shows everything."""
    user = org.users["employee"]
    june = services.realisation_save_month(
        plan=employee_plan.employee,
        month=6,
        by=user,
        rows=[services.RealisationInput(employee_plan.patients, Decimal(100))],
    )[0]
    services.evidence_add_file(realisation=june, by=user, name="foto.png", data=PNG)
    services.comment_add(
        plan=employee_plan.employee, by=org.users["supervisor"], body="Baik", realisation=june
    )
    return employee_plan


def _evidence(d: Plans) -> int:
    return Evidence.objects.get().pk


def _action(o: Org, d: Plans) -> int:
    """An action agreed in a dialog of the nurse's plan (made once, asked by every persona)."""
    action = AgreedAction.objects.first()
    if action is None:
        services.dialog_create(
            plan=d.employee,
            by=o.users["employee"],
            held_on=date(YEAR, 6, 10),
            participants="Siti, Citra",
            notes="Membahas capaian Juni",
            actions=[("Lengkapi bukti layanan", date(YEAR, 7, 31))],
        )
        action = AgreedAction.objects.get()
    return action.pk


def _notification(o: Org) -> int:
    """A notification of the nurse (only she may open it)."""
    item, _created = Notification.objects.get_or_create(
        recipient=o.users["employee"], message="Umpan balik baru pada SKP Anda.", url="/"
    )
    return item.pk


OWNER_ONLY = dict(employee=200)
VISIBLE = dict(other=404)  # everyone else in the matrix may see the nurse's plan
ROUTES = [
    Route(
        "my plans", "plan_list", lambda o, d: reverse("performance:plan_list"), expect(200), "get"
    ),
    Route(
        "approval inbox",
        "approval_inbox",
        lambda o, d: reverse("performance:approval_inbox"),
        expect(200),
        "get",
    ),
    Route(
        "team plans",
        "team_plans",
        lambda o, d: reverse("performance:team_plans"),
        expect(200),
        "get",
    ),
    Route(
        "cascade",
        "team_cascade",
        lambda o, d: reverse("performance:team_cascade"),
        expect(200),
        "get",
    ),
    Route(
        "goals",
        "goal_list",
        lambda o, d: reverse("performance:goal_list"),
        expect(200, pimpinan=404, inspektorat=404),
        "get",
    ),
    Route(
        "goal delete",
        "goal_delete",
        lambda o, d: reverse("performance:goal_delete", args=[d.goal.pk]),
        expect(404, bkpsdm=302, admin_opd=302),
        "post",
    ),
    Route(
        "plan detail",
        "plan_detail",
        lambda o, d: reverse("performance:plan_detail", args=[d.employee.pk]),
        expect(200, **VISIBLE),
        "get",
    ),
    Route(
        "plan detail (unit head)",
        "plan_detail",
        lambda o, d: reverse("performance:plan_detail", args=[d.head.pk]),
        expect(404, unit_head=200, admin_opd=200, bkpsdm=200, pimpinan=200, inspektorat=200),
        "get",
    ),
    Route(
        "rhk create",
        "rhk_create",
        lambda o, d: reverse("performance:rhk_create", args=[d.employee.pk]),
        expect(404, **OWNER_ONLY),
        "get",
    ),
    Route(
        "lampiran",
        "plan_lampiran",
        lambda o, d: reverse("performance:plan_lampiran", args=[d.employee.pk]),
        expect(404, **OWNER_ONLY),
        "get",
    ),
    Route(
        "submit",
        "plan_submit",
        lambda o, d: reverse("performance:plan_submit", args=[d.employee.pk]),
        expect(404, employee=302),
        "post",
    ),
    Route(
        "approve",
        "plan_approve",
        lambda o, d: reverse("performance:plan_approve", args=[d.employee.pk]),
        expect(404, supervisor=302),
        "post",
    ),
    Route(
        "return",
        "plan_return",
        lambda o, d: reverse("performance:plan_return", args=[d.employee.pk]),
        expect(404, supervisor=302),
        "post",
    ),
    Route(
        "new version",
        "plan_new_version",
        lambda o, d: reverse("performance:plan_new_version", args=[d.employee.pk]),
        expect(404, employee=302),
        "post",
    ),
    Route(
        "versions",
        "plan_versions",
        lambda o, d: reverse("performance:plan_versions", args=[d.employee.pk]),
        expect(200, **VISIBLE),
        "get",
    ),
    Route(
        "comment",
        "comment_add",
        lambda o, d: reverse("performance:comment_add", args=[d.employee.pk]),
        expect(404, employee=302, supervisor=302, unit_head=302),
        "post",
    ),
    Route(
        "dialog",
        "dialog_list",
        lambda o, d: reverse("performance:dialog_list", args=[d.employee.pk]),
        expect(200, **VISIBLE),
        "get",
    ),
    Route(
        "grid",
        "realisation_grid",
        lambda o, d: reverse("performance:realisation_grid", args=[d.employee.pk, 6]),
        expect(200, **VISIBLE),
        "get",
    ),
    Route(
        "grid month 13",
        "realisation_grid",
        lambda o, d: reverse("performance:realisation_grid", args=[d.employee.pk, 13]),
        expect(404),
        "get",
    ),
    Route(
        "review",
        "realisation_review",
        lambda o, d: reverse("performance:realisation_review", args=[d.employee.pk, 6]),
        expect(404, supervisor=302),
        "post",
    ),
    Route(
        "rhk edit",
        "rhk_edit",
        lambda o, d: reverse("performance:rhk_edit", args=[d.employee_rhk.pk]),
        expect(404, **OWNER_ONLY),
        "get",
    ),
    Route(
        "rhk delete",
        "rhk_delete",
        lambda o, d: reverse("performance:rhk_delete", args=[d.employee_rhk.pk]),
        expect(404, employee=302),
        "post",
    ),
    Route(
        "rhk distribute",
        "rhk_distribute",
        lambda o, d: reverse("performance:rhk_distribute", args=[d.supervisor_rhk.pk]),
        expect(404, supervisor=200),
        "get",
    ),
    Route(
        "indicator create",
        "indicator_create",
        lambda o, d: reverse("performance:indicator_create", args=[d.employee_rhk.pk]),
        expect(404, **OWNER_ONLY),
        "get",
    ),
    Route(
        "indicator edit",
        "indicator_edit",
        lambda o, d: reverse("performance:indicator_edit", args=[d.patients.pk]),
        expect(404, **OWNER_ONLY),
        "get",
    ),
    Route(
        "indicator delete",
        "indicator_delete",
        lambda o, d: reverse("performance:indicator_delete", args=[d.patients.pk]),
        expect(404, employee=302),
        "post",
    ),
    Route(
        "behaviour",
        "behaviour_edit",
        lambda o, d: reverse("performance:behaviour_edit", args=[d.employee.behaviours.first().pk]),
        expect(404, supervisor=200),
        "get",
    ),
    Route(
        "reopen",
        "realisation_reopen",
        lambda o, d: reverse(
            "performance:realisation_reopen", args=[Realisation.objects.first().pk]
        ),
        expect(404, supervisor=302),
        "post",
    ),
    Route(
        "evidence add",
        "evidence_add",
        lambda o, d: reverse("performance:evidence_add", args=[Realisation.objects.first().pk]),
        expect(404, employee=302),
        "post",
    ),
    Route(
        "evidence download",
        "evidence_download",
        lambda o, d: reverse("performance:evidence_download", args=[_evidence(d)]),
        expect(200, **VISIBLE),
        "get",
    ),
    Route(
        "evidence delete",
        "evidence_delete",
        lambda o, d: reverse("performance:evidence_delete", args=[_evidence(d)]),
        expect(404, employee=302),
        "post",
    ),
    Route(
        "action update (no changes posted)",
        "action_update",
        lambda o, d: reverse("performance:action_update", args=[_action(o, d)]),
        expect(302, other=404),
        "post",
    ),
    Route(
        "notification open (the nurse's)",
        "notification_open",
        lambda o, d: reverse("performance:notification_open", args=[_notification(o)]),
        expect(404, employee=302),
    ),
    # The plan's documents and imports (their contents: test_documents.py, test_imports.py).
    Route(
        "pdf",
        "plan_pdf",
        lambda o, d: reverse("performance:plan_pdf", args=[d.employee.pk]),
        expect(200, other=404),
    ),
    Route(
        "xlsx",
        "plan_xlsx",
        lambda o, d: reverse("performance:plan_xlsx", args=[d.employee.pk]),
        expect(200, other=404),
    ),
    Route(
        "realisation import",
        "realisation_import",
        lambda o, d: reverse("performance:realisation_import", args=[d.employee.pk]),
        expect(404, employee=200),
    ),
    Route(
        "realisation template",
        "realisation_template",
        lambda o, d: reverse("performance:realisation_template", args=[d.employee.pk]),
        expect(404, employee=200),
    ),
    Route(
        "goal import",
        "goal_import",
        lambda o, d: reverse("performance:goal_import"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "goal template",
        "goal_template",
        lambda o, d: reverse("performance:goal_template"),
        expect(404, admin_opd=200, bkpsdm=200),
    ),
    Route(
        "api plan (the nurse's)",
        "api:get_plan",
        lambda o, d: f"/api/v1/plans/{d.employee.pk}",
        expect(200, anonymous=401, **VISIBLE),
    ),
    Route(
        "notifications",
        "notification_list",
        lambda o, d: reverse("performance:notification_list"),
        expect(200),
        "get",
    ),
]


@pytest.mark.parametrize(("route", "persona"), by_persona(ROUTES, PERSONAS))
def test_each_persona_gets_what_the_policy_says(
    org: Org, data: Plans, route: Route, persona: str
) -> None:
    check_persona(org, route, persona, data)


def test_every_performance_url_is_in_the_matrix() -> None:
    """A new performance URL without a row in the matrix fails this test."""
    assert uncovered("performance", ROUTES) == [], "missing from the matrix"


def test_the_grid_saves_all_rows_or_none(org: Org, employee_plan: Plans) -> None:
    client = client_for(org, "employee")
    url = reverse("performance:realisation_grid", args=[employee_plan.employee.pk, 6])
    bad = client.post(
        url,
        {
            f"value-{employee_plan.patients.pk}": "120",
            f"value-{employee_plan.response_time.pk}": "lima",
        },
    )
    assert bad.status_code == 200 and "bukan angka" in bad.content.decode()
    assert 'value="120"' in bad.content.decode()  # what was typed is kept
    assert not Realisation.objects.exists()
    ok = client.post(
        url,
        {
            f"value-{employee_plan.patients.pk}": "120",
            f"narrative-{employee_plan.patients.pk}": "Poli umum",
            f"value-{employee_plan.response_time.pk}": "7,5",
        },
    )
    assert ok.status_code == 302
    assert Realisation.objects.get(indicator=employee_plan.response_time).value == Decimal("7.5")
    page = client.get(url).content.decode()
    assert 'value="120"' in page and "Poli umum" in page


def test_a_stale_grid_is_refused_through_http(org: Org, employee_plan: Plans) -> None:
    client = client_for(org, "employee")
    url = reverse("performance:realisation_grid", args=[employee_plan.employee.pk, 6])
    client.post(url, {f"value-{employee_plan.patients.pk}": "100"})
    revision = Realisation.objects.get().revision
    first = {
        f"value-{employee_plan.patients.pk}": "110",
        f"revision-{employee_plan.patients.pk}": str(revision),
    }
    second = {
        f"value-{employee_plan.patients.pk}": "130",
        f"revision-{employee_plan.patients.pk}": str(revision),
    }
    client.post(url, first)
    response = client.post(url, second, follow=True)
    assert "diubah di tempat lain" in response.content.decode()
    assert Realisation.objects.get().value == 110


HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "main"}  # what the grid's hx-post sends


def _form_fields(body: str) -> dict[str, str]:
    """The grid form's fields as the browser would post them again."""
    fields = dict(re.findall(r'name="((?:value|revision)-\d+)" value="([^"]*)"', body))
    for name, text in re.findall(r'<textarea name="(narrative-\d+)"[^>]*>([^<]*)</textarea>', body):
        fields[name] = html.unescape(text)
    return fields


def test_a_second_tab_sees_what_the_first_saved_and_cannot_overwrite_it_unseen(
    org: Org, employee_plan: Plans
) -> None:
    """Tab A saves 80 with a note after tab B opened the month. B's save of 90 is refused
    whole; the page shows B the stored 80 and A's note in the box, with B's 90 in the row's
    message, and B's other row as typed. Posting that page again as it stands keeps A's values
    (an audit found that it used to store B's 90 and erase A's note without anyone seeing)."""
    patients, response_time = employee_plan.patients, employee_plan.response_time
    tab_a, tab_b = client_for(org, "employee"), client_for(org, "employee")
    url = reverse("performance:realisation_grid", args=[employee_plan.employee.pk, 6])
    tab_a.post(url, {f"value-{patients.pk}": "70"})
    opened = Realisation.objects.get(indicator=patients).revision
    tab_a.post(
        url,
        {
            f"value-{patients.pk}": "80",
            f"narrative-{patients.pk}": "Tab A catatan",
            f"revision-{patients.pk}": str(opened),
        },
    )
    stored = Realisation.objects.get(indicator=patients)
    refused = tab_b.post(
        url,
        {
            f"value-{patients.pk}": "90",
            f"narrative-{patients.pk}": "",
            f"revision-{patients.pk}": str(opened),
            f"value-{response_time.pk}": "7,5",
        },
        **HTMX,
    )
    body = refused.content.decode()
    assert refused.status_code == 200 and "telah diubah di tempat lain" in body
    assert not Realisation.objects.filter(indicator=response_time).exists()  # nothing saved
    again = _form_fields(body)
    assert again[f"value-{patients.pk}"] == "80"
    assert again[f"narrative-{patients.pk}"] == "Tab A catatan"
    assert again[f"revision-{patients.pk}"] == str(stored.revision)
    assert again[f"value-{response_time.pk}"] == "7,5"  # B's own row as typed
    assert "Nilai di halaman Anda tadi (belum disimpan): 90" in body
    saved = tab_b.post(url, again, **HTMX)
    assert "Realisasi Juni disimpan." in saved.content.decode()
    kept = Realisation.objects.get(indicator=patients)
    assert (kept.value, kept.narrative) == (Decimal(80), "Tab A catatan")
    assert Realisation.objects.get(indicator=response_time).value == Decimal("7.5")


def test_the_grid_saved_with_htmx_answers_the_page_in_place(org: Org, employee_plan: Plans) -> None:
    """The grid's form posts with htmx: the answer is the updated page's <main> with its
    message, in one request (no redirect, no second GET); errors are shown the same way."""
    client = client_for(org, "employee")
    patients, response_time = employee_plan.patients, employee_plan.response_time
    url = reverse("performance:realisation_grid", args=[employee_plan.employee.pk, 6])
    bad = client.post(
        url, {f"value-{patients.pk}": "120", f"value-{response_time.pk}": "lima"}, **HTMX
    )
    body = bad.content.decode()
    assert bad.status_code == 200 and body.lstrip().startswith('<main id="main"')
    assert "<header" not in body and "bukan angka" in body and 'value="120"' in body
    assert "belum ada yang disimpan" in body and not Realisation.objects.exists()
    ok = client.post(
        url,
        {
            f"value-{patients.pk}": "120,0",
            f"narrative-{patients.pk}": "Poli umum",
            f"value-{response_time.pk}": "7,5",
        },
        **HTMX,
    )
    body = ok.content.decode()
    assert (
        ok.status_code == 200
        and body.lstrip().startswith('<main id="main"')
        and "<footer" not in body
    )
    assert 'class="message success">Realisasi Juni disimpan.' in body
    assert f'name="value-{patients.pk}" value="120"' in body  # what is stored, not what was typed
    assert f'name="revision-{patients.pk}" value="1"' in body  # the next save's revisions
    assert 'hx-post="' + url + '"' in body and "Poli umum" in body
    assert Realisation.objects.get(indicator=response_time).value == Decimal("7.5")
    page = client.get(url).content.decode()  # the message was shown once, not again
    assert "Realisasi Juni disimpan." not in page and 'value="120"' in page
    stale = client.post(
        url, {f"value-{patients.pk}": "130", f"revision-{patients.pk}": "0"}, **HTMX
    )
    assert stale.status_code == 200 and "diubah di tempat lain" in stale.content.decode()
    assert Realisation.objects.get(indicator=patients).value == 120
    # Only the owner saves, with htmx or not; a plain post still redirects (POST/redirect/GET).
    other = client_for(org, "supervisor").post(url, {f"value-{patients.pk}": "1"}, **HTMX)
    assert other.status_code == 404
    plain = client.post(url, {f"value-{patients.pk}": "140", f"revision-{patients.pk}": "1"})
    assert plain.status_code == 302 and plain.url == url


def test_evidence_uploads_through_http_and_downloads_only_in_scope(org: Org, data: Plans) -> None:
    client = client_for(org, "employee")
    realisation = Realisation.objects.get()
    url = reverse("performance:evidence_add", args=[realisation.pk])
    fake = SimpleUploadedFile("laporan.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(url, {"file": fake}, follow=True)
    assert "tidak diizinkan" in response.content.decode()
    assert Evidence.objects.count() == 1
    item = Evidence.objects.get()
    download = client_for(org, "supervisor").get(
        reverse("performance:evidence_download", args=[item.pk])
    )
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert download["X-Content-Type-Options"] == "nosniff"


def test_plan_page_shows_cascade_feedback_and_values(org: Org, data: Plans) -> None:
    text = (
        client_for(org, "supervisor")
        .get(reverse("performance:plan_detail", args=[data.employee.pk]))
        .content.decode()
    )
    assert "Terlaksananya pelayanan Puskesmas" in text  # the intervened parent RHK
    assert "Berorientasi Pelayanan" in text and "Kolaboratif" in text
    assert "Jumlah pasien terlayani" in text


def test_html_in_user_text_is_escaped(org: Org, employee_plan: Plans) -> None:
    services.comment_add(
        plan=employee_plan.employee,
        by=org.users["supervisor"],
        body="<script>alert('x')</script>",
        rhk=employee_plan.employee_rhk,
    )
    text = (
        client_for(org, "employee")
        .get(reverse("performance:plan_detail", args=[employee_plan.employee.pk]))
        .content.decode()
    )
    assert "<script>alert" not in text and "&lt;script&gt;" in text


def _grow_team(org: Org, plans: Plans, n: int) -> None:
    from tests.factories import EmployeeFactory

    for i in range(n):
        person = EmployeeFactory(name=f"Anggota {i}", unit=org.puskesmas, supervisor=org.supervisor)
        from tests.factories import make_user

        user = make_user(employee=person)
        plan = services.plan_create(employee=person, year=2026, by=user)
        rhk = services.rhk_add(
            plan=plan, by=user, kind="utama", text=f"RHK {i}", parent=plans.supervisor_rhk
        )
        services.indicator_add(
            rhk=rhk,
            by=user,
            aspek="kuantitas",
            name="Jumlah",
            unit_of_measure="x",
            target=Decimal(12),
            polarity="higher_is_better",
            aggregation="sum",
        )


@pytest.mark.parametrize(
    "url_name, persona",
    [
        ("performance:team_plans", "unit_head"),
        ("performance:team_cascade", "unit_head"),
        ("performance:approval_inbox", "supervisor"),
    ],
)
def test_team_pages_have_a_fixed_query_count(
    org: Org, data: Plans, url_name: str, persona: str, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, persona)
    client.get(reverse(url_name))
    with django_assert_max_num_queries(20) as small:
        client.get(reverse(url_name))
    _grow_team(org, data, 6)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_plan_and_grid_pages_have_a_fixed_query_count(
    org: Org, data: Plans, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_for(org, "employee")
    urls = [
        reverse("performance:plan_detail", args=[data.employee.pk]),
        reverse("performance:realisation_grid", args=[data.employee.pk, 6]),
    ]
    for url in urls:
        client.get(url)
    with django_assert_max_num_queries(40) as small:
        for url in urls:
            client.get(url)
    user = org.users["employee"]
    services.realisation_save_month(
        plan=data.employee,
        month=5,
        by=user,
        rows=[
            services.RealisationInput(data.patients, Decimal(90)),
            services.RealisationInput(data.response_time, Decimal(9)),
        ],
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        for url in urls:
            client.get(url)


def test_the_plan_api_is_scoped_and_returns_the_figures(org: Org, data: Plans) -> None:
    url = f"/api/v1/plans/{data.employee.pk}"
    assert client_for(org, "other").get(url).status_code == 404
    assert client_for(org, "anonymous").get(url).status_code == 401
    body = client_for(org, "supervisor").get(url).json()
    patients = next(i for i in body["indicators"] if i["name"] == "Jumlah pasien terlayani")
    assert patients["months"] == {"6": "100.0000"}
    assert body["status"] == "disetujui"


def test_team_plans_are_paged_and_searchable_in_the_database(
    org: Org, data: Plans, settings, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    """The top official's /skp/tim/ read every plan of ten thousand people (1.8 s at the
    Kepala Dinas's scale): now one page of TEAM_PLANS_PAGE_SIZE, the same queries whatever the
    team, and a search by name or NIP."""
    from kinerja.performance import selectors

    selectors.TEAM_PLANS_PAGE_SIZE = 2
    try:
        client = client_for(org, "unit_head")
        first = client.get(reverse("performance:team_plans"))
        assert first.status_code == 200
        page = first.context["page"]
        assert len(first.context["rows"]) == 2 and page.paginator.count > 2
        second = client.get(reverse("performance:team_plans") + "?page=2")
        names = {r.employee.pk for r in first.context["rows"]}
        assert names.isdisjoint(r.employee.pk for r in second.context["rows"])
        found = client.get(reverse("performance:team_plans"), {"q": org.employee.name[:5]})
        assert org.employee.pk in {r.employee.pk for r in found.context["rows"]}
        none = client.get(reverse("performance:team_plans"), {"q": "zzzz tidak ada"})
        assert "Tidak ada anggota tim" in none.content.decode()
    finally:
        selectors.TEAM_PLANS_PAGE_SIZE = 50


def test_the_cascade_shows_three_levels_and_continues_on_demand(org: Org, data: Plans) -> None:
    """The Sekda's cascade was the whole regency's RHK tree (1.0 s for a Kepala Dinas): now
    CASCADE_LEVELS levels, with a link to continue into a member's team; outsiders get 404."""
    from kinerja.performance import selectors

    selectors.CASCADE_LEVELS = 2
    try:
        client = client_for(org, "unit_head")
        page = client.get(reverse("performance:team_cascade"))
        body = page.content.decode()
        assert page.status_code == 200
        assert f"atasan={org.supervisor.pk}" in body and "lanjutkan ke tim" in body
        assert org.employee.full_name not in body  # two levels: the head and the supervisor
        deeper = client.get(reverse("performance:team_cascade"), {"atasan": org.supervisor.pk})
        assert deeper.status_code == 200 and org.employee.full_name in deeper.content.decode()
        outsider = client_for(org, "employee").get(
            reverse("performance:team_cascade"), {"atasan": org.unit_head.pk}
        )
        assert outsider.status_code == 404
    finally:
        selectors.CASCADE_LEVELS = 3
