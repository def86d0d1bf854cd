"""Reading a service-log or holiday file (CSV or XLSX) into rows of text, and keeping the upload between the
preview and the confirmation.

A service log is large (a unit's year can be 200.000 requests), so this reader has its own row cap rather than
the 20.000 of the people imports; XLSX goes through the same ZIP checks as every upload (`uploads.check_zip`).
A file in the wrong encoding is read as Windows-1252 with a warning shown on the preview.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ... import uploads
from ...domain import DomainError

MAX_ROWS = 250_000
NOT_UTF8 = (
    "Berkas tidak dalam UTF-8; dibaca sebagai Windows-1252 (ANSI). Periksa huruf beraksen pada pratinjau, "
    "atau simpan ulang sebagai “CSV UTF-8”."
)


@dataclass
class Table:
    filename: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    warnings: list[str] = field(default_factory=list)


def _text_of(data: bytes) -> tuple[str, str | None]:
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError:
                raise DomainError(
                    "Isi berkas rusak untuk penandanya (BOM); simpan ulang sebagai CSV UTF-8.", "berkas"
                ) from None
    if b"\x00" in data[:2048]:
        raise DomainError("Berkas berisi data biner, bukan teks CSV. Unggah CSV atau XLSX.", "berkas")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), NOT_UTF8


def read_table(filename: str, data: bytes, *, max_rows: int = MAX_ROWS) -> Table:
    """The file's header row and data rows (empty rows skipped), or DomainError (field "berkas")."""
    filename = os.path.basename(filename or "berkas")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data:
        raise DomainError("Berkas kosong.", "berkas")
    if ext == "xlsx" or data.startswith(b"PK\x03\x04"):
        records, warning = _xlsx_records(data, max_rows), None
    elif ext in ("csv", "txt"):
        text, warning = _text_of(data)
        first = text.split("\n", 1)[0]
        delimiter = max((";", ",", "\t", "|"), key=first.count)
        try:
            records = _capped(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), max_rows)
        except csv.Error as e:
            raise DomainError(f"Berkas CSV tidak dapat dibaca ({e}). Simpan ulang sebagai CSV.", "berkas") from None
    else:
        raise DomainError("Unggah berkas CSV atau XLSX (lihat templat di halaman ini).", "berkas")
    strip = str.strip
    numbered = [(n, list(map(strip, cells))) for n, cells in enumerate(records, start=1) if any(cells)]
    if not numbered:
        raise DomainError("Berkas kosong.", "berkas")
    (_, headers), rows = numbered[0], numbered[1:]
    if not rows:
        raise DomainError("Berkas hanya berisi judul kolom, tanpa data.", "berkas")
    return Table(filename, headers, rows, [warning] if warning else [])


def _capped(reader, max_rows: int) -> list[list[str]]:
    out = []
    for record in reader:
        out.append(record)
        if len(out) > max_rows + 1:
            raise DomainError(
                f"Berkas memuat lebih dari {max_rows:,} baris; pecah menjadi beberapa berkas.".replace(",", "."),
                "berkas",
            )
    return out


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_records(data: bytes, max_rows: int) -> list[list[str]]:
    import zipfile

    import openpyxl

    try:
        uploads.check_zip(zipfile.ZipFile(io.BytesIO(data)), field="berkas")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except DomainError:
        raise
    except Exception:  # noqa: BLE001 — any damage in a foreign file: one message
        raise DomainError("Berkas XLSX tidak dapat dibaca. Simpan ulang dari Excel.", "berkas") from None
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        return _capped(([_cell(v) for v in row] for row in ws.iter_rows(max_col=64, values_only=True)), max_rows)
    finally:
        wb.close()


_DATE_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:[ T](\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?)?")


def parse_datetime(text: str) -> datetime | None:
    """ISO (2026-03-02 08:15[:00]), or DD-MM-YYYY / DD/MM/YYYY with an optional time; None when unreadable."""
    s = text.strip()
    if not s:
        return None
    try:
        value = datetime.fromisoformat(s)
        return value.replace(tzinfo=None)
    except ValueError:
        pass
    m = _DATE_DMY.fullmatch(s)
    if m:
        try:
            return datetime(int(m[3]), int(m[2]), int(m[1]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0))
        except ValueError:
            return None
    if s.replace(".", "", 1).isdigit() and float(s) < 2958465:  # an Excel serial day (with a fraction of a day)
        serial = float(s)
        return datetime(1899, 12, 30) + timedelta(days=serial)
    return None


def parse_date(text: str) -> date | None:
    value = parse_datetime(text)
    return value.date() if value else None


# --- the upload between preview and confirmation ------------------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def save_upload(directory: str, filename: str, data: bytes, *, user_id: int, unit_id: int) -> str:
    token = secrets.token_urlsafe(32)
    with open(os.path.join(directory, f"layanan-{token}.bin"), "wb") as f:
        f.write(data)
    with open(os.path.join(directory, f"layanan-{token}.json"), "w") as f:
        json.dump({"user_id": user_id, "unit_id": unit_id, "filename": os.path.basename(filename or "berkas")}, f)
    return token


def load_upload(directory: str, token: str, *, unit_id: int) -> tuple[str, bytes, int] | None:
    """(filename, bytes, uploader's user id) of a kept upload for the unit, None if gone or not the unit's."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    try:
        with open(os.path.join(directory, f"layanan-{token}.json")) as f:
            meta = json.load(f)
        with open(os.path.join(directory, f"layanan-{token}.bin"), "rb") as f:
            data = f.read()
    except (OSError, ValueError):
        return None
    if meta.get("unit_id") != unit_id:
        return None
    return meta["filename"], data, meta["user_id"]


def discard_upload(directory: str, token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        return
    for ext in ("bin", "json"):
        try:
            os.remove(os.path.join(directory, f"layanan-{token}.{ext}"))
        except OSError:
            pass
