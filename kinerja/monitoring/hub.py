"""Live updates: one listener per worker process, fanned out to every open stream in it.

A committed change becomes a ChangeEvent row (kinerja.monitoring.services.change_record), which
is then *announced* on the deployment's bus:

- **Redis** pub/sub when `REDIS_URL` is set (the bus that also works across machines and
  through pgbouncer in transaction mode);
- **PostgreSQL** LISTEN/NOTIFY when the database is PostgreSQL (`pg_notify`, delivered when the
  writing transaction commits);
- on **SQLite** nothing is sent: each worker process polls the feed table, once, at most every
  MONITORING_STREAM_POLL_SECONDS, while it has open streams (a change made in the same process
  is handed to its hub at once).

Each worker process runs ONE :class:`Hub` on its event loop. The hub holds one listener
(a LISTEN connection, a Redis subscription or the shared poll) and the open streams'
:class:`Subscription` objects, indexed by the supervisor's reporting path and by account, so a
change reaches exactly the streams whose viewer may see it — the same rule as the stream's own
query (kinerja.monitoring.live.poll): the employee's path starts with the viewer's path.
An idle page costs nothing but its socket and a keep-alive comment every 15 s.

Failure: when the listener cannot connect or drops, the hub polls the feed table once a second
(as on SQLite) while it reconnects with exponential backoff; after reconnecting, and every
MONITORING_LIVE_SWEEP_SECONDS in any case, it reads the feed rows after the last id it saw, so a
lost message delays an update, never loses it. The feed table stays the record: a page that
reconnects resumes from its Last-Event-ID (kinerja.monitoring.views.stream).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection

from .models import ChangeEvent

logger = logging.getLogger(__name__)

UNREAD_TOPIC = "notifications"  # a feed row whose employee_id is the account whose count changed
TEAM_TOPIC = "team"  # a feed row whose employee_id is a head whose team figures were recomputed
CATCH_UP_LIMIT = 1000  # feed rows read per catch-up query (more: read again)
MAX_BACKOFF_S = 30.0


@dataclass(frozen=True)
class Change:
    id: int
    topic: str
    employee_id: int
    path: str

    def encode(self) -> str:
        return json.dumps([self.id, self.topic, self.employee_id, self.path])

    @classmethod
    def decode(cls, raw: str | bytes) -> Change:
        id_, topic, employee_id, path = json.loads(raw)
        return cls(int(id_), str(topic), int(employee_id), str(path))


# --- Which bus --------------------------------------------------------------------------------


def backend() -> str:
    """ "redis", "postgres" or "poll" (MONITORING_LIVE_BACKEND, "auto" by default: Redis when
    REDIS_URL is set, else LISTEN/NOTIFY on PostgreSQL, else the shared poll)."""
    chosen = getattr(settings, "MONITORING_LIVE_BACKEND", "auto") or "auto"
    if chosen != "auto":
        return str(chosen)
    if getattr(settings, "REDIS_URL", ""):
        return "redis"
    return "postgres" if connection.vendor == "postgresql" else "poll"


def channel() -> str:
    """The bus channel: one per database (Redis channels are shared by every database number
    of a server, so the name says which Kinerja database the ids belong to)."""
    db = settings.DATABASES["default"]
    identity = f"{db['ENGINE']}|{db.get('HOST', '')}|{db.get('PORT', '')}|{db['NAME']}"
    return "kinerja_live_" + hashlib.sha1(identity.encode()).hexdigest()[:12]


_redis_lock = threading.Lock()
_redis_client: Any = None


def _redis() -> Any:
    global _redis_client
    with _redis_lock:
        if _redis_client is None:
            import redis

            _redis_client = redis.Redis.from_url(
                settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2
            )
        return _redis_client


NOTIFY_BATCH = 1000  # changes announced per pg_notify statement


def announce(changes: Iterable[Change]) -> None:
    """Tell every worker process about committed feed rows (called right after they are
    written, outside or at the end of the writing transaction). Never raises: a lost
    announcement is caught up by the hubs' next sweep."""
    changes = list(changes)
    if not changes:
        return
    bus = backend()
    try:
        if bus == "redis":
            pipe = _redis().pipeline(transaction=False)
            for change in changes:
                pipe.publish(channel(), change.encode())
            pipe.execute()
        elif bus == "postgres" and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if len(changes) == 1:
                    cursor.execute("SELECT pg_notify(%s, %s)", [channel(), changes[0].encode()])
                else:  # many (a TPP month locked: one per account): NOTIFY_BATCH a statement
                    for start in range(0, len(changes), NOTIFY_BATCH):
                        payloads = [c.encode() for c in changes[start : start + NOTIFY_BATCH]]
                        cursor.execute(
                            "SELECT pg_notify(%s, c.payload) FROM unnest(%s::text[]) "
                            "WITH ORDINALITY AS c(payload, n) ORDER BY c.n",
                            [channel(), payloads],
                        )
    except Exception:
        logger.exception("could not announce %d live change(s); the hubs' sweep will", len(changes))
    hub = _current
    if hub is not None and bus == "poll":
        hub.dispatch_threadsafe(changes)  # this process's streams need not wait for the poll


