"""BKPSDM words the nine SKM questions for the regency (/layanan-publik/pertanyaan/): the survey
shows the new wording at once, bad input is refused with a reason and changes nothing, every
change is audited, and the default text of PermenPANRB 14/2017 can be restored."""

from __future__ import annotations

import pytest
from django.test import Client

from kinerja.core.models import AuditLog
from kinerja.public.choices import DEFAULT_QUESTIONS
from kinerja.public.models import SurveyQuestion

pytestmark = pytest.mark.django_db

LIST = "/layanan-publik/pertanyaan/"
EDIT = "/layanan-publik/pertanyaan/U3/"
NEW = {
    "question": "Berapa lama Anda menunggu sampai layanan selesai?",
    "label_1": "Sangat lama",
    "label_2": "Lama",
    "label_3": "Cepat",
    "label_4": "Sangat cepat",
}


def test_the_list_shows_the_nine_questions_with_their_defaults(pub, clients) -> None:  # type: ignore[no-untyped-def]
    page = clients["bkpsdm"].get(LIST).content.decode()
    for code in DEFAULT_QUESTIONS:
        assert f"/layanan-publik/pertanyaan/{code}/" in page
    assert DEFAULT_QUESTIONS["U3"] in page
    assert "Disesuaikan" not in page


def test_a_new_wording_is_what_citizens_see_next_and_it_is_audited(pub, clients) -> None:  # type: ignore[no-untyped-def]
    form = clients["bkpsdm"].get(EDIT).content.decode()
    assert DEFAULT_QUESTIONS["U3"] in form  # prefilled with the current text
    response = clients["bkpsdm"].post(EDIT, NEW)
    assert response.status_code == 302 and response["Location"] == LIST
    stored = SurveyQuestion.objects.get(code="U3")
    assert (stored.question, stored.label_1, stored.label_4) == (
        NEW["question"],
        "Sangat lama",
        "Sangat cepat",
    )
    survey = Client().get("/survei/PKM01-UMUM/").content.decode()
    assert NEW["question"] in survey and "Sangat cepat" in survey
    assert DEFAULT_QUESTIONS["U3"] not in survey
    listing = clients["bkpsdm"].get(LIST).content.decode()
    assert "Disesuaikan" in listing and NEW["question"] in listing
    entry = AuditLog.objects.filter(object_type="public.surveyquestion").latest("pk")
    assert entry.action == "update" and entry.actor.role == "admin_bkpsdm"
    assert entry.changes["question"][1] == NEW["question"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"question": ""}, "question"),
        ({"label_2": "   "}, "label_2"),
        ({"label_4": "x" * 61}, "label_4"),
        ({"question": "x" * 301}, "question"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(
    pub, clients, change, field
) -> None:  # type: ignore[no-untyped-def]
    response = clients["bkpsdm"].post(EDIT, {**NEW, **change})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert not SurveyQuestion.objects.exists()
    assert not AuditLog.objects.filter(object_type="public.surveyquestion").exists()


def test_the_default_text_can_be_restored(pub, clients) -> None:  # type: ignore[no-untyped-def]
    clients["bkpsdm"].post(EDIT, NEW)
    page = clients["bkpsdm"].get(EDIT).content.decode()
    assert "Kembalikan ke teks baku" in page
    response = clients["bkpsdm"].post(EDIT, {"reset": "1"}, follow=True)
    assert "kembali ke teks baku" in response.content.decode()
    assert not SurveyQuestion.objects.exists()
    assert DEFAULT_QUESTIONS["U3"] in Client().get("/survei/PKM01-UMUM/").content.decode()
    assert AuditLog.objects.filter(object_type="public.surveyquestion", action="delete").exists()
    assert "Kembalikan ke teks baku" not in clients["bkpsdm"].get(EDIT).content.decode()


def test_only_bkpsdm_may_change_the_wording(pub, clients) -> None:  # type: ignore[no-untyped-def]
    for persona in ("admin_opd", "pimpinan", "unit_head"):
        assert clients[persona].post(EDIT, NEW).status_code == 404
    assert not SurveyQuestion.objects.exists()
    dashboard = clients["bkpsdm"].get("/layanan-publik/").content.decode()
    assert LIST in dashboard
    assert LIST not in clients["admin_opd"].get("/layanan-publik/").content.decode()
