"""The pieces of a per-table rule form: single cells (a percentage, a rupiah amount, a choice, a set of ticks, a
date, a list of codes) and, for tables that are lists (deduction bands, tunjangan rows), rows of columns.

Every value is parsed from what the user typed; a value that is not valid gets its message at its own cell (or
row cell) and everything typed stays. The rule set's own checks (komposisi sums to 100%, bands join up,
effective dates) come from `add_rule_version` as before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# The most rows a row table accepts from one submission (a form is never that long; a forged count is refused).
MAX_ROWS = 300


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    # "persen" (typed as 0–100, stored as a fraction), "rupiah" (whole rupiah), "pilihan" (one of `choices`),
    # "centang" (a set of `choices`), "tanggal" (an optional date), "daftar" (codes separated by commas),
    # "teks" / "teks_opsional" (free text), "bilangan_opsional" (a whole number ≥ 0 or empty)
    kind: str
    choices: tuple[tuple[str, str], ...] = ()

    @property
    def unit(self) -> str:
        return {"persen": " (%)", "rupiah": " (Rp)"}.get(self.kind, "")


# A column of a row table is a cell without a row of its own.
Column = Cell


@dataclass(frozen=True)
class RowSpec:
    """A table whose payload holds a list of rows (e.g. `bands`): its columns and how to read/write them."""

    key: str
    legend: str
    columns: tuple[Column, ...]
    read: Callable[[dict], list[dict]]  # payload → rows as values per column key
    write: Callable[[dict, list[dict]], dict]  # (payload, parsed rows) → new payload
    blank_rows: int = 3


@dataclass(frozen=True)
class TableForm:
    code: str
    intro: str
    cells: Callable[[dict], list[Cell]]  # from the payload of the version the form starts from
    read: Callable[[dict], dict]  # payload → value per cell key
    write: Callable[[dict, dict], dict]  # (starting payload, values) → new payload
    rows: RowSpec | None = None
    # A monthly table can be tried on last month's run before saving; THR/gaji ke-13 cannot.
    previewable: bool = True


def _pct_text(fraction: Decimal | int) -> str:
    text = f"{(Decimal(fraction) * 100).normalize():f}"
    return text.replace(".", ",")


def display(cell: Cell, value) -> str | list[str]:
    """A stored value as the user types it: 60 for 0.60 (persen), 6.500.000 for 6500000 (rupiah), …"""
    if value is None:
        return ""
    if cell.kind == "persen":
        return _pct_text(value)
    if cell.kind == "rupiah":
        return f"{int(value):,}".replace(",", ".")
    if cell.kind == "centang":
        return sorted(str(v) for v in value)
    if cell.kind == "daftar":
        return ", ".join(str(v) for v in value)
    if cell.kind == "tanggal":
        return value.isoformat() if isinstance(value, date) else str(value)
    return str(value)


def parse(cell: Cell, raw) -> tuple[object, str | None]:
    """(value, None) or (None, Indonesian message) for what the user typed in one cell."""
    if cell.kind == "centang":
        picked = [str(v) for v in (raw or [])]
        known = {v for v, _ in cell.choices}
        if any(v not in known for v in picked):
            return None, f"{cell.label}: pilihan tidak dikenal."
        return frozenset(picked), None
    text = (raw or "").strip()
    if cell.kind in ("teks_opsional", "daftar", "tanggal", "bilangan_opsional") and not text:
        return (() if cell.kind == "daftar" else None), None
    if not text:
        return None, f"{cell.label} wajib diisi."
    if cell.kind == "teks":
        return text, None
    if cell.kind == "teks_opsional":
        return text, None
    if cell.kind == "pilihan":
        if text not in {v for v, _ in cell.choices}:
            return None, f"{cell.label}: pilih salah satu pilihan yang tersedia."
        return text, None
    if cell.kind == "daftar":
        codes = tuple(dict.fromkeys(c.strip().upper() for c in text.split(",") if c.strip()))
        if any(not c.replace("_", "").isalnum() for c in codes):
            return None, f"{cell.label}: isi kode huruf/angka dipisahkan koma, misalnya C, CT, DL."
        return codes, None
    if cell.kind == "tanggal":
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, f"{cell.label}: tanggal tidak sah (format TTTT-BB-HH)."
    compact = text.replace(" ", "")
    if cell.kind == "bilangan_opsional":
        if not compact.isdigit():
            return None, f"{cell.label}: isi bilangan bulat 0 atau lebih, atau kosongkan."
        return int(compact), None
    if cell.kind == "rupiah":
        digits = compact.removeprefix("Rp").replace(".", "")
        if not digits.isdigit():
            return None, f"{cell.label}: isi jumlah rupiah tanpa desimal, misalnya 6.500.000."
        return int(digits), None
    try:
        pct = Decimal(compact.removesuffix("%").replace(",", "."))
    except InvalidOperation:
        return None, f"{cell.label}: isi persen berupa angka 0–100, misalnya 60 atau 37,5."
    if not pct.is_finite() or pct < 0 or pct > 100:
        return None, f"{cell.label}: persen harus antara 0 dan 100."
    return pct / 100, None


def fraction(v) -> Decimal:
    return Decimal(str(v))


def stored_fraction(v: Decimal) -> str:
    return str(v.normalize()) if v != v.to_integral() else str(v.quantize(Decimal("1.00")))


def _get(submitted, name: str, many: bool):
    if many:
        return submitted.getlist(name) if hasattr(submitted, "getlist") else submitted.get(name, [])
    return submitted.get(name, "")


def read_cells(form: TableForm, data: dict, submitted) -> tuple[dict, dict[str, str]]:
    """Values and per-cell errors from the submitted form (cell inputs are named `nilai-<key>`)."""
    values, errors = {}, {}
    for cell in form.cells(data):
        value, error = parse(cell, _get(submitted, f"nilai-{cell.key}", cell.kind == "centang"))
        if error:
            errors[cell.key] = error
        else:
            values[cell.key] = value
    return values, errors


def row_count(submitted) -> int:
    raw = (submitted.get("jumlah_baris") or "0").strip()
    return min(int(raw), MAX_ROWS) if raw.isdigit() else 0


def read_rows(spec: RowSpec, submitted) -> tuple[list[dict], dict[str, str]]:
    """Parsed rows and per-cell errors (`baris-<i>-<key>`); ticked "hapus" rows and all-blank rows are left out."""
    rows, errors = [], {}
    for i in range(row_count(submitted)):
        names = {c.key: f"baris-{i}-{c.key}" for c in spec.columns}
        if submitted.get(f"baris-{i}-hapus"):
            continue
        if all(not (submitted.get(n) or "").strip() for n in names.values()):
            continue
        row = {}
        for c in spec.columns:
            value, error = parse(c, submitted.get(names[c.key], ""))
            if error:
                errors[names[c.key]] = f"Baris {i + 1}: {error}"
            row[c.key] = value
        rows.append(row)
    return rows, errors


def typed_from_payload(form: TableForm, data: dict) -> dict:
    """What the form shows for a stored payload: cell and row inputs by name, as the user would type them."""
    current = form.read(data)
    typed: dict = {f"nilai-{c.key}": display(c, current[c.key]) for c in form.cells(data) if c.key in current}
    if form.rows is not None:
        rows = form.rows.read(data)
        for i, row in enumerate(rows):
            for c in form.rows.columns:
                typed[f"baris-{i}-{c.key}"] = display(c, row.get(c.key))
        typed["jumlah_baris"] = str(len(rows) + form.rows.blank_rows)
    return typed


def typed_from_submission(form: TableForm, data: dict, submitted) -> dict:
    """What the user sent, as the form shows it again (lists for ticks, one value for everything else)."""
    typed = {k: submitted.get(k) for k in submitted}
    for c in form.cells(data):
        if c.kind == "centang":
            typed[f"nilai-{c.key}"] = list(_get(submitted, f"nilai-{c.key}", True))
    if form.rows is not None:
        typed["jumlah_baris"] = str(max(row_count(submitted), 1))
    return typed


def choices_of(enum_cls: Sequence) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.label) for m in enum_cls)
