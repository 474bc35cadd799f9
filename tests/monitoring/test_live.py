"""The live stream (Server-Sent Events): what it sends, what it costs while idle, and that it
ends. Run against the real async view with a bounded loop (`once=1`, a short lifetime)."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.db import connection
from django.test import AsyncClient, Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.core.models import Notification
from kinerja.monitoring import live, services
from kinerja.monitoring.models import ChangeEvent
from tests.conftest import Org

STREAM = reverse("monitoring:stream")

pytestmark = pytest.mark.django_db(transaction=True)


def read(org: Org, persona: str, **params: str) -> tuple[int, dict[str, str], str]:
    """GET the stream as `persona` and read it to its end."""

    async def go() -> tuple[int, dict[str, str], str]:
        client = AsyncClient()
        if persona != "anonymous":
            await client.aforce_login(org.users[persona])
        response = await client.get(STREAM, params)
        if not response.streaming:
            return response.status_code, dict(response.headers), ""
        chunks = [chunk async for chunk in response.streaming_content]
        return response.status_code, dict(response.headers), b"".join(chunks).decode()

    return async_to_sync(go)()


def events(body: str) -> list[dict[str, str]]:
    parsed = []
    for block in body.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if line.startswith(":"):
                continue
            key, _sep, value = line.partition(": ")
            fields[key] = value
        if "event" in fields:
            parsed.append(fields)
    return parsed


def test_it_streams_server_sent_events_with_the_unread_count(org: Org) -> None:
    Notification.objects.create(recipient=org.users["employee"], message="Umpan balik baru")
    status, headers, body = read(org, "employee", once="1", belum="0")
    assert status == 200
    assert headers["Content-Type"].startswith("text/event-stream")
    assert "no-cache" in headers["Cache-Control"]
    assert body.startswith("retry: 2000")
    assert events(body) == [{"event": "notifications", "data": '{"unread": 1}'}]


def test_it_sends_nothing_when_the_page_already_shows_the_count(org: Org) -> None:
    _status, _headers, body = read(org, "employee", once="1", belum="0")
    assert events(body) == []


def test_it_names_the_changed_people_below_the_supervisor(org: Org) -> None:
    start = ChangeEvent.objects.create(topic="x", employee_id=0, path="/0/").id
    services.change_record(topic="realisation", employee_id=org.employee.pk, path=org.employee.path)
    services.change_record(topic="feedback", employee_id=org.peer.pk, path=org.peer.path)
    services.change_record(
        topic="realisation", employee_id=org.other_employee.pk, path=org.other_employee.path
    )
    _status, _headers, body = read(
        org, "supervisor", once="1", tim="1", sejak=str(start), belum="0"
    )
    (team,) = events(body)
    assert team["event"] == "team"
    assert team["data"] == f'{{"employees": [{org.employee.pk}, {org.peer.pk}]}}'
    assert int(team["id"]) == ChangeEvent.objects.latest("id").id
    # The employee of another OPD is in nobody's team here, and never leaks.
    _status, _headers, body = read(org, "other", once="1", tim="1", sejak=str(start), belum="0")
    assert [e["data"] for e in events(body)] == [f'{{"employees": [{org.other_employee.pk}]}}']


def test_a_new_stream_starts_after_the_newest_change(org: Org) -> None:
    services.change_record(topic="realisation", employee_id=org.employee.pk, path=org.employee.path)
    _status, _headers, body = read(org, "supervisor", once="1", tim="1", belum="0")
    assert events(body) == []
    assert f"id: {ChangeEvent.objects.latest('id').id}" in body


def test_it_ends_by_itself_after_its_lifetime(org: Org, settings) -> None:  # type: ignore[no-untyped-def]
    settings.MONITORING_STREAM_POLL_SECONDS = 0.05
    settings.MONITORING_STREAM_MAX_SECONDS = 0.3
    status, _headers, body = read(org, "supervisor", tim="1", belum="0")
    assert status == 200 and body.startswith("retry:")


def test_anonymous_visitors_are_sent_to_log_in(org: Org) -> None:
    status, headers, _body = read(org, "anonymous", once="1")
    assert status == 302 and "/login/" in headers["Location"]


def test_an_idle_poll_is_one_small_query(org: Org) -> None:
    since = services.change_record(topic="x", employee_id=1, path="/9999/").id
    with CaptureQueriesContext(connection) as queries:
        result = live.poll(
            user_id=org.users["supervisor"].pk, path=org.supervisor.path, after=since
        )
    assert len(queries.captured_queries) == 1
    assert (result.changes, result.unread, result.last_id) == ([], 0, since)


def test_the_cursor_follows_the_newest_id_and_never_repeats_a_change(org: Org) -> None:
    cursor = live.Cursor(None)
    assert cursor.advance(live.PollResult(unread=0, last_id=10)) == []
    assert cursor.position == 10 and cursor.after == 0  # looks back over a late commit
    changes = [(11, 5), (12, 6), (13, 5)]
    assert cursor.advance(live.PollResult(0, 20, changes)) == [5, 6]
    assert cursor.position == 20
    # id 9 commits late: still reported once; 11–13 are not repeated.
    assert cursor.advance(live.PollResult(0, 20, [(9, 7), *changes])) == [7]
    resumed = live.Cursor(20)
    assert resumed.after == 20  # Last-Event-ID: nothing before it is sent again


def test_a_poll_for_a_page_without_a_team_reads_only_the_count(org: Org) -> None:
    with CaptureQueriesContext(connection) as queries:
        result = live.poll(user_id=org.users["pimpinan"].pk, path=None, after=0)
    assert len(queries.captured_queries) == 1
    assert "monitoring_changeevent" not in queries.captured_queries[0]["sql"]
    assert result.unread == 0


def test_a_flood_of_changes_asks_the_page_to_reload(org: Org, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(live, "MAX_CHANGES", 2)
    for _ in range(3):
        services.change_record(topic="x", employee_id=org.employee.pk, path=org.employee.path)
    result = live.poll(user_id=org.users["supervisor"].pk, path=org.supervisor.path, after=0)
    assert result.overflow


def test_a_wsgi_server_gets_one_poll_and_a_later_retry(org: Org) -> None:
    import warnings

    from django.test import Client

    client = Client()
    client.force_login(org.users["employee"])
    response = client.get(STREAM, {"tim": "1"})  # no once=1: a WSGI request never streams on
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        body = b"".join(response).decode()
    assert body.startswith("retry: 15000")


def _stream_after(org: Org, end_session: Any, **params: str) -> tuple[str, float]:
    """Open the supervisor's board stream, then end their session with `end_session` (run in
    a thread, as another tab's request would), then read the stream to its end: (body, how
    long the reading took)."""
    import time

    from asgiref.sync import sync_to_async

    async def go() -> tuple[str, float]:
        client = AsyncClient()
        await client.aforce_login(org.users["supervisor"])
        response = await client.get(STREAM, {"tim": "1", "belum": "0", **params})
        iterator = response.streaming_content.__aiter__()
        body = ""
        while "id: " not in body:  # the first query ran: the stream is subscribed
            body += (await iterator.__anext__()).decode()
        await sync_to_async(end_session)(client)
        started = time.monotonic()
        async for chunk in iterator:
            body += chunk.decode()
        return body, time.monotonic() - started

    return async_to_sync(go)()


def _log_out(client: Any) -> None:
    """Log out in another tab of the same browser (the same session cookie)."""
    tab = Client()
    tab.cookies = client.cookies
    assert tab.post("/logout/").status_code == 302


def test_a_logout_elsewhere_ends_the_open_stream_at_once(org: Org, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Logged out in another tab: the board's stream says so ("signedout") and ends, instead of
    delivering changes until its lifetime is over. The logout wakes it: an idle stream is not
    checked on a timer (the keep-alive is 30 s here, the stream ends well before)."""
    from kinerja.monitoring import views

    settings.MONITORING_STREAM_POLL_SECONDS = 0.05
    settings.MONITORING_STREAM_MAX_SECONDS = 20
    monkeypatch.setattr(views, "KEEPALIVE_SECONDS", 30)
    body, took = _stream_after(org, _log_out)
    assert events(body)[-1] == {"event": "signedout", "data": '{"login": "/login/"}'}
    assert took < 10  # ended by the check, not by its lifetime


