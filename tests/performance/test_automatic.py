"""Community participation back into performance: automatic realisations from the survey."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from kinerja.performance import services
from kinerja.performance.models import Realisation
from kinerja.public import services as public
from tests.conftest import Org
from tests.performance.conftest import Plans


@pytest.fixture
def ikm_indicator(org: Org, plans: Plans):  # type: ignore[no-untyped-def]
    service = public.service_create(
        by=None, unit=org.puskesmas, code="PKM01-UMUM", name="Pemeriksaan Umum"
    )
    user = org.users["employee"]
    plan = services.plan_create(employee=org.employee, year=2026, by=user)
    rhk = services.rhk_add(
        plan=plan,
        by=user,
        kind="utama",
        text="Pelayanan yang memuaskan",
        parent=plans.supervisor_rhk,
    )
    indicator = services.indicator_add(
        rhk=rhk,
        by=user,
        aspek="kualitas",
        name="IKM layanan pemeriksaan umum",
        unit_of_measure="indeks",
        target=Decimal(88),
        polarity="higher_is_better",
        aggregation="average",
        source="ikm",
        source_ref=service.code,
    )
    services.plan_submit(plan=plan, by=user)
    services.plan_approve(plan=plan, by=org.users["supervisor"])
    return service, indicator


def test_the_ikm_of_a_month_becomes_the_realisation(org: Org, ikm_indicator, time_machine) -> None:  # type: ignore[no-untyped-def]
    service, indicator = ikm_indicator
    time_machine.move_to("2026-06-10 09:00 +07:00")
    for answers in ([4] * 9, [3] * 9):
        public.response_submit(service=service, answers=answers, channel="kiosk")
    time_machine.move_to("2026-07-10 09:00 +07:00")
    result = services.automatic_realisations_sync(year=2026, month=6)
    assert result.written == 1
    entry = Realisation.objects.get(indicator=indicator, month=6)
    # NRR 3.5 for every unsur: IKM 3.5 × 25 = 87.50 (PermenPANRB 14/2017).
    assert entry.value == Decimal("87.50") and entry.is_automatic
    assert services.automatic_realisations_sync(year=2026, month=6).unchanged == 1
    with pytest.raises(ValidationError, match="otomatis"):
        services.realisation_save_month(
            plan=indicator.rhk.plan,
            month=6,
            by=org.users["employee"],
            rows=[services.RealisationInput(indicator, Decimal(100), overwrite=True)],
        )
    call_command("sync_automatic_realisations", "--year", "2026", "--month", "7")
    assert not Realisation.objects.filter(indicator=indicator, month=7).exists()  # no answers


def test_kinerja_saya_marks_the_indicator_filled_by_the_system(org: Org, ikm_indicator) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import client_for

    page = client_for(org, "employee").get("/pantau/saya/?tahun=2026").content.decode()
    card = page.split('id="indikator-', 1)[1]
    assert "IKM layanan pemeriksaan umum" in card.split("</header>", 1)[0]
    assert "diisi sistem" in card.split("</header>", 1)[0]
