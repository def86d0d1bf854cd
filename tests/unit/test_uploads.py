"""Uploads (no app): spreadsheets read with a hard row cap and a ZIP guard; stored files checked by content."""

from __future__ import annotations

import hashlib
import io
import itertools

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser
from PIL import ImageFile

from kinerja_web import uploads
from kinerja_web.domain import DomainError
from tests import upload_files as files

# --- reading imports ------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_openpyxl_opens_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see a ZIP bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    bomb = files.xlsx_bomb()
    assert len(bomb) < 600_000
    with pytest.raises(DomainError) as e:
        uploads.read_sheet(bomb, field="berkas")
    assert (e.value.message, e.value.field) == (uploads.ZIP_TOO_BIG, "berkas")


def _count_parsed_rows(monkeypatch) -> list[int]:
    parsed = [0]
    parse_row = WorkSheetParser.parse_row

    def counting(self, element):
        parsed[0] += 1
        return parse_row(self, element)

    monkeypatch.setattr(WorkSheetParser, "parse_row", counting)
    return parsed


def test_a_declared_size_over_the_cap_is_refused_before_any_row_is_parsed(monkeypatch):
    parsed = _count_parsed_rows(monkeypatch)
    data = files.xlsx_with_sheet(files.sheet_xml(2, dimension="A1:A3000000"))
    with pytest.raises(DomainError, match=uploads.TOO_MANY_ROWS):
        uploads.read_sheet(data)
    assert parsed == [0]


def test_a_sheet_lying_about_its_size_stops_at_the_first_row_over_the_cap(monkeypatch):
    parsed = _count_parsed_rows(monkeypatch)
    with pytest.raises(DomainError, match=uploads.TOO_MANY_ROWS):
        uploads.read_sheet(files.xlsx_lying_about_its_size(30_000))
    assert parsed == [uploads.MAX_ROWS + 2]  # the header, the allowed rows, and the one over the cap


def test_a_sheet_at_the_cap_is_read_whole():
    rows = uploads.read_sheet(files.xlsx_lying_about_its_size(uploads.MAX_ROWS))
    assert len(rows) == uploads.MAX_ROWS + 1 and rows[0] == ("nip",) and rows[-1] == ("1",)


def test_a_declared_size_smaller_than_the_data_cuts_no_row_off():
    rows = uploads.read_sheet(files.xlsx_with_sheet(files.sheet_xml(5, dimension="A1")))
    assert rows == [("nip",)] + [("1",)] * 5


def test_cells_far_to_the_right_are_ignored_and_trailing_empty_cells_dropped():
    row = '<row r="1"><c r="A1" t="inlineStr"><is><t>nip</t></is></c><c r="C1"/><c r="XFD1"><v>1</v></c></row>'
    sheet = f"{files.SHEET_OPEN}<sheetData>{row}</sheetData></worksheet>".encode()
    assert uploads.read_sheet(files.xlsx_with_sheet(sheet)) == [("nip",)]


def test_values_keep_their_type_and_empty_rows_keep_their_place():
    wb = Workbook()
    wb.active.append(["NIP", "JUMLAH"])
    wb.active.append([])
    wb.active.append(["199001012015031001", 4])
    buf = io.BytesIO()
    wb.save(buf)
    assert uploads.read_sheet(buf.getvalue()) == [("NIP", "JUMLAH"), (), ("199001012015031001", 4)]


@pytest.mark.parametrize("data", [b"PK\x03\x04rusak", files.docx(), b"NIP;NAMA\n"])
def test_what_is_no_workbook_is_unreadable(data):
    with pytest.raises(uploads.UnreadableSheet, match="Berkas XLSX tidak dapat dibaca"):
        uploads.read_sheet(data)


def test_the_cap_stops_an_endless_stream_right_after_the_first_row_over_it():
    source = itertools.count()
    with pytest.raises(DomainError, match=uploads.TOO_MANY_ROWS):
        list(uploads.capped(source))
    assert next(source) == uploads.MAX_ROWS + 2  # nothing was read past the row that broke the cap


def test_a_csv_over_the_cap_is_refused_and_one_at_the_cap_is_read():
    at_cap = "nip\n" + "1\n" * uploads.MAX_ROWS
    assert len(uploads.read_csv(at_cap, ",")) == uploads.MAX_ROWS + 1
    with pytest.raises(DomainError, match=uploads.TOO_MANY_ROWS):
        uploads.read_csv(at_cap + "1\n", ",")


# --- checking stored files --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "expected"),
    [(b"%PDF-1.7\n", "application/pdf"), (b"\x89PNG\r\n\x1a\n\x00", "image/png"), (b"\xff\xd8\xff\xe0", "image/jpeg")],
)
def test_evidence_type_is_read_from_the_content(head, expected):
    assert uploads.sniff(head) == expected


def test_an_executable_renamed_pdf_is_not_evidence():
    assert uploads.sniff(b"MZ\x90\x00\x03") is None


