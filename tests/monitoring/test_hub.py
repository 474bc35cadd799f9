"""The live-update hub (kinerja.monitoring.hub): one listener per worker process, fanned out to
the open streams that may see each change; the PostgreSQL and Redis buses; reconnection."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from django.test import AsyncClient
from django.urls import reverse

from kinerja.core.notifications import notify
from kinerja.monitoring import hub, services
from tests.conftest import Org

pytestmark = pytest.mark.django_db(transaction=True)

STREAM = reverse("monitoring:stream")


def change(org: Org, who: str, id_: int) -> hub.Change:
    employee = getattr(org, who)
    return hub.Change(id_, "realisation", employee.pk, employee.path)


def run(coro_fn: Any) -> Any:
    return async_to_sync(coro_fn)()


def test_the_hub_hands_each_change_to_the_streams_whose_viewer_may_see_it(org: Org) -> None:
    async def go() -> dict[str, Any]:
        h = hub.Hub(asyncio.get_running_loop(), kind="poll")
        h.position = 0
        subs = {
            "supervisor": h.subscribe(org.users["supervisor"].pk, org.supervisor.path),
            "supervisor_2nd_page": h.subscribe(org.users["supervisor"].pk, org.supervisor.path),
            "unit_head": h.subscribe(org.users["unit_head"].pk, org.unit_head.path),
            "other": h.subscribe(org.users["other"].pk, org.other_head.path),
            "employee": h.subscribe(org.users["employee"].pk, None),  # a page without a board
        }
        h.dispatch([change(org, "employee", 1), change(org, "other_employee", 2)])
        h.dispatch([change(org, "employee", 1)])  # the same row again (a catch-up): once
        taken = {name: sub.take() for name, sub in subs.items()}
        await h.close()
        return taken

    taken = run(go)
    mine = [(1, org.employee.pk)]
    assert taken["supervisor"] == (mine, False, False)
    assert taken["supervisor_2nd_page"] == (mine, False, False)
    assert taken["unit_head"] == (mine, False, False)  # everyone below the head, at any depth
    assert taken["other"] == ([(2, org.other_employee.pk)], False, False)  # never the nurse
    assert taken["employee"] == ([], False, False)


def test_an_unread_change_reaches_only_that_accounts_streams(org: Org) -> None:
    async def go() -> tuple[Any, Any]:
        h = hub.Hub(asyncio.get_running_loop(), kind="poll")
        mine = h.subscribe(org.users["employee"].pk, None)
        theirs = h.subscribe(org.users["supervisor"].pk, org.supervisor.path)
        h.dispatch([hub.Change(5, hub.UNREAD_TOPIC, org.users["employee"].pk, "")])
        result = mine.take(), theirs.take()
        await h.close()
        return result

    mine, theirs = run(go)
    assert mine == ([], True, False)
    assert theirs == ([], False, False)


def test_a_stream_beyond_its_limit_asks_for_a_reload(org: Org) -> None:
    async def go() -> Any:
        h = hub.Hub(asyncio.get_running_loop(), kind="poll")
        sub = h.subscribe(org.users["supervisor"].pk, org.supervisor.path, limit=2)
        h.dispatch([change(org, "employee", i) for i in range(1, 5)])
        return sub.take()

    changes, _unread, overflow = run(go)
    assert len(changes) == 2 and overflow


def test_unsubscribed_streams_leave_no_trace(org: Org) -> None:
    async def go() -> Hub:
        h = hub.Hub(asyncio.get_running_loop(), kind="poll")
        sub = h.subscribe(org.users["supervisor"].pk, org.supervisor.path)
        sub.close()
        await h.close()
        return h

    h = run(go)
    assert h.by_path == {} and h.by_user == {} and h.count == 0


Hub = hub.Hub


async def _read_until(response: Any, wanted: str, timeout: float = 10) -> str:
    seen = ""
    iterator = response.streaming_content.__aiter__()

    async def more() -> None:
        nonlocal seen
        while wanted not in seen:
            seen += (await iterator.__anext__()).decode()

    await asyncio.wait_for(more(), timeout)
    return seen


def test_an_open_board_receives_a_change_saved_after_it_opened(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    """End to end on the shared poll (SQLite) or the bus (PostgreSQL): the stream opens, a
    change is recorded, the stream names the employee; the employee of another OPD changed too
    and is never named."""
    settings.MONITORING_STREAM_MAX_SECONDS = 20
    settings.MONITORING_STREAM_POLL_SECONDS = 0.1

    async def go() -> str:
        client = AsyncClient()
        await client.aforce_login(org.users["supervisor"])
        response = await client.get(STREAM, {"tim": "1", "belum": "0"})
        body = await _read_until(response, "id: ")  # the first query ran: subscribed
        await sync_to_async(services.change_record)(
            topic="realisation", employee_id=org.other_employee.pk, path=org.other_employee.path
        )
        await sync_to_async(services.change_record)(
            topic="realisation", employee_id=org.employee.pk, path=org.employee.path
        )
        body += await _read_until(response, "event: team")
        await response.streaming_content.aclose()
        return body

    body = run(go)
    assert f'data: {{"employees": [{org.employee.pk}]}}' in body
    assert str(org.other_employee.pk) not in body.split("event: team", 1)[1].split("\n")[1]


def test_a_new_notification_updates_the_open_pages_count(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MONITORING_STREAM_MAX_SECONDS = 20
    settings.MONITORING_STREAM_POLL_SECONDS = 0.1

    async def go() -> str:
        client = AsyncClient()
        await client.aforce_login(org.users["employee"])
        response = await client.get(STREAM, {"belum": "0"})
        body = await _read_until(response, "retry:")
        await asyncio.sleep(0.3)  # past the first query
        await sync_to_async(notify)(recipient=org.users["employee"], message="Umpan balik baru")
        body += await _read_until(response, "event: notifications")
        await response.streaming_content.aclose()
        return body

    assert 'event: notifications\ndata: {"unread": 1}' in run(go)


def _listen_and_record(org: Org, kind: str) -> list[hub.Change]:
    """A hub on the `kind` bus, and a change recorded from another thread (as a request
    thread of another worker would): what the hub's subscriber got."""

    async def go() -> list[hub.Change]:
        h = hub.Hub(asyncio.get_running_loop(), kind=kind)
        sub = h.subscribe(org.users["supervisor"].pk, org.supervisor.path)
        for _ in range(100):  # connected and caught up
            if h.connected and h.position is not None:
                break
            await asyncio.sleep(0.05)
        assert h.connected, "the listener did not connect"
        recorded = await sync_to_async(services.change_record, thread_sensitive=False)(
            topic="realisation", employee_id=org.employee.pk, path=org.employee.path
        )
        got = await sub.wait(5)
        changes, _u, _o = sub.take()
        await h.close()
        assert got, "no message arrived"
        assert changes == [(recorded.id, org.employee.pk)]
        return changes

    return run(go)


