"""What a person wrote, for checks that need something written ("tuliskan alasannya", "paling
sedikit 20 karakter"): characters that show nothing do not count.

A reason of zero-width spaces (U+200B), byte-order marks, direction marks or a lone combining
accent passed `str.strip()` and Django's CharField (neither treats them as space), so a
required reason could be filled with nothing visible.
"""

from __future__ import annotations

import unicodedata

# Format characters (zero-width space and joiners, BOM, direction marks), control characters,
# and space and line separators of every kind.
_BLANK = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})
# Combining marks: visible only on a letter before them.
_MARKS = frozenset({"Mn", "Me"})
_HIDDEN = frozenset({"Cf", "Cc", "Mn", "Me"})


def _blank(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) in _BLANK


def trimmed(text: str | None) -> str:
    """`text` without what shows nothing at either end (and without combining marks at the
    start, where there is no letter to carry them); what is inside stays as written."""
    value = text or ""
    start, end = 0, len(value)
    while start < end and (_blank(value[start]) or unicodedata.category(value[start]) in _MARKS):
        start += 1
    while end > start and _blank(value[end - 1]):
        end -= 1
    return value[start:end]


def visible_length(text: str | None) -> int:
    """The length of `text` as a person counts it: the trimmed text, spaces between words
    included, without the characters that show nothing (format characters such as zero-width
    spaces, control characters other than line breaks and tabs, and combining marks, which
    are part of the letter before them)."""
    return sum(
        1 for char in trimmed(text) if char.isspace() or unicodedata.category(char) not in _HIDDEN
    )
