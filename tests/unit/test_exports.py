"""The one sanitiser behind every XLSX and CSV the app writes (issue: hardening 5)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kinerja_web import exports


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Staf Satu", "Staf Satu"),
        ("a=b", "a=b"),
        ("", ""),
        (None, None),
        (-150_000, -150_000),
        (Decimal("-1.5"), Decimal("-1.5")),
        (0.25, 0.25),
    ],
)
def test_text_a_spreadsheet_would_evaluate_gets_a_quote_and_numbers_stay_numbers(value, written):
    assert exports.cell(value) == written
    assert exports.row([value, 1]) == [written, 1]


def _cells(data: bytes) -> list[tuple[object, str]]:
    ws = load_workbook(io.BytesIO(data)).active
    return [(c.value, c.data_type) for line in ws.iter_rows() for c in line]


def test_a_workbook_is_saved_without_formulas_however_its_cells_were_set():
    wb = exports.workbook()
    ws = wb.active
    ws.append(["=1+1", -5])
    ws["C1"] = "@A1"
    assert _cells(exports.xlsx_bytes(wb)) == [("'=1+1", "s"), (-5, "n"), ("'@A1", "s")]


def test_a_write_only_workbook_takes_rows_through_row():
    wb = exports.workbook(write_only=True)
    ws = wb.create_sheet("x")
    ws.append(exports.row(["=1+1", Decimal("-2")]))
    assert _cells(exports.xlsx_bytes(wb)) == [("'=1+1", "s"), (-2, "n")]


def test_csv_rows_are_neutralised_and_negative_amounts_kept():
    out = io.StringIO()
    exports.CsvWriter(out, lineterminator="\n").writerow(["=cmd|' /C calc'!A0", -7, "Bank Uji"])
    assert out.getvalue() == "'=cmd|' /C calc'!A0,-7,Bank Uji\n"