# --- The feed table ---------------------------------------------------------------------------


def _read_feed(after: int | None) -> tuple[int, list[Change]]:
    """The newest feed id and the rows after `after` (None: only the newest id)."""
    table = connection.ops.quote_name(ChangeEvent._meta.db_table)
    try:
        with connection.cursor() as cursor:
            if after is None:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
                return int(cursor.fetchone()[0]), []
            cursor.execute(
                f"SELECT id, topic, employee_id, path FROM {table} WHERE id > %s "
                f"ORDER BY id LIMIT {CATCH_UP_LIMIT}",
                [after],
            )
            rows = [Change(int(a), str(b), int(c), str(d)) for a, b, c, d in cursor.fetchall()]
    finally:
        if not connection.in_atomic_block:
            close_old_connections()
    return (rows[-1].id if rows else after), rows


# --- Subscriptions ----------------------------------------------------------------------------


class Subscription:
    """One open stream's inbox: the (feed id, employee id) pairs of changes under its path, and
    whether its viewer's unread count may have changed. Filled on the hub's event loop."""

    def __init__(self, hub: Hub, user_id: int, path: str | None, limit: int) -> None:
        self.hub, self.user_id, self.path, self.limit = hub, user_id, path, limit
        self.changes: list[tuple[int, int]] = []
        self.teams: list[tuple[int, int]] = []  # (feed id, head id): team figures recomputed
        self.unread_changed = False
        self.overflow = False
        self.closed = False
        self._ready = asyncio.Event()

    def _add(self, change: Change) -> None:
        if len(self.changes) + len(self.teams) >= self.limit:
            self.overflow = True
        elif change.topic == TEAM_TOPIC:
            self.teams.append((change.id, change.employee_id))
        else:
            self.changes.append((change.id, change.employee_id))
        self._ready.set()

    def _unread(self) -> None:
        self.unread_changed = True
        self._ready.set()

    def _close(self) -> None:
        self.closed = True
        self._ready.set()

    async def wait(self, timeout: float) -> bool:
        """Until something arrived (True) or `timeout` seconds passed (False)."""
        if not self._ready.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._ready.wait(), timeout)
        return self._ready.is_set()

    def take(self) -> tuple[list[tuple[int, int]], bool, bool]:
        """What arrived since the last take: (changes, unread changed, overflowed); the team
        changes are dropped (`take_all` returns them)."""
        changes, _teams, unread_changed, overflow = self.take_all()
        return changes, unread_changed, overflow

    def take_all(self) -> tuple[list[tuple[int, int]], list[tuple[int, int]], bool, bool]:
        """What arrived since the last take: (people's changes, heads whose team figures were
        recomputed, unread changed, overflowed)."""
        taken = (self.changes, self.teams, self.unread_changed, self.overflow)
        self.changes, self.teams, self.unread_changed, self.overflow = [], [], False, False
        self._ready.clear()
        return taken

    def close(self) -> None:
        self.hub.unsubscribe(self)


# --- Listeners --------------------------------------------------------------------------------


class Listener:
    """A connection to the bus. `messages()` yields changes as they arrive, and None at least
    every `sweep` seconds (the hub then reads the feed table); it raises when the connection
    is lost."""

    async def messages(self, sweep: float) -> AsyncIterator[Change | None]:
        raise NotImplementedError
        yield None  # pragma: no cover

    async def close(self) -> None:
        return None


