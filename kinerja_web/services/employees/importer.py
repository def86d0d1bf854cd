"""Employee import from CSV and XLSX (columns like a SIASN export): read → validate → upsert by NIP.

Three steps, each usable alone (views, the background job and the benchmark share them):
`read_upload` turns the bytes into a `Table` of strings (or raises `ImportFileError` with an Indonesian
message); `build_preview` checks every row against the database, loaded set-wise (a handful of queries
for the whole file, never one per row), and decides per row baru / diubah / tidak berubah;
`apply_preview` writes the valid rows (flush only, the caller commits once: all or nothing).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import exports, uploads
from ...domain import DomainError
from ...domain import golongan as gol
from ...domain import nip as nipmod
from ...extensions import db
from ...models import AssignmentKind, Employee, Gender, Position, StatusAsn, Unit
from ...models.org import PTKP_STATUSES
from . import directory

INLINE_LIMIT = 200  # larger confirmations run as a background job
UPLOAD_MAX_AGE = timedelta(days=1)
NUMERIC_NIP = "\x00angka"  # marker: an XLSX NIP cell stored as a number (digits lost beyond 15)


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    required: bool
    description: str
    example: str
    max_length: int = 0


# One row per column: header, field, kind, required, help text (shown on the upload page and in the
# XLSX template), example, max length (the model's column size).
# fmt: off
COLUMNS: tuple[Column, ...] = (
    Column("NIP", "nip", "nip", True,
           "18 angka; spasi/titik boleh. Kunci impor: NIP yang sudah ada diperbarui.", "199001012015031001", 18),
    Column("NAMA", "name", "text", True, "Nama tanpa gelar.", "Budi Santoso", 150),
    Column("GELAR_DEPAN", "gelar_depan", "text", False, "Contoh: Dr., Ir.", "", 40),
    Column("GELAR_BELAKANG", "gelar_belakang", "text", False, "Contoh: S.Kom., M.Si.", "S.Kom.", 60),
    Column("STATUS_ASN", "status_asn", "status", True, "PNS, CPNS atau PPPK.", "PNS"),
    Column("JENIS_KELAMIN", "gender", "gender", True,
           "L/P, 1/2, atau Laki-laki/Perempuan; harus cocok dengan NIP.", "L"),
    Column("TEMPAT_LAHIR", "birth_place", "text", False, "Kota/kabupaten tempat lahir.", "Kotabumi", 80),
    Column("TANGGAL_LAHIR", "birth_date", "date", True, "Harus sama dengan 8 angka pertama NIP.", "1990-01-01"),
    Column("TMT_CPNS", "tmt_cpns", "date", False,
           "Tahun-bulan harus sama dengan angka ke-9 s.d. 14 NIP (PNS/CPNS).", "2015-03-01"),
    Column("GOLONGAN", "golongan", "text", True, "PNS: I/a s.d. IV/e (mis. III/b); PPPK: I s.d. XVII.", "III/a", 8),
    Column("TMT_GOLONGAN", "tmt_golongan", "date", False, "Tanggal mulai golongan sekarang.", "2019-04-01"),
    Column("MK_GOLONGAN_TAHUN", "mkg_years", "int", False, "Masa kerja golongan, tahun (0–45).", "4"),
    Column("MK_GOLONGAN_BULAN", "mkg_months", "int", False, "Masa kerja golongan, bulan (0–11).", "0"),
    Column("KODE_UNIT", "unit_code", "text", True,
           "Kode unit kerja di Kinerja (lihat daftar kode unit di bawah).", "BKPSDM-B1"),
    Column("JABATAN", "position_name", "text", False,
           "Nama jabatan di unit tersebut (fungsional boleh dengan jenjang). Wajib bila ID_JABATAN kosong.",
           "Pengadministrasi Umum"),
    Column("ID_JABATAN", "position_id", "int", False, "Nomor jabatan di Kinerja; menggantikan JABATAN bila diisi.", ""),
    Column("TMT_JABATAN", "position_start", "date", False,
           "Tanggal mulai jabatan bila jabatan berubah (kosong: hari impor).", ""),
    Column("STATUS_PTKP", "ptkp_status", "ptkp", False, "TK/0 s.d. TK/3, K/0 s.d. K/3.", "K/1"),
    Column("BANK", "bank_name", "text", False, "Nama bank pembayaran gaji.", "Bank Lampung", 60),
    Column("NOMOR_REKENING", "bank_account", "text", False, "Nomor rekening (sebagai teks).", "3801234567", 40),
    Column("EMAIL", "email", "email", False, "Alamat surel.", "budi@lampungutarakab.go.id", 120),
    Column("TELEPON", "phone", "text", False, "Nomor telepon/HP.", "081234567890", 30),
)
# fmt: on
BY_HEADER = {c.header: c for c in COLUMNS}
HEADER_OF = {c.field: c.header for c in COLUMNS}
ALIASES = {
    "NIP_BARU": "NIP",
    "NAMA_LENGKAP": "NAMA",
    "JK": "JENIS_KELAMIN",
    "TGL_LAHIR": "TANGGAL_LAHIR",
    "GOL": "GOLONGAN",
    "GOL_RUANG": "GOLONGAN",
    "GOLONGAN_RUANG": "GOLONGAN",
    "MASA_KERJA_TAHUN": "MK_GOLONGAN_TAHUN",
    "MASA_KERJA_BULAN": "MK_GOLONGAN_BULAN",
    "NAMA_JABATAN": "JABATAN",
    "NO_REKENING": "NOMOR_REKENING",
    "NAMA_BANK": "BANK",
    "NO_HP": "TELEPON",
    "NOMOR_HP": "TELEPON",
    "SUREL": "EMAIL",
}
# Fields compared with the stored employee to tell "diubah" from "tidak berubah" (the jabatan separately).
POSITION_FIELDS = {"unit_code", "position_name", "position_id", "position_start"}
COMPARED = tuple(c.field for c in COLUMNS if c.field != "nip" and c.field not in POSITION_FIELDS)
SERVICE_FIELD_HEADER = {
    "nip": "NIP",
    "birth_date": "TANGGAL_LAHIR",
    "gender": "JENIS_KELAMIN",
    "tmt_cpns": "TMT_CPNS",
    "golongan": "GOLONGAN",
    "tmt_golongan": "TMT_GOLONGAN",
    "position_start": "TMT_JABATAN",
}
ACTION_LABELS = {"new": "baru", "changed": "diubah", "unchanged": "tidak berubah"}


class ImportFileError(Exception):
    """The file as a whole cannot be read; `message` is Indonesian and shown on the upload page."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    filename: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    warnings: list[str] = field(default_factory=list)


