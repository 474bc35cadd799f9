"""Shared helpers for the tests of :mod:`kinerja.rules`."""

from hypothesis import settings

property_test = settings(database=None, deadline=None, max_examples=200)
"""Hypothesis settings for property tests: no example database on disk, no deadline."""
