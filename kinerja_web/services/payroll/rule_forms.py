"""Per-table forms for the regional payroll rule tables ([R]: what the Perbup TPP decides), instead of raw JSON.

Each form is a list of cells (a percentage or a rupiah amount), read from the version in force and written back
into that table's payload; a value that is not a number, or out of range, gets its message at its own cell and
everything typed stays. The rule set's own checks (komposisi sums to 100%, effective dates) come from
`add_rule_version` as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from ...domain.predikat import Predikat


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    kind: str  # "persen" (typed as 0–100, stored as a fraction) or "rupiah" (whole rupiah)


@dataclass(frozen=True)
class TableForm:
    code: str
    intro: str
    cells: Callable[[dict], list[Cell]]  # from the payload of the version the form starts from
    read: Callable[[dict], dict[str, Decimal | int]]  # payload → value per cell key
    write: Callable[[dict, dict[str, Decimal | int]], dict]  # (starting payload, values) → new payload


def _pct_text(fraction: Decimal | int) -> str:
    text = f"{(Decimal(fraction) * 100).normalize():f}"
    return text.replace(".", ",")


def display(cell: Cell, value: Decimal | int) -> str:
    """A stored value as the user types it: 60 for 0.60 (persen), 6.500.000 for 6500000 (rupiah)."""
    if cell.kind == "persen":
        return _pct_text(value)
    return f"{int(value):,}".replace(",", ".")


def parse(cell: Cell, raw: str) -> tuple[Decimal | int | None, str | None]:
    """(value, None) or (None, Indonesian message) for what the user typed in one cell."""
    text = (raw or "").strip().replace(" ", "")
    if not text:
        return None, f"{cell.label} wajib diisi."
    if cell.kind == "rupiah":
        digits = text.removeprefix("Rp").replace(".", "")
        if not digits.isdigit():
            return None, f"{cell.label}: isi jumlah rupiah tanpa desimal, misalnya 6.500.000."
        return int(digits), None
    try:
        pct = Decimal(text.removesuffix("%").replace(",", "."))
    except InvalidOperation:
        return None, f"{cell.label}: isi persen berupa angka 0–100, misalnya 60 atau 37,5."
    if not pct.is_finite() or pct < 0 or pct > 100:
        return None, f"{cell.label}: persen harus antara 0 dan 100."
    return pct / 100, None


def _fraction(v) -> Decimal:
    return Decimal(str(v))


def _stored_fraction(v: Decimal) -> str:
    return str(v.normalize()) if v != v.to_integral() else str(v.quantize(Decimal("1.00")))


KOMPOSISI = TableForm(
    "tpp_komposisi",
    "Porsi TPP komponen kinerja dan komponen disiplin; keduanya harus berjumlah 100%.",
    lambda data: [Cell("kinerja", "Porsi kinerja", "persen"), Cell("disiplin", "Porsi disiplin", "persen")],
    lambda data: {k: _fraction(data[k]) for k in ("kinerja", "disiplin")},
    lambda data, v: {**data, **{k: _stored_fraction(v[k]) for k in ("kinerja", "disiplin")}},
)

PERSEN_PREDIKAT = TableForm(
    "tpp_persen_predikat",
    "Persentase TPP komponen kinerja yang dibayarkan untuk setiap predikat kinerja pegawai.",
    lambda data: [Cell(p.value, p.label, "persen") for p in Predikat],
    lambda data: {p.value: _fraction(data["persen"][p.value]) for p in Predikat if p.value in data["persen"]},
    lambda data, v: {**data, "persen": {k: _stored_fraction(x) for k, x in v.items()}},
)

PAGU = TableForm(
    "tpp_pagu",
    "Besaran TPP sebulan per kelas jabatan menurut Perbup (sebelum dibagi komponen kinerja dan disiplin).",
    lambda data: [Cell(k, f"Kelas jabatan {k}", "rupiah") for k in sorted(data["per_kelas"], key=int, reverse=True)],
    lambda data: {k: int(x) for k, x in data["per_kelas"].items()},
    lambda data, v: {**data, "per_kelas": {k: int(x) for k, x in v.items()}},
)

FAKTOR_STATUS = TableForm(
    "tpp_faktor_status",
    "Faktor pengali seluruh TPP untuk setiap status (100% = dibayar penuh, 0% = tidak dibayar).",
    lambda data: [Cell(k, data.get("label", {}).get(k, k), "persen") for k in data["faktor"]],
    lambda data: {k: _fraction(x) for k, x in data["faktor"].items()},
    lambda data, v: {**data, "faktor": {k: _stored_fraction(x) for k, x in v.items()}},
)

FORMS = {f.code: f for f in (KOMPOSISI, PERSEN_PREDIKAT, PAGU, FAKTOR_STATUS)}


def read_cells(form: TableForm, data: dict, submitted) -> tuple[dict[str, Decimal | int], dict[str, str]]:
    """Values and per-cell errors from the submitted form (cell inputs are named `nilai-<key>`)."""
    values, errors = {}, {}
    for cell in form.cells(data):
        value, error = parse(cell, submitted.get(f"nilai-{cell.key}", ""))
        if error:
            errors[cell.key] = error
        else:
            values[cell.key] = value
    return values, errors
