"""Parsing what a client sends: integers in the range the database holds, JSON of bounded depth.

An integer taken from a URL, a query string, a header or a JSON body ends up in SQL. Past the
range of a 64-bit column (2**63 - 1) SQLite and PostgreSQL refuse it with an error, which
Django turns into a 500; a JSON body nested 100,000 deep exhausts Python's recursion. Both are
bad input and answer 400 with an Indonesian message (issue 10, security 5).

- Pages and streams: :func:`int_param` (raises :class:`BadParameter`, a 400); the year of a
  page (``?tahun=``) through :func:`year_param`, the one parser of it.
- JSON bodies: :func:`loads_bounded` (the API's parser, kinerja.api.api, reads every body
  with it, so no body nests deeper than MAX_JSON_DEPTH).
- The API (django-ninja): the :data:`DbId` annotation for ids, :class:`PageNumberPagination`
  for ``?page=``, and :func:`validation_message`, used by the API's handler that turns every
  validation error into a 400 (kinerja.api.api).
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from django.core.exceptions import BadRequest
from django.utils import timezone
from ninja.pagination import PageNumberPagination as _NinjaPageNumberPagination
from ninja.schema import Schema
from pydantic import Field

from kinerja.rules.calendar import YEAR_MAX, YEAR_MIN, parse_year

DB_INT_MAX = 2**63 - 1  # the largest value of a bigint column (PostgreSQL, SQLite INTEGER)
MAX_PAGE = 10**9  # no list has a billion pages; keeps (page - 1) * size far inside DB_INT_MAX
MAX_JSON_DEPTH = 32  # the kiosk's questionnaire is 2 deep

# An id in an API path or query: 1 … DB_INT_MAX, else a 400 (never a database error).
DbId = Annotated[int, Field(ge=1, le=DB_INT_MAX)]


class BadParameter(BadRequest):
    """A request parameter that is not what it must be: Django answers 400."""


def int_param(
    raw: str | None,
    name: str,
    *,
    default: int | None = None,
    minimum: int = 0,
    maximum: int = DB_INT_MAX,
) -> int | None:
    """The integer in `raw` (a query parameter or header named `name`), `default` when absent
    or empty; BadParameter (400) when it is not a whole number in [minimum, maximum]."""
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.lstrip("-").isdecimal()) or len(text) > 40:
        raise BadParameter(f"Parameter {name} harus bilangan bulat.")
    value = int(text)
    if not minimum <= value <= maximum:
        raise BadParameter(f"Parameter {name} harus antara {minimum} dan {maximum}.")
    return value


def whole_number(raw: object, *, maximum: int = DB_INT_MAX) -> int | None:
    """The whole number 0 … `maximum` written in `raw` (ASCII digits, surrounding spaces
    ignored), else None: the lenient reading of an optional id or count in a form, a query or
    an uploaded file's cell, where anything else means "none chosen" or is reported by the
    caller. Unlike `int(raw) if raw.isdecimal()`, a number past what the database holds or
    past the 4,300 digits Python converts (ValueError) is None, not a page error."""
    text = str(raw).strip() if raw is not None else ""
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if value <= maximum else None


def year_param(raw: object, *, name: str = "tahun", strict: bool = False) -> int:
    """The year a page is asked for (``?tahun=``), the current year in the regency's time zone
    when absent. A mistyped year shows the current one (:func:`kinerja.rules.calendar.parse_year`)
    unless ``strict``, where anything but a year between YEAR_MIN and YEAR_MAX is a 400
    (:class:`BadParameter`)."""
    this_year = timezone.localdate().year
    if not strict:
        return parse_year(raw, default=this_year)
    text = None if raw is None else str(raw)
    value = int_param(text, name, default=this_year, minimum=YEAR_MIN, maximum=YEAR_MAX)
    return this_year if value is None else value


def json_depth_exceeds(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests arrays/objects deeper than `limit` (one linear pass, no
    recursion; brackets inside strings do not count)."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


class JsonTooDeep(ValueError):
    pass


# A UTF-16 surrogate, escaped ("\\ud800") or encoded as bytes: only half of a character.
_SURROGATE = re.compile(rb"\\[uU][dD][89a-fA-F][0-9a-fA-F]{2}|\xed[\xa0-\xbf]")


def loads_bounded(data: bytes | str, limit: int = MAX_JSON_DEPTH) -> Any:
    """json.loads, refusing (a ValueError) anything nested deeper than `limit` (JsonTooDeep)
    and text holding half a character: Python's parser lets a lone surrogate ("\\ud800")
    through, and no database can store it (a server error at the INSERT). A pair of them is
    one character (an emoji) and passes."""
    if json_depth_exceeds(data, limit):
        raise JsonTooDeep(
            f"Isi permintaan bersarang terlalu dalam (paling banyak {limit} tingkat)."
        )
    value = json.loads(data)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _SURROGATE.search(raw):  # rare: only then is the parsed text checked
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("lone surrogate") from None
    return value


# --- django-ninja ---------------------------------------------------------------------------


class PageNumberPagination(_NinjaPageNumberPagination):
    """ninja's page-number pagination with ``page`` bounded to 1 … MAX_PAGE."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)


_MESSAGES = {
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "greater_than_equal": "paling kecil {ge}",
    "greater_than": "harus lebih dari {gt}",
    "less_than_equal": "paling besar {le}",
    "less_than": "harus kurang dari {lt}",
    "missing": "wajib diisi",
    "string_type": "harus berupa teks",
    "bool_parsing": "harus true atau false",
    "date_from_datetime_parsing": "harus tanggal YYYY-MM-DD",
    "date_parsing": "harus tanggal YYYY-MM-DD",
    "json_invalid": "bukan JSON yang valid",
    "string_too_long": "paling panjang {max_length} karakter",
    "string_too_short": "paling pendek {min_length} karakter",
    "too_long": "paling banyak {max_length} butir",
    "too_short": "paling sedikit {min_length} butir",
    "string_pattern_mismatch": "tidak sesuai format",
    "enum": "harus salah satu dari: {expected}",
    "literal_error": "harus salah satu dari: {expected}",
    "decimal_parsing": "harus angka",
    "decimal_type": "harus angka",
    "float_parsing": "harus angka",
    "list_type": "harus daftar (array)",
    "model_type": "harus objek JSON",
    "model_attributes_type": "harus objek JSON",
    "dict_type": "harus objek JSON",
    "extra_forbidden": "tidak dikenal",
    "bool_type": "harus true atau false",
    "datetime_parsing": "harus tanggal dan jam ISO 8601",
}


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One Indonesian sentence for ninja's (pydantic's) validation errors."""
    parts = []
    for error in errors:
        if error.get("type") == "value_error" and (error.get("ctx") or {}).get("error"):
            parts.append(str(error["ctx"]["error"]))  # a validator's own Indonesian sentence
            continue
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body")]
        name = ".".join(loc) or "isi permintaan"
        template = _MESSAGES.get(error.get("type", ""), "tidak valid")
        try:
            text = template.format(**(error.get("ctx") or {}))
        except (KeyError, IndexError):
            text = "tidak valid"
        parts.append(f"Parameter {name} {text}.")
    return " ".join(parts) or "Permintaan tidak valid."
