"""The performance demo written in batches (PerformanceDemo.run, kinerja.demo.performance.plans
.CHUNK): at 100,000 employees it cannot hold every draft at once. Every check of test_demo runs
again with 400 employees per batch (the 1,500-employee demo in four batches): the cascade across
batches, the demo logins' story, the figures and determinism hold."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest

from kinerja.demo.performance import plans

from .test_demo import *  # noqa: F403  (the same tests, on the batched demo)
from .test_demo import _on_demo_day  # noqa: F401  (autouse: the demo's fixed day)


@pytest.fixture(scope="module", autouse=True)
def _small_batches() -> Iterator[None]:
    with mock.patch.object(plans, "CHUNK", 400):
        yield


def test_the_batches_are_small_enough_to_matter() -> None:
    assert plans.CHUNK == 400 < EMPLOYEES  # noqa: F405
