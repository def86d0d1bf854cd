"""Numbers and return addresses taken from the request, read the same way by every view.

A number longer than the id columns hold is a missing row (404), never an OverflowError (SQLite) or a
DataError (PostgreSQL); a `next` address is a path on this site or nothing (no open redirect, no header
injection after a decision was committed).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from flask import request
from werkzeug.routing import IntegerConverter

# Every id column is INTEGER (32 bits on PostgreSQL); no other number in a URL comes near it.
ID_MAX = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:…>` that does not match past ID_MAX, so an oversized id is a 404 like any missing row."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = ID_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def query_int(value: str) -> int:
    """`type=` for `request.args.get`/`request.form.get`: an integer within ±ID_MAX in ASCII digits.

    Anything else raises ValueError, so werkzeug returns the default (as it does for "abc").
    """
    if not value.isascii():  # int() also reads other scripts' digits, which no id is written in
        raise ValueError(f"{value!r} is not an ASCII number")
    number = int(value)
    if abs(number) > ID_MAX:
        raise ValueError(f"{value!r} is out of range")
    return number


def date_arg(name: str) -> tuple[date | None, str | None]:
    """`?name=TTTT-BB-HH`: (the date, None), (None, None) when empty, or (None, the message for the field)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, f"Tanggal “{raw}” tidak sah; gunakan format TTTT-BB-HH."


def ids_in(values: Iterable[str]) -> list[int]:
    """The ids among submitted strings (checkbox lists, a pasted list); anything else is skipped."""
    return [int(v) for v in values if v.isascii() and v.isdigit() and int(v) <= ID_MAX]


def page_arg() -> int:
    """`?page=`: 1 when missing, not a number, below 1 or out of range (an empty page is shown past the end)."""
    return max(1, request.args.get("page", 1, type=query_int))


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a path on this site, else `fallback`.

    Browsers read "//host" and "/\\host" as another site and drop tabs and line breaks before they do
    ("/\\t/host" becomes "//host"); a line break in a header would also fail the response after the
    action was committed. So: one leading "/", printable characters only, no backslash, no host.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and not urlsplit(target).netloc
    ):
        return target
    return fallback


def init_app(app) -> None:
    app.url_map.converters["int"] = BoundedIntConverter
