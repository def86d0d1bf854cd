"""Files for upload tests, built in memory: real images and Office documents, and hostile ones (ZIP bombs,
spreadsheets lying about their size, images with something appended, documents carrying programs)."""

from __future__ import annotations

import functools
import io
import zipfile

from openpyxl import Workbook
from PIL import Image

SHEET = "xl/worksheets/sheet1.xml"
SHEET_OPEN = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def xlsx_with_sheet(sheet_xml: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A real openpyxl workbook whose first sheet's XML is replaced by `sheet_xml`."""
    buf = io.BytesIO()
    Workbook().save(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", compression, compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, sheet_xml if info.filename == SHEET else src.read(info.filename))
    return out.getvalue()


def sheet_xml(rows: int, dimension: str | None = None, header: str = "nip") -> bytes:
    """`rows` data rows of one inline-string cell under a header cell; `dimension` as declared, if any."""
    cell = '<row><c t="inlineStr"><is><t>{}</t></is></c></row>'
    head = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = cell.format(header) + cell.format("1") * rows
    return f"{SHEET_OPEN}{head}<sheetData>{body}</sheetData></worksheet>".encode()


@functools.cache
def xlsx_bomb() -> bytes:
    """About 420 KB that expands to 3 million rows (about 150 MB of sheet XML), no dimension declared."""
    return xlsx_with_sheet(sheet_xml(3_000_000))


@functools.cache
def xlsx_lying_about_its_size(rows: int = 20_001) -> bytes:
    """A stored (uncompressed) sheet with `rows` data rows that claims to be one cell big: passes the ZIP checks,
    so only streaming with a cap can stop it."""
    return xlsx_with_sheet(sheet_xml(rows, dimension="A1"), compression=zipfile.ZIP_STORED)


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (20, 90, 40)).save(buf, "PNG")
    return buf.getvalue()


def jpeg(size: tuple[int, int] = (16, 16), exif_thumbnail: bool = False) -> bytes:
    """A JPEG; with `exif_thumbnail`, an APP1 segment holding a whole JPEG (with its own EOI) comes first."""
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "JPEG", progressive=True)
    data = buf.getvalue()
    if exif_thumbnail:
        thumb = jpeg((4, 4))
        body = b"Exif\x00\x00" + thumb
        data = data[:2] + b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body + data[2:]
    return data


def office(parts: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, content in parts.items():
            z.writestr(name, content)
    return buf.getvalue()


def docx(extra: dict[str, bytes | str] | None = None) -> bytes:
    """A minimal Word document, with the `extra` parts added."""
    parts = {"[Content_Types].xml": "<Types/>", "_rels/.rels": "<Relationships/>", "word/document.xml": "<w:document/>"}
    return office(parts | (extra or {}))