# --- reading ---------------------------------------------------------------------------------------

_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "arsip ZIP/dokumen Office"),
    (b"\xd0\xcf\x11\xe0", "dokumen Office lama (DOC/XLS)"),
    (b"\x89PNG", "gambar PNG"),
    (b"\xff\xd8\xff", "gambar JPEG"),
    (b"{\\rtf", "dokumen RTF"),
)
WRONG_TYPE = "Unggah berkas CSV atau XLSX (unduh templat di bawah)."


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def read_upload(filename: str, data: bytes) -> Table:
    """Read an uploaded CSV/XLSX into strings, or raise ImportFileError saying what is wrong."""
    filename = os.path.basename(filename or "berkas")
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data:
        raise ImportFileError("Berkas kosong.")
    if ext in ("xlsx", "xlsm"):
        table = _read_xlsx(filename, data)
    elif ext in ("csv", "txt"):
        if data.startswith(b"PK\x03\x04"):
            # An XLSX saved with a .csv name is common enough to just accept.
            table = _read_xlsx(filename, data)
        else:
            kind = _binary_kind(data)
            if kind:
                raise ImportFileError(f"Berkas “{filename}” bukan CSV melainkan {kind}. {WRONG_TYPE}")
            table = _read_csv(filename, data)
    elif ext == "xls":
        raise ImportFileError("Format XLS lama (Excel 97–2003) tidak didukung. Simpan ulang sebagai XLSX atau CSV.")
    else:
        label = f".{ext}" if ext else "tanpa ekstensi"
        raise ImportFileError(f"Jenis berkas {label} tidak didukung. {WRONG_TYPE}")
    if not table.headers:
        raise ImportFileError("Berkas tidak berisi baris judul kolom. Gunakan templat impor.")
    if not table.rows:
        raise ImportFileError("Berkas hanya berisi judul kolom, tanpa data pegawai.")
    return table


