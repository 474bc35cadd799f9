"""The demo's adoption data: the help centre from the user guide, a helpdesk per OPD,
announcements, activated accounts and the figures with a trend."""

from __future__ import annotations

from django.urls import reverse

from kinerja.adoption.models import AdoptionFigures, Announcement, HelpArticle, HelpdeskContact
from kinerja.demo import adoption as demo
from tests.conftest import Org, client_for


def test_the_demo_seeds_every_part_of_adoption(org: Org) -> None:
    summary = demo.seed(seed=2026, options={})
    assert summary.startswith("Adopsi:")
    sections = demo._guide_sections()
    assert len(sections) >= 6
    assert HelpArticle.objects.filter(kind="artikel").count() == len(sections)
    assert HelpArticle.objects.filter(kind="faq").count() == len(demo.FAQ)
    assert HelpdeskContact.objects.count() == 2  # Dinas Kesehatan and Dinas Pendidikan
    assert Announcement.objects.count() == 3
    months = set(AdoptionFigures.objects.values_list("month", flat=True))
    assert len(months) == 6  # this month and five before: the trend
    page = client_for(org, "employee").get(reverse("adoption:help_article", args=["aktivasi-akun"]))
    assert 'src="/static/images/bantuan/aktivasi.png"' in page.content.decode()
    dashboard = client_for(org, "bkpsdm").get(reverse("adoption:dashboard"))
    assert len(dashboard.context["trend"]) == 6


def test_seeding_the_help_twice_changes_nothing(org: Org) -> None:
    first = demo.seed_help()
    demo.seed_help()
    assert HelpArticle.objects.count() == first
