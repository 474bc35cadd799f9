"""Fixtures of community participation, on top of the personas of tests/conftest.py.

    Dinas Kesehatan (DINKES)
      UPT Puskesmas Bukitintan (serves the public) ... service PKM01-UMUM "Pemeriksaan Umum"
    Dinas Pendidikan (DISDIK)
      Bidang Pendidikan Dasar (serves the public) .... service DISDIK-PPDB "Pendaftaran Sekolah"

admin_opd administers Dinkes' services (not Disdik's); supervisor and unit_head read Dinkes'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from kinerja.organisation.choices import UnitKind
from kinerja.organisation.models import Unit
from kinerja.public import services
from kinerja.public.choices import Channel
from kinerja.public.models import Service, SurveyResponse
from tests.conftest import Org
from tests.factories import UnitFactory


@dataclass
class Pub:
    org: Org
    pkm: Service
    ppdb: Service
    disdik_unit: Unit


@pytest.fixture
def pub(org: Org) -> Pub:
    disdik_unit = UnitFactory(
        code="DISDIK-DAS",
        name="Bidang Pendidikan Dasar",
        kind=UnitKind.BIDANG,
        parent=org.disdik,
        serves_public=True,
    )
    pkm = services.service_create(
        by=None, unit=org.puskesmas, code="pkm01-umum", name="Pemeriksaan Umum"
    )
    ppdb = services.service_create(
        by=None, unit=disdik_unit, code="DISDIK-PPDB", name="Pendaftaran Sekolah"
    )
    return Pub(org=org, pkm=pkm, ppdb=ppdb, disdik_unit=disdik_unit)


@pytest.fixture
def answer(db) -> Callable[..., SurveyResponse]:  # type: ignore[no-untyped-def]
    """Store one kiosk-style questionnaire through the real service."""

    def make(service: Service, answers: Sequence[int], **extra: Any) -> SurveyResponse:
        extra.setdefault("channel", Channel.KIOSK)
        return services.response_submit(service=service, answers=list(answers), **extra)

    return make