def test_an_office_document_is_evidence_but_a_plain_zip_is_not():
    assert uploads.sniff(files.office({"[Content_Types].xml": "x", "word/document.xml": "x"})) == uploads.DOCX
    assert uploads.sniff(files.office({"[Content_Types].xml": "x", "xl/workbook.xml": "x"})) == uploads.XLSX
    assert uploads.sniff(files.office({"[Content_Types].xml": "x", "ppt/presentation.xml": "x"})) == uploads.PPTX
    assert uploads.sniff(files.office({"[Content_Types].xml": "x", "word/evil.exe": "x"})) is None
    assert uploads.sniff(files.office({"program.exe": "x"})) is None
    assert uploads.sniff(b"PK\x03\x04 not really a zip") is None


def check(data: bytes, allowed=tuple(uploads.EXTENSIONS)) -> uploads.Checked:
    return uploads.check_file(data, allowed, field="berkas", not_allowed="Jenis berkas tidak diizinkan.")


def test_a_png_with_html_appended_is_kept_without_it():
    clean = files.png()
    checked = check(clean + files.HTML)
    assert (checked.data, checked.mimetype, checked.extension) == (clean, uploads.PNG, "png")


def test_a_jpeg_keeps_its_exif_thumbnail_and_loses_what_follows_its_end():
    photo = files.jpeg(exif_thumbnail=True)
    assert check(photo).data == photo
    assert check(photo + b"SEFH" + files.HTML).data == photo  # e.g. a phone's trailer after the image


@pytest.mark.parametrize("tolerant", [False, True])
@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 32,  # the magic and nothing else
        files.png()[:-20],  # cut before IEND
        files.jpeg()[:-30],  # cut before EOI
        b"\xff\xd8\xff\xe0" + b"\x00" * 40,
    ],
)
def test_an_image_that_does_not_decode_is_refused(data, tolerant, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", tolerant)
    with pytest.raises(DomainError) as e:
        check(data)
    assert (e.value.message, e.value.field) == (uploads.BROKEN_IMAGE, "berkas")


@pytest.mark.parametrize("tolerant", [False, True])
def test_a_png_with_damaged_pixels_is_refused(tolerant, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", tolerant)  # WeasyPrint sets it True on import
    image = files.png((64, 64))
    start = image.index(b"IDAT") + 8
    damaged = image[:start] + bytes(b ^ 0x55 for b in image[start : start + 20]) + image[start + 20 :]
    with pytest.raises(DomainError, match=uploads.BROKEN_IMAGE):
        check(damaged)


def test_a_type_outside_the_allowed_ones_gets_the_callers_message():
    with pytest.raises(DomainError, match="Jenis berkas tidak diizinkan."):
        check(files.docx(), allowed=(uploads.PDF, uploads.PNG))
    assert check(b"%PDF-1.4\n%%EOF\n", allowed=(uploads.PDF,)).mimetype == uploads.PDF


def test_real_office_documents_are_accepted():
    wb = io.BytesIO()
    Workbook().save(wb)
    assert check(wb.getvalue()).mimetype == uploads.XLSX
    assert check(files.docx()).extension == "docx"


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("word/media/setup.exe", "berkas program “setup.exe”"),
        ("payload.JS", "berkas program “payload.JS”"),
        ("word/embeddings/Microsoft_Excel_Macro-Enabled_Worksheet.xlsm", "berkas program"),
        ("word/vbaProject.bin", "makro"),
        ("word/embeddings/oleObject1.bin", "objek tersemat"),
        ("word/activeX/activeX1.bin", "objek tersemat"),
    ],
)
def test_a_docx_carrying_a_program_macros_or_embedded_objects_is_refused(part, message):
    with pytest.raises(DomainError, match=message) as e:
        check(files.docx({part: b"MZ\x90\x00"}))
    assert e.value.field == "berkas"


def test_a_docx_that_expands_absurdly_is_refused_from_its_zip_directory():
    bomb = files.docx({"word/media/image1.png": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    with pytest.raises(DomainError) as e:
        check(bomb)
    assert e.value.message == uploads.ZIP_TOO_BIG


def test_a_docx_with_too_many_parts_is_refused():
    parts = {f"word/media/{n}.xml": "" for n in range(uploads.ZIP_MAX_ENTRIES)}
    with pytest.raises(DomainError) as e:
        check(files.docx(parts))
    assert e.value.message == uploads.ZIP_TOO_BIG


def test_a_stored_upload_keeps_a_name_without_folders_and_the_hash_of_what_is_kept():
    checked = check(files.png() + files.HTML)
    columns = checked.columns("../../etc/logo.png", "bukti")
    assert columns["filename"] == ".._.._etc_logo.png" and columns["size"] == len(files.png())
    assert columns["sha256"] == hashlib.sha256(files.png()).hexdigest()
    assert checked.columns("", "bukti")["filename"] == "bukti.png"
