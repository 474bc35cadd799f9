"""Rate limits as fixed-window counters in Django's cache: atomic (``add`` + ``incr``), so they
hold across processes when the cache is shared (Redis; see CACHES in config/settings.py), and
per process with the local-memory cache of a single-process install.

Used by the citizens' pages and the kiosk (kinerja.public) and by the API's throttles
(kinerja.core.apikit). A rate is "count/seconds"; several rates at once are comma-separated
("20/60,240/3600": a burst of 20 a minute and 240 an hour); a count of 0 switches a limit off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, seconds = text.partition("/")
        return cls(int(count), int(seconds or 3600))


def _rate_key(scope: str, ident: str, limit: Rate) -> str:
    return f"kinerja:rl:{scope}:{ident}:{int(time.time() // limit.seconds)}"


def rate_limit_reached(scope: str, ident: str, rate: str) -> bool:
    """Whether `ident` has used up the current window of `scope` (counts nothing)."""
    limit = Rate.parse(rate)
    if limit.count <= 0 or not ident:
        return False
    return (cache.get(_rate_key(scope, ident, limit)) or 0) >= limit.count


def rate_limit_hit(scope: str, ident: str, rate: str) -> bool:
    """Count one event of `ident` in `scope`; False when the limit of the current window is
    already reached (the event must then be refused)."""
    limit = Rate.parse(rate)
    if limit.count <= 0 or not ident:
        return True
    key = _rate_key(scope, ident, limit)
    cache.add(key, 0, limit.seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, limit.seconds + 5)
        count = 1
    return count <= limit.count


def rate_limits_hit(scope: str, ident: str, rates: str) -> int:
    """Count one event of `ident` against several limits at once ("20/60,240/3600": a burst of
    20 a minute, 240 an hour). 0 when allowed; otherwise the seconds until every exceeded
    window has ended (for Retry-After). Each window is an atomic counter in the cache."""
    wait = 0
    now = time.time()
    for text in (part.strip() for part in rates.split(",")):
        if not text:
            continue
        limit = Rate.parse(text)
        if not rate_limit_hit(scope, ident, text):
            wait = max(wait, int(limit.seconds - now % limit.seconds) + 1)
    return wait
