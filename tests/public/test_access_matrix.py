"""Every URL of community participation × every persona → the expected status.

Citizens' pages answer everyone (200). Staff pages: anonymous visitors go to the login page
(302); the readers of a unit (its OPD's admin, BKPSDM, Pimpinan, Inspektorat, the heads and
supervisors in or above it) get 200; everyone else 404. Changes are for the administrators only
(the OPD's admin, BKPSDM).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, resolve

from kinerja.public import documents, services
from tests.conftest import PERSONAS, client_for

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


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[World], str]
    expected: dict[str, int]
    method: str = "get"


def admins(status: int) -> dict[str, int]:
    return table(404, admin_opd=status, bkpsdm=status)


ROUTES = [
    Route("portal", lambda w: "/warga/", EVERYONE),
    Route("portal at the site address (anonymous)", lambda w: "/", EVERYONE),
    Route("survey index", lambda w: "/survei/", EVERYONE),
    Route("survey form", lambda w: "/survei/PKM01-UMUM/", EVERYONE),
    Route("survey form (unknown)", lambda w: "/survei/NOPE/", dict.fromkeys(PERSONAS, 404)),
    Route("survey thanks", lambda w: "/survei/PKM01-UMUM/terima-kasih/", EVERYONE),
    Route("survey kiosk", lambda w: "/survei/PKM01-UMUM/kios/", EVERYONE),
    Route("complaint form", lambda w: "/pengaduan/", EVERYONE),
    Route("complaint track", lambda w: "/pengaduan/lacak/", EVERYONE),
    Route("complaint status", lambda w: f"/pengaduan/lacak/{w.complaint.tracking_code}/", EVERYONE),
    Route(
        "complaint rate",
        lambda w: f"/pengaduan/lacak/{w.complaint.tracking_code}/nilai/",
        EVERYONE,
        "post",
    ),
    Route(
        "complaint reopen",
        lambda w: f"/pengaduan/lacak/{w.complaint.tracking_code}/buka-kembali/",
        EVERYONE,
        "post",
    ),
    Route("forum", lambda w: "/forum/", EVERYONE),
    Route("forum topic", lambda w: f"/forum/topik/{w.topic.pk}/", EVERYONE),
    Route("forum new topic", lambda w: "/forum/topik/baru/", dict.fromkeys(PERSONAS, 302)),
    Route(
        "forum official answer",
        lambda w: f"/forum/topik/{w.topic.pk}/jawaban-resmi/",
        table(404, admin_opd=302, bkpsdm=302),
        "post",
    ),
    Route(
        "forum report",
        lambda w: f"/forum/kiriman/{w.post.pk}/laporkan/",
        dict.fromkeys(PERSONAS, 302),
        "post",
    ),
    Route("forum sign-up", lambda w: "/forum/masuk/", EVERYONE),
    Route("forum confirm", lambda w: "/forum/konfirmasi/salah/", dict.fromkeys(PERSONAS, 302)),
    Route("forum sign-out", lambda w: "/forum/keluar/", dict.fromkeys(PERSONAS, 302), "post"),
    Route("forum account deletion", lambda w: "/forum/hapus-akun/", dict.fromkeys(PERSONAS, 302)),
    Route("transparency", lambda w: "/transparansi/", EVERYONE),
    Route(
        "transparency unit",
        lambda w: f"/transparansi/unit/{w.pub.org.puskesmas.pk}/",
        EVERYONE,
    ),
    Route("transparency OPD", lambda w: f"/transparansi/unit/{w.pub.org.dinkes.pk}/", EVERYONE),
    Route("staff dashboard", lambda w: "/layanan-publik/", table(200)),
    Route("survey questions", lambda w: "/layanan-publik/pertanyaan/", table(404, bkpsdm=200)),
    Route(
        "survey question edit", lambda w: "/layanan-publik/pertanyaan/U3/", table(404, bkpsdm=200)
    ),
    Route(
        "survey question edit (unknown unsur)",
        lambda w: "/layanan-publik/pertanyaan/U10/",
        table(404),
    ),
    Route(
        "unit page (Puskesmas)",
        lambda w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/",
        DINKES_READERS,
    ),
    Route(
        "unit page (Disdik)",
        lambda w: f"/layanan-publik/unit/{w.pub.disdik_unit.pk}/",
        DISDIK_READERS,
    ),
    Route(
        "service create",
        lambda w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/layanan/tambah/",
        DINKES_ADMINS,
    ),
    Route(
        "service create (Disdik)",
        lambda w: f"/layanan-publik/unit/{w.pub.disdik_unit.pk}/layanan/tambah/",
        table(404, bkpsdm=200),
    ),
    Route(
        "unit results",
        lambda w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/hasil/",
        DINKES_READERS,
    ),
    Route(
        "follow-up save",
        lambda w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/tindak-lanjut/",
        admins(302),
        "post",
    ),
    Route(
        "unit report",
        lambda w: f"/layanan-publik/unit/{w.pub.org.puskesmas.pk}/laporan-skm.pdf",
        DINKES_READERS,
    ),
    Route("service page", lambda w: "/layanan-publik/layanan/PKM01-UMUM/", DINKES_READERS),
    Route(
        "service page (Disdik)", lambda w: "/layanan-publik/layanan/DISDIK-PPDB/", DISDIK_READERS
    ),
    Route("service edit", lambda w: "/layanan-publik/layanan/PKM01-UMUM/ubah/", DINKES_ADMINS),
    Route(
        "service edit (Disdik)",
        lambda w: "/layanan-publik/layanan/DISDIK-PPDB/ubah/",
        table(404, bkpsdm=200),
    ),
    Route("population", lambda w: "/layanan-publik/layanan/PKM01-UMUM/populasi/", DINKES_ADMINS),
    Route(
        "device issue", lambda w: "/layanan-publik/layanan/PKM01-UMUM/kios/", admins(302), "post"
    ),
    Route(
        "device revoke", lambda w: f"/layanan-publik/kios/{w.device.pk}/cabut/", admins(302), "post"
    ),
    Route("poster", lambda w: "/layanan-publik/layanan/PKM01-UMUM/poster.pdf", DINKES_READERS),
    Route("paper entry", lambda w: "/layanan-publik/layanan/PKM01-UMUM/kuesioner/", DINKES_ADMINS),
    Route(
        "paper import",
        lambda w: "/layanan-publik/layanan/PKM01-UMUM/kuesioner/impor/",
        DINKES_ADMINS,
        "post",
    ),
    Route(
        "paper template",
        lambda w: "/layanan-publik/layanan/PKM01-UMUM/kuesioner/templat.xlsx",
        DINKES_ADMINS,
    ),
    Route("complaint inbox", lambda w: "/layanan-publik/pengaduan/", table(200)),
    Route(
        "complaint page", lambda w: f"/layanan-publik/pengaduan/{w.complaint.pk}/", DINKES_READERS
    ),
    Route(
        "complaint act",
        lambda w: f"/layanan-publik/pengaduan/{w.complaint.pk}/tindak/",
        DINKES_ADMINS,
        "post",
    ),
    Route(
        "complaint remove",
        lambda w: f"/layanan-publik/pengaduan/{w.complaint.pk}/spam/",
        DINKES_ADMINS,
        "post",
    ),
    Route(
        "complaint attachment",
        lambda w: f"/layanan-publik/pengaduan/{w.complaint.pk}/lampiran/",
        DINKES_READERS,
    ),
    Route("forum moderation", lambda w: "/layanan-publik/forum/", DINKES_ADMINS),
    Route(
        "forum moderate",
        lambda w: f"/layanan-publik/forum/kiriman/{w.post.pk}/moderasi/",
        admins(302),
        "post",
    ),
    Route(
        "api ikm",
        lambda w: "/api/v1/public/ikm?layanan=PKM01-UMUM&from=2026-01-01&to=2026-12-31",
        EVERYONE,
    ),
    Route(
        "api kiosk (no token)",
        lambda w: "/api/v1/public/surveys/PKM01-UMUM/responses",
        dict.fromkeys(PERSONAS, 401),
        "post",
    ),
]


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_it_answers_each_persona_as_the_policy_says(world: World, route: Route) -> None:
    """One world per route, every persona against it (building the world dominates the cost)."""
    wrong = []
    for persona in PERSONAS:
        client = client_for(world.pub.org, persona)
        status = getattr(client, route.method)(route.url(world)).status_code
        if status != route.expected[persona]:
            wrong.append(f"{persona}: {status} (expected {route.expected[persona]})")
    assert not wrong, f"{route.name}: " + "; ".join(wrong)


def test_it_lists_every_public_url_in_the_matrix(world: World) -> None:
    """A new URL of the app without a row here fails this test."""
    _prefix, sub = get_resolver().namespace_dict["public"]
    names = {name for name in sub.reverse_dict if isinstance(name, str)}
    covered = {
        resolve(route.url(world).split("?")[0]).url_name
        for route in ROUTES
        if not route.url(world).startswith("/api/")
    }
    assert names <= covered, f"URLs missing from the access matrix: {sorted(names - covered)}"
