"""Change events: the seam between the apps that write and the views that watch.

Services call `publish(topic, employee_id=..., **data)` from `transaction.on_commit`, so only
committed changes are announced. Other apps (monitoring: live team boards, dashboard
aggregates) register handlers with `subscribe(topic, handler)` in their AppConfig.ready().
A failing handler is logged and never breaks the write that announced the change.

Topics: "realisation" (employee_id, plan_id, month, and the plan's year when the publisher has
it; from the grid's save also `rows`, the plan's indicators and year of realisations as it
committed them, so that listeners need not read them again), "feedback" (employee_id,
plan_id), "plan" (employee_id, plan_id, status), "supervisor" (employee_id: their direct
supervisor changed; kinerja.organisation.services.announce_supervisor_change), "employee"
(employee_id: added, or changed unit, status or activity;
kinerja.organisation.services.announce_employee_change), "jp" (employee_id=0, employee_ids or
None for maybe anyone, year: learning hours changed; kinerja.competency.services.jp_changed),
"people" (employee_id=0,
kind, changed: an import created or changed people, units or positions), "realisations"
(employee_id=0, employee_ids, year, month: one bulk write of many people's realisations,
kinerja.performance.bulk).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

Handler = Callable[..., None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def subscribe(topic: str, handler: Handler) -> None:
    if handler not in _handlers[topic]:
        _handlers[topic].append(handler)


def publish(topic: str, *, employee_id: int, **data: Any) -> None:
    for handler in list(_handlers.get(topic, ())):
        try:
            handler(topic=topic, employee_id=employee_id, **data)
        except Exception:  # a watcher must never break the write that announced the change
            logger.exception("event handler %r failed for %s", handler, topic)
