"""Checking evidence uploads by their content, not their name."""

from __future__ import annotations

import io
import os
import zipfile

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# detected kind -> (extension, content type)
KINDS = {
    "pdf": (".pdf", "application/pdf"),
    "png": (".png", "image/png"),
    "jpg": (".jpg", "image/jpeg"),
    "xlsx": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
ALLOWED_LABEL = "PDF, JPG, PNG, XLSX, atau DOCX"


def detect_kind(head: bytes, data_for_zip: bytes | None = None) -> str | None:
    """The kind of file from its first bytes (and, for Office files, the ZIP's contents)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04") and data_for_zip is not None:
        try:
            with zipfile.ZipFile(io.BytesIO(data_for_zip)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "docx"
    return None


def safe_display_name(name: str) -> str:
    """The file name as the user named it, without any path parts or control characters."""
    base = os.path.basename(name.replace("\\", "/")).strip()
    cleaned = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*')
    return cleaned[:200] or "berkas"
