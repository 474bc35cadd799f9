"""Every URL of community participation × every persona → the expected status.

Citizens' pages answer everyone (200). Staff pages: anonymous visitors go to the login page
(302); the readers of a unit (its OPD's admin, BKPSDM, Pimpinan, Inspektorat, the heads and
supervisors in or above it) get 200; everyone else 404. Changes are for the administrators only
(the OPD's admin, BKPSDM).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from kinerja.public import documents, services
from tests.access import Route, check_route, uncovered
from tests.conftest import PERSONAS

from .conftest import Pub


@dataclass
class World:
    pub: Pub
    complaint: object
    topic: object
    post: object
    device: object


@pytest.fixture
def world(pub, settings, tmp_path, monkeypatch) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    # The PDFs themselves are tested in test_documents; here only who may fetch them matters.
    monkeypatch.setattr(documents, "render_pdf", lambda template, context: b"%PDF-1.4 test")
    complaint = services.complaint_file(
        unit=pub.org.puskesmas,
        service=pub.pkm,
        kind="pengaduan",
        category="waktu",
        description="Antrean sangat lama di loket pendaftaran.",
    )
    complaint.attachment.save("a.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    _p, token = services.participant_signup(email="w@example.id", nickname="Warga")
    participant = services.participant_confirm(token=token)
    participant.trusted = True
    participant.save()
    topic = services.topic_start(
        participant=participant,
        unit=pub.org.puskesmas,
        service=pub.pkm,
        title="Jam buka",
        body="Buka hari Sabtu?",
    )
    device, _token = services.device_issue(service=pub.pkm, name="Tablet", by=None)
    return World(pub, complaint, topic, topic.posts.get(), device)


def table(default: int, anonymous: int = 302, **overrides: int) -> dict[str, int]:
    result = dict.fromkeys(PERSONAS, default)
    result["anonymous"] = anonymous
    result.update(overrides)
    return result


EVERYONE = dict.fromkeys(PERSONAS, 200)
# Readers of the Puskesmas (Dinas Kesehatan): everyone but the nurse and the Disdik teacher.
DINKES_READERS = table(200, employee=404, other=404)
# Readers of the Disdik unit: only the regency-wide roles.
DISDIK_READERS = table(404, bkpsdm=200, pimpinan=200, inspektorat=200)
DINKES_ADMINS = table(404, admin_opd=200, bkpsdm=200)


def admins(status: int) -> dict[str, int]:
    return table(404, admin_opd=status, bkpsdm=status)


ROUTES = [
    Route("portal", "portal", lambda o, w: "/warga/", EVERYONE),
    Route("portal at the site address (anonymous)", "home:home", lambda o, w: "/", EVERYONE),
    Route("survey index", "survey_index", lambda o, w: "/survei/", EVERYONE),
    Route("survey form", "survey_form", lambda o, w: "/survei/PKM01-UMUM/", EVERYONE),
    Route(
        "survey form (unknown)",
        "survey_form",
        lambda o, w: "/survei/NOPE/",
        dict.fromkeys(PERSONAS, 404),
    ),
    Route(
        "survey thanks", "survey_thanks", lambda o, w: "/survei/PKM01-UMUM/terima-kasih/", EVERYONE
    ),
    Route("survey kiosk", "survey_kiosk", lambda o, w: "/survei/PKM01-UMUM/kios/", EVERYONE),
    Route("complaint form", "complaint_create", lambda o, w: "/pengaduan/", EVERYONE),
    Route("complaint track", "complaint_track", lambda o, w: "/pengaduan/lacak/", EVERYONE),
    Route(
        "complaint status",
        "complaint_status",
        lambda o, w: f"/pengaduan/lacak/{w.complaint.tracking_code}/",
        EVERYONE,
    ),
    Route(
        "complaint rate",
        "complaint_rate",
        lambda o, w: f"/pengaduan/lacak/{w.complaint.tracking_code}/nilai/",
        EVERYONE,
        "post",
    ),
    Route(
        "complaint reopen",
        "complaint_reopen",
        lambda o, w: f"/pengaduan/lacak/{w.complaint.tracking_code}/buka-kembali/",
        EVERYONE,
        "post",
    ),
    Route("forum", "forum_index", lambda o, w: "/forum/", EVERYONE),
    Route("forum topic", "forum_topic", lambda o, w: f"/forum/topik/{w.topic.pk}/", EVERYONE),
    Route(
        "forum new topic",
        "forum_topic_create",
        lambda o, w: "/forum/topik/baru/",
        dict.fromkeys(PERSONAS, 302),
    ),
    Route(
        "forum official answer",
        "forum_official",
        lambda o, w: f"/forum/topik/{w.topic.pk}/jawaban-resmi/",
        table(404, admin_opd=302, bkpsdm=302),
        "post",
    ),
    Route(
        "forum report",
        "forum_report",
        lambda o, w: f"/forum/kiriman/{w.post.pk}/laporkan/",
        dict.fromkeys(PERSONAS, 302),
        "post",
    ),
    Route("forum sign-up", "forum_signup", lambda o, w: "/forum/masuk/", EVERYONE),
    Route(
        "forum confirm",
        "forum_confirm",
        lambda o, w: "/forum/konfirmasi/salah/",
        dict.fromkeys(PERSONAS, 302),
    ),
    Route(
        "forum sign-out",
        "forum_signout",
        lambda o, w: "/forum/keluar/",
        dict.fromkeys(PERSONAS, 302),
        "post",
    ),
    Route(
        "forum account deletion",
        "forum_erase",
        lambda o, w: "/forum/hapus-akun/",
        dict.fromkeys(PERSONAS, 302),
    ),
    Route("transparency", "transparency_index", lambda o, w: "/transparansi/", EVERYONE),
    Route(
        "transparency unit",
        "transparency_unit",
        lambda o, w: f"/transparansi/unit/{w.pub.org.puskesmas.pk}/",
        EVERYONE,
    ),
    Route(
        "transparency OPD",
        "transparency_unit",
        lambda o, w: f"/transparansi/unit/{w.pub.org.dinkes.pk}/",
        EVERYONE,
    ),
    Route("staff dashboard", "staff_dashboard", lambda o, w: "/layanan-publik/", table(200)),
    Route(
        "survey questions",
        "question_list",
        lambda o, w: "/layanan-publik/pertanyaan/",
        table(404, bkpsdm=200),
    ),
    Route(
        "survey question edit",
        "question_edit",
        lambda o, w: "/layanan-publik/pertanyaan/U3/",
        table(404, bkpsdm=200),
    ),
    Route(
        "survey question edit (unknown unsur)",
        "question_edit",
        lambda o, w: "/layanan-publik/pertanyaan/U10/",
        table(404),
    ),
    Route(
        "unit page (Puskesmas)",
        "unit_manage",
        lambda o, w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/",
        DINKES_READERS,
    ),
    Route(
        "unit page (Disdik)",
        "unit_manage",
        lambda o, w: f"/layanan-publik/unit/{w.pub.disdik_unit.pk}/",
        DISDIK_READERS,
    ),
    Route(
        "service create",
        "service_create",
        lambda o, w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/layanan/tambah/",
        DINKES_ADMINS,
    ),
    Route(
        "service create (Disdik)",
        "service_create",
        lambda o, w: f"/layanan-publik/unit/{w.pub.disdik_unit.pk}/layanan/tambah/",
        table(404, bkpsdm=200),
    ),
    Route(
        "unit results",
        "unit_results",
        lambda o, w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/hasil/",
        DINKES_READERS,
    ),
    Route(
        "follow-up save",
        "follow_up_save",
        lambda o, w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/tindak-lanjut/",
        admins(302),
        "post",
    ),
    Route(
        "unit report",
        "unit_report",
        lambda o, w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/laporan-skm.pdf",
        DINKES_READERS,
    ),
    Route(
        "service page",
        "service_manage",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/",
        DINKES_READERS,
    ),
    Route(
        "service page (Disdik)",
        "service_manage",
        lambda o, w: "/layanan-publik/layanan/DISDIK-PPDB/",
        DISDIK_READERS,
    ),
    Route(
        "service edit",
        "service_edit",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/ubah/",
        DINKES_ADMINS,
    ),
    Route(
        "service edit (Disdik)",
        "service_edit",
        lambda o, w: "/layanan-publik/layanan/DISDIK-PPDB/ubah/",
        table(404, bkpsdm=200),
    ),
    Route(
        "population",
        "service_population",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/populasi/",
        DINKES_ADMINS,
    ),
    Route(
        "device issue",
        "device_issue",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/kios/",
        admins(302),
        "post",
    ),
    Route(
        "device revoke",
        "device_revoke",
        lambda o, w: f"/layanan-publik/kios/{w.device.pk}/cabut/",
        admins(302),
        "post",
    ),
    Route(
        "poster",
        "service_poster",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/poster.pdf",
        DINKES_READERS,
    ),
    Route(
        "paper entry",
        "paper_entry",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/kuesioner/",
        DINKES_ADMINS,
    ),
    Route(
        "paper import",
        "paper_import",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/kuesioner/impor/",
        DINKES_ADMINS,
        "post",
    ),
    Route(
        "paper template",
        "paper_template",
        lambda o, w: "/layanan-publik/layanan/PKM01-UMUM/kuesioner/templat.xlsx",
        DINKES_ADMINS,
    ),
    Route(
        "complaint inbox", "complaint_inbox", lambda o, w: "/layanan-publik/pengaduan/", table(200)
    ),
    Route(
        "complaint page",
        "complaint_manage",
        lambda o, w: f"/layanan-publik/pengaduan/{w.complaint.pk}/",
        DINKES_READERS,
    ),
    Route(
        "complaint act",
        "complaint_act",
        lambda o, w: f"/layanan-publik/pengaduan/{w.complaint.pk}/tindak/",
        DINKES_ADMINS,
        "post",
    ),
    Route(
        "complaint remove",
        "complaint_remove",
        lambda o, w: f"/layanan-publik/pengaduan/{w.complaint.pk}/spam/",
        DINKES_ADMINS,
        "post",
    ),
    Route(
        "complaint attachment",
        "complaint_attachment",
        lambda o, w: f"/layanan-publik/pengaduan/{w.complaint.pk}/lampiran/",
        DINKES_READERS,
    ),
    Route(
        "forum moderation", "forum_moderation", lambda o, w: "/layanan-publik/forum/", DINKES_ADMINS
    ),
    Route(
        "forum moderate",
        "forum_moderate",
        lambda o, w: f"/layanan-publik/forum/kiriman/{w.post.pk}/moderasi/",
        admins(302),
        "post",
    ),
    Route(
        "api ikm",
        "api:public_ikm",
        lambda o, w: "/api/v1/public/ikm?layanan=PKM01-UMUM&from=2026-01-01&to=2026-12-31",
        EVERYONE,
    ),
    Route(
        "api kiosk (no token)",
        "api:kiosk_submit",
        lambda o, w: "/api/v1/public/surveys/PKM01-UMUM/responses",
        dict.fromkeys(PERSONAS, 401),
        "post",
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_it_answers_each_persona_as_the_policy_says(world: World, route: Route) -> None:
    check_route(world.pub.org, route, world, personas=PERSONAS)


def test_it_lists_every_public_url_in_the_matrix() -> None:
    assert uncovered("public", ROUTES) == [], "URLs missing from the access matrix"