def _decode(data: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM), UTF-16 by BOM, else Windows-1252 with a warning."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), None
        except UnicodeDecodeError:
            raise ImportFileError(
                "Berkas bertanda UTF-8 tetapi isinya rusak. Simpan ulang sebagai CSV UTF-8."
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            raise ImportFileError(
                "Berkas bertanda UTF-16 tetapi isinya rusak. Simpan ulang sebagai CSV UTF-8."
            ) from None
    if b"\x00" in data[:4096]:
        raise ImportFileError(f"Berkas berisi data biner, bukan teks CSV. {WRONG_TYPE}")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    warning = (
        "Berkas tidak dalam UTF-8; dibaca sebagai Windows-1252 (ANSI). "
        "Periksa huruf beraksen pada pratinjau, atau simpan ulang sebagai “CSV UTF-8”."
    )
    try:
        return data.decode("cp1252"), warning
    except UnicodeDecodeError:
        return data.decode("latin-1"), warning


def _read_csv(filename: str, data: bytes) -> Table:
    text, warning = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    # The header row names at least seven columns, so the delimiter is the most frequent candidate there;
    # Excel in Indonesian locale writes ";".
    delimiter = max((";", ",", "\t", "|"), key=first.count)
    try:
        records = uploads.read_csv(text, delimiter)
    except csv.Error as e:
        raise ImportFileError(f"Berkas CSV tidak dapat dibaca ({e}). Simpan ulang dari Excel sebagai CSV.") from None
    except DomainError as e:
        raise ImportFileError(e.message) from None
    return _table(filename, list(enumerate(records, start=1)), warning)


def _table(filename: str, numbered: list[tuple[int, list[str]]], warning: str | None = None) -> Table:
    numbered = [(n, cells) for n, cells in numbered if any(cells)]
    if not numbered:
        raise ImportFileError("Berkas kosong.")
    (_, headers), rows = numbered[0], numbered[1:]
    return Table(filename, headers, rows, [warning] if warning else [])


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(filename: str, data: bytes) -> Table:
    if not data.startswith(b"PK\x03\x04"):
        kind = _binary_kind(data) or "berkas teks/lain"
        raise ImportFileError(f"Berkas “{filename}” bukan XLSX yang sah (isinya {kind}). {WRONG_TYPE}")
    try:
        raw = uploads.read_sheet(data)
    except uploads.UnreadableSheet:
        raise ImportFileError(
            f"Berkas “{filename}” tidak dapat dibaca sebagai lembar kerja Excel (mungkin dokumen Word atau rusak). "
            f"{WRONG_TYPE}"
        ) from None
    except DomainError as e:
        raise ImportFileError(e.message) from None
    numbered = []
    nip_idx = None
    for i, values in enumerate(raw, start=1):
        if nip_idx is None and numbered == [] and any(v is not None for v in values):
            heads = [_norm_header(_xlsx_cell(v)) for v in values]
            nip_idx = heads.index("NIP") if "NIP" in heads else -1
            numbered.append((i, [_xlsx_cell(v) for v in values]))
            continue
        cells = [_xlsx_cell(v) for v in values]
        if nip_idx is not None and 0 <= nip_idx < len(values) and isinstance(values[nip_idx], int | float):
            if not isinstance(values[nip_idx], bool) and abs(values[nip_idx]) >= 1e15:
                cells[nip_idx] = NUMERIC_NIP
        numbered.append((i, cells))
    return _table(filename, numbered)


# --- validating ------------------------------------------------------------------------------------


def _norm_header(h: str) -> str:
    key = re.sub(r"[^A-Z0-9]+", "_", (h or "").strip().upper()).strip("_")
    return ALIASES.get(key, key)


def parse_date(text: str) -> date:
    """YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY, DD.MM.YYYY, or an Excel serial number; ValueError otherwise."""
    s = text.strip()
    if " " in s:
        s = s.split(" ", 1)[0]  # "1990-01-01 00:00:00"
    if s.isdigit() and len(s) <= 5:
        # Excel serial day number (1900 system; day 60 is Excel's phantom 29-02-1900).
        n = int(s)
        if 1 <= n <= 2958465:
            return date(1899, 12, 30) + timedelta(days=n)
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", s)
    if m:
        return date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", s)
    if m:
        return date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(s)


_STATUS = {"PNS": StatusAsn.PNS, "CPNS": StatusAsn.CPNS, "PPPK": StatusAsn.PPPK}
_GENDER = {
    "L": Gender.L,
    "1": Gender.L,
    "LAKI-LAKI": Gender.L,
    "LAKI LAKI": Gender.L,
    "LAKI": Gender.L,
    "PRIA": Gender.L,
    "P": Gender.P,
    "2": Gender.P,
    "PEREMPUAN": Gender.P,
    "WANITA": Gender.P,
}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class RowResult:
    line: int
    nip: str
    name: str
    data: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    action: str | None = None  # new / changed / unchanged; None when the row has errors
    changed: list[str] = field(default_factory=list)  # headers of changed columns
    employee: Employee | None = None
    position: Position | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action or "", "salah")


