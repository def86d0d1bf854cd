"""Employee import rows: validate → upsert by NIP.

`build_preview` checks every row of a `Table` (`import_files.read_upload`) against the database, loaded set-wise
(a handful of queries for the whole file, never one per row), and decides per row baru / diubah / tidak berubah;
`apply_preview` writes the valid rows (flush only, the caller commits once: all or nothing); `import_rows` does
that and records it in the audit log.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ... import audit
from ...domain import DomainError
from ...domain import golongan as gol
from ...domain import nip as nipmod
from ...extensions import db
from ...models import AssignmentKind, Employee, Gender, Position, StatusAsn, Unit
from ...models.org import PTKP_STATUSES
from . import editing
from .import_files import BY_HEADER, COLUMNS, HEADER_OF, NUMERIC_NIP, Table, norm_header, parse_date

INLINE_LIMIT = 200  # larger confirmations run as a background job

# Fields compared with the stored employee to tell "diubah" from "tidak berubah" (the jabatan separately).
POSITION_FIELDS = {"unit_code", "position_name", "position_id", "position_start"}

COMPARED = tuple(c.field for c in COLUMNS if c.field != "nip" and c.field not in POSITION_FIELDS)

SERVICE_FIELD_HEADER = {
    "nip": "NIP",
    "birth_date": "TANGGAL_LAHIR",
    "gender": "JENIS_KELAMIN",
    "tmt_cpns": "TMT_CPNS",
    "golongan": "GOLONGAN",
    "tmt_golongan": "TMT_GOLONGAN",
    "position_start": "TMT_JABATAN",
}

ACTION_LABELS = {"new": "baru", "changed": "diubah", "unchanged": "tidak berubah"}

_STATUS = {"PNS": StatusAsn.PNS, "CPNS": StatusAsn.CPNS, "PPPK": StatusAsn.PPPK}

_GENDER = {
    "L": Gender.L,
    "1": Gender.L,
    "LAKI-LAKI": Gender.L,
    "LAKI LAKI": Gender.L,
    "LAKI": Gender.L,
    "PRIA": Gender.L,
    "P": Gender.P,
    "2": Gender.P,
    "PEREMPUAN": Gender.P,
    "WANITA": Gender.P,
}

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class RowResult:
    line: int
    nip: str
    name: str
    data: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)
    action: str | None = None  # new / changed / unchanged; None when the row has errors
    changed: list[str] = field(default_factory=list)  # headers of changed columns
    employee: Employee | None = None
    position: Position | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action or "", "salah")


@dataclass
class Preview:
    filename: str
    rows: list[RowResult]
    warnings: list[str]
    file_errors: list[str]
    _keep: list = field(default_factory=list, repr=False)  # strong refs: the identity map is weak

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def counts(self) -> dict[str, int]:
        c = {"new": 0, "changed": 0, "unchanged": 0, "invalid": 0}
        for r in self.rows:
            c[r.action or "invalid"] += 1
        return c

    @property
    def importable(self) -> int:
        c = self.counts
        return c["new"] + c["changed"]


def _chunks(items: list, size: int = 900) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _norm_name(s: str) -> str:
    return " ".join((s or "").split()).casefold()


def build_preview(table: Table, *, today: date) -> Preview:
    """Check every row and decide what importing it would do; reads the database set-wise, writes nothing."""
    columns: dict[str, int] = {}
    file_errors: list[str] = []
    warnings = list(table.warnings)
    unknown = []
    for idx, raw in enumerate(table.headers):
        key = norm_header(raw)
        if not key:
            continue
        if key not in BY_HEADER:
            unknown.append(raw)
        elif key in columns:
            file_errors.append(f"Kolom {key} muncul lebih dari sekali pada baris judul.")
        else:
            columns[key] = idx
    missing = [c.header for c in COLUMNS if c.required and c.header not in columns]
    if "JABATAN" not in columns and "ID_JABATAN" not in columns:
        missing.append("JABATAN (atau ID_JABATAN)")
    if missing:
        file_errors.append(
            "Kolom wajib tidak ada: " + ", ".join(missing) + ". Periksa baris judul (baris 1) atau gunakan templat."
        )
    if unknown:
        warnings.append("Kolom berikut tidak dikenal dan diabaikan: " + ", ".join(unknown[:15]) + ".")
    if file_errors:
        return Preview(table.filename, [], warnings, file_errors)

    rows = [_parse_row(line, cells, columns) for line, cells in table.rows]

    # Duplicates within the file: every occurrence is wrong, since we cannot tell which one is right.
    lines_by_nip: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.nip:
            lines_by_nip[r.nip].append(r.line)
    for r in rows:
        others = [n for n in lines_by_nip.get(r.nip, []) if n != r.line]
        if others:
            r.errors.append(("NIP", f"NIP sama dengan baris {', '.join(map(str, others[:5]))} di berkas ini."))

    # Set-wise lookups: units, positions, the file's existing employees (with their riwayat jabatan).
    units = {code.upper(): uid for uid, code in db.session.execute(select(Unit.id, Unit.code))}
    positions = list(db.session.scalars(select(Position)))
    pos_by_id = {p.id: p for p in positions}
    by_unit_name: dict[tuple[int, str], list[Position]] = defaultdict(list)
    for p in positions:
        by_unit_name[p.unit_id, _norm_name(p.name)].append(p)
        if p.jenjang:
            by_unit_name[p.unit_id, _norm_name(f"{p.name} {p.jenjang}")].append(p)
    occupied = set(db.session.scalars(select(Employee.position_id).where(Employee.position_id.is_not(None)).distinct()))
    nips = list(lines_by_nip)
    existing: dict[str, Employee] = {}
    for part in _chunks(nips):
        for emp in db.session.scalars(
            select(Employee).where(Employee.nip.in_(part)).options(selectinload(Employee.assignments))
        ):
            existing[emp.nip] = emp
    nip_owners = {nip: emp.id for nip, emp in existing.items()}

    for r in rows:
        emp = existing.get(r.nip)
        r.employee = emp
        if r.nip and not any(col == "NIP" for col, _ in r.errors):
            for fld, message in editing.validate_fields(
                r.data, existing_id=emp.id if emp else None, nip_owners=nip_owners
            ):
                r.errors.append((SERVICE_FIELD_HEADER.get(fld, fld.upper()), message))
        _resolve_position(r, columns, units, pos_by_id, by_unit_name, occupied)
        if r.errors:
            continue
        r.data["golongan"] = gol.normalize(r.data["golongan"])
        if emp is None:
            r.action = "new"
            continue
        for key in COMPARED:
            if key in r.data and (r.data[key] if r.data[key] != "" else None) != getattr(emp, key):
                r.changed.append(HEADER_OF[key])
        if r.position is not None and r.position.id != emp.position_id:
            r.changed.append("JABATAN")
            start = r.data.get("position_start") or today
            running = [
                a.start_date for a in emp.assignments if a.kind == AssignmentKind.DEFINITIF and a.end_date is None
            ]
            if running and max(running) >= start:
                r.errors.append(
                    (
                        "TMT_JABATAN",
                        f"Jabatan berubah, tetapi jabatan sekarang baru dimulai {max(running):%d-%m-%Y}; "
                        "isi TMT_JABATAN setelah tanggal itu.",
                    )
                )
                continue
        r.action = "changed" if r.changed else "unchanged"
    for r in rows:
        if r.errors:
            r.action = None
    return Preview(table.filename, rows, warnings, [], [positions, list(existing.values())])


def _parse_row(line: int, cells: list[str], columns: dict[str, int]) -> RowResult:
    def cell(header: str) -> str:
        idx = columns.get(header)
        return cells[idx].strip() if idx is not None and idx < len(cells) else ""

    errors: list[tuple[str, str]] = []
    data: dict = {}
    for col in COLUMNS:
        if col.header not in columns:
            continue
        raw = cell(col.header)
        if raw == "":
            if col.required:
                errors.append((col.header, "Wajib diisi."))
            elif col.kind == "int" and col.field.startswith("mkg_"):
                data[col.field] = 0
            else:
                data[col.field] = None
            continue
        if col.max_length and len(raw) > col.max_length and col.kind != "nip":
            errors.append((col.header, f"Terlalu panjang: maksimal {col.max_length} karakter."))
            continue
        if col.kind == "nip":
            if raw == NUMERIC_NIP:
                errors.append(
                    (
                        col.header,
                        "NIP tersimpan sebagai angka di Excel sehingga angka terakhirnya hilang; "
                        "format kolom NIP sebagai Teks lalu isi ulang.",
                    )
                )
                continue
            value = nipmod.normalize(raw)
            if len(value) > 18 or not value.isdigit():
                errors.append((col.header, "NIP harus terdiri dari 18 angka."))
                continue
            data["nip"] = value
        elif col.kind == "status":
            value = _STATUS.get(raw.upper())
            if value is None:
                errors.append((col.header, f"“{raw}” bukan status ASN; isi PNS, CPNS atau PPPK."))
                continue
            data[col.field] = value
        elif col.kind == "gender":
            value = _GENDER.get(raw.upper())
            if value is None:
                errors.append((col.header, f"“{raw}” tidak dikenal; isi L atau P (atau 1/2, Laki-laki/Perempuan)."))
                continue
            data[col.field] = value
        elif col.kind == "date":
            try:
                data[col.field] = parse_date(raw)
            except ValueError:
                errors.append((col.header, f"Tanggal “{raw}” tidak sah; gunakan TTTT-BB-HH atau HH-BB-TTTT."))
        elif col.kind == "int":
            try:
                value = int(raw)
            except ValueError:
                errors.append((col.header, f"“{raw}” bukan bilangan bulat."))
                continue
            if col.field == "mkg_years" and not 0 <= value <= 45:
                errors.append((col.header, "Masa kerja golongan 0–45 tahun."))
                continue
            if col.field == "mkg_months" and not 0 <= value <= 11:
                errors.append((col.header, "Bulan masa kerja 0–11."))
                continue
            data[col.field] = value
        elif col.kind == "ptkp":
            value = raw.upper().replace(" ", "")
            if "/" not in value and len(value) >= 2:
                value = f"{value[:-1]}/{value[-1]}"
            if value not in PTKP_STATUSES:
                errors.append((col.header, f"Status PTKP “{raw}” tidak dikenal; isi TK/0–TK/3 atau K/0–K/3."))
                continue
            data[col.field] = value
        elif col.kind == "email":
            if not _EMAIL.fullmatch(raw):
                errors.append((col.header, f"Alamat surel “{raw}” tidak sah."))
                continue
            data[col.field] = raw
        else:
            data[col.field] = raw
    nip = data.get("nip", "")
    return RowResult(line, nip, data.get("name") or "", data, errors)


def _resolve_position(
    r: RowResult,
    columns: dict[str, int],
    units: dict[str, int],
    pos_by_id: dict[int, Position],
    by_unit_name: dict[tuple[int, str], list[Position]],
    occupied: set[int],
) -> None:
    """Find the jabatan named by ID_JABATAN, or by KODE_UNIT + JABATAN (prefer the employee's own, then a vacant post)."""
    code = r.data.pop("unit_code", None)
    pos_id = r.data.pop("position_id", None)
    pos_name = r.data.pop("position_name", None)
    if code is None:
        return  # already reported as missing
    unit_id = units.get(code.upper())
    if unit_id is None:
        r.errors.append(("KODE_UNIT", f"Unit kerja dengan kode “{code}” tidak ada di Kinerja."))
        return
    if pos_id is not None:
        pos = pos_by_id.get(pos_id)
        if pos is None:
            r.errors.append(("ID_JABATAN", f"Jabatan nomor {pos_id} tidak ada."))
        elif pos.unit_id != unit_id:
            r.errors.append(("ID_JABATAN", f"Jabatan nomor {pos_id} bukan jabatan di unit {code}."))
        else:
            r.position = pos
        return
    if not pos_name:
        r.errors.append(("JABATAN", "Wajib diisi (atau isi ID_JABATAN)."))
        return
    candidates = by_unit_name.get((unit_id, _norm_name(pos_name)), [])
    if not candidates:
        r.errors.append(("JABATAN", f"Jabatan “{pos_name}” tidak ada di unit {code}."))
        return
    own = r.employee.position_id if r.employee else None
    chosen = next((p for p in candidates if p.id == own), None)
    if chosen is None:
        vacant = [p for p in candidates if p.id not in occupied]
        if vacant:
            chosen = min(vacant, key=lambda p: p.id)
            occupied.add(chosen.id)  # the next row naming the same post gets another vacant one
        elif any(p.is_leader for p in candidates):
            r.errors.append(("JABATAN", f"Jabatan “{pos_name}” di unit {code} sudah terisi pejabat lain."))
            return
        else:
            chosen = min(candidates, key=lambda p: p.id)
    r.position = chosen


def apply_preview(
    preview: Preview,
    *,
    skip_invalid: bool,
    today: date,
    flush_every: int | None = 500,
    on_progress: Callable[[int, int, bool], None] | None = None,
) -> dict[str, int]:
    """Upsert the valid rows by NIP (flushes; the caller commits once). Unchanged rows are not touched.

    Raises DomainError when the file still has errors and `skip_invalid` is not set: all or nothing.
    `flush_every=None` writes everything in one final flush: on SQLite (one writer at a time) a pending
    write would lock out the job's progress updates. `on_progress(done, total, flushed)` follows the rows.
    """
    bad = preview.bad_rows
    if preview.file_errors:
        raise DomainError("Berkas tidak dapat diimpor: " + " ".join(preview.file_errors))
    if bad and not skip_invalid:
        raise DomainError(
            f"Berkas berisi {len(bad)} baris yang salah; tidak ada data yang diimpor. "
            "Perbaiki berkas lalu unggah ulang, atau centang “lewati baris yang salah”."
        )
    todo = [r for r in preview.rows if r.action in ("new", "changed")]
    total = len(todo)
    with db.session.no_autoflush:
        for i, r in enumerate(todo, start=1):
            emp = r.employee
            if emp is None:
                emp = Employee()
                db.session.add(emp)
            data = {**r.data, "position_id": r.position.id if r.position else None}
            editing.apply_fields(emp, data, today=today)
            flushed = bool(flush_every) and (i % flush_every == 0 or i == total)
            if flushed:
                db.session.flush()
            if on_progress:
                on_progress(i, total, flushed)
    db.session.flush()
    c = preview.counts
    return {"baru": c["new"], "diubah": c["changed"], "tidak_berubah": c["unchanged"], "dilewati": c["invalid"]}


def summary_text(filename: str, counts: dict[str, int]) -> str:
    return (
        f"Impor pegawai dari {filename}: {counts['baru']} baru, {counts['diubah']} diubah, "
        f"{counts['tidak_berubah']} tidak berubah, {counts['dilewati']} baris salah dilewati."
    )


def unit_codes() -> list[tuple[str, str]]:
    """(code, name) of every unit, in tree order, for the KODE_UNIT help list."""
    return [(u.code, u.name) for u in db.session.execute(select(Unit.code, Unit.name).order_by(Unit.code))]


def import_rows(preview: Preview, *, skip_invalid: bool, today: date, **kwargs) -> dict[str, int]:
    """Write the preview's valid rows and record the import in the audit log (flush only, the caller commits)."""
    counts = apply_preview(preview, skip_invalid=skip_invalid, today=today, **kwargs)
    audit.record(
        db.session,
        "import",
        "employee",
        None,
        summary_text(preview.filename, counts),
        after={"berkas": preview.filename, **counts},
    )
    db.session.flush()
    return counts