class PollListener(Listener):
    """SQLite: no bus; "a message" is each tick of the shared poll."""

    def __init__(self, interval: float) -> None:
        self.interval = interval

    async def messages(self, sweep: float) -> AsyncIterator[Change | None]:
        while True:
            await asyncio.sleep(self.interval)
            yield None


class PostgresListener(Listener):
    """LISTEN on its own autocommit connection (psycopg 3, async)."""

    def __init__(self) -> None:
        self.conn: Any = None

    async def connect(self) -> None:
        import psycopg
        from psycopg import sql

        db = settings.DATABASES["default"]
        options = db.get("OPTIONS", {})
        self.conn = await psycopg.AsyncConnection.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            connect_timeout=int(options.get("connect_timeout", 5)),
            autocommit=True,
        )
        await self.conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel())))

    async def messages(self, sweep: float) -> AsyncIterator[Change | None]:
        while True:
            async for notify in self.conn.notifies(timeout=sweep):
                yield Change.decode(notify.payload)
            await self.conn.execute("SELECT 1")  # a dead connection raises here
            yield None

    async def close(self) -> None:
        if self.conn is not None:
            with contextlib.suppress(Exception):
                await self.conn.close()


class RedisListener(Listener):
    """SUBSCRIBE on a redis-py asyncio connection."""

    def __init__(self) -> None:
        self.client: Any = None
        self.pubsub: Any = None

    async def connect(self) -> None:
        import redis.asyncio as aioredis

        self.client = aioredis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=5)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        await self.pubsub.subscribe(channel())

    async def messages(self, sweep: float) -> AsyncIterator[Change | None]:
        loop = asyncio.get_running_loop()
        while True:
            deadline = loop.time() + sweep
            while (left := deadline - loop.time()) > 0:
                message = await self.pubsub.get_message(timeout=left)
                if message is not None and message.get("type") == "message":
                    yield Change.decode(message["data"])
            await self.client.ping()  # a dead connection raises here
            yield None

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.pubsub is not None:
                await self.pubsub.aclose()
            if self.client is not None:
                await self.client.aclose()


def make_listener(kind: str) -> Listener:
    if kind == "redis":
        return RedisListener()
    if kind == "postgres":
        return PostgresListener()
    return PollListener(float(getattr(settings, "MONITORING_STREAM_POLL_SECONDS", 0.25)))


# --- The hub ----------------------------------------------------------------------------------


