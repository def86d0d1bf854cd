"""Potensial entered by HR: one employee, a whole OPD's table, or a CSV/XLSX file; all or nothing."""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence

from sqlalchemy import select

from ... import uploads
from ...domain import DomainError
from ...domain.talent import Potensial
from ...extensions import db
from ...models import Employee, Period, TalentPotensial, User
from .boxes import potensial_of

POTENSIAL_TIDAK_SAH = "Potensial harus salah satu dari: Rendah, Menengah, Tinggi."
ALASAN_WAJIB = "Alasan penetapan manual wajib diisi: nilai ini menggantikan potensial dari hasil penilaian kompetensi."


# --- HR entry -------------------------------------------------------------------------------------------


def parse_potensial(raw: str | None) -> Potensial:
    try:
        return Potensial((raw or "").strip().lower())
    except ValueError:
        raise DomainError(POTENSIAL_TIDAK_SAH, field="potensial") from None


def set_potensial(
    employee: Employee, period: Period, potensial: Potensial, actor: User, dasar: str | None = None
) -> TalentPotensial:
    """Create or update HR's manual potensial of one employee for one period (audited through the model). It
    overrides the potensial computed from the latest assessment, so it must carry its reason."""
    if not (dasar or "").strip():
        raise DomainError(ALASAN_WAJIB, field="dasar")
    row = _put(potensial_of(employee.id, period.id), period, employee.id, Potensial(potensial), actor)
    row.dasar = (dasar or "").strip()[:300] or None
    db.session.flush()
    return row


def _rows_of(period: Period, employee_ids: list[int]) -> dict[int, TalentPotensial]:
    """The period's potensial rows of these employees (one query)."""
    return {
        r.employee_id: r
        for r in db.session.scalars(
            select(TalentPotensial).where(
                TalentPotensial.period_id == period.id, TalentPotensial.employee_id.in_(employee_ids)
            )
        )
    }


def _put(row: TalentPotensial | None, period: Period, emp_id: int, level: Potensial, actor: User) -> TalentPotensial:
    """Set one employee's level (a new row when there is none yet), recording who set it."""
    if row is None:
        row = TalentPotensial(employee_id=emp_id, period_id=period.id)
        db.session.add(row)
    row.potensial, row.set_by_id = level, actor.id
    return row


def set_potensial_bulk(
    period: Period, allowed: Sequence[Employee], values: Mapping[int, str], actor: User, dasar: str | None = None
) -> tuple[int, dict[int, str]]:
    """Save many potensial values at once, all or nothing: (saved count, {employee_id: message}).

    `values` maps employee ids to raw form values; blanks are left unchanged; ids outside `allowed` (the OPD
    on screen) are refused so a crafted form cannot reach other employees.
    """
    by_id = {e.id: e for e in allowed}
    errors: dict[int, str] = {}
    parsed: dict[int, Potensial] = {}
    for emp_id, raw in values.items():
        if not (raw or "").strip():
            continue
        if emp_id not in by_id:
            errors[emp_id] = "Pegawai tidak dikenal di unit ini."
            continue
        try:
            parsed[emp_id] = parse_potensial(raw)
        except DomainError as e:
            errors[emp_id] = e.message
    if errors:
        return 0, errors
    if parsed and not (dasar or "").strip():
        raise DomainError(ALASAN_WAJIB, field="dasar")
    existing = _rows_of(period, list(parsed))
    changed = 0
    for emp_id, level in parsed.items():
        row = existing.get(emp_id)
        if row is not None and row.potensial == level:
            continue  # unchanged rows are not rewritten (no empty audit entries)
        row = _put(row, period, emp_id, level, actor)
        if dasar and dasar.strip():
            row.dasar = dasar.strip()[:300]
        changed += 1
    db.session.flush()
    return changed, {}


# --- import from CSV/XLSX ---------------------------------------------------------------------------------

IMPORT_COLUMNS = ("nip", "potensial", "dasar")


