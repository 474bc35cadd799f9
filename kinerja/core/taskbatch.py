"""Queued tasks that the database worker may run together (`manage.py db_worker`).

A month-end rush queues one task per save: the saver's unit figures and the team figures of
every head above them (`kinerja.monitoring.tasks.refresh_unit_and_team_figures`). Run one by
one, the same units and the same heads are recounted once per save. An app registers such a
task here with a function that runs many of its calls at once; when the worker claims one of
them it also claims the others already queued (up to `size`, in queue order) and runs them as
one call. Every claimed task's change had committed before the claim (a task becomes visible
only after the transaction that queued it committed, which follows the change), so one run that
reads after the claim counts all of them. Each task's outcome is recorded as its own, the
batch's: all succeed or all fail (failed ones are retried by `kinerja.core.taskqueue.recover`
as before).

Other task backends (RQ, the tests' immediate backend) run every task by itself, as before.
Apps register from `AppConfig.ready()`; kinerja.core imports no app.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Batch:
    run: Callable[[list[dict[str, Any]]], Any]  # the calls' arguments by name → return value
    size: int
    signature: inspect.Signature

    def arguments(self, args: Sequence[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        """A queued call's arguments by name, defaults filled in."""
        bound = self.signature.bind(*args, **kwargs)
        bound.apply_defaults()
        return dict(bound.arguments)


BATCHES: dict[str, Batch] = {}


def register(task: Any, run: Callable[[list[dict[str, Any]]], Any], *, size: int = 100) -> None:
    """Let the database worker run up to `size` queued calls of `task` at once with `run`."""
    if size < 1:
        raise ValueError("a batch holds at least one task")
    BATCHES[task.module_path] = Batch(run=run, size=size, signature=inspect.signature(task.func))


def batch_of(task_path: str) -> Batch | None:
    return BATCHES.get(task_path)
