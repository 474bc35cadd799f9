"""Escaping for HTML that Python code builds on hot paths (a board's rows, the charts).

`esc(value)` gives exactly what `django.utils.html.conditional_escape(value)` gives, as text:
a value with `__html__` (a SafeString, a chart) as that method returns it, anything else
through `html.escape(str(value))`, the function Django's `escape` calls. What it leaves out
is Django's `keep_lazy` wrapper around `escape`, which looks through its arguments for lazy
translations on every call: a cold 40-person board escaped about 2,600 values, and the wrapper
cost more than the escaping (docs/PERFORMANCE.md, "The board's rows without Django's escape
wrapper"). A lazy translation is turned into text here, as `conditional_escape` does.
`tests/core/test_escaping.py` compares the two on the kinds of value pages print.

The result is text, not marked safe: it is for building a string that is then marked safe as a
whole (`row_html`, `charts._svg`). Handed to `format_html` or to a template as it is, it would
be escaped a second time.
"""

from __future__ import annotations

from html import escape as _escape

from django.utils.functional import Promise

__all__ = ["esc"]


def esc(value: object) -> str:
    """`conditional_escape(value)`, without the lazy-argument wrapper of Django's `escape`."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return _escape(str(value))
