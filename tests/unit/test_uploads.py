"""Uploads (no app): spreadsheets read with a hard row cap and a ZIP guard."""

from __future__ import annotations

import io
import itertools

import openpyxl
import pytest
from openpyxl import Workbook
from openpyxl.worksheet._reader import WorkSheetParser

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
