"""The IKM through the whole path: questionnaires stored by the kiosk API, read back by the public
IKM API, checked against values computed by hand (PermenPANRB 14/2017, DOMAIN §3)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.public import selectors, services
from kinerja.public.choices import Channel
from kinerja.public.models import ServicePopulation, SurveyDay, SurveyProfileDay, SurveyResponse
from kinerja.rules.skm import ikm

pytestmark = pytest.mark.django_db

API = "/api/v1/public/ikm"


def kiosk_token(pub) -> str:  # type: ignore[no-untyped-def]
    _device, token = services.device_issue(service=pub.pkm, name="Tablet 1", by=None)
    return token


def submit(client: Client, token: str, answers: list[int], code: str = "PKM01-UMUM") -> int:
    response = client.post(
        f"/api/v1/public/surveys/{code}/responses",
        {"answers": answers},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    return response.status_code


def ikm_api(client: Client, **params: str) -> dict:  # type: ignore[type-arg]
    params.setdefault("from", "2024-01-01")
    params.setdefault("to", "2030-12-31")
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def answers_with_total(respondents: int, total: int) -> list[list[int]]:
    """`respondents` questionnaires (9 answers each, 1–4) whose answers add up to `total`."""
    extra = total - 9 * respondents
    rows = []
    for _ in range(respondents):
        row = []
        for _ in range(9):
            add = min(3, extra)
            extra -= add
            row.append(1 + add)
        rows.append(row)
    assert extra == 0
    return rows


def test_it_computes_the_ikm_of_two_questionnaires_as_done_by_hand(pub) -> None:
    client = Client()
    token = kiosk_token(pub)
    assert submit(client, token, [4, 3, 3, 2, 4, 4, 3, 3, 4]) == 201
    assert submit(client, token, [3, 3, 2, 2, 4, 3, 3, 2, 4]) == 201
    # NRR: 3.5 3 2.5 2 4 3.5 3 2.5 4 → Σ = 28; IKM = 28/9 = 3.111…; × 25 = 77.777… → 77.78 (B)
    assert ikm_api(client, layanan="pkm01-umum") == {
        "respondents": 2,
        "nrr": {
            "U1": "3.50",
            "U2": "3.00",
            "U3": "2.50",
            "U4": "2.00",
            "U5": "4.00",
            "U6": "3.50",
            "U7": "3.00",
            "U8": "2.50",
            "U9": "4.00",
        },
        "ikm": "77.78",
        "mutu": "B",
        "label": "Baik",
        "min_sample": None,
        "representative": False,
    }


def test_it_gives_100_for_all_fours_not_99_90(pub) -> None:
    client = Client()
    token = kiosk_token(pub)
    for _ in range(3):
        assert submit(client, token, [4] * 9) == 201
    result = ikm_api(client, layanan="PKM01-UMUM")
    assert result["ikm"] == "100.00"
    assert result["mutu"] == "A"
    assert result["label"] == "Sangat Baik"
    assert set(result["nrr"].values()) == {"4.00"}


def test_it_gives_25_for_all_ones(pub, answer) -> None:  # type: ignore[no-untyped-def]
    answer(pub.pkm, [1] * 9)
    result = ikm_api(Client(), layanan="PKM01-UMUM")
    assert (result["ikm"], result["mutu"], result["label"]) == ("25.00", "D", "Tidak Baik")


@pytest.mark.parametrize(
    ("respondents", "total", "converted", "mutu"),
    [
        (24, 763, "88.31", "A"),
        (19, 604, "88.30", "B"),
        (19, 524, "76.61", "B"),
        (26, 717, "76.60", "C"),
        (5, 117, "65.00", "C"),
        (38, 889, "64.99", "D"),
    ],
)
def test_it_classifies_the_mutu_boundaries(pub, respondents, total, converted, mutu) -> None:  # type: ignore[no-untyped-def]
    services.responses_enter(
        service=pub.pkm,
        rows=[
            services.PaperRow(date(2026, 3, 2), "pagi", row, services.Profile())
            for row in answers_with_total(respondents, total)
        ],
        by=None,
        source="test",
    )
    result = ikm_api(Client(), layanan="PKM01-UMUM")
    assert (result["respondents"], result["ikm"], result["mutu"]) == (respondents, converted, mutu)


def test_it_reports_the_minimum_sample_from_the_recorded_population(pub, answer) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        answer(pub.pkm, [4] * 9)
    today = date.today()
    ServicePopulation.objects.create(
        service=pub.pkm, year=today.year, month=today.month, population=100
    )
    result = ikm_api(Client(), layanan="PKM01-UMUM")
    assert (result["min_sample"], result["representative"]) == (80, False)  # N=100 → 80
    ServicePopulation.objects.filter(service=pub.pkm).update(population=3)
    result = ikm_api(Client(), layanan="PKM01-UMUM")
    assert (result["min_sample"], result["representative"]) == (3, True)


def test_it_pools_a_unit_and_its_subtree(pub, answer) -> None:  # type: ignore[no-untyped-def]
    answer(pub.pkm, [4] * 9)
    answer(pub.ppdb, [2] * 9)
    dinkes = ikm_api(Client(), unit=str(pub.org.dinkes.pk))
    assert (dinkes["respondents"], dinkes["ikm"]) == (1, "100.00")
    disdik = ikm_api(Client(), unit=str(pub.org.disdik.pk))
    assert (disdik["respondents"], disdik["ikm"]) == (1, "50.00")


def test_it_answers_an_empty_period_without_an_index(pub) -> None:  # type: ignore[no-untyped-def]
    result = ikm_api(Client(), layanan="PKM01-UMUM")
    assert result["respondents"] == 0
    assert result["ikm"] is None and result["mutu"] is None
    assert set(result["nrr"].values()) == {None}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "layanan"),
        ({"layanan": "PKM01-UMUM", "unit": "1", "from": "2026-01-01", "to": "2026-12-31"}, "tepat"),
        ({"layanan": "PKM01-UMUM", "to": "2026-12-31"}, "from"),
        ({"layanan": "PKM01-UMUM", "from": "2026-13-01", "to": "2026-12-31"}, "YYYY-MM-DD"),
        ({"layanan": "PKM01-UMUM", "from": "2026-12-31", "to": "2026-01-01"}, "sebelum"),
        ({"layanan": "TIDAK-ADA", "from": "2026-01-01", "to": "2026-12-31"}, "tidak ada"),
        ({"unit": "abc", "from": "2026-01-01", "to": "2026-12-31"}, "nomor unit"),
    ],
)
def test_it_refuses_bad_parameters_with_a_readable_400(pub, params, message) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(API, params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


# --- The daily totals stay exact -------------------------------------------------------------


def raw_totals(service) -> dict[str, int]:  # type: ignore[no-untyped-def]
    rows = SurveyResponse.objects.filter(service=service)
    totals = {"respondents": rows.count()}
    for i in range(1, 10):
        totals[f"s{i}"] = rows.aggregate(s=Sum(f"u{i}"))["s"] or 0
        totals[f"c{i}"] = rows.filter(**{f"u{i}__isnull": False}).count()
    return totals


def day_totals(service) -> dict[str, int]:  # type: ignore[no-untyped-def]
    agg = SurveyDay.objects.filter(service=service).aggregate(
        **{f: Sum(f) for f in SurveyDay.TOTAL_FIELDS}
    )
    return {k: v or 0 for k, v in agg.items()}


def test_the_daily_totals_equal_a_recount_of_the_responses_on_every_path(pub, answer) -> None:  # type: ignore[no-untyped-def]
    answer(pub.pkm, [4, 3, 2, 1, 4, 3, 2, 1, 4], profile=services.Profile(sex="P", age=33))
    services.response_submit(
        service=pub.pkm, answers=[3] * 9, channel=Channel.WEB, browser_hash="b" * 64
    )
    services.responses_enter(
        service=pub.pkm,
        rows=[
            services.PaperRow(
                date(2026, 2, 3), "siang", [4, None, 3, 3, 3, 3, 3, None, 2], services.Profile()
            ),
            services.PaperRow(
                date(2026, 2, 3),
                "pagi",
                [1, 2, 3, 4, 1, 2, 3, 4, 1],
                services.Profile(education="sma"),
            ),
        ],
        by=None,
        source="test",
    )
    assert day_totals(pub.pkm) == raw_totals(pub.pkm)
    profile_total = SurveyProfileDay.objects.filter(service=pub.pkm, dimension="sex").aggregate(
        n=Sum("count")
    )["n"]
    assert profile_total == 4
    before = list(SurveyDay.objects.order_by("service_id", "day").values())
    before_profiles = sorted(
        SurveyProfileDay.objects.values_list("service_id", "day", "dimension", "value", "count")
    )
    out = io.StringIO()
    call_command("skm_rebuild_aggregates", stdout=out)
    assert "dibangun ulang" in out.getvalue()
    after = list(SurveyDay.objects.order_by("service_id", "day").values())
    assert [{k: v for k, v in r.items() if k != "id"} for r in after] == [
        {k: v for k, v in r.items() if k != "id"} for r in before
    ]
    assert (
        sorted(
            SurveyProfileDay.objects.values_list("service_id", "day", "dimension", "value", "count")
        )
        == before_profiles
    )


answer_value = st.one_of(st.none(), st.integers(min_value=1, max_value=4))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.lists(answer_value, min_size=9, max_size=9).filter(
            lambda r: any(a is not None for a in r)
        ),
        min_size=1,
        max_size=30,
    )
)
def test_the_aggregated_ikm_equals_the_rules_on_the_raw_answers(pub, rows) -> None:  # type: ignore[no-untyped-def]
    SurveyResponse.objects.filter(service=pub.pkm).delete()
    SurveyDay.objects.all().delete()
    SurveyProfileDay.objects.all().delete()
    services.responses_enter(
        service=pub.pkm,
        rows=[
            services.PaperRow(date(2026, 1, 5 + i % 20), "", r, services.Profile())
            for i, r in enumerate(rows)
        ],
        by=None,
        source="test",
    )
    expected = ikm(rows)
    got = selectors.survey_result(
        scope=Q(service=pub.pkm), start=date(2026, 1, 1), end=date(2026, 12, 31)
    ).ikm
    assert got == expected
    assert selectors.ikm_for_service_month("pkm01-umum", 2026, 1) == expected


def test_the_database_keeps_the_totals_whatever_writes_the_questionnaire(pub) -> None:  # type: ignore[no-untyped-def]
    """The trigger of migration 0002: even a raw INSERT that bypasses the app is counted, and
    its age bands agree with kinerja.public.choices.age_band."""
    from django.db import connection

    from kinerja.public.choices import age_band

    ages = [None, 15, 19, 20, 29, 30, 45, 59, 60, 100]
    with connection.cursor() as cursor:
        for age in ages:
            cursor.execute(
                "INSERT INTO public_surveyresponse (service_id, submitted_at, survey_date, "
                "time_slot, channel, u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age, education, "
                "occupation, suggestion, counter, ip_hash, browser_hash) VALUES "
                "(%s, %s, %s, 'pagi', 'paper', 4, 4, 4, 4, 4, 4, 4, 4, NULL, 'P', %s, '', '', '', "
                "'', '', '')",
                [
                    pub.pkm.pk,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                    connection.ops.adapt_datefield_value(date(2026, 5, 4)),
                    age,
                ],
            )
    day = SurveyDay.objects.get(service=pub.pkm)
    assert (day.respondents, day.s1, day.c1, day.s9, day.c9) == (10, 40, 10, 0, 0)
    bands = dict(
        SurveyProfileDay.objects.filter(service=pub.pkm, dimension="age").values_list(
            "value", "count"
        )
    )
    expected: dict[str, int] = {}
    for age in ages:
        expected[age_band(age)] = expected.get(age_band(age), 0) + 1
    assert bands == expected


def test_one_statement_of_many_rows_adds_each_row_once(pub) -> None:  # type: ignore[no-untyped-def]
    """Migration 0007: on PostgreSQL the totals are added once per INSERT statement, grouped by
    service and day (a group commit's batch is one such statement). Two services, two days,
    blank answers and varied profiles in one statement, and then a second statement onto the
    same days: every total equals the sum over the raw rows (SQLite: the row trigger)."""
    from django.db import connection

    from kinerja.public.choices import age_band

    rows = [
        (pub.pkm.pk, date(2026, 5, 4), [4, 3, 2, 1, 4, 3, 2, 1, 4], "L", 19, "kiosk"),
        (pub.pkm.pk, date(2026, 5, 4), [1, 1, 1, 1, 1, 1, 1, 1, None], "P", None, "web"),
        (pub.ppdb.pk, date(2026, 5, 4), [2, 2, 2, 2, 2, 2, 2, 2, 2], "P", 60, "kiosk"),
        (pub.pkm.pk, date(2026, 5, 5), [3, 3, 3, 3, 3, 3, 3, 3, 3], "", 35, "paper"),
        (pub.pkm.pk, date(2026, 5, 4), [4, 4, 4, 4, 4, 4, 4, 4, 4], "L", 20, "kiosk"),
    ]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    row_sql = f"(%s, %s, %s, 'pagi', {', '.join(['%s'] * 12)}, '', '', '', '', '', '')"
    sql = (
        "INSERT INTO public_surveyresponse (service_id, submitted_at, survey_date, time_slot, "
        "channel, u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age, education, occupation, "
        "suggestion, counter, ip_hash, browser_hash) VALUES "
    )

    def params(batch: list[tuple]) -> list[object]:  # type: ignore[type-arg]
        flat: list[object] = []
        for service, day, answers, sex, age, channel in batch:
            flat += [service, now, connection.ops.adapt_datefield_value(day), channel]
            flat += [*answers, sex, age]
        return flat

    with connection.cursor() as cursor:
        cursor.execute(sql + ", ".join([row_sql] * 4), params(rows[:4]))
        cursor.execute(sql + row_sql, params(rows[4:]))
    for service in (pub.pkm, pub.ppdb):
        for day in (date(2026, 5, 4), date(2026, 5, 5)):
            mine = [r for r in rows if r[0] == service.pk and r[1] == day]
            stored = SurveyDay.objects.filter(service=service, day=day).first()
            if not mine:
                assert stored is None
                continue
            assert stored is not None and stored.respondents == len(mine)
            for i in range(9):
                answered = [r[2][i] for r in mine if r[2][i] is not None]
                assert getattr(stored, f"s{i + 1}") == sum(answered)
                assert getattr(stored, f"c{i + 1}") == len(answered)
            expected: dict[tuple[str, str], int] = {}
            for _s, _d, _a, sex, age, channel in mine:
                for key in (
                    ("sex", sex),
                    ("age", age_band(age)),
                    ("education", ""),
                    ("occupation", ""),
                    ("slot", "pagi"),
                    ("channel", channel),
                ):
                    expected[key] = expected.get(key, 0) + 1
            got = {
                (dimension, value): count
                for dimension, value, count in SurveyProfileDay.objects.filter(
                    service=service, day=day
                ).values_list("dimension", "value", "count")
            }
            assert got == expected
