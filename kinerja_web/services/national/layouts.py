"""The column mappings of the national exports: shipped in `kinerja_web/data/national/`, replaceable per
installation by a file of the same name in the folder `NATIONAL_LAYOUT_DIR` (env `KINERJA_NATIONAL_LAYOUT_DIR`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from ... import exports
from ...domain import DomainError

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "national"


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    note: str = ""


def _path(name: str) -> Path:
    override = current_app.config.get("NATIONAL_LAYOUT_DIR")
    if override:
        candidate = Path(override) / name
        if candidate.is_file():
            return candidate
    return SHIPPED / name


def source_of(name: str) -> str:
    """ "bawaan" or the override file's path, for the export page."""
    p = _path(name)
    return "bawaan Kinerja" if p.parent == SHIPPED else str(p)


def _rows(name: str) -> list[dict[str, str]]:
    with _path(name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def layout(name: str, fields: Collection[str]) -> list[Column]:
    """The columns of one export; a mapping naming a field Kinerja does not have is refused (not silently empty)."""
    cols = [Column(r["kolom"].strip(), r["isian"].strip(), (r.get("keterangan") or "").strip()) for r in _rows(name)]
    unknown = [c.field for c in cols if c.field not in fields]
    if unknown or not cols:
        raise DomainError(
            f"Tata letak {name} tidak sah: isian tidak dikenal {', '.join(unknown) or '(kosong)'}. "
            f"Isian yang tersedia: {', '.join(sorted(fields))}."
        )
    return cols


def codes(name: str = "siasn_kode.csv") -> dict[tuple[str, str], str]:
    """(jenis, Kinerja value) → the national system's reference code."""
    return {(r["jenis"].strip(), r["nilai"].strip()): r["kode"].strip() for r in _rows(name)}


def header_aliases(name: str = "siasn_data_utama.csv") -> dict[str, list[str]]:
    """field → the column titles a SIASN export may use for it (normalised: lower case, single spaces)."""
    return {r["isian"].strip(): [norm(a) for a in r["judul_kolom"].split("|") if a.strip()] for r in _rows(name)}


def norm(title: str) -> str:
    return " ".join((title or "").replace("_", " ").lower().split())


def render(cols: list[Column], records: Iterable[Mapping[str, object]], fmt: str) -> bytes:
    """The records as XLSX or CSV in the layout's column order (text cells guarded against formulas)."""
    if fmt == "csv":
        out = io.StringIO()
        w = exports.CsvWriter(out, delimiter=";")
        w.writerow([c.header for c in cols])
        for rec in records:
            w.writerow([rec.get(c.field, "") for c in cols])
        return out.getvalue().encode("utf-8-sig")
    wb = exports.workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(exports.row([c.header for c in cols]))
    for rec in records:
        ws.append(exports.row([rec.get(c.field, "") for c in cols]))
    return exports.xlsx_bytes(wb)
