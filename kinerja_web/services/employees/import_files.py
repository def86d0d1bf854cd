"""Employee import files: the columns (like a SIASN export), reading CSV/XLSX bytes into a `Table` of strings
(or `ImportFileError` with an Indonesian message), dates as people type them, the uploads kept between preview and
confirmation, and the empty templates.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ... import exports, uploads
from ...domain import DomainError
from .. import staging

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
            heads = [norm_header(_xlsx_cell(v)) for v in values]
            nip_idx = heads.index("NIP") if "NIP" in heads else -1
            numbered.append((i, [_xlsx_cell(v) for v in values]))
            continue
        cells = [_xlsx_cell(v) for v in values]
        if nip_idx is not None and 0 <= nip_idx < len(values) and isinstance(values[nip_idx], int | float):
            if not isinstance(values[nip_idx], bool) and abs(values[nip_idx]) >= 1e15:
                cells[nip_idx] = NUMERIC_NIP
        numbered.append((i, cells))
    return _table(filename, numbered)


def norm_header(h: str) -> str:
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


JOB_UPLOAD_KIND = "import_pegawai"


def save_upload(table: Table, user_id: int, kind: str = JOB_UPLOAD_KIND) -> str:
    """Stage the read table (in the database) under an unguessable token; only `user_id` may load it again.
    `kind`: which import it waits for (other areas read their tables with this module too)."""
    payload = {"headers": table.headers, "rows": table.rows, "warnings": table.warnings}
    return staging.save(kind, user_id, table.filename, payload)


def load_upload(token: str, user_id: int | None, kind: str = JOB_UPLOAD_KIND) -> Table | None:
    """The staged table, or None when the token is malformed, unknown, expired, of another import or someone
    else's."""
    staged = staging.load(kind, token, user_id)
    if staged is None:
        return None
    payload = staged.payload
    rows = [(int(n), list(cells)) for n, cells in payload["rows"]]
    return Table(staged.filename, payload["headers"], rows, payload.get("warnings") or [])


def discard_upload(token: str) -> None:
    staging.discard(token)


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