@dataclass
class Preview:
    filename: str
    rows: list[RowResult]
    warnings: list[str]
    file_errors: list[str]
    _keep: list = field(default_factory=list, repr=False)  # strong refs: the identity map is weak

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def counts(self) -> dict[str, int]:
        c = {"new": 0, "changed": 0, "unchanged": 0, "invalid": 0}
        for r in self.rows:
            c[r.action or "invalid"] += 1
        return c

    @property
    def importable(self) -> int:
        c = self.counts
        return c["new"] + c["changed"]


def _chunks(items: list, size: int = 900) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _norm_name(s: str) -> str:
    return " ".join((s or "").split()).casefold()


def build_preview(table: Table, *, today: date) -> Preview:
    """Check every row and decide what importing it would do; reads the database set-wise, writes nothing."""
    columns: dict[str, int] = {}
    file_errors: list[str] = []
    warnings = list(table.warnings)
    unknown = []
    for idx, raw in enumerate(table.headers):
        key = _norm_header(raw)
        if not key:
            continue
        if key not in BY_HEADER:
            unknown.append(raw)
        elif key in columns:
            file_errors.append(f"Kolom {key} muncul lebih dari sekali pada baris judul.")
        else:
            columns[key] = idx
    missing = [c.header for c in COLUMNS if c.required and c.header not in columns]
    if "JABATAN" not in columns and "ID_JABATAN" not in columns:
        missing.append("JABATAN (atau ID_JABATAN)")
    if missing:
        file_errors.append(
            "Kolom wajib tidak ada: " + ", ".join(missing) + ". Periksa baris judul (baris 1) atau gunakan templat."
        )
    if unknown:
        warnings.append("Kolom berikut tidak dikenal dan diabaikan: " + ", ".join(unknown[:15]) + ".")
    if file_errors:
        return Preview(table.filename, [], warnings, file_errors)

    rows = [_parse_row(line, cells, columns) for line, cells in table.rows]

    # Duplicates within the file: every occurrence is wrong, since we cannot tell which one is right.
    lines_by_nip: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.nip:
            lines_by_nip[r.nip].append(r.line)
    for r in rows:
        others = [n for n in lines_by_nip.get(r.nip, []) if n != r.line]
        if others:
            r.errors.append(("NIP", f"NIP sama dengan baris {', '.join(map(str, others[:5]))} di berkas ini."))

    # Set-wise lookups: units, positions, the file's existing employees (with their riwayat jabatan).
    units = {code.upper(): uid for uid, code in db.session.execute(select(Unit.id, Unit.code))}
    positions = list(db.session.scalars(select(Position)))
    pos_by_id = {p.id: p for p in positions}
    by_unit_name: dict[tuple[int, str], list[Position]] = defaultdict(list)
    for p in positions:
        by_unit_name[p.unit_id, _norm_name(p.name)].append(p)
        if p.jenjang:
            by_unit_name[p.unit_id, _norm_name(f"{p.name} {p.jenjang}")].append(p)
    occupied = set(db.session.scalars(select(Employee.position_id).where(Employee.position_id.is_not(None)).distinct()))
    nips = list(lines_by_nip)
    existing: dict[str, Employee] = {}
    for part in _chunks(nips):
        for emp in db.session.scalars(
            select(Employee).where(Employee.nip.in_(part)).options(selectinload(Employee.assignments))
        ):
            existing[emp.nip] = emp
    nip_owners = {nip: emp.id for nip, emp in existing.items()}

    for r in rows:
        emp = existing.get(r.nip)
        r.employee = emp
        if r.nip and not any(col == "NIP" for col, _ in r.errors):
            for fld, message in directory.validate_fields(
                r.data, existing_id=emp.id if emp else None, nip_owners=nip_owners
            ):
                r.errors.append((SERVICE_FIELD_HEADER.get(fld, fld.upper()), message))
        _resolve_position(r, columns, units, pos_by_id, by_unit_name, occupied)
        if r.errors:
            continue
        r.data["golongan"] = gol.normalize(r.data["golongan"])
        if emp is None:
            r.action = "new"
            continue
        for key in COMPARED:
            if key in r.data and (r.data[key] if r.data[key] != "" else None) != getattr(emp, key):
                r.changed.append(HEADER_OF[key])
        if r.position is not None and r.position.id != emp.position_id:
            r.changed.append("JABATAN")
            start = r.data.get("position_start") or today
            running = [
                a.start_date for a in emp.assignments if a.kind == AssignmentKind.DEFINITIF and a.end_date is None
            ]
            if running and max(running) >= start:
                r.errors.append(
                    (
                        "TMT_JABATAN",
                        f"Jabatan berubah, tetapi jabatan sekarang baru dimulai {max(running):%d-%m-%Y}; "
                        "isi TMT_JABATAN setelah tanggal itu.",
                    )
                )
                continue
        r.action = "changed" if r.changed else "unchanged"
    for r in rows:
        if r.errors:
            r.action = None
    return Preview(table.filename, rows, warnings, [], [positions, list(existing.values())])


