"""Uploaded files: spreadsheets read with a hard row cap.

Imports (pegawai, kehadiran, predikat, potensial) read their rows with `read_sheet` (XLSX) or `read_csv`: at most
`MAX_ROWS` data rows are ever parsed, whatever the file claims, and an XLSX whose parts would expand beyond what any
real import needs is refused from the ZIP directory alone, before openpyxl inflates a byte.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from itertools import islice

from .domain import DomainError

MAX_ROWS = 20_000  # data rows, the header row not counted
TOO_MANY_ROWS = "Berkas memuat lebih dari 20.000 baris; pecah menjadi beberapa berkas."
MAX_COLUMNS = 256  # cells to the right are ignored: no import has more than a few dozen columns
UNREADABLE_XLSX = "Berkas XLSX tidak dapat dibaca. Simpan ulang dari Excel."

# ZIP limits for XLSX imports, from the central directory (zipfile never inflates an entry
# beyond its declared size). A sheet of 20.000 rows × 60 columns is about 50 MB of XML; real parts compress
# 5–20 times; 100 is the ratio Apache POI refuses too, allowed below 1 MB where a bomb cannot hurt.
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_TOTAL = 100 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_GRACE = 1024 * 1024
ZIP_TOO_BIG = (
    "Isi berkas terlalu besar setelah dibuka (lebih dari 100 MB atau dimampatkan secara tidak wajar); "
    "pecah menjadi beberapa berkas."
)


# --- reading imports ----------------------------------------------------------------------------------


def read_sheet(data: bytes, *, field: str | None = None) -> list[tuple]:
    """The first worksheet's rows as tuples of cell values (trailing empty cells dropped), row 1 first.

    Raises DomainError when the file holds more than MAX_ROWS data rows, and UnreadableSheet (a DomainError) when
    it is no XLSX. The declared size (<dimension>) answers first; a false or missing one does not matter, since
    rows are streamed and reading stops at the first row over the cap.
    """
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        check_zip(zipfile.ZipFile(io.BytesIO(data)), field=field)
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (*_UNREADABLE, InvalidFileException):
        raise UnreadableSheet(field=field) from None
    try:
        ws = wb.worksheets[0]
        if (ws.max_row or 0) > MAX_ROWS + 1:
            raise DomainError(TOO_MANY_ROWS, field)
        ws.reset_dimensions()  # a dimension smaller than the data would cut rows off silently
        return [_trim(row) for row in capped(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True), field)]
    except _UNREADABLE:
        raise UnreadableSheet(field=field) from None
    finally:
        wb.close()


# What a damaged or foreign file makes zipfile, zlib, the XML parser and openpyxl raise.
_UNREADABLE = (zipfile.BadZipFile, zlib.error, KeyError, IndexError, TypeError, ValueError, OSError, SyntaxError)


def read_csv(text: str, delimiter: str, *, field: str | None = None) -> list[list[str]]:
    """The records of a CSV text, cells stripped; DomainError past MAX_ROWS data rows, csv.Error when malformed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [[cell.strip() for cell in record] for record in capped(reader, field)]


def capped(rows: Iterable, field: str | None = None) -> Iterator:
    """`rows` up to the header and MAX_ROWS data rows; DomainError the moment one more arrives, nothing after it
    is read."""
    limit = MAX_ROWS + 1
    for n, row in enumerate(islice(rows, limit + 1), start=1):
        if n > limit:
            raise DomainError(TOO_MANY_ROWS, field)
        yield row


class UnreadableSheet(DomainError):
    def __init__(self, message: str = UNREADABLE_XLSX, field: str | None = None):
        super().__init__(message, field)


def _trim(row: tuple) -> tuple:
    end = len(row)
    while end and row[end - 1] is None:
        end -= 1
    return row[:end]


def check_zip(archive: zipfile.ZipFile, *, field: str | None = None) -> list[zipfile.ZipInfo]:
    """The entries of an archive whose declared sizes are sane; DomainError(ZIP_TOO_BIG) for a ZIP bomb."""
    entries = archive.infolist()
    total = sum(e.file_size for e in entries)
    bomb = any(e.file_size > ZIP_RATIO_GRACE and e.file_size > ZIP_MAX_RATIO * max(e.compress_size, 1) for e in entries)
    if len(entries) > ZIP_MAX_ENTRIES or total > ZIP_MAX_TOTAL or bomb:
        raise DomainError(ZIP_TOO_BIG, field)
    return entries
