"""The replica router (kinerja/core/replica.py): dashboard reads to the replica, writes never,
read-your-writes held.

The first tests run everywhere with the router's decisions isolated. The last ones need a real
PostgreSQL streaming replica (`bin/pg-replica start`, then `DATABASE_REPLICA_URL`); CI runs them
after starting one (.ci/run). They pause the replica's WAL replay to make staleness certain.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.core import replica
from kinerja.monitoring import views as monitoring_views
from kinerja.organisation.choices import Role
from kinerja.organisation.models import Unit
from kinerja.public import views as public_views
from tests.factories import UnitFactory, make_user

HAS_REPLICA = "replica" in settings.DATABASES


# -- The router's decisions, no replica needed ---------------------------------------------


@pytest.fixture
def pretend_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_replica_reads(pretend_configured: None) -> None:
    router = replica.ReplicaRouter()
    assert router.db_for_read(Unit) is None
    with replica.replica_reads():
        assert router.db_for_read(Unit) == "replica"
        with replica.primary_reads():
            assert router.db_for_read(Unit) is None
        assert router.db_for_read(Unit) == "replica"
    assert router.db_for_read(Unit) is None


def test_writes_and_migrations_never_go_to_the_replica(pretend_configured: None) -> None:
    router = replica.ReplicaRouter()
    with replica.replica_reads():
        assert router.db_for_write(Unit) == "default"
        assert router.allow_migrate("replica", "organisation") is False
        assert router.allow_migrate("default", "organisation") is True


def test_without_a_replica_the_router_keeps_everything_on_the_primary() -> None:
    if HAS_REPLICA:
        pytest.skip("a replica is configured in this run")
    router = replica.ReplicaRouter()
    with replica.replica_reads():
        assert router.db_for_read(Unit) is None
    assert replica.use_replica(RequestFactory().get("/")) is False


def test_a_replica_view_reads_there_only_when_the_replica_is_current_for_the_user(
    pretend_configured: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    @replica.replica_view
    def view(request: HttpRequest) -> HttpResponse:
        seen.append(replica.ReplicaRouter().db_for_read(Unit) == "replica")
        return HttpResponse("ok")

    asked: list[str | None] = []

    def caught_up(lsn: str | None) -> bool:
        asked.append(lsn)
        return lsn != "0/FFFF"  # the replica has not replayed that far

    monkeypatch.setattr(replica, "caught_up", caught_up)
    factory = RequestFactory()
    view(factory.get("/"))
    fresh = factory.get("/")
    fresh.COOKIES[replica.LSN_COOKIE] = "0/FFFF"
    view(fresh)
    forged = factory.get("/")
    forged.COOKIES[replica.LSN_COOKIE] = "'; DROP TABLE x; --"
    view(forged)
    assert seen == [True, False, True]
    assert asked == [None, "0/FFFF", None]  # a malformed cookie is ignored


def test_a_successful_change_pins_the_browser_to_the_primary_position(
    pretend_configured: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replica, "primary_lsn", lambda: "0/3000060")
    factory = RequestFactory()

    def answer(status: int) -> replica.ReadYourWritesMiddleware:
        return replica.ReadYourWritesMiddleware(lambda request: HttpResponse(status=status))

    changed = answer(302)(factory.post("/"))
    assert changed.cookies[replica.LSN_COOKIE].value == "0/3000060"
    assert changed.cookies[replica.LSN_COOKIE]["httponly"]
    assert replica.LSN_COOKIE not in answer(200)(factory.get("/")).cookies
    assert replica.LSN_COOKIE not in answer(400)(factory.post("/")).cookies


def test_the_dashboards_and_transparency_pages_are_replica_views() -> None:
    for view in (
        monitoring_views.regency_dashboard,
        monitoring_views.unit_dashboard,
        public_views.transparency_index,
        public_views.transparency_unit,
    ):
        assert getattr(view, "__wrapped__", None) is not None, view


# -- Against a real streaming replica ---------------------------------------------------------

real = pytest.mark.skipif(not HAS_REPLICA, reason="needs DATABASE_REPLICA_URL (bin/pg-replica)")
both = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def _replay_to_current(timeout: float = 20.0) -> None:
    """Wait until the replica has replayed everything the primary has written so far."""
    target = replica.primary_lsn()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if replica.caught_up(target):
            return
        time.sleep(0.05)
    raise AssertionError(f"the replica did not replay {target} within {timeout} s")


@pytest.fixture
def paused_replay() -> Iterator[None]:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        yield
    finally:
        with connections["replica"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


@real
@both
def test_reads_inside_replica_reads_are_served_by_the_replica() -> None:
    UnitFactory(code="RPL-1", name="Unit replika")
    _replay_to_current()
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
        replica.replica_reads(),
    ):
        assert Unit.objects.filter(code="RPL-1").exists()
    assert len(on_replica.captured_queries) == 1
    assert on_primary.captured_queries == []
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0] is True  # really the standby


@real
@both
def test_writes_inside_replica_reads_go_to_the_primary() -> None:
    with CaptureQueriesContext(connections["replica"]) as on_replica, replica.replica_reads():
        UnitFactory(code="RPL-2", name="Ditulis ke primer")
    assert not any("INSERT" in q["sql"] or "UPDATE" in q["sql"] for q in on_replica)
    with replica.primary_reads():
        assert Unit.objects.filter(code="RPL-2").exists()


@real
@both
def test_a_user_reads_their_own_write_while_others_see_the_replica(paused_replay: None) -> None:
    factory = RequestFactory()

    def write(request: HttpRequest) -> HttpResponse:
        UnitFactory(code="RPL-3", name="Baru saja ditulis")
        return HttpResponse(status=302)

    @replica.replica_view
    def read(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(Unit.objects.filter(code="RPL-3").exists()))

    written = replica.ReadYourWritesMiddleware(write)(factory.post("/"))
    mine = factory.get("/")
    mine.COOKIES[replica.LSN_COOKIE] = written.cookies[replica.LSN_COOKIE].value
    assert read(mine).content == b"True"  # the writer: the primary, as replay is paused
    assert read(factory.get("/")).content == b"False"  # anyone else: the (stale) replica

    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    _replay_to_current()
    assert read(factory.get("/")).content == b"True"


@real
@both
def test_the_regency_dashboard_is_served_from_the_replica(client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user(username="pimpinan.rpl", role=Role.PIMPINAN))
    _replay_to_current()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(reverse("monitoring:regency_dashboard"))
    assert response.status_code == 200
    assert len(on_replica.captured_queries) > 0


@real
@both
def test_an_unreachable_replica_falls_back_to_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    UnitFactory(code="RPL-4", name="Primer saja")
    replica_settings = connections["replica"].settings_dict
    connections["replica"].close()
    monkeypatch.setitem(replica_settings, "PORT", "1")  # nothing listens there
    monkeypatch.setattr(replica, "_down_until", 0.0)

    @replica.replica_view
    def read(request: HttpRequest) -> HttpResponse:
        return HttpResponse(str(Unit.objects.filter(code="RPL-4").exists()))

    assert read(RequestFactory().get("/")).content == b"True"
    assert replica._down_until > time.monotonic()  # not tried again for a while
    connections["replica"].close()