def _parse_row(line: int, cells: list[str], columns: dict[str, int]) -> RowResult:
    def cell(header: str) -> str:
        idx = columns.get(header)
        return cells[idx].strip() if idx is not None and idx < len(cells) else ""

    errors: list[tuple[str, str]] = []
    data: dict = {}
    for col in COLUMNS:
        if col.header not in columns:
            continue
        raw = cell(col.header)
        if raw == "":
            if col.required:
                errors.append((col.header, "Wajib diisi."))
            elif col.kind == "int" and col.field.startswith("mkg_"):
                data[col.field] = 0
            else:
                data[col.field] = None
            continue
        if col.max_length and len(raw) > col.max_length and col.kind != "nip":
            errors.append((col.header, f"Terlalu panjang: maksimal {col.max_length} karakter."))
            continue
        if col.kind == "nip":
            if raw == NUMERIC_NIP:
                errors.append(
                    (
                        col.header,
                        "NIP tersimpan sebagai angka di Excel sehingga angka terakhirnya hilang; "
                        "format kolom NIP sebagai Teks lalu isi ulang.",
                    )
                )
                continue
            value = nipmod.normalize(raw)
            if len(value) > 18 or not value.isdigit():
                errors.append((col.header, "NIP harus terdiri dari 18 angka."))
                continue
            data["nip"] = value
        elif col.kind == "status":
            value = _STATUS.get(raw.upper())
            if value is None:
                errors.append((col.header, f"“{raw}” bukan status ASN; isi PNS, CPNS atau PPPK."))
                continue
            data[col.field] = value
        elif col.kind == "gender":
            value = _GENDER.get(raw.upper())
            if value is None:
                errors.append((col.header, f"“{raw}” tidak dikenal; isi L atau P (atau 1/2, Laki-laki/Perempuan)."))
                continue
            data[col.field] = value
        elif col.kind == "date":
            try:
                data[col.field] = parse_date(raw)
            except ValueError:
                errors.append((col.header, f"Tanggal “{raw}” tidak sah; gunakan TTTT-BB-HH atau HH-BB-TTTT."))
        elif col.kind == "int":
            try:
                value = int(raw)
            except ValueError:
                errors.append((col.header, f"“{raw}” bukan bilangan bulat."))
                continue
            if col.field == "mkg_years" and not 0 <= value <= 45:
                errors.append((col.header, "Masa kerja golongan 0–45 tahun."))
                continue
            if col.field == "mkg_months" and not 0 <= value <= 11:
                errors.append((col.header, "Bulan masa kerja 0–11."))
                continue
            data[col.field] = value
        elif col.kind == "ptkp":
            value = raw.upper().replace(" ", "")
            if "/" not in value and len(value) >= 2:
                value = f"{value[:-1]}/{value[-1]}"
            if value not in PTKP_STATUSES:
                errors.append((col.header, f"Status PTKP “{raw}” tidak dikenal; isi TK/0–TK/3 atau K/0–K/3."))
                continue
            data[col.field] = value
        elif col.kind == "email":
            if not _EMAIL.fullmatch(raw):
                errors.append((col.header, f"Alamat surel “{raw}” tidak sah."))
                continue
            data[col.field] = raw
        else:
            data[col.field] = raw
    nip = data.get("nip", "")
    return RowResult(line, nip, data.get("name") or "", data, errors)


