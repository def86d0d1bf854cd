"""Uploaded files: spreadsheets read with a hard row cap, stored files checked by content, and served back safely.

Every upload path goes through here. Imports (pegawai, kehadiran, predikat, potensial) read their rows with
`read_sheet` (XLSX) or `read_csv`: at most `MAX_ROWS` data rows are ever parsed, whatever the file claims, and an
XLSX whose parts would expand beyond what any real import needs is refused from the ZIP directory alone, before
openpyxl inflates a byte. Stored files (logo kop surat, bukti dukung, sertifikat, lampiran keberatan) pass
`check_file`, which recognises the type by content, decodes images and cuts them at their end marker, and looks
inside Office documents. `send_upload` serves a stored file as a download that browsers never sniff or render.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import PurePosixPath

from flask import Response, send_file

from .domain import DomainError

MAX_ROWS = 20_000  # data rows, the header row not counted
TOO_MANY_ROWS = "Berkas memuat lebih dari 20.000 baris; pecah menjadi beberapa berkas."
MAX_COLUMNS = 256  # cells to the right are ignored: no import has more than a few dozen columns
UNREADABLE_XLSX = "Berkas XLSX tidak dapat dibaca. Simpan ulang dari Excel."

# ZIP limits for XLSX imports and Office evidence, from the central directory (zipfile never inflates an entry
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

IMAGE_MAX_PIXELS = 50_000_000
BROKEN_IMAGE = "Berkas gambar rusak atau terpotong; simpan ulang gambar lalu unggah lagi."

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", DOCX: "docx", XLSX: "xlsx", PPTX: "pptx"}
OFFICE_MAIN_PARTS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX, "ppt/presentation.xml": PPTX}
MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
# Parts an Office document may not carry: programs, scripts, macro-enabled documents, VBA projects, and the
# OLE/ActiveX containers an executable hides in.
FORBIDDEN_EXTENSIONS = frozenset(
    ".exe .dll .com .scr .msi .jar .js .jse .vbs .vbe .wsf .hta .bat .cmd .ps1 .sh .lnk .cpl .docm .xlsm .pptm".split()
)
FORBIDDEN_PARTS = ("vbaproject.bin", "vbadata.xml")
FORBIDDEN_FOLDERS = ("embeddings/oleobject", "activex/")


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


# --- checking stored files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """A file fit to store: `data` is what to keep (an image without anything appended after its end)."""

    data: bytes
    mimetype: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.mimetype]

    def columns(self, filename: str, stem: str) -> dict:
        """What every stored upload keeps: a file name without folders, type, size, SHA-256 and the bytes."""
        name = (filename or f"{stem}.{self.extension}").replace("/", "_").replace("\\", "_")[-150:]
        return {
            "filename": name,
            "content_type": self.mimetype,
            "size": len(self.data),
            "sha256": hashlib.sha256(self.data).hexdigest(),
            "data": self.data,
        }


def sniff(data: bytes) -> str | None:
    """The mimetype a file's content claims (never its name): PDF, PNG, JPEG, or an Office document by its main part."""
    for magic, mimetype in MAGIC:
        if data.startswith(magic):
            return mimetype
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            return next((mimetype for part, mimetype in OFFICE_MAIN_PARTS.items() if part in names), None)
    return None


def check_file(data: bytes, allowed: Collection[str], *, field: str, not_allowed: str) -> Checked:
    """The file as it may be stored, or DomainError on `field`.

    A type outside `allowed` gets the caller's `not_allowed` message; a file of an allowed type that is not what
    it claims (an image that does not decode, an Office document carrying a program or macros) gets its own.
    """
    mimetype = sniff(data)
    if mimetype not in allowed:
        raise DomainError(not_allowed, field)
    if mimetype in (PNG, JPEG):
        return Checked(_check_image(data, mimetype, field), mimetype)
    if mimetype in OFFICE_MAIN_PARTS.values():
        _check_office(data, field)
    return Checked(data, mimetype)


def _check_image(data: bytes, mimetype: str, field: str) -> bytes:
    from PIL import Image, UnidentifiedImageError

    end = _png_end(data) if mimetype == PNG else _jpeg_end(data)
    if end is None:
        raise DomainError(BROKEN_IMAGE, field)
    image = data[:end]
    try:
        with Image.open(io.BytesIO(image)) as img:
            width, height = img.size
            if width * height > IMAGE_MAX_PIXELS:
                raise DomainError(f"Gambar {width}×{height} piksel terlalu besar; perkecil lalu unggah lagi.", field)
            # PNG: every critical chunk's CRC, which holds even though WeasyPrint sets LOAD_TRUNCATED_IMAGES
            img.verify()
        with Image.open(io.BytesIO(image)) as img:  # verify() leaves the image unusable: decode a fresh one
            img.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(BROKEN_IMAGE, field) from None
    return image


def _png_end(data: bytes) -> int | None:
    """Offset just after the IEND chunk (PNG specification §5.3: length, type, data, CRC), None if there is none."""
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        end = pos + 12 + length
        if data[pos + 4 : pos + 8] == b"IEND":
            return end if end <= len(data) else None
        pos = end
    return None


def _jpeg_end(data: bytes) -> int | None:
    """Offset just after the EOI marker that closes the image (ITU T.81 Annex B), None if there is none.

    Marker segments are skipped by their length, so an EXIF thumbnail's own EOI is not taken for the image's;
    entropy-coded data after SOS runs to the next marker other than a stuffed 0xFF00 or a restart marker.
    """
    pos = 2
    n = len(data)
    while pos + 1 < n:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
        elif marker == 0xD9:
            return pos + 2
        elif 0xD0 <= marker <= 0xD8 or marker == 0x01:  # RSTn, SOI, TEM stand alone
            pos += 2
        else:
            if pos + 4 > n:
                return None
            pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
            if marker == 0xDA:
                pos = _entropy_end(data, pos)
    return None


def _entropy_end(data: bytes, pos: int) -> int:
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        else:
            return pos


def _check_office(data: bytes, field: str) -> None:
    try:
        entries = check_zip(zipfile.ZipFile(io.BytesIO(data)), field=field)
    except (zipfile.BadZipFile, ValueError):
        raise DomainError("Dokumen Office rusak; simpan ulang lalu unggah lagi.", field) from None
    for entry in entries:
        name = entry.filename.lower().replace("\\", "/")
        if PurePosixPath(name).name in FORBIDDEN_PARTS or any(folder in name for folder in FORBIDDEN_FOLDERS):
            raise DomainError(
                "Dokumen Office memuat makro atau objek tersemat (OLE/ActiveX) yang tidak diizinkan; "
                "simpan sebagai dokumen biasa atau PDF lalu unggah lagi.",
                field,
            )
        if PurePosixPath(name).suffix in FORBIDDEN_EXTENSIONS:
            raise DomainError(
                f"Dokumen Office memuat berkas program “{PurePosixPath(entry.filename).name}” yang tidak diizinkan.",
                field,
            )


# --- serving ---------------------------------------------------------------------------------------


def send_upload(data: bytes, mimetype: str, filename: str) -> Response:
    """A stored upload as a download with its verified type, never rendered as a page (attachment); nosniff,
    no-store and the content policy come from `security_headers`, like every response's.

    An <img> still shows an image served this way: Content-Disposition only governs navigation.
    """
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)
