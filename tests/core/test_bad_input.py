"""Integers past what the database holds and JSON nested too deep are bad input: 400 with an
Indonesian message, never a 500 (issue 10, security 5)."""

from __future__ import annotations

import json
import warnings

import pytest

from kinerja.core.params import (
    DB_INT_MAX,
    BadParameter,
    int_param,
    json_depth_exceeds,
    loads_bounded,
    whole_number,
)
from tests.conftest import Org, client_for

BIG = str(2**63)  # one more than a bigint holds


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/employees?page={BIG}",
        f"/api/v1/employees?page={DB_INT_MAX}",  # fits a bigint, but its offset would not
        f"/api/v1/employees?opd={BIG}",
        f"/api/v1/employees?page_size={BIG}",
        f"/api/v1/employees/{BIG}",
        f"/api/v1/plans/{BIG}",
        "/api/v1/employees?page=abc",
        "/api/v1/employees?page=0",
        "/api/v1/employees?opd=-1",
    ],
)
@pytest.mark.parametrize("persona", ["employee", "bkpsdm"])
def test_the_api_answers_400_to_integers_out_of_range(org: Org, persona: str, url: str) -> None:
    response = client_for(org, persona).get(url)
    assert response.status_code == 400, response.content[:300]
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("Parameter ")


def test_the_api_still_pages_and_filters(org: Org) -> None:
    client = client_for(org, "bkpsdm")
    assert client.get("/api/v1/employees?page=1").status_code == 200
    found = client.get(f"/api/v1/employees?opd={org.dinkes.pk}").json()["items"]
    assert {e["name"] for e in found} >= {"Siti Rahmawati", "Citra Syahputra"}


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        (f"?tim=1&once=1&sejak={BIG}", {}),
        ("?tim=1&once=1", {"Last-Event-ID": BIG}),
        (f"?once=1&belum={BIG}", {}),
    ],
)
@pytest.mark.django_db(transaction=True)  # the stream polls from another thread
def test_the_live_stream_answers_400_to_a_cursor_out_of_range(
    org: Org, query: str, headers: dict[str, str]
) -> None:
    client = client_for(org, "supervisor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = client.get(f"/pantau/langsung/{query}", headers=headers)
        if response.streaming:
            b"".join(response)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, 7), ("", 7), ("  ", 7), ("0", 0), ("42", 42), (str(DB_INT_MAX), DB_INT_MAX)],
)
def test_int_param_reads_whole_numbers_in_range(raw: str | None, expected: int) -> None:
    assert int_param(raw, "x", default=7) == expected


@pytest.mark.parametrize("raw", [BIG, "-1", "1.5", "1e3", "abc", "٣", "9" * 100])
def test_int_param_refuses_anything_else_with_a_400(raw: str) -> None:
    with pytest.raises(BadParameter, match="Parameter x"):
        int_param(raw, "x")


def test_json_depth_is_measured_without_recursion() -> None:
    assert not json_depth_exceeds(json.dumps({"a": [[1], {"b": "[[[[[["}]}), limit=3)
    assert json_depth_exceeds("[[[[1]]]]", limit=3)
    assert json_depth_exceeds(b"{" * 10**6, limit=32)
    assert loads_bounded('{"s": "\\"[[["}') == {"s": '"[[['}


# --- NUL characters (issue 15, item 4): refused the same on both databases ---------------


def test_a_form_with_a_nul_character_is_refused_and_changes_nothing(org: Org) -> None:
    from kinerja.core.models import AuditLog

    before = AuditLog.objects.count()
    response = client_for(org, "bkpsdm").post(
        f"/pegawai/{org.employee.pk}/ubah/", {"name": "Siti\x00 Rahmawati"}
    )
    assert response.status_code == 400
    assert "karakter kosong (NUL)" in response.content.decode()
    assert AuditLog.objects.count() == before
    org.employee.refresh_from_db()
    assert "\x00" not in org.employee.name