def _resolve_position(
    r: RowResult,
    columns: dict[str, int],
    units: dict[str, int],
    pos_by_id: dict[int, Position],
    by_unit_name: dict[tuple[int, str], list[Position]],
    occupied: set[int],
) -> None:
    """Find the jabatan named by ID_JABATAN, or by KODE_UNIT + JABATAN (prefer the employee's own, then a vacant post)."""
    code = r.data.pop("unit_code", None)
    pos_id = r.data.pop("position_id", None)
    pos_name = r.data.pop("position_name", None)
    if code is None:
        return  # already reported as missing
    unit_id = units.get(code.upper())
    if unit_id is None:
        r.errors.append(("KODE_UNIT", f"Unit kerja dengan kode “{code}” tidak ada di Kinerja."))
        return
    if pos_id is not None:
        pos = pos_by_id.get(pos_id)
        if pos is None:
            r.errors.append(("ID_JABATAN", f"Jabatan nomor {pos_id} tidak ada."))
        elif pos.unit_id != unit_id:
            r.errors.append(("ID_JABATAN", f"Jabatan nomor {pos_id} bukan jabatan di unit {code}."))
        else:
            r.position = pos
        return
    if not pos_name:
        r.errors.append(("JABATAN", "Wajib diisi (atau isi ID_JABATAN)."))
        return
    candidates = by_unit_name.get((unit_id, _norm_name(pos_name)), [])
    if not candidates:
        r.errors.append(("JABATAN", f"Jabatan “{pos_name}” tidak ada di unit {code}."))
        return
    own = r.employee.position_id if r.employee else None
    chosen = next((p for p in candidates if p.id == own), None)
    if chosen is None:
        vacant = [p for p in candidates if p.id not in occupied]
        if vacant:
            chosen = min(vacant, key=lambda p: p.id)
            occupied.add(chosen.id)  # the next row naming the same post gets another vacant one
        elif any(p.is_leader for p in candidates):
            r.errors.append(("JABATAN", f"Jabatan “{pos_name}” di unit {code} sudah terisi pejabat lain."))
            return
        else:
            chosen = min(candidates, key=lambda p: p.id)
    r.position = chosen


# --- applying --------------------------------------------------------------------------------------


def apply_preview(
    preview: Preview,
    *,
    skip_invalid: bool,
    today: date,
    flush_every: int | None = 500,
    on_progress: Callable[[int, int, bool], None] | None = None,
) -> dict[str, int]:
    """Upsert the valid rows by NIP (flushes; the caller commits once). Unchanged rows are not touched.

    Raises DomainError when the file still has errors and `skip_invalid` is not set: all or nothing.
    `flush_every=None` writes everything in one final flush: on SQLite (one writer at a time) a pending
    write would lock out the job's progress updates. `on_progress(done, total, flushed)` follows the rows.
    """
    bad = preview.bad_rows
    if preview.file_errors:
        raise DomainError("Berkas tidak dapat diimpor: " + " ".join(preview.file_errors))
    if bad and not skip_invalid:
        raise DomainError(
            f"Berkas berisi {len(bad)} baris yang salah; tidak ada data yang diimpor. "
            "Perbaiki berkas lalu unggah ulang, atau centang “lewati baris yang salah”."
        )
    todo = [r for r in preview.rows if r.action in ("new", "changed")]
    total = len(todo)
    with db.session.no_autoflush:
        for i, r in enumerate(todo, start=1):
            emp = r.employee
            if emp is None:
                emp = Employee()
                db.session.add(emp)
            data = {**r.data, "position_id": r.position.id if r.position else None}
            directory.apply_fields(emp, data, today=today)
            flushed = bool(flush_every) and (i % flush_every == 0 or i == total)
            if flushed:
                db.session.flush()
            if on_progress:
                on_progress(i, total, flushed)
    db.session.flush()
    c = preview.counts
    return {"baru": c["new"], "diubah": c["changed"], "tidak_berubah": c["unchanged"], "dilewati": c["invalid"]}


