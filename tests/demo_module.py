"""A module's share of the demo: seeded once for a test module inside a transaction rolled back
at its end (tests of large teams: tests/monitoring/test_large_board.py,
tests/performance/test_team_walk.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.test import override_settings

from kinerja.organisation.models import Employee, User
from tests.factories import make_user


def seeded_demo(
    django_db_blocker: Any, tmp_path_factory: Any, *, employees: int, seed: int, figures: bool
) -> Iterator[None]:
    """Yield with the demo's organisation and plans (and, with `figures`, its monitoring
    figures) in the database; everything is rolled back afterwards."""
    from kinerja.demo import performance as performance_demo
    from kinerja.demo.organisation import build_demo
    from kinerja.monitoring import services

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))),
        transaction.atomic(),
    ):
        build_demo(employees=employees, seed=seed)
        performance_demo.seed(seed=seed, options={})
        if figures:
            services.figures_rebuild()
        yield
        transaction.set_rollback(True)


def top_account() -> User:
    """The account of the person with the largest team (the regency's top official)."""
    heads = Employee.objects.filter(is_active=True, supervisor__isnull=True)
    person = max(heads, key=lambda e: Employee.objects.filter(path__startswith=e.path).count())
    return User.objects.filter(employee=person).first() or make_user(employee=person)
