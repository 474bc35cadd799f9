"""Uploaded file names: a long one is cut in its stem, never its extension (a 300-character
"….pdf" became 200 characters ending in the middle of a word, and downloaded as nothing)."""

from __future__ import annotations

import pytest

from kinerja.core.uploads import bounded_filename, display_filename, upload_path


def test_a_long_name_keeps_its_extension() -> None:
    name = "laporan kegiatan " + "x" * 300 + ".pdf"
    shown = display_filename(name)
    assert len(shown) == 200 and shown.endswith("x.pdf")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("bukti.png", "bukti.png"),
        ("C:\\Users\\siti\\Desktop\\bukti.png", "bukti.png"),
        ("../../etc/passwd", "passwd"),
        ("  ", "berkas"),
        ("\x00\x01", "berkas"),
        ("a" * 250, "a" * 200),  # no extension: cut at the end
        ("a." + "b" * 250, ("a." + "b" * 250)[:200]),  # not an extension: cut at the end
    ],
)
def test_display_names_are_cleaned(name: str, expected: str) -> None:
    assert display_filename(name) == expected


def test_a_stem_cut_to_nothing_still_has_a_name() -> None:
    assert bounded_filename(" " * 30 + ".xlsx", 12) == "berkas.xlsx"
    assert bounded_filename("a" + " " * 30 + ".xlsx", 12) == "a.xlsx"


def test_an_upload_path_fits_its_field_with_the_extension() -> None:
    path = upload_path("bukti/2026/12", "x" * 300 + ".docx", 200)
    assert len(path) == 200 and path.startswith("bukti/2026/12/x") and path.endswith(".docx")
    assert upload_path("bukti/2026/12", "abc.pdf", 200) == "bukti/2026/12/abc.pdf"