def test_a_password_change_elsewhere_ends_the_open_stream(org: Org, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A password changed (by the person elsewhere, or reset by an admin) ends the sessions that
    knew the old one, and so their open streams, at once."""
    from kinerja.monitoring import views

    settings.MONITORING_STREAM_POLL_SECONDS = 0.05
    settings.MONITORING_STREAM_MAX_SECONDS = 20
    monkeypatch.setattr(views, "KEEPALIVE_SECONDS", 30)

    def change_password(_client: Any) -> None:
        user = org.users["supervisor"]
        user.set_password("kata-sandi-baru-123")
        user.save()

    body, took = _stream_after(org, change_password)
    assert [e["event"] for e in events(body)] == ["signedout"]
    assert took < 10


def test_a_change_is_not_delivered_to_a_deactivated_account(
    org: Org, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The account deactivated while its board is open: the stream is woken and ends; no change
    is sent."""
    from kinerja.monitoring import views

    settings.MONITORING_STREAM_POLL_SECONDS = 0.05
    settings.MONITORING_STREAM_MAX_SECONDS = 20
    monkeypatch.setattr(views, "KEEPALIVE_SECONDS", 30)  # not a keep-alive

    def deactivate_then_change(_client: Any) -> None:
        user = org.users["supervisor"]
        user.is_active = False
        user.save(update_fields=["is_active"])
        services.change_record(
            topic="realisation", employee_id=org.employee.pk, path=org.employee.path
        )

    body, took = _stream_after(org, deactivate_then_change)
    assert [e["event"] for e in events(body)] == ["signedout"]
    assert took < 10


def test_a_signed_in_viewer_keeps_the_stream_and_the_check_costs_two_reads(
    org: Org, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from kinerja.monitoring import views

    settings.MONITORING_STREAM_POLL_SECONDS = 0.05
    settings.MONITORING_STREAM_MAX_SECONDS = 1
    monkeypatch.setattr(views, "KEEPALIVE_SECONDS", 0.2)
    body, _took = _stream_after(org, lambda client: None)
    assert ": tetap tersambung" in body and "signedout" not in body
    # An idle stream runs no check at its keep-alives (1,000 open pages would pay for it).
    calls: list[int] = []
    real = views._signed_in
    monkeypatch.setattr(views, "_signed_in", lambda *args: calls.append(1) or True)
    body, _took = _stream_after(org, lambda client: None)
    assert body.count(": tetap tersambung") >= 2 and calls == []
    # Nor does a team change: a busy board would read the session for each one.
    body, _took = _stream_after(
        org,
        lambda client: services.change_record(
            topic="realisation", employee_id=org.employee.pk, path=org.employee.path
        ),
    )
    assert "event: team" in body and calls == []
    client = Client()
    client.force_login(org.users["supervisor"])
    key, user_id = client.session.session_key, org.users["supervisor"].pk
    with CaptureQueriesContext(connection) as queries:
        assert real(key, user_id)
    assert len(queries.captured_queries) == 2
    assert not real(key, org.users["employee"].pk)  # someone else's session
    assert not real(None, user_id)
    user = org.users["supervisor"]
    user.set_password("kata-sandi-baru-123")  # a password change ends the other sessions
    user.save()
    assert not real(key, user_id)


def test_a_heads_recomputed_team_reaches_the_boards_above_as_teams(org: Org) -> None:
    """The task worker recomputed the supervisor's team figures: the unit head's board (and the
    supervisor's own) hears of it in `teams`, once per head; nobody else's board does, and a
    board of people's rows gets no `employees` for it."""
    start = ChangeEvent.objects.create(topic="x", employee_id=0, path="/0/").id
    services.team_changes_record(heads={org.supervisor.pk: org.supervisor.path})
    _status, _headers, body = read(org, "unit_head", once="1", tim="1", sejak=str(start), belum="0")
    (team,) = events(body)
    assert team["data"] == f'{{"employees": [], "teams": [{org.supervisor.pk}]}}'
    _status, _headers, body = read(org, "other", once="1", tim="1", sejak=str(start), belum="0")
    assert events(body) == []
    # The cursor keeps the two kinds apart, each change once.
    cursor = live.Cursor(start)
    result = live.poll(user_id=org.users["unit_head"].pk, path=org.unit_head.path, after=start)
    assert cursor.advance_with_teams(result) == ([], [org.supervisor.pk])
    assert cursor.advance_with_teams(result) == ([], [])
