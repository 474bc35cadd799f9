"""Checking evidence uploads by their content, not their name."""

from __future__ import annotations

import io
import re
import zipfile

from django.utils.translation import gettext as _

from kinerja.core.uploads import bounded_filename, display_filename

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
# The extensions a name may carry for each kind (the content decides the kind), and what the
# kind is called when the two disagree.
# A photo is a photo: a PNG named .jpg (a phone's screenshot, a chat app's copy) opens in every
# image viewer, so the two image kinds accept each other's names.
_IMAGE = {".png", ".jpg", ".jpeg", ".jpe", ".jfif"}
EXTENSIONS = {
    "pdf": {".pdf"},
    "png": _IMAGE,
    "jpg": _IMAGE,
    "xlsx": {".xlsx"},
    "docx": {".docx"},
}
KIND_LABELS = {
    "pdf": "dokumen PDF",
    "png": "gambar PNG",
    "jpg": "gambar JPG",
    "xlsx": "lembar kerja XLSX",
    "docx": "dokumen DOCX",
}
# What reads as a file's extension: a dot and up to five letters or digits, at least one a
# letter ("Surat No. 12" and "SK 188.45" have none).
_EXTENSION = re.compile(r"\.(?=[0-9]*[A-Za-z])[A-Za-z0-9]{1,5}$")
# Only a known file type's ending is an extension: "Laporan Jan.Feb" or "SK No.12a" end with
# words, not with a file type, and fit any content.
FILE_EXTENSIONS = {
    *(ext for names in EXTENSIONS.values() for ext in names),
    *(
        f".{ext}"
        for ext in [
            "doc",
            "docm",
            "dotx",
            "xls",
            "xlsm",
            "xlsb",
            "xltx",
            "csv",
            "ppt",
            "pptx",
            "pps",
            "ppsx",
            "odt",
            "ods",
            "odp",
            "rtf",
            "txt",
            "gif",
            "bmp",
            "tif",
            "tiff",
            "webp",
            "heic",
            "heif",
            "svg",
            "zip",
            "rar",
            "7z",
            "gz",
            "tar",
            "exe",
            "msi",
            "apk",
            "html",
            "htm",
            "xml",
            "json",
            "mp3",
            "mp4",
            "m4a",
            "wav",
            "avi",
            "mov",
            "mkv",
        ]
    ),
}


def _file_extension(name: str) -> str | None:
    """The name's file-type extension, lower-cased (".pdf"), or None."""
    found = _EXTENSION.search(name)
    ext = found.group().lower() if found else None
    return ext if ext in FILE_EXTENSIONS else None


# An Office file is a ZIP archive: refuse one that expands past these bounds (a "zip bomb"
# passes its risk to whoever opens it, and to the server if it ever reads it). Real XLSX and
# DOCX files of 10 MB expand to a few tens of MB at ratios well under 100.
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 10_000


class ArchiveTooLarge(ValueError):
    """An Office file that would expand beyond the bounds above."""


def _check_expansion(archive: zipfile.ZipFile, compressed_size: int) -> None:
    members = archive.infolist()
    expanded = sum(m.file_size for m in members)
    if len(members) > MAX_MEMBERS or expanded > MAX_EXPANDED_BYTES:
        raise ArchiveTooLarge(
            f"Berkas Office ini mengembang menjadi {expanded // (1024 * 1024)} MB saat dibuka "
            f"(batas {MAX_EXPANDED_BYTES // (1024 * 1024)} MB); simpan ulang sebagai PDF."
        )
    if expanded > 1024 * 1024 and expanded > MAX_RATIO * max(compressed_size, 1):
        raise ArchiveTooLarge(
            "Berkas Office ini dipadatkan secara tidak wajar (lebih dari "
            f"{MAX_RATIO} kali); simpan ulang sebagai PDF lalu unggah kembali."
        )


def detect_kind(head: bytes, data_for_zip: bytes | None = None) -> str | None:
    """The kind of file from its first bytes (and, for Office files, the ZIP's contents);
    ArchiveTooLarge for an Office file that would expand past the bounds."""
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
                _check_expansion(archive, len(data_for_zip))
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("word/") for n in names):
                return "docx"
    return None


def safe_display_name(name: str, kind: str | None = None) -> str:
    """The file name as the user named it, without any path parts or control characters, cut
    to 200 characters with its extension kept (kinerja.core.uploads). Given the `kind` its
    content was found to be, a name with no extension gets that kind's, so that the download
    opens with the right program."""
    shown = display_filename(name, 200)
    if kind is not None and _file_extension(shown) is None:
        extension = KINDS[kind][0]
        shown = bounded_filename(shown + extension, 200)
    return shown


def extension_mismatch(name: str, kind: str) -> str | None:
    """Why `name` does not fit content of `kind` (a PNG named laporan.xlsx), or None. Such a
    file is refused rather than stored under a name that opens the wrong program: the person
    most likely picked the wrong file. A name with no extension fits any kind."""
    ext = _file_extension(display_filename(name, 200))
    if ext is None or ext in EXTENSIONS[kind]:
        return None
    return _(
        "Isi berkas adalah %(kind)s, tidak sesuai dengan ekstensi %(ext)s; ganti nama berkas "
        "atau pilih berkas yang benar."
    ) % {"kind": KIND_LABELS[kind], "ext": ext}