def read_potensial_file(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) of a CSV (`,` or `;`, UTF-8 or Windows-1252) or XLSX upload.

    Raises DomainError(field="berkas") when the file as a whole cannot be read.
    """
    name = (filename or "").lower()
    if not data:
        raise DomainError("Berkas kosong.", field="berkas")
    if name.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        records = [
            ["" if v is None else _xlsx_text(v) for v in row] for row in uploads.read_sheet(data, field="berkas")
        ]
    elif name.endswith((".csv", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
        first = text.split("\n", 1)[0]
        try:
            records = uploads.read_csv(text, ";" if first.count(";") > first.count(",") else ",", field="berkas")
        except csv.Error:
            raise DomainError(
                "Berkas CSV tidak dapat dibaca. Simpan ulang dari Excel sebagai CSV.", field="berkas"
            ) from None
    else:
        raise DomainError("Unggah berkas CSV atau XLSX.", field="berkas")
    if not records:
        raise DomainError("Berkas kosong.", field="berkas")
    header = [h.strip().lower() for h in records[0]]
    missing = [c for c in ("nip", "potensial") if c not in header]
    if missing:
        raise DomainError(
            f"Kolom wajib tidak ada: {', '.join(missing)} (kolom: nip, potensial, dasar).", field="berkas"
        )
    rows = [
        (n, {h: (rec[i] if i < len(rec) else "") for i, h in enumerate(header) if h in IMPORT_COLUMNS})
        for n, rec in enumerate(records[1:], start=2)
        if any(c.strip() for c in rec)
    ]
    if not rows:
        raise DomainError("Berkas hanya berisi judul kolom, tanpa data.", field="berkas")
    return rows


def _xlsx_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and len(str(v)) > 15:
        return "#angka"  # Excel keeps 15 significant digits: an 18-digit NIP typed as a number is already damaged
    return str(v).strip()


def import_potensial(
    period: Period, rows: list[tuple[int, dict[str, str]]], actor: User
) -> tuple[int, list[tuple[int, str]]]:
    """Apply an uploaded potensial file, all or nothing: (rows changed, [(line, message)]).

    Every line is checked first (known NIP, valid level, NIP once per file); one bad line saves nothing.
    """
    nips = {r.get("nip", "").replace(" ", "") for _, r in rows}
    by_nip = {e.nip: e for e in db.session.scalars(select(Employee).where(Employee.nip.in_(nips)))}
    errors: list[tuple[int, str]] = []
    parsed: dict[int, tuple[Potensial, str]] = {}
    seen: dict[str, int] = {}
    for line, r in rows:
        nip = r.get("nip", "").replace(" ", "")
        if nip == "#angka":
            errors.append((line, "NIP tersimpan sebagai angka dan rusak oleh Excel; format kolom NIP sebagai teks."))
            continue
        emp = by_nip.get(nip)
        if emp is None:
            errors.append((line, f"NIP {nip or '(kosong)'} tidak dikenal."))
            continue
        if nip in seen:
            errors.append((line, f"NIP {nip} sudah ada di baris {seen[nip]}."))
            continue
        seen[nip] = line
        try:
            parsed[emp.id] = (parse_potensial(r.get("potensial")), r.get("dasar", ""))
        except DomainError as e:
            errors.append((line, e.message))
            continue
        if not (r.get("dasar") or "").strip():
            errors.append((line, "Kolom dasar (alasan penetapan manual) wajib diisi."))
    if errors:
        return 0, errors
    existing = _rows_of(period, list(parsed))
    changed = 0
    for emp_id, (level, dasar) in parsed.items():
        row = existing.get(emp_id)
        dasar = (dasar or "").strip()[:300] or None
        if row is not None and row.potensial == level and (dasar is None or row.dasar == dasar):
            continue
        row = _put(row, period, emp_id, level, actor)
        if dasar:
            row.dasar = dasar
        changed += 1
    db.session.flush()
    return changed, []
