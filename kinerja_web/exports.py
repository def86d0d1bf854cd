"""Every XLSX and CSV file the app writes is built here, so no name in it can become a formula.

A spreadsheet program evaluates a text cell that starts with `=`, `+`, `-` or `@` (some also after a leading tab
or carriage return), so an employee named `=HYPERLINK("http://…","klik")` would turn into a live link in the
daftar gaji, and a bank CSV could run a command in the bank's Excel (OWASP, "CSV Injection"). The standard
remedy: such text gets a leading `'`, shown as written and never evaluated. Only text is touched: amounts stay
numbers (a negative amount is a number, not text). openpyxl stores any string starting with `=` as a formula;
after the quote none does, and the app writes no formulas of its own (totals are added up in Python).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """`value`, or for text a spreadsheet would evaluate, the same text behind a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    """One row through `cell`: what a write-only worksheet appends (its cells cannot be revisited on save)."""
    return [cell(v) for v in values]


def workbook(write_only: bool = False):
    """A new openpyxl workbook; save it with `xlsx_bytes`."""
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def xlsx_bytes(wb) -> bytes:
    """The saved workbook with every text cell passed through `cell` (a write-only workbook's rows must have
    been appended as `row(...)`: they are already written out)."""
    if not wb.write_only:
        for ws in wb.worksheets:
            for line in ws.iter_rows():
                for c in line:
                    if isinstance(c.value, str):
                        c.value = cell(c.value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class CsvWriter:
    """`csv.writer` whose rows go through `cell`."""

    def __init__(self, out, **fmtparams):
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, values: Iterable[Any]) -> None:
        self._writer.writerow(row(values))
