"""seed_demo commits stage by stage and records each stage, so a seed interrupted part-way
continues where it stopped when run again (issue 16: 100,000 employees must be resumable)."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from kinerja.demo import assessment as assessment_demo
from kinerja.demo import performance as performance_demo
from kinerja.demo.management.commands.seed_demo import DEMO_EXTENSIONS, ORGANISATION
from kinerja.demo.models import DemoStage
from kinerja.monitoring.models import PersonFigures
from kinerja.organisation.models import Employee
from kinerja.performance.models import Plan


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_seed_continues_where_it_stopped(tmp_path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    out = io.StringIO()
    with time_machine.travel(datetime.fromisoformat("2026-09-15T10:00:00+07:00")):

        def interrupted(**kwargs):  # type: ignore[no-untyped-def]
            raise KeyboardInterrupt

        monkeypatch.setattr(assessment_demo, "seed", interrupted)
        with pytest.raises(KeyboardInterrupt):
            call_command("seed_demo", employees=150, seed=3, stdout=out)
        # The stages before the interruption are committed and recorded; the interrupted one
        # left nothing behind.
        assert list(DemoStage.objects.values_list("name", flat=True)) == [
            ORGANISATION,
            "kinerja.demo.performance",
        ]
        people, plans = Employee.objects.count(), Plan.objects.count()
        assert people >= 150 and plans > 0
        assert not PersonFigures.objects.exists()

        # Other options: refused with what to run, nothing changes.
        with pytest.raises(CommandError, match="--employees 150 --seed 3"):
            call_command("seed_demo", employees=200, seed=3, stdout=io.StringIO())
        assert DemoStage.objects.count() == 2

        # The same command continues: the finished stages are not run again.
        monkeypatch.undo()
        ran_again = []
        monkeypatch.setattr(performance_demo, "seed", lambda **kw: ran_again.append(kw) or "")
        out = io.StringIO()
        call_command("seed_demo", employees=150, seed=3, stdout=out)
        assert "Melanjutkan seed demo yang terhenti: 2 tahap sudah selesai" in out.getvalue()
        assert ran_again == []
        assert Employee.objects.count() == people and Plan.objects.count() == plans
        assert set(DemoStage.objects.values_list("name", flat=True)) == {
            ORGANISATION,
            *DEMO_EXTENSIONS,
        }
        assert PersonFigures.objects.count() > 0  # the monitoring rebuild ran last

        # Finished: the database has data, and the command says so.
        with pytest.raises(CommandError, match="sudah berisi data"):
            call_command("seed_demo", employees=150, seed=3, stdout=io.StringIO())
        done = io.StringIO()
        call_command("seed_demo", "--if-empty", employees=150, seed=3, stdout=done)
        assert "tidak di-seed ulang" in done.getvalue()


@pytest.mark.django_db
def test_stages_of_an_emptied_database_are_forgotten(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    DemoStage.objects.create(name=ORGANISATION, employees=150, seed=3, seconds=1.0)
    call_command("seed_demo", employees=150, seed=3, organisation_only=True, stdout=io.StringIO())
    assert Employee.objects.count() >= 150
    assert list(DemoStage.objects.values_list("name", "employees")) == [(ORGANISATION, 150)]
