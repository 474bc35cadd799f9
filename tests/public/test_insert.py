"""The questionnaire INSERT that response_submit builds once (responses._insert_response) stores
exactly what the ORM's save() would, and the table keeps its trigger and only the indexes that
migration 0003 leaves (docs/PERFORMANCE.md, survey_submit_ratio)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from kinerja.public import services
from kinerja.public.choices import Channel
from kinerja.public.models import SurveyDay, SurveyResponse
from kinerja.public.survey import responses

pytestmark = pytest.mark.django_db(transaction=True)


def _columns(pk: int) -> dict[str, object]:
    row = SurveyResponse.objects.filter(pk=pk).values().get()
    row.pop("id")
    return row


def test_the_prebuilt_insert_stores_what_the_orm_would(pub, org) -> None:  # type: ignore[no-untyped-def]
    services.service_update(
        service=pub.pkm, by=None, ask_counter=True, counters="Loket 1\nLoket 2", ask_officer=True
    )
    device, _token = services.device_issue(service=pub.pkm, name="Tablet", by=None)
    fields = {
        "service": pub.pkm,
        "submitted_at": timezone.now().replace(microsecond=123456),
        "survey_date": date(2026, 11, 27),
        "time_slot": "08-12",
        "channel": Channel.KIOSK,
        "sex": "P",
        "age": 41,
        "education": "d4s1",
        "occupation": "swasta",
        "suggestion": "Antrean 'panjang' & ruang \"panas\" — tolong diperbaiki.",
        "counter": "Loket 2",
        "officer": org.employee,
        "device": device,
        "ip_hash": "a" * 64,
        "browser_hash": "b" * 64,
        **{f: n % 4 + 1 for n, f in enumerate(SurveyResponse.ANSWER_FIELDS)},
    }
    fast = SurveyResponse(**fields)
    responses._insert_response(fast)
    assert fast.pk is not None and not fast._state.adding
    orm = SurveyResponse(**{**fields, "browser_hash": "c" * 64})
    orm.save(force_insert=True)

    stored_fast, stored_orm = _columns(fast.pk), _columns(orm.pk)
    assert stored_fast.pop("browser_hash") == "b" * 64
    assert stored_orm.pop("browser_hash") == "c" * 64
    assert stored_fast == stored_orm
    assert stored_fast["submitted_at"] == fields["submitted_at"]
    assert stored_fast["officer_id"] == org.employee.pk
    assert SurveyResponse.objects.get(pk=fast.pk).answers == [1, 2, 3, 4, 1, 2, 3, 4, 1]
    # Both went through the daily-totals trigger.
    day = SurveyDay.objects.get(service=pub.pkm, day=date(2026, 11, 27))
    assert day.respondents == 2


def test_blank_answers_and_no_profile_are_stored_as_null_and_empty(pub) -> None:  # type: ignore[no-untyped-def]
    fast = SurveyResponse(
        service=pub.pkm,
        submitted_at=timezone.now(),
        survey_date=timezone.localdate(),
        channel=Channel.PAPER,
        u1=4,
    )
    responses._insert_response(fast)
    stored = SurveyResponse.objects.get(pk=fast.pk)
    assert stored.answers == [4, None, None, None, None, None, None, None, None]
    assert (stored.sex, stored.age, stored.officer_id, stored.device_id) == ("", None, None, None)


def test_a_duplicate_raises_djangos_integrity_error_and_the_transaction_goes_on(pub) -> None:  # type: ignore[no-untyped-def]
    """response_submit turns IntegrityError (the same browser twice in a day, concurrently)
    into its once-per-day message, inside a savepoint when the caller has a transaction."""

    def make() -> SurveyResponse:
        return SurveyResponse(
            service=pub.pkm,
            submitted_at=timezone.now(),
            survey_date=timezone.localdate(),
            channel=Channel.WEB,
            browser_hash="x" * 64,
            **dict.fromkeys(SurveyResponse.ANSWER_FIELDS, 4),
        )

    with transaction.atomic():
        responses._insert_response(make())
        with pytest.raises(IntegrityError), transaction.atomic():
            responses._insert_response(make())
        responses.response_submit(service=pub.pkm, answers=[3] * 9, channel=Channel.KIOSK)
    assert SurveyResponse.objects.count() == 2
    assert SurveyDay.objects.get(service=pub.pkm).respondents == 2


def test_the_response_table_keeps_its_trigger_and_only_the_needed_indexes() -> None:
    table = SurveyResponse._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    indexes = {
        name: tuple(info["columns"])
        for name, info in constraints.items()
        if info["index"] and not info["primary_key"]
    }
    assert indexes == {
        "skm_response_service_day": ("service_id", "survey_date"),
        "skm_response_device": ("device_id", "submitted_at"),
        "skm_response_submitted": ("submitted_at",),
        "skm_response_officer": ("officer_id",),
        "skm_response_entered_by": ("entered_by_id",),
        "skm_response_once_per_browser_day": ("service_id", "browser_hash", "survey_date"),
    }
    if connection.vendor == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s"
    else:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = %s::regclass"
    with connection.cursor() as cursor:
        cursor.execute(query, [table])
        assert cursor.fetchall(), "the daily-totals trigger of migration 0002 must survive"
    if connection.vendor == "postgresql":  # migration 0007: once per statement, not per row
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgtype & 1 FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = "
                "%s::regclass",
                [table],
            )
            assert cursor.fetchall() == [(0,)]  # TRIGGER_TYPE_ROW is bit 0
