"""Names of uploaded files: the one a person gave, shown and offered back on download, and the
one a file is stored under. Every upload path (evidence, objection attachments, external
learning, import jobs) goes through here, so that a long name is cut in one way everywhere."""

from __future__ import annotations

import os

# The longest extension kept whole when a name is cut (".xlsx", ".jpeg", ".docx" fit).
MAX_EXTENSION = 10


def bounded_filename(name: str, max_length: int) -> str:
    """`name` cut to `max_length` characters by shortening its stem, never its extension:
    "laporan … .pdf" of 300 characters keeps ".pdf" (cutting the end made the download open
    as nothing at all)."""
    if len(name) <= max_length:
        return name
    stem, extension = os.path.splitext(name)
    if not extension or len(extension) > MAX_EXTENSION or len(extension) >= max_length:
        return name[:max_length]
    stem = stem[: max_length - len(extension)].rstrip(" .")
    return f"{stem or 'berkas'}{extension}"


def display_filename(name: str, max_length: int = 200) -> str:
    """The file name as the person named it, without any path parts or control characters,
    at most `max_length` characters with its extension kept ("berkas" when nothing is left)."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip()
    return bounded_filename(cleaned, max_length) or "berkas"


def upload_path(folder: str, filename: str, max_length: int) -> str:
    """`folder`/`filename` for a FileField's upload_to, the name cut (extension kept) so that
    the whole path fits the field's `max_length`."""
    folder = folder.rstrip("/") + "/"
    return folder + bounded_filename(filename, max(max_length - len(folder), 1))
