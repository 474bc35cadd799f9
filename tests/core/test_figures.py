"""The figures seam: a reader learns a figure by name without importing the app that owns it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kinerja.core import figures


@pytest.fixture
def provided() -> Iterator[list[dict[str, object]]]:
    calls: list[dict[str, object]] = []

    def provider(**arguments: object) -> int:
        calls.append(arguments)
        return 42

    figures.register("test.answer", provider)
    yield calls
    figures.unregister("test.answer")


def test_a_registered_provider_answers_with_the_arguments_given(
    provided: list[dict[str, object]],
) -> None:
    assert figures.is_available("test.answer")
    assert figures.value("test.answer", year=2026) == 42
    assert provided == [{"year": 2026}]


def test_a_figure_nobody_provides_is_unknown_not_zero() -> None:
    assert not figures.is_available("test.nobody")
    assert figures.value("test.nobody", year=2026) is None
    assert figures.value("test.nobody", default="?", year=2026) == "?"


def test_a_replaced_provider_comes_back_after_the_block(provided: list[dict[str, object]]) -> None:
    with figures.replaced("test.answer", None):
        assert figures.value("test.answer", year=1) is None
    with figures.replaced("test.answer", lambda **kw: 7):
        assert figures.value("test.answer", year=1) == 7
    assert figures.value("test.answer", year=1) == 42