def test_postgres_listen_notify_carries_a_change(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (DATABASE_URL)")
    settings.MONITORING_LIVE_BACKEND = "postgres"
    settings.MONITORING_LIVE_SWEEP_SECONDS = 60  # the message, not the sweep, must bring it
    assert _listen_and_record(org, "postgres")


def test_postgres_announces_many_changes_in_order_in_few_statements(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    """A burst (a TPP month locked: one change per account) goes out NOTIFY_BATCH changes a
    statement, every one delivered, in order."""
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY needs PostgreSQL (DATABASE_URL)")
    import psycopg
    from django.test.utils import CaptureQueriesContext
    from psycopg import sql

    settings.MONITORING_LIVE_BACKEND = "postgres"
    db = settings.DATABASES["default"]
    listener = psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )
    try:
        listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(hub.channel())))
        sent = [change(org, "employee" if n % 2 else "peer", n) for n in range(1, 2502)]
        with CaptureQueriesContext(connection) as queries:
            hub.announce(sent)
        assert len(queries) == 3  # 1,000 + 1,000 + 501
        got = [hub.Change.decode(n.payload) for n in listener.notifies(timeout=5, stop_after=2501)]
    finally:
        listener.close()
    assert got == sent


REDIS_TEST_URL = "redis://127.0.0.1:6379/5"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_redis_pubsub_carries_a_change(org: Org, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    if not _redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    settings.REDIS_URL = REDIS_TEST_URL
    settings.MONITORING_LIVE_BACKEND = "redis"
    settings.MONITORING_LIVE_SWEEP_SECONDS = 60
    monkeypatch.setattr(hub, "_redis_client", None)  # the publisher connects to this URL
    assert _listen_and_record(org, "redis")


class FlakyListener(hub.Listener):
    """Fails to connect the first time; the second time it connects, yields one message, then
    drops the connection; the third stays up."""

    attempts = 0

    def __init__(self, message: hub.Change) -> None:
        self.message = message

    async def connect(self) -> None:
        FlakyListener.attempts += 1
        if FlakyListener.attempts == 1:
            raise ConnectionError("refused")

    async def messages(self, sweep: float) -> AsyncIterator[hub.Change | None]:
        if FlakyListener.attempts == 2:
            yield self.message
            raise ConnectionError("dropped")
        while True:
            await asyncio.sleep(3600)
            yield None


def test_the_listener_reconnects_and_the_poll_covers_the_gap(org: Org, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(hub, "MAX_BACKOFF_S", 0.2)
    FlakyListener.attempts = 0

    async def go() -> tuple[list[Any], int]:
        h = hub.Hub(asyncio.get_running_loop(), kind="redis")
        h.position = 0
        pushed = hub.Change(10**9, "realisation", org.employee.pk, org.employee.path)
        h.make_listener = lambda kind: FlakyListener(pushed)
        sub = h.subscribe(org.users["supervisor"].pk, org.supervisor.path)
        # While the first connection is refused, a change is written: the fallback poll of
        # the feed table brings it.
        written = await sync_to_async(services.change_record, thread_sensitive=False)(
            topic="realisation", employee_id=org.employee.pk, path=org.employee.path
        )
        received: list[Any] = []
        for _ in range(100):
            if await sub.wait(0.1):
                received += sub.take()[0]
            if len(received) >= 2 and FlakyListener.attempts >= 3 and h.connected:
                break
        attempts = FlakyListener.attempts
        await h.close()
        return [written.id, pushed.id, received], attempts

    (written_id, pushed_id, received), attempts = run(go)
    assert (written_id, org.employee.pk) in received
    assert (pushed_id, org.employee.pk) in received
    assert attempts >= 3  # refused, dropped, reconnected


def test_a_worker_shutdown_ends_its_open_streams(org: Org) -> None:
    async def go() -> bool:
        h = hub.Hub(asyncio.get_running_loop(), kind="poll")
        sub = h.subscribe(org.users["supervisor"].pk, org.supervisor.path)
        await h.close()
        return await sub.wait(0.1) and sub.closed and h.task is not None and h.task.done()

    assert run(go)


def test_announcing_on_sqlite_hands_the_change_to_this_processes_hub(org: Org) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the in-process shortcut is the SQLite (poll) bus's")

    async def go() -> list[Any]:
        h = hub.get_hub()
        sub = h.subscribe(org.users["supervisor"].pk, org.supervisor.path)
        done = threading.Event()

        def record() -> None:
            hub.announce([hub.Change(7, "realisation", org.employee.pk, org.employee.path)])
            done.set()

        threading.Thread(target=record).start()
        await sub.wait(2)
        taken = sub.take()[0]
        await hub.shutdown()
        return taken

    assert run(go) == [(7, org.employee.pk)]


def test_marking_notifications_read_announces_the_new_count(org: Org) -> None:
    from django.test import Client

    from kinerja.core.models import Notification
    from kinerja.monitoring.models import ChangeEvent

    user = org.users["employee"]
    Notification.objects.create(recipient=user, message="Umpan balik baru")
    client = Client()
    client.force_login(user)
    before = ChangeEvent.objects.filter(topic=hub.UNREAD_TOPIC, employee_id=user.pk).count()
    response = client.post(reverse("performance:notification_list"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    rows = ChangeEvent.objects.filter(topic=hub.UNREAD_TOPIC, employee_id=user.pk)
    assert rows.count() == before + 1 and rows.latest("id").path == ""
    # Nothing left unread: a second "mark all read" changes nothing and announces nothing.
    client.post(reverse("performance:notification_list"))
    assert rows.count() == before + 1


def test_a_recomputed_team_is_handed_over_apart_from_peoples_changes(org: Org) -> None:
    async def go() -> Any:
        h = hub.Hub(asyncio.get_running_loop(), kind="poll")
        sub = h.subscribe(org.users["unit_head"].pk, org.unit_head.path)
        h.dispatch(
            [
                change(org, "employee", 1),
                hub.Change(2, hub.TEAM_TOPIC, org.supervisor.pk, org.supervisor.path),
            ]
        )
        taken = sub.take_all()
        sub.close()
        return taken

    changes, teams, unread, overflow = run(go)
    assert changes == [(1, org.employee.pk)] and teams == [(2, org.supervisor.pk)]
    assert (unread, overflow) == (False, False)