class Hub:
    """The one listener of this worker process and the open streams it feeds (all on one
    event loop; other threads hand changes in through dispatch_threadsafe)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, kind: str | None = None) -> None:
        self.loop = loop
        self.kind = kind or backend()
        self.by_path: dict[str, set[Subscription]] = {}
        self.by_user: dict[int, set[Subscription]] = {}
        self.count = 0
        self.position: int | None = None  # the newest feed id seen
        self.seen: set[int] = set()
        # On PostgreSQL a smaller id can commit after a larger one: catch-ups look back.
        self.overlap = 100 if connection.vendor == "postgresql" else 0
        self.task: asyncio.Task[None] | None = None
        self.wanted = asyncio.Event()
        self.connected = False
        self.reconnects = 0
        self.listener: Listener | None = None
        self.make_listener: Callable[[str], Listener] = make_listener

    # Streams ---------------------------------------------------------------------------

    def subscribe(self, user_id: int, path: str | None, limit: int = 500) -> Subscription:
        sub = Subscription(self, user_id, path, limit)
        self.by_user.setdefault(user_id, set()).add(sub)
        if path is not None:
            self.by_path.setdefault(path, set()).add(sub)
        self.count += 1
        self.wanted.set()
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run(), name="kinerja-live-hub")
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        mine = self.by_user.get(sub.user_id)
        if mine is None or sub not in mine:
            return  # already gone
        mine.discard(sub)
        if not mine:
            del self.by_user[sub.user_id]
        if sub.path is not None:
            team = self.by_path.get(sub.path, set())
            team.discard(sub)
            if not team:
                self.by_path.pop(sub.path, None)
        self.count -= 1
        if self.count == 0:
            self.wanted.clear()

    # Changes ---------------------------------------------------------------------------

    def dispatch(self, changes: Iterable[Change]) -> int:
        """Hand each change not seen before to the streams that may see it; returns how many
        streams were handed something."""
        reached = 0
        for change in changes:
            if change.id in self.seen:
                continue
            self.seen.add(change.id)
            if self.position is None or change.id > self.position:
                self.position = change.id
            if change.topic == UNREAD_TOPIC:
                for sub in self.by_user.get(change.employee_id, ()):
                    sub._unread()
                    reached += 1
                continue
            # The streams whose path is a prefix of the employee's path ("/1/5/9/" → "/1/",
            # "/1/5/", "/1/5/9/"): the access rule of the team board (everyone below me).
            end = 0
            while (end := change.path.find("/", end + 1)) != -1:
                for sub in self.by_path.get(change.path[: end + 1], ()):
                    sub._add(change)
                    reached += 1
        if len(self.seen) > 4 * CATCH_UP_LIMIT and self.position is not None:
            floor = self.position - 2 * max(self.overlap, CATCH_UP_LIMIT)
            self.seen = {i for i in self.seen if i > floor}
        return reached

    def dispatch_threadsafe(self, changes: list[Change]) -> None:
        if not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                self.loop.call_soon_threadsafe(self.dispatch, changes)

    async def catch_up(self) -> None:
        """Read the feed rows after the newest id seen (looking back `overlap` ids)."""
        while True:
            after = None if self.position is None else max(self.position - self.overlap, 0)
            newest, rows = await sync_to_async(_read_feed, thread_sensitive=False)(after)
            if after is None:
                self.position = newest
                return
            self.dispatch(rows)
            if len(rows) < CATCH_UP_LIMIT:
                return

    # The listener ----------------------------------------------------------------------

    async def _run(self) -> None:
        backoff = 1.0
        interval = float(getattr(settings, "MONITORING_STREAM_POLL_SECONDS", 0.25))
        sweep = float(getattr(settings, "MONITORING_LIVE_SWEEP_SECONDS", 30.0))
        while True:
            await self.wanted.wait()
            listener = self.make_listener(self.kind)
            self.listener = listener
            try:
                connect = getattr(listener, "connect", None)
                if connect is not None:
                    await connect()
                self.connected = True
                backoff = 1.0
                await self.catch_up()
                async for change in listener.messages(sweep):
                    if change is not None:
                        self.dispatch([change])
                    else:
                        if not self.wanted.is_set() and isinstance(listener, PollListener):
                            self.position = None  # streams that come later read their own start
                            break  # nobody is watching: the shared poll pauses
                        await self.catch_up()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning(
                    "live-update listener (%s) failed; polling the feed and reconnecting in %.0f s",
                    self.kind,
                    backoff,
                    exc_info=True,
                )
            finally:
                self.connected = False
                await listener.close()
            if isinstance(listener, PollListener):
                continue
            # Until the bus is back, the streams are fed by the shared poll.
            self.reconnects += 1
            until = self.loop.time() + backoff
            while self.loop.time() < until:
                with contextlib.suppress(Exception):
                    await self.catch_up()
                await asyncio.sleep(min(interval, max(until - self.loop.time(), 0)))
            backoff = min(backoff * 2, MAX_BACKOFF_S)

    async def close(self) -> None:
        """Worker shutdown: end the open streams (their browsers reconnect elsewhere) and
        close the listener."""
        for subs in list(self.by_user.values()):
            for sub in list(subs):
                sub._close()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
        if self.listener is not None:
            await self.listener.close()


_current: Hub | None = None


def get_hub() -> Hub:
    """This worker process's hub (one per event loop; a new loop, as in tests, gets a new
    hub)."""
    global _current
    loop = asyncio.get_running_loop()
    hub = _current
    if hub is None or hub.loop is not loop or loop.is_closed():
        hub = _current = Hub(loop)
    return hub


async def shutdown() -> None:
    """Close this process's hub (the ASGI lifespan's shutdown, kinerja.core.asgi)."""
    global _current
    hub, _current = _current, None
    if hub is not None and hub.loop is asyncio.get_running_loop():
        await hub.close()
