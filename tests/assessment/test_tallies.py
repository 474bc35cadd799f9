"""The assessor tallies (AssessorTally) that the database keeps with triggers (migration 0004):
whatever writes the assessments — one row, a bulk insert, a queryset update, a delete, raw SQL —
the tallies equal a recount of the assessments (`services.tallies.tallies_computed`), and the
calibration and the OPD distributions read the same figures as before."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.assessment import selectors
from kinerja.assessment.models import Assessment, AssessorTally
from kinerja.assessment.services.tallies import rebuild_tallies, tallies_computed
from kinerja.rules.enums import Predikat
from kinerja.rules.periods import Period, Periodicity
from tests.conftest import Org
from tests.triggers import trigger_names

PERIODS = [Period(2026, Periodicity.QUARTERLY, q) for q in (1, 2)]
PREDIKAT = ["", *(p.value for p in Predikat)]
RATINGS = ["", "di_atas", "sesuai", "di_bawah"]


def _key(t: AssessorTally) -> tuple[str, int, int]:
    return (t.period, t.opd_id, t.assessor_id)


def _figures(t: AssessorTally) -> tuple[int, ...]:
    return (*(getattr(t, p.value) for p in Predikat), t.overrides)


def kept() -> dict[tuple[str, int, int], tuple[int, ...]]:
    """The stored tallies, without the ones that fell back to nothing."""
    return {_key(t): _figures(t) for t in AssessorTally.objects.all() if any(_figures(t))}


def recounted() -> dict[tuple[str, int, int], tuple[int, ...]]:
    return {_key(t): _figures(t) for t in tallies_computed()}


def people(org: Org) -> list:  # type: ignore[type-arg]
    return [org.unit_head, org.supervisor, org.employee, org.peer, org.other_head]


def make(org: Org, i: int, period: Period, **fields: object) -> Assessment:
    person = people(org)[i]
    data: dict[str, object] = {
        "employee": person,
        "period": period.code,
        "year": period.year,
        "opd_id": person.unit.opd_id or person.unit_id,
        "unit": person.unit,
        "assessor": org.supervisor if i != 1 else None,
    }
    data.update(fields)
    return Assessment(**data)


def test_the_triggers_are_installed(db) -> None:  # type: ignore[no-untyped-def]
    """A migration that rebuilds assessment_assessment on SQLite would drop them silently."""
    names = trigger_names("assessment_assessment")
    assert names == {
        "assessment_tally_insert",
        "assessment_tally_update",
        "assessment_tally_delete",
    }


def test_each_kind_of_write_keeps_the_tallies(org: Org) -> None:
    q1, q2 = PERIODS
    a = make(org, 2, q1, predikat="baik", hasil="sesuai", suggested_hasil="di_atas")
    a.save()
    b = make(org, 3, q1, predikat="baik")
    b.save()
    tally = AssessorTally.objects.get(period=q1.code, opd_id=org.dinkes.pk)
    assert (tally.assessor_id, tally.baik, tally.overrides, tally.total) == (
        org.supervisor.pk,
        2,
        1,
        2,
    )
    # A draft without a predikat is not counted; the regent's ratings tally under assessor 0.
    Assessment.objects.bulk_create(
        [make(org, 1, q1), make(org, 4, q1, predikat="sangat_baik"), make(org, 0, q2)]
    )
    assert recounted() == kept()
    assert AssessorTally.objects.get(period=q1.code, opd_id=org.disdik.pk).sangat_baik == 1
    # The rating changes, the suggestion is followed, an unrelated column changes.
    a.predikat, a.hasil = "sangat_baik", "di_atas"
    a.save()
    Assessment.objects.filter(pk=b.pk).update(shown_at="2026-04-02T09:00:00+07:00")
    assert kept() == recounted()
    tally.refresh_from_db()
    assert (tally.sangat_baik, tally.baik, tally.overrides) == (1, 1, 0)
    # Many rows in one statement, moved to another assessor, then deleted.
    Assessment.objects.filter(period=q1.code).update(assessor=org.unit_head)
    assert kept() == recounted()
    Assessment.objects.filter(period=q1.code, opd=org.dinkes).delete()
    assert kept() == recounted()
    left = AssessorTally.objects.filter(period=q1.code, opd_id=org.dinkes.pk)
    assert left.exists()
    assert all(_figures(t) == (0,) * 6 for t in left)


def test_a_raw_insert_outside_the_app_is_tallied(org: Org) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO assessment_assessment (employee_id, period, year, opd_id, unit_id, "
            "assessor_id, employee_snapshot, assessor_snapshot, status, suggested_hasil, "
            "suggested_perilaku, hasil, perilaku, behaviour, hasil_reason, perilaku_reason, "
            "predikat, is_unit_head, snapshot, created_at, updated_at) VALUES (%s, '2026-T1', "
            "2026, %s, %s, NULL, '{}', '{}', 'draf', 'sesuai', '', 'di_bawah', 'sesuai', '{}', "
            "'', '', 'kurang', %s, '{}', %s, %s)",
            [
                org.employee.pk,
                org.dinkes.pk,
                org.employee.unit_id,
                False,
                "2026-04-01T00:00:00+00:00",
                "2026-04-01T00:00:00+00:00",
            ],
        )
    tally = AssessorTally.objects.get(period="2026-T1", opd_id=org.dinkes.pk, assessor_id=0)
    assert (tally.kurang, tally.overrides, tally.total) == (1, 1, 1)


write = st.tuples(
    st.sampled_from(["save", "update_all", "delete"]),
    st.integers(min_value=0, max_value=4),  # the employee
    st.integers(min_value=0, max_value=1),  # the period
    st.sampled_from(PREDIKAT),
    st.sampled_from(RATINGS),  # hasil
    st.sampled_from(RATINGS),  # suggested hasil
    st.sampled_from(RATINGS),  # perilaku
    st.sampled_from(RATINGS),  # suggested perilaku
    st.booleans(),  # the regent's (no assessor)
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=st.lists(write, min_size=1, max_size=12))
def test_any_sequence_of_writes_leaves_the_recount(org: Org, writes) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        for kind, i, p, predikat, hasil, s_hasil, perilaku, s_perilaku, regent in writes:
            period = PERIODS[p]
            fields = {
                "predikat": predikat,
                "hasil": hasil,
                "suggested_hasil": s_hasil,
                "perilaku": perilaku,
                "suggested_perilaku": s_perilaku,
                "assessor": None if regent else org.supervisor,
            }
            existing = Assessment.objects.filter(employee=people(org)[i], period=period.code)
            if kind == "delete":
                existing.delete()
            elif kind == "update_all":
                Assessment.objects.filter(period=period.code).update(**fields)
            elif existing.exists():
                existing.update(**fields)
            else:
                make(org, i, period, **fields).save()
            assert kept() == recounted()
        transaction.set_rollback(True)


def test_the_rebuild_equals_what_the_triggers_kept(org: Org) -> None:
    q1, q2 = PERIODS
    Assessment.objects.bulk_create(
        [
            make(org, 2, q1, predikat="baik", hasil="di_bawah", suggested_hasil="sesuai"),
            make(org, 3, q1, predikat="kurang"),
            make(org, 4, q2, predikat="sangat_baik"),
        ]
    )
    before = kept()
    AssessorTally.objects.update(baik=99)  # damaged
    assert rebuild_tallies() == 2  # (Q1, Dinkes, the supervisor) and (Q2, Disdik, …)
    assert kept() == before


@pytest.mark.parametrize("opd", ["dinkes", "disdik"])
def test_the_distribution_and_the_calibration_read_the_tallies(org: Org, opd: str) -> None:
    q1 = PERIODS[0]
    Assessment.objects.bulk_create(
        [
            make(org, 2, q1, predikat="sangat_baik"),
            make(org, 3, q1, predikat="sangat_baik"),
            make(org, 0, q1, predikat="baik"),
            make(org, 1, q1, predikat="butuh_perbaikan"),
            make(org, 4, q1, predikat="kurang", hasil="di_bawah", suggested_hasil="sesuai"),
        ]
    )
    unit = getattr(org, opd)
    expected = Counter(
        Predikat(v)
        for v in Assessment.objects.filter(period=q1.code, opd=unit).values_list(
            "predikat", flat=True
        )
    )
    assert selectors.distributions([unit.pk], q1)[unit.pk].counts == dict(expected)
    calibration = selectors.calibration(q1)
    assert calibration.regency_counts == {
        Predikat.SANGAT_BAIK: 2,
        Predikat.BAIK: 1,
        Predikat.BUTUH_PERBAIKAN: 1,
        Predikat.KURANG: 1,
    }
