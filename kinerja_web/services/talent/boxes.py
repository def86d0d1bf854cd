"""Talent mapping (9-box): kinerja from the final predikat × potensial entered by HR (PermenPANRB 3/2020).

`talent_box(employee_id, period_id)` is the entry point other areas call (training referrals: "top box →
talent pool"). The grid functions read a whole OPD in a constant number of queries. Functions flush, never commit.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, true
from sqlalchemy.orm import joinedload

from ... import uploads
from ...domain import DomainError
from ...domain.predikat import Predikat
from ...domain.talent import BARIS_POTENSIAL, KOLOM_KINERJA, KotakTalenta, Potensial, kotak, kotak_talenta, posisi
from ...extensions import db
from ...models import ANNUAL, Employee, PerformanceRating, Period, RatingStatus, TalentPotensial, Unit, UnitKind, User

POTENSIAL_TIDAK_SAH = "Potensial harus salah satu dari: Rendah, Menengah, Tinggi."


def final_predikat(employee_id: int, period_id: int) -> Predikat | None:
    """The final annual predikat of the period (a draft does not place anyone on the 9-box)."""
    return db.session.scalar(
        select(PerformanceRating.predikat).where(
            PerformanceRating.employee_id == employee_id,
            PerformanceRating.period_id == period_id,
            PerformanceRating.window_no == ANNUAL,
            PerformanceRating.status == RatingStatus.FINAL,
        )
    )


def potensial_of(employee_id: int, period_id: int) -> TalentPotensial | None:
    return db.session.scalars(
        select(TalentPotensial).where(
            TalentPotensial.employee_id == employee_id, TalentPotensial.period_id == period_id
        )
    ).first()


def talent_box(employee_id: int, period_id: int) -> KotakTalenta | None:
    """The employee's 9-box position for the period, or None while the final predikat or the potensial is missing.

    Boxes 7–9 are the talent pool (`KotakTalenta.talent_pool`; domain reference §3.3).
    """
    p = final_predikat(employee_id, period_id)
    pot = potensial_of(employee_id, period_id)
    if p is None or pot is None:
        return None
    return posisi(p, pot.potensial)


def talent_boxes(period_id: int, employee_ids: Sequence[int] | None = None) -> dict[int, KotakTalenta]:
    """`talent_box` for a whole population: employee id → box, for everyone with both a final annual predikat
    and a potensial in the period (two queries, whatever the number of employees; None = everyone)."""
    rating_filter = true() if employee_ids is None else PerformanceRating.employee_id.in_(list(employee_ids))
    potensial_filter = true() if employee_ids is None else TalentPotensial.employee_id.in_(list(employee_ids))
    potensial = dict(
        db.session.execute(
            select(TalentPotensial.employee_id, TalentPotensial.potensial).where(
                potensial_filter, TalentPotensial.period_id == period_id
            )
        ).all()
    )
    if not potensial:
        return {}
    rows = db.session.execute(
        select(PerformanceRating.employee_id, PerformanceRating.predikat).where(
            rating_filter,
            PerformanceRating.period_id == period_id,
            PerformanceRating.window_no == ANNUAL,
            PerformanceRating.status == RatingStatus.FINAL,
        )
    ).all()
    return {eid: posisi(p, potensial[eid]) for eid, p in rows if eid in potensial}


def kotak_by_employee(period_id: int) -> dict[int, int]:
    """Box numbers of the period's population, the map award suggestions take (`awards.generate_suggestions`)."""
    return {eid: box.nomor for eid, box in talent_boxes(period_id).items()}


# --- HR entry -------------------------------------------------------------------------------------------


def parse_potensial(raw: str | None) -> Potensial:
    try:
        return Potensial((raw or "").strip().lower())
    except ValueError:
        raise DomainError(POTENSIAL_TIDAK_SAH, field="potensial") from None


def set_potensial(
    employee: Employee, period: Period, potensial: Potensial, actor: User, dasar: str | None = None
) -> TalentPotensial:
    """Create or update the potensial of one employee for one period (audited through the model)."""
    row = potensial_of(employee.id, period.id)
    if row is None:
        row = TalentPotensial(employee_id=employee.id, period_id=period.id)
        db.session.add(row)
    row.potensial = Potensial(potensial)
    row.dasar = (dasar or "").strip()[:300] or None
    row.set_by_id = actor.id
    db.session.flush()
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
    existing = {
        r.employee_id: r
        for r in db.session.scalars(
            select(TalentPotensial).where(
                TalentPotensial.period_id == period.id, TalentPotensial.employee_id.in_(list(parsed))
            )
        )
    }
    changed = 0
    for emp_id, level in parsed.items():
        row = existing.get(emp_id)
        if row is not None and row.potensial == level:
            continue  # unchanged rows are not rewritten (no empty audit entries)
        if row is None:
            row = TalentPotensial(employee_id=emp_id, period_id=period.id)
            db.session.add(row)
        row.potensial, row.set_by_id = level, actor.id
        if dasar and dasar.strip():
            row.dasar = dasar.strip()[:300]
        changed += 1
    db.session.flush()
    return changed, {}


