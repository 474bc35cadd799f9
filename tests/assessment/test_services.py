"""The assessment services: ratings through the matrix, suggestions and reasons, the curve at
finalisation, locking, who may rate, and the objection flow with its 14-day window."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kinerja.assessment import services
from kinerja.assessment.choices import ObjectionStatus
from kinerja.assessment.models import Assessment, Finalisation
from kinerja.core.models import AuditLog, Notification
from kinerja.rules.assessment import PREDIKAT_MATRIX
from kinerja.rules.enums import OrgPredikat, Rating
from tests.conftest import Org

from .conftest import Q1, Team, rate, set_org, values

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("cell", "expected"), list(PREDIKAT_MATRIX.items()), ids=str)
def test_it_sets_the_predikat_of_every_matrix_cell(org: Org, team: Team, cell, expected) -> None:
    hasil, perilaku = cell
    assessment = rate(org, team.plans.employee, hasil.value, perilaku.value)
    assert assessment.predikat == expected.value
    assert assessment.suggested_hasil == Rating.DI_ATAS
    assert assessment.suggested_perilaku == perilaku.value
    assert assessment.hasil_overridden == (hasil != Rating.DI_ATAS)
    assert AuditLog.objects.filter(object_type="assessment.assessment").exists()


def test_it_suggests_from_the_indicators_and_the_majority_of_values(org: Org, team: Team) -> None:
    a = services.assessment_save(
        plan=team.peer_plan,
        period=Q1,
        by=org.users["supervisor"],
        behaviour=values(
            "sesuai", kompeten="di_atas", loyal="di_atas", adaptif="di_atas", harmonis="di_atas"
        ),
        hasil="di_bawah",
        perilaku="di_atas",
    )
    assert a.suggested_hasil == "di_bawah" and a.suggested_perilaku == "di_atas"
    assert a.capaian == Decimal("66.67")
    assert a.predikat == "butuh_perbaikan"


def test_it_requires_a_reason_to_differ_from_the_suggestion(org: Org, team: Team) -> None:
    with pytest.raises(ValidationError, match="alasannya"):
        rate(org, team.plans.employee, "sesuai", "sesuai", hasil_reason="")
    with pytest.raises(ValidationError, match="alasannya"):
        services.assessment_save(
            plan=team.plans.employee,
            period=Q1,
            by=org.users["supervisor"],
            behaviour=values("sesuai"),
            hasil="di_atas",
            perilaku="di_atas",
        )
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    "persona",
    ["employee", "peer", "unit_head", "bkpsdm", "pimpinan", "admin_opd", "inspektorat", "other"],
)
def test_it_lets_only_the_assessing_official_rate(org: Org, team: Team, persona: str) -> None:
    with pytest.raises(ValidationError, match="pejabat penilai"):
        rate(org, team.plans.employee, "di_atas", "sesuai", by=persona)
    assert not Assessment.objects.exists()


def test_it_rejects_bad_ratings_and_changes_nothing(org: Org, team: Team) -> None:
    with pytest.raises(ValidationError):
        services.assessment_save(
            plan=team.plans.employee,
            period=Q1,
            by=org.users["supervisor"],
            behaviour=values("sesuai", loyal="hebat"),
            hasil="di_atas",
            perilaku="sesuai",
        )
    with pytest.raises(ValidationError):
        rate(org, team.plans.employee, "luar_biasa", "sesuai")
    assert not Assessment.objects.exists()


def test_it_uses_the_unit_performance_for_a_unit_head(org: Org, team: Team) -> None:
    services.org_predikat_set(
        unit=org.puskesmas,
        period=Q1,
        predikat="istimewa",
        reason="Capaian puskesmas tinggi",
        by=org.users["unit_head"],
    )
    a = rate(org, team.plans.supervisor, "di_atas", "sesuai", by="unit_head")
    assert a.is_unit_head and a.suggested_hasil == "di_atas" and not a.hasil_overridden


def test_only_the_official_above_sets_the_org_predikat(org: Org, team: Team) -> None:
    for persona in ("unit_head", "bkpsdm", "supervisor", "employee"):
        with pytest.raises(ValidationError):
            services.org_predikat_set(
                unit=org.dinkes, period=Q1, predikat="baik", reason="x", by=org.users[persona]
            )
    with pytest.raises(ValidationError):
        services.org_predikat_set(
            unit=org.puskesmas, period=Q1, predikat="baik", reason="x", by=org.users["supervisor"]
        )
    set_org(org, "baik")


def _finalise(org: Org, justification: str = "") -> list[Finalisation]:
    return services.team_finalise(
        by=org.users["supervisor"], period=Q1, justification=justification
    )


def test_it_refuses_to_finalise_without_the_org_predikat(org: Org, team: Team) -> None:
    rate(org, team.plans.employee, "di_atas", "sesuai")
    with pytest.raises(ValidationError, match="belum ditetapkan"):
        _finalise(org)


# For each organisation predikat, a spread of the two employees that breaks the curve and one
# that keeps it (n = 2).
CURVE_CASES = {
    OrgPredikat.ISTIMEWA: (
        (("di_atas", "di_atas"), ("di_atas", "di_atas")),
        (("di_atas", "di_atas"), ("sesuai", "sesuai")),
    ),
    OrgPredikat.BAIK: (
        (("di_atas", "sesuai"), ("sesuai", "sesuai")),
        (("di_atas", "sesuai"), ("di_bawah", "sesuai")),
    ),
    OrgPredikat.BUTUH_PERBAIKAN: (
        (("di_atas", "sesuai"), ("di_bawah", "sesuai")),
        (("di_bawah", "sesuai"), ("di_bawah", "di_atas")),
    ),
    OrgPredikat.KURANG: ((("di_atas", "di_atas"), ("di_bawah", "sesuai")), None),
    OrgPredikat.SANGAT_KURANG: ((("di_atas", "di_atas"), ("di_bawah", "di_bawah")), None),
}


@pytest.mark.parametrize("org_predikat", list(OrgPredikat), ids=lambda p: p.value)
def test_it_checks_the_curve_at_finalisation(org: Org, team: Team, org_predikat) -> None:
    bad, good = CURVE_CASES[org_predikat]
    set_org(org, org_predikat.value)
    rate(org, team.plans.employee, *bad[0])
    rate(org, team.peer_plan, *bad[1])
    from kinerja.assessment import selectors

    live = selectors.distributions([org.dinkes.pk], Q1)[org.dinkes.pk]
    assert live.violations, "the live view shows the violation"
    with pytest.raises(ValidationError, match="justifikasi"):
        _finalise(org)
    assert not Assessment.objects.filter(status="final").exists()
    if good is not None:
        rate(org, team.plans.employee, *good[0])
        rate(org, team.peer_plan, *good[1])
        assert not selectors.distributions([org.dinkes.pk], Q1)[org.dinkes.pk].violations
        [fin] = _finalise(org)
        assert fin.violations == [] and fin.justification == ""
    else:
        [fin] = _finalise(org, "Organisasi kecil; kurva tidak dapat dipenuhi dengan dua pegawai.")
        assert fin.violations and fin.justification
    assert Assessment.objects.filter(status="final").count() == 2


def test_finalising_locks_notifies_and_computes_angka_kredit(org: Org, team: Team) -> None:
    set_org(org, "istimewa")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    with django_capture_on_commit():
        _finalise(org)
    a = Assessment.objects.get(employee=org.employee)
    assert a.is_final and a.code and len(a.code) >= 16
    # Perawat Ahli Pertama, Baik, 3 months: 3/12 × 100% × 12.5 = 3.125 → 3.13
    assert a.angka_kredit == Decimal("3.13")
    assert a.snapshot["rows"][0]["indicator"] == "Jumlah pasien terlayani"
    assert Notification.objects.filter(recipient=org.users["employee"]).exists()
    with pytest.raises(ValidationError, match="terkunci"):
        rate(org, team.plans.employee, "sesuai", "sesuai")
    a.refresh_from_db()
    assert a.hasil == "di_atas"


def django_capture_on_commit():  # type: ignore[no-untyped-def]
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def final(org: Org, team: Team) -> Assessment:
    set_org(org, "istimewa")
    rate(org, team.plans.employee, "di_atas", "sesuai")
    _finalise(org)
    return Assessment.objects.get(employee=org.employee)


def test_the_objection_window_is_14_days_from_being_shown(
    org: Org, final: Assessment, time_machine
) -> None:
    user = org.users["employee"]
    with pytest.raises(ValidationError, match="14 hari"):
        services.objection_submit(assessment=final, by=user, reasons="x" * 30)
    services.assessment_show(assessment=final, by=user)
    shown = final.shown_at
    time_machine.move_to(shown + timedelta(days=14, seconds=1), tick=False)
    assert not services.objection_window_open(final)
    with pytest.raises(ValidationError, match="14 hari"):
        services.objection_submit(assessment=final, by=user, reasons="x" * 30)
    time_machine.move_to(shown + timedelta(days=14), tick=False)
    assert services.objection_window_open(final)
    services.objection_submit(
        assessment=final, by=user, reasons="Capaian saya tidak dihitung utuh."
    )


def test_showing_is_recorded_once_and_only_for_the_employee(org: Org, final: Assessment) -> None:
    services.assessment_show(assessment=final, by=org.users["supervisor"])
    assert final.shown_at is None
    services.assessment_show(assessment=final, by=org.users["employee"])
    first = final.shown_at
    services.assessment_show(assessment=final, by=org.users["employee"])
    assert final.shown_at == first is not None


def test_attachments_are_checked_by_content_and_size(org: Org, final: Assessment) -> None:
    user = org.users["employee"]
    services.assessment_show(assessment=final, by=user)
    for name, data in [
        ("surat.pdf", b"MZ\x90\x00 not a pdf"),
        ("besar.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024)),
    ]:
        with pytest.raises(ValidationError):
            services.objection_submit(
                assessment=final, by=user, reasons="r" * 30, files=[(name, data)]
            )
    assert not final.objections.exists()
    o = services.objection_submit(
        assessment=final,
        by=user,
        reasons="r" * 30,
        files=[("bukti.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)],
    )
    assert o.attachments.get().content_type == "image/png"


def test_only_the_assessors_superior_decides_and_the_decision_changes_the_result(
    org: Org, final: Assessment
) -> None:
    employee = org.users["employee"]
    services.assessment_show(assessment=final, by=employee)
    o = services.objection_submit(assessment=final, by=employee, reasons="Perilaku saya baik " * 3)
    assert o.decider == org.unit_head
    for persona in ("supervisor", "employee", "bkpsdm", "pimpinan"):
        with pytest.raises(ValidationError, match="atasan pejabat penilai"):
            services.objection_request_explanations(objection=o, by=org.users[persona])
    with pytest.raises(ValidationError, match="penjelasan"):
        services.objection_decide(
            objection=o, by=org.users["unit_head"], outcome="uphold", reason="Tetap"
        )
    services.objection_request_explanations(objection=o, by=org.users["unit_head"])
    services.objection_explain(objection=o, by=employee, body="Saya membantu tim setiap hari.")
    services.objection_explain(objection=o, by=org.users["supervisor"], body="Penilaian sesuai.")
    with pytest.raises(ValidationError):
        services.objection_explain(
            objection=o, by=org.users["other"], body="Bukan pihak sama sekali"
        )
    services.objection_decide(
        objection=o,
        by=org.users["unit_head"],
        outcome="change",
        hasil="di_atas",
        perilaku="di_atas",
        reason="Bukti perilaku kuat.",
    )
    final.refresh_from_db()
    o.refresh_from_db()
    assert final.predikat == "sangat_baik" and final.angka_kredit == Decimal("4.69")
    # The perilaku now differs from the suggestion (Sesuai): the decision is its reason.
    assert final.perilaku_overridden
    assert final.perilaku_reason == "Diubah oleh keputusan keberatan: Bukti perilaku kuat."
    assert not final.hasil_overridden and final.hasil_reason == ""
    assert o.status == ObjectionStatus.CHANGED
    assert o.before["predikat"] == "baik" and o.after["predikat"] == "sangat_baik"
    with pytest.raises(ValidationError, match="final"):
        services.objection_decide(
            objection=o, by=org.users["unit_head"], outcome="uphold", reason="Lagi"
        )


def test_a_second_objection_is_refused(org: Org, final: Assessment) -> None:
    services.assessment_show(assessment=final, by=org.users["employee"])
    services.objection_submit(assessment=final, by=org.users["employee"], reasons="a" * 25)
    with pytest.raises(ValidationError, match="sudah diajukan"):
        services.objection_submit(assessment=final, by=org.users["employee"], reasons="b" * 25)


def test_acknowledging(org: Org, final: Assessment) -> None:
    with pytest.raises(ValidationError):
        services.assessment_acknowledge(assessment=final, by=org.users["supervisor"])
    services.assessment_acknowledge(assessment=final, by=org.users["employee"])
    assert final.acknowledged_at and final.shown_at
    with pytest.raises(ValidationError):
        services.assessment_acknowledge(assessment=final, by=org.users["employee"])


def test_the_result_is_unchanged_when_before_the_window_closes_nothing_is_filed(
    org: Org, final: Assessment
) -> None:
    final.shown_at = timezone.now() - timedelta(days=20)
    assert not services.objection_window_open(final)


INVISIBLE = ["\u200b", "\ufeff", "\u200e", "\u0301", " \u200b\u2060 "]


@pytest.mark.parametrize("blank", INVISIBLE, ids=repr)
def test_a_reason_of_characters_that_show_nothing_is_no_reason(
    org: Org, team: Team, blank: str
) -> None:
    """Zero-width spaces, a byte-order mark, a direction mark or a lone accent pass
    `str.strip()`; a required reason made of them is refused like an empty one."""
    with pytest.raises(ValidationError, match="alasannya"):
        rate(org, team.plans.employee, "sesuai", "sesuai", hasil_reason=blank)
    assert not Assessment.objects.exists()


def test_an_objection_needs_20_characters_that_show(org: Org, final: Assessment) -> None:
    user = org.users["employee"]
    services.assessment_show(assessment=final, by=user)
    for reasons in ["\u200b" * 25, "Tidak adil" + "\u200b" * 15, "a\u0301" * 19]:
        with pytest.raises(ValidationError, match="paling sedikit 20 karakter"):
            services.objection_submit(assessment=final, by=user, reasons=reasons)
    assert not final.objections.exists()
    o = services.objection_submit(
        assessment=final, by=user, reasons="\u200bCapaian saya tidak dihitung utuh.\u200b "
    )
    assert o.reasons == "Capaian saya tidak dihitung utuh."


def test_a_long_attachment_name_keeps_its_extension(org: Org, final: Assessment) -> None:
    user = org.users["employee"]
    services.assessment_show(assessment=final, by=user)
    name = "Surat keterangan " + "x" * 300 + ".pdf"
    o = services.objection_submit(
        assessment=final, by=user, reasons="r" * 30, files=[(name, b"%PDF-1.4" + b"0" * 50)]
    )
    attachment = o.attachments.get()
    assert len(attachment.original_name) == 200 and attachment.original_name.endswith("x.pdf")


def test_an_attachment_whose_content_and_extension_disagree_is_refused(
    org: Org, final: Assessment
) -> None:
    user = org.users["employee"]
    services.assessment_show(assessment=final, by=user)
    with pytest.raises(ValidationError, match=r"surat\.pdf: Isi berkas adalah gambar PNG"):
        services.objection_submit(
            assessment=final,
            by=user,
            reasons="r" * 30,
            files=[("surat.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50)],
        )
    assert not final.objections.exists()
