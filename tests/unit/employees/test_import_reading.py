"""Reading import files: encodings, delimiters, dates and wrong file types (no app, no database)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook

from kinerja_web.services.employees.import_files import NUMERIC_NIP, ImportFileError, parse_date, read_upload

CSV = "NIP;NAMA;KOTA\n199001012015031001;Budi Santoso;Kotabumi\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-01-31", date(1990, 1, 31)),
        ("31-01-1990", date(1990, 1, 31)),
        ("31/01/1990", date(1990, 1, 31)),
        ("31.01.1990", date(1990, 1, 31)),
        ("1990/1/31", date(1990, 1, 31)),
        ("1990-01-31 00:00:00", date(1990, 1, 31)),
        ("32904", date(1990, 1, 31)),  # Excel serial day number
    ],
)
def test_dates_are_read_in_the_accepted_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-1990", "1990-13-01", "kemarin", "01/1990"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_semicolon_delimiter_is_detected():
    table = read_upload("a.csv", CSV.encode())
    assert table.headers == ["NIP", "NAMA", "KOTA"] and table.rows == [
        (2, ["199001012015031001", "Budi Santoso", "Kotabumi"])
    ]


def test_comma_delimiter_with_quoted_commas_is_read():
    table = read_upload("a.csv", b'NIP,NAMA\n199001012015031001,"Santoso, Budi"\n')
    assert table.rows[0][1] == ["199001012015031001", "Santoso, Budi"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be"])
def test_unicode_files_with_a_byte_order_mark_are_decoded_without_warning(encoding):
    data = CSV.replace("Budi", "Andé").encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    table = read_upload("a.csv", data)
    assert table.headers[0] == "NIP" and table.rows[0][1][1] == "Andé Santoso" and table.warnings == []


def test_cp1252_file_is_decoded_with_a_warning():
    table = read_upload("a.csv", CSV.replace("Budi", "André").encode("cp1252"))
    assert table.rows[0][1][1] == "André Santoso"
    assert "Windows-1252" in table.warnings[0]


def test_empty_rows_are_skipped_but_row_numbers_stay_those_of_the_sheet():
    table = read_upload("a.csv", b"NIP;NAMA\n\n199001012015031001;Budi\n")
    assert table.rows == [(3, ["199001012015031001", "Budi"])]


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("a.csv", b"%PDF-1.4\n", "bukan CSV melainkan PDF"),
        ("a.csv", b"\x89PNG\r\n\x1a\n", "gambar PNG"),
        ("a.xls", b"\xd0\xcf\x11\xe0", "Format XLS lama"),
        ("a.docx", b"PK\x03\x04", "Jenis berkas .docx tidak didukung"),
        ("a.xlsx", b"NIP;NAMA\n", "bukan XLSX yang sah"),
        ("a.csv", b"NIP\x00;NAMA\n", "data biner"),
        ("a", b"NIP;NAMA\n", "tanpa ekstensi"),
    ],
)
def test_wrong_file_types_are_named(filename, data, message):
    with pytest.raises(ImportFileError) as e:
        read_upload(filename, data)
    assert message in e.value.message


def _xlsx(*rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_xlsx_dates_and_whole_numbers_become_text():
    table = read_upload("a.xlsx", _xlsx(["NIP", "TANGGAL_LAHIR", "MK"], ["199001012015031001", date(1990, 1, 1), 4]))
    assert table.rows == [(2, ["199001012015031001", "1990-01-01", "4"])]


def test_xlsx_nip_stored_as_a_number_is_marked():
    table = read_upload("a.xlsx", _xlsx(["NIP", "NAMA"], [199001012015031001, "Budi"]))
    assert table.rows[0][1][0] == NUMERIC_NIP


def test_xlsx_saved_with_a_csv_name_is_read_as_xlsx():
    table = read_upload("a.csv", _xlsx(["NIP", "NAMA"], ["199001012015031001", "Budi"]))
    assert table.headers == ["NIP", "NAMA"]