# --- the grid ------------------------------------------------------------------------------------------


def opds() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD).order_by(Unit.name)))


def subtree_ids(unit: Unit) -> list[int]:
    """The unit and every unit below it (one query per tree level)."""
    ids, frontier = [unit.id], [unit.id]
    while frontier:
        frontier = list(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids.extend(frontier)
    return ids


@dataclass(frozen=True)
class TalentRow:
    employee: Employee
    predikat: Predikat | None
    potensial: TalentPotensial | None
    box: KotakTalenta | None


def employees_of(opd: Unit | None) -> list[Employee]:
    stmt = (
        select(Employee)
        .where(Employee.active.is_(True))
        .options(joinedload(Employee.position), joinedload(Employee.unit))
        .order_by(Employee.name, Employee.id)
    )
    if opd is not None:
        stmt = stmt.where(Employee.unit_id.in_(subtree_ids(opd)))
    return list(db.session.scalars(stmt))


def talent_rows(period: Period, opd: Unit | None) -> list[TalentRow]:
    """Every active employee of the OPD (or all OPDs) with final predikat, potensial and box: three queries."""
    employees = employees_of(opd)
    ids = [e.id for e in employees]
    if opd is None:  # the whole regency: filter by period only, not by a long id list
        rating_filter = potensial_filter = true()
    else:
        rating_filter = PerformanceRating.employee_id.in_(ids)
        potensial_filter = TalentPotensial.employee_id.in_(ids)
    predikat = dict(
        db.session.execute(
            select(PerformanceRating.employee_id, PerformanceRating.predikat).where(
                rating_filter,
                PerformanceRating.period_id == period.id,
                PerformanceRating.window_no == ANNUAL,
                PerformanceRating.status == RatingStatus.FINAL,
            )
        ).all()
    )
    potensial = {
        r.employee_id: r
        for r in db.session.scalars(
            select(TalentPotensial).where(potensial_filter, TalentPotensial.period_id == period.id)
        )
    }
    rows = []
    for e in employees:
        p, pot = predikat.get(e.id), potensial.get(e.id)
        rows.append(TalentRow(e, p, pot, posisi(p, pot.potensial) if p is not None and pot is not None else None))
    return rows


@dataclass(frozen=True)
class GridCell:
    box: KotakTalenta
    count: int


@dataclass(frozen=True)
class TalentGrid:
    rows: tuple[tuple[Potensial, tuple[GridCell, ...]], ...]  # top (Tinggi) to bottom
    columns: tuple = KOLOM_KINERJA
    placed: int = 0
    without_predikat: int = 0
    without_potensial: int = 0
    pool: int = 0
    members: dict[int, list[TalentRow]] = field(default_factory=dict)


def grid(rows: Sequence[TalentRow]) -> TalentGrid:
    """Counts per box in the Lampiran's layout (box 9 top right), and who is missing which axis."""
    members: dict[int, list[TalentRow]] = {n: [] for n in range(1, 10)}
    for r in rows:
        if r.box is not None:
            members[r.box.nomor].append(r)
    cells = tuple(
        (pot, tuple(GridCell(kotak(kotak_talenta(k, pot)), len(members[kotak_talenta(k, pot)])) for k in KOLOM_KINERJA))
        for pot in BARIS_POTENSIAL
    )
    return TalentGrid(
        rows=cells,
        placed=sum(len(v) for v in members.values()),
        without_predikat=sum(1 for r in rows if r.predikat is None),
        without_potensial=sum(1 for r in rows if r.potensial is None),
        pool=sum(len(members[n]) for n in (7, 8, 9)),
        members=members,
    )


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
    if errors:
        return 0, errors
    existing = {
        r.employee_id: r
        for r in db.session.scalars(
            select(TalentPotensial).where(
                TalentPotensial.period_id == period.id, TalentPotensial.employee_id.in_(list(parsed))
            )
        )
    }
    changed = 0
    for emp_id, (level, dasar) in parsed.items():
        row = existing.get(emp_id)
        dasar = (dasar or "").strip()[:300] or None
        if row is not None and row.potensial == level and (dasar is None or row.dasar == dasar):
            continue
        if row is None:
            row = TalentPotensial(employee_id=emp_id, period_id=period.id)
            db.session.add(row)
        row.potensial, row.set_by_id = level, actor.id
        if dasar:
            row.dasar = dasar
        changed += 1
    db.session.flush()
    return changed, []
