"""Figures one app computes and another reads, without either importing the other.

An app that owns a figure registers a provider in its AppConfig.ready():

    figures.register("competency.jp", jp_provider)

and an app that needs it asks by name:

    completed = figures.value("competency.jp", employee_ids=[...], year=2026)

`value` returns `default` (None unless given) when no provider is registered — the owning app is
not installed, or not built yet — so a reader must treat a missing figure as "unknown", never as
zero. Kinds in use (each provider documents its arguments and its result):

- "competency.jp": employee_ids, year → {employee_id: JpTotals(completed, enrolled, shortfall)}
- "public.ikm": opd_id, year, month=None → the unit's IKM (Decimal) or None
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Provider = Callable[..., Any]
_providers: dict[str, Provider] = {}


def register(kind: str, provider: Provider) -> None:
    """Make `provider` the source of `kind`; registering again replaces (tests, reloads)."""
    _providers[kind] = provider


def unregister(kind: str) -> None:
    _providers.pop(kind, None)


@contextmanager
def replaced(kind: str, provider: Provider | None) -> Iterator[None]:
    """Within the block, `provider` answers `kind` (None: nobody does); the previous provider is
    back afterwards (tests of an app with and without another app's figure)."""
    previous = _providers.get(kind)
    if provider is None:
        _providers.pop(kind, None)
    else:
        _providers[kind] = provider
    try:
        yield
    finally:
        if previous is None:
            _providers.pop(kind, None)
        else:
            _providers[kind] = previous


def is_available(kind: str) -> bool:
    return kind in _providers


def value(kind: str, default: Any = None, **arguments: Any) -> Any:
    """The figure `kind` for `arguments`, or `default` when no app provides it."""
    provider = _providers.get(kind)
    if provider is None:
        return default
    return provider(**arguments)