def summary_text(filename: str, counts: dict[str, int]) -> str:
    return (
        f"Impor pegawai dari {filename}: {counts['baru']} baru, {counts['diubah']} diubah, "
        f"{counts['tidak_berubah']} tidak berubah, {counts['dilewati']} baris salah dilewati."
    )


# --- keeping the upload between preview and confirm ------------------------------------------------

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def upload_dir(app) -> str:
    path = app.config.get("IMPORT_UPLOAD_DIR") or os.path.join(app.instance_path, "uploads")
    os.makedirs(path, exist_ok=True)
    return path


def save_upload(directory: str, table: Table, user_id: int) -> str:
    """Store the read table under an unguessable token; only `user_id` may load it again."""
    purge_old_uploads(directory)
    token = secrets.token_urlsafe(32)
    payload = {
        "user_id": user_id,
        "filename": table.filename,
        "created": datetime.now(UTC).isoformat(),
        "headers": table.headers,
        "rows": table.rows,
        "warnings": table.warnings,
    }
    tmp = os.path.join(directory, f".{token}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(payload, f, ensure_ascii=False)
    os.replace(tmp, os.path.join(directory, f"{token}.json"))
    return token


def load_upload(directory: str, token: str, user_id: int | None) -> Table | None:
    """The stored table, or None when the token is malformed, unknown, expired or someone else's."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    path = os.path.join(directory, f"{token}.json")
    try:
        with open(path, encoding="utf-8") as f:
            payload = json.load(f)
    except (OSError, ValueError):
        return None
    if payload.get("user_id") != user_id:
        return None
    if datetime.now(UTC) - datetime.fromisoformat(payload["created"]) > UPLOAD_MAX_AGE:
        return None
    rows = [(int(n), list(cells)) for n, cells in payload["rows"]]
    return Table(payload["filename"], payload["headers"], rows, payload.get("warnings") or [])


def discard_upload(directory: str, token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        try:
            os.remove(os.path.join(directory, f"{token}.json"))
        except FileNotFoundError:
            pass


def purge_old_uploads(directory: str) -> None:
    """Uploads never confirmed are removed after a day."""
    cutoff = time.time() - UPLOAD_MAX_AGE.total_seconds()
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        try:
            if name.endswith((".json", ".tmp")) and os.path.getmtime(path) < cutoff:
                os.remove(path)
        except FileNotFoundError:
            pass


def unit_codes() -> list[tuple[str, str]]:
    """(code, name) of every unit, in tree order, for the KODE_UNIT help list."""
    return [(u.code, u.name) for u in db.session.execute(select(Unit.code, Unit.name).order_by(Unit.code))]


# --- the template ----------------------------------------------------------------------------------


def template_csv() -> bytes:
    """Semicolon-separated with a UTF-8 BOM: opens column by column in Excel with Indonesian settings.

    Headers only: an example row left in by mistake would be imported as a real employee.
    """
    out = io.StringIO()
    w = exports.CsvWriter(out, delimiter=";", lineterminator="\r\n")
    w.writerow([c.header for c in COLUMNS])
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl.styles import Font

    wb = exports.workbook()
    ws = wb.active
    ws.title = "Pegawai"
    ws.append([c.header for c in COLUMNS])  # examples go to the help sheet, never into the data
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for idx, col in enumerate(COLUMNS, start=1):
        letter = ws.cell(row=1, column=idx).column_letter
        ws.column_dimensions[letter].width = max(14, len(col.header) + 4)
        if col.kind in ("nip", "text", "date"):
            for row in range(2, 1001):
                ws.cell(row=row, column=idx).number_format = "@"  # text: keeps NIP digits and leading zeros
    ws.freeze_panes = "A2"
    help_ws = wb.create_sheet("Petunjuk")
    help_ws.append(["Kolom", "Wajib", "Keterangan", "Contoh"])
    for cell in help_ws[1]:
        cell.font = Font(bold=True)
    for col in COLUMNS:
        help_ws.append([col.header, "ya" if col.required else "", col.description, col.example])
    help_ws.column_dimensions["A"].width = 22
    help_ws.column_dimensions["C"].width = 90
    return exports.xlsx_bytes(wb)