@pytest.mark.parametrize("body", ['{"saran": "baik\\u0000"}', '{"saran": "baik\\U0000"}'])
def test_a_json_body_with_a_nul_character_is_refused_with_a_json_400(org: Org, body: str) -> None:
    response = client_for(org, "employee").post(
        "/api/v1/kiosk/survei/X/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_query_string_with_a_nul_character_is_refused(org: Org) -> None:
    response = client_for(org, "bkpsdm").get("/pegawai/", {"q": "a\x00b"})
    assert response.status_code == 400


def test_uploaded_files_may_contain_nul_bytes(org: Org) -> None:
    """Files are not text: a binary upload passes the NUL check (the view decides on it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("data.xlsx", b"PK\x03\x04\x00\x00binary")
    response = client_for(org, "bkpsdm").post(
        "/impor/", {"kind": "employees", "file": upload}, follow=True
    )
    assert response.status_code == 200 and response.redirect_chain  # stored as an import job
    assert "karakter kosong (NUL)" not in response.content.decode()


def _multipart(parts: list[tuple[bytes, bytes | None, bytes]]) -> bytes:
    """A multipart body written by hand: (field name, file name or None, content)."""
    body = b""
    for name, filename, content in parts:
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += b"--BOUND\r\nContent-Disposition: " + disposition + b"\r\n"
        if filename is not None:
            body += b"Content-Type: application/octet-stream\r\n"
        body += b"\r\n" + content + b"\r\n"
    return body + b"--BOUND--\r\n"


XLSX_LIKE = b"PK\x03\x04" + bytes(range(256)) * 40  # 10 KB


@pytest.mark.parametrize("filename", [b"pegawai\xe9.xlsx", b"\xff\xfe.xlsx", b"data\xc3(.xlsx"])
def test_a_file_whose_name_django_cannot_read_is_refused_not_dropped(
    org: Org, filename: bytes
) -> None:
    """Django's parser skips a part whose headers are not UTF-8 without a word (a file name in
    Latin-1 from a script; browsers send UTF-8): the form would say no file was chosen, or an
    optional attachment would vanish. It is refused with its own message; nothing is stored."""
    from kinerja.core.models import ImportJob

    body = _multipart([(b"kind", None, b"employees"), (b"file", filename, XLSX_LIKE)])
    response = client_for(org, "bkpsdm").post(
        "/impor/", body, content_type="multipart/form-data; boundary=BOUND"
    )
    assert response.status_code == 400
    assert "nama berkasnya memuat karakter yang tidak dikenali" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_readable_upload_beside_many_fields_and_empty_file_inputs_passes(org: Org) -> None:
    """What the unread-part check allows for: part headers, long boundaries, file inputs left
    empty (which Django drops on purpose), UTF-8 file names."""
    from kinerja.core.models import ImportJob

    parts: list[tuple[bytes, bytes | None, bytes]] = [(b"kind", None, b"employees")]
    parts += [(f"extra-{i}".encode(), None, b"x") for i in range(40)]
    parts += [(b"unused", b"", b"")] * 5
    parts.append((b"file", "pegawai é 2026.xlsx".encode(), XLSX_LIKE))
    response = client_for(org, "bkpsdm").post(
        "/impor/", _multipart(parts), content_type="multipart/form-data; boundary=BOUND"
    )
    assert response.status_code == 302, response.content[:500]
    assert ImportJob.objects.count() == 1


# --- Numbers too long to read --------------------------------------------------------------

HUGE = "9" * 5000  # past the 4,300 digits Python converts to an int (ValueError)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        (str(DB_INT_MAX), DB_INT_MAX),
        (str(DB_INT_MAX + 1), None),
        (HUGE, None),
        ("-1", None),
        ("1.5", None),
        ("\u0663", None),  # an Arabic-Indic three: a decimal digit, but not ASCII
        ("", None),
        (None, None),
        ("abc", None),
    ],
)
def test_whole_number_reads_ids_and_counts_leniently(raw: str | None, expected: int | None) -> None:
    assert whole_number(raw) == expected


def test_whole_number_keeps_to_its_maximum() -> None:
    assert whole_number("999", maximum=999) == 999
    assert whole_number("1000", maximum=999) is None


@pytest.mark.parametrize(
    ("persona", "url", "expected"),
    [
        ("anonymous", f"/forum/?unit={HUGE}", 200),
        ("bkpsdm", f"/adopsi/pegawai/?unit={HUGE}", 200),
        ("bkpsdm", f"/adopsi/helpdesk/?opd={HUGE}", 200),
        ("bkpsdm", f"/penilaian/rekap.xlsx?unit={HUGE}", 404),
    ],
)
def test_a_page_reads_a_number_too_long_as_none_chosen(
    org: Org, persona: str, url: str, expected: int
) -> None:
    response = client_for(org, persona).get(url)
    assert response.status_code == expected, response.content[:300]


def test_a_token_form_with_a_number_too_long_is_refused_with_a_message(org: Org) -> None:
    from kinerja.organisation.models import ApiToken

    before = ApiToken.objects.count()
    response = client_for(org, "employee").post(
        "/akun/token-api/", {"nama": "uji", "hari": HUGE, "cakupan": ["read"]}
    )
    assert response.status_code == 400
    assert "Masa berlaku 1 sampai" in response.content.decode()
    assert ApiToken.objects.count() == before


# --- A form sent to the API ----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/realisations/bulk", "/api/v1/public/surveys/X/responses"]
)
@pytest.mark.parametrize("nul", [False, True])
def test_a_form_posted_to_the_api_is_a_400_not_a_500(org: Org, path: str, nul: bool) -> None:
    """The API reads JSON: a multipart form is refused as such (the NUL check reads it as bytes
    and leaves it to the API), with or without a NUL character in it."""
    response = client_for(org, "employee").post(path, {"x": "a\x00b" if nul else "ab"})
    assert 400 <= response.status_code < 500, response.content[:300]
    assert "detail" in response.json()


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ('{"a": "\\ud800"}', True),
        ('{"a": "x\\uDFFF"}', True),
        (b'{"a": "\xed\xa0\x80"}', True),  # the surrogate's bytes, not escaped
        ('{"a": "\\ud83d\\ude00"}', False),  # a pair: one character
        ('{"a": "\\u00e9 \\u0041"}', False),
        ('{"a": "plain"}', False),
    ],
)
def test_loads_bounded_refuses_half_a_character(text: str | bytes, refused: bool) -> None:
    if refused:
        with pytest.raises(ValueError):
            loads_bounded(text)
    else:
        assert isinstance(loads_bounded(text)["a"], str)
