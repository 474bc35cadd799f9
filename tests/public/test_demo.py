"""The demo's community participation: services for every public unit, a year of questionnaires
with real differences in quality, complaints in every state, forum topics with official answers,
consistent daily totals — and only the services with --no-survey-data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from django.db.models import Q, Sum
from django.utils import timezone

from kinerja.demo import public as demo
from kinerja.demo.organisation import build_demo
from kinerja.organisation.models import Unit
from kinerja.public import selectors
from kinerja.public.choices import ComplaintStatus
from kinerja.public.models import (
    Complaint,
    ForumPost,
    ForumTopic,
    Service,
    SurveyDay,
    SurveyProfileDay,
    SurveyResponse,
)

from .. import clock

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _on_demo_day() -> Iterator[None]:
    """The demo is seeded and read on one fixed day, whatever day the suite runs."""
    yield from clock.demo_day()


def test_the_demo_seeds_a_realistic_year(db) -> None:  # type: ignore[no-untyped-def]
    """One seeding, checked from every side (seeding dominates the cost of this module)."""
    build_demo(employees=200, seed=11)
    summary = demo.seed(seed=11, options={})
    assert "layanan" in summary
    check_every_public_unit_has_a_service()
    check_a_year_of_questionnaires_with_differences_in_quality()
    check_the_daily_totals_match_the_questionnaires()
    check_complaints_in_every_state_and_some_overdue()
    check_forum_topics_with_official_answers_and_a_moderation_queue()


def check_every_public_unit_has_a_service() -> None:
    public = Unit.objects.filter(serves_public=True)
    assert not public.exclude(public_services__isnull=False).exists()
    assert Service.objects.filter(code="DUKCAPIL-KTP").exists()


def check_a_year_of_questionnaires_with_differences_in_quality() -> None:
    today = timezone.localdate()
    first = SurveyResponse.objects.order_by("survey_date").first()
    assert first.survey_date.year == today.year and first.survey_date.month == 1
    assert not SurveyResponse.objects.filter(survey_date__gt=today).exists()
    results = selectors.survey_results_by(
        key="service_id", scope=Q(), start=date(today.year, 1, 1), end=today
    )
    grades = Counter(r.ikm.mutu.value for r in results.values() if r.ikm.mutu)
    assert grades["A"] and grades["B"] and grades["C"], grades
    assert SurveyResponse.objects.exclude(suggestion="").count() > 100


def check_the_daily_totals_match_the_questionnaires() -> None:
    assert SurveyDay.objects.aggregate(n=Sum("respondents"))["n"] == SurveyResponse.objects.count()
    assert (
        SurveyDay.objects.aggregate(s=Sum("s3"))["s"]
        == SurveyResponse.objects.aggregate(s=Sum("u3"))["s"]
    )
    for dimension in ("sex", "age", "education", "channel"):
        assert (
            SurveyProfileDay.objects.filter(dimension=dimension).aggregate(n=Sum("count"))["n"]
            == SurveyResponse.objects.count()
        )


def check_complaints_in_every_state_and_some_overdue() -> None:
    states = Counter(Complaint.objects.values_list("status", flat=True))
    assert set(states) == set(ComplaintStatus.values), states
    assert sum(states.values()) >= 300
    assert Complaint.objects.filter(clock_due__lt=timezone.now()).exists()
    assert Complaint.objects.filter(rating__isnull=False).exists()
    assert Complaint.objects.filter(reopened_at__isnull=False).exists()
    for complaint in Complaint.objects.filter(status="ditolak"):
        assert complaint.rejection_reason


def check_forum_topics_with_official_answers_and_a_moderation_queue() -> None:
    assert ForumTopic.objects.filter(has_official_answer=True, is_visible=True).count() >= 5
    assert ForumPost.objects.filter(official=True, author__isnull=False).exists()
    assert ForumPost.objects.filter(status="pending").exists()


def test_the_heads_automatic_indicators_are_filled_from_the_survey_and_complaints(db) -> None:  # type: ignore[no-untyped-def]
    """After the performance and public demos, the demo's automatic step (kinerja.demo.automatic,
    as the hourly job would) fills the indicators of the Dinkes and Disdukcapil heads that take
    their realisation from the system, every closed month, marked automatic, with exactly the
    IKM and complaint figures of that month."""
    from kinerja.demo import automatic
    from kinerja.demo import performance as performance_demo
    from kinerja.performance.choices import IndicatorSource
    from kinerja.performance.models import Indicator, Realisation

    build_demo(employees=200, seed=11)
    performance_demo.seed(seed=11, options={})
    demo.seed(seed=11, options={})
    summary = automatic.seed(seed=11, options={})
    assert "realisasi otomatis" in summary
    today = timezone.localdate()
    for code in ("RSUD-RJ", "DUKCAPIL-KTP"):
        indicator = Indicator.objects.get(source=IndicatorSource.IKM, source_ref=code)
        filled = {r.month: r for r in Realisation.objects.filter(indicator=indicator)}
        assert set(range(1, today.month)) <= set(filled), (code, sorted(filled))
        for month, realisation in filled.items():
            assert realisation.is_automatic
            expected = selectors.ikm_for_service_month(code, today.year, month).converted
            assert realisation.value == expected
    complaints = Indicator.objects.filter(source=IndicatorSource.COMPLAINTS)
    assert complaints.count() == 2
    for indicator in complaints:
        unit_id = indicator.rhk.plan.employee.unit_id
        for realisation in Realisation.objects.filter(indicator=indicator):
            assert realisation.is_automatic
            assert realisation.value == selectors.complaints_on_time_percent(
                unit_id, today.year, realisation.month
            )


def test_no_survey_data_creates_the_services_only(db) -> None:  # type: ignore[no-untyped-def]
    build_demo(employees=200, seed=11)
    summary = demo.seed(seed=11, options={"no_survey_data": True})
    assert "tanpa data survei" in summary
    assert Service.objects.count() > 50
    assert not SurveyResponse.objects.exists()
    assert not Complaint.objects.exists() and not ForumPost.objects.exists()
