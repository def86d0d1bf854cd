"""The provider's result file (XLSX): upload → preview with per-row/per-column errors → confirm, all or nothing.

Columns (header row, case-insensitive; order free) — documented on the upload page and in the template:
  NIP (wajib), one column per competency code (INT, KS, KOM, OPH, PP, PDOL, MP, PK, PB: wajib; a teknis code of
  the dictionary: optional), KEKUATAN, REKOMENDASI (optional). Levels 1–5 in half steps ("2,5" or 2.5).
Idempotent by event + NIP: a second import of the same file changes nothing, a corrected file replaces the
levels of the participants it names. An unknown column is a column error; nothing is saved while any error stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from ... import exports, uploads
from ...domain import DomainError
from ...domain.competency import NATIONAL_CODES, CompetencyGroup, parse_level, to_x2
from ...domain.nip import normalize as normalize_nip
from ...extensions import db
from ...models import AssessmentEvent, AssessmentParticipant, AssessmentResult, Employee, Position, utcnow
from ..employees.import_files import Table
from .jpm import evaluate
from .standards import competency_map, required_levels_many, rule_in_force

TEXT_COLUMNS = {"KEKUATAN": "strengths", "REKOMENDASI": "recommendations"}
MAX_TEXT = 5000


@dataclass
class PreviewRow:
    line: int
    nip: str
    employee_id: int | None = None
    name: str = ""
    levels: dict[str, Decimal] = field(default_factory=dict)
    texts: dict[str, str | None] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    action: str = "new"  # new | changed | same
    required: dict[str, int] = field(default_factory=dict)  # filled when written (snapshot)


@dataclass
class Preview:
    rows: list[PreviewRow]
    column_errors: list[tuple[str, str]]
    codes: list[str]

    @property
    def bad_rows(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.errors]

    @property
    def ok(self) -> bool:
        return not self.column_errors and not self.bad_rows and bool(self.rows)

    @property
    def counts(self) -> dict[str, int]:
        out = {"new": 0, "changed": 0, "same": 0, "error": len(self.bad_rows)}
        for r in self.rows:
            if not r.errors:
                out[r.action] += 1
        return out


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer():
            v = int(v)
        else:
            return repr(v)
    if isinstance(v, int) and len(str(v)) > 15:
        return "#angka"
    return str(v).strip()


def read_file(filename: str, data: bytes) -> Table:
    """The first sheet of an XLSX as strings; DomainError(field="berkas") when it cannot be read at all."""
    if not data:
        raise DomainError("Berkas kosong.", field="berkas")
    if not ((filename or "").lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04")):
        raise DomainError("Unggah berkas XLSX dari penyelenggara penilaian.", field="berkas")
    records = uploads.read_sheet(data, field="berkas")
    if not records:
        raise DomainError("Berkas kosong.", field="berkas")
    headers = [_cell(h).upper() for h in records[0]]
    rows = [(n, [_cell(v) for v in rec]) for n, rec in enumerate(records[1:], start=2) if any(_cell(v) for v in rec)]
    if not rows:
        raise DomainError("Berkas hanya berisi judul kolom, tanpa data.", field="berkas")
    return Table(filename or "hasil.xlsx", headers, rows)


def build_preview(event: AssessmentEvent, table: Table) -> Preview:
    """Check every cell; constant number of queries whatever the number of rows."""
    comps = competency_map()
    column_errors: list[tuple[str, str]] = []
    col_of: dict[str, int] = {}
    for i, h in enumerate(table.headers):
        if not h:
            continue
        if h in col_of:
            column_errors.append((h, f"Kolom {h} muncul dua kali."))
        elif h == "NIP" or h in TEXT_COLUMNS or h in comps or h == "NAMA":
            col_of[h] = i
        else:
            column_errors.append((h, f"Kolom {h} bukan kode kompetensi yang dikenal (lihat daftar kolom)."))
    if "NIP" not in col_of:
        column_errors.append(("NIP", "Kolom NIP wajib ada."))
    for code in NATIONAL_CODES:
        if code not in col_of:
            column_errors.append((code, f"Kolom {code} ({comps[code].name if code in comps else code}) wajib ada."))
    codes = [h for h in col_of if h in comps]
    nips = []
    for _, cells in table.rows:
        raw = cells[col_of["NIP"]] if "NIP" in col_of and col_of["NIP"] < len(cells) else ""
        nips.append(normalize_nip(raw) if raw else "")
    employees = {
        nip: (eid, name)
        for eid, nip, name in db.session.execute(
            select(Employee.id, Employee.nip, Employee.name).where(Employee.nip.in_([n for n in nips if n]))
        )
    }
    existing = _existing_levels(event)
    rows: list[PreviewRow] = []
    seen: dict[str, int] = {}
    for (line, cells), nip in zip(table.rows, nips, strict=True):
        row = PreviewRow(line, nip)

        def get(col: str, cells: list[str] = cells) -> str:
            i = col_of.get(col)
            return cells[i] if i is not None and i < len(cells) else ""

        if not nip:
            row.errors.append(("NIP", "NIP wajib diisi."))
        elif get("NIP") == "#angka":
            row.errors.append(("NIP", "NIP tersimpan sebagai angka dan sudah rusak: format kolom NIP sebagai teks."))
        elif nip in seen:
            row.errors.append(("NIP", f"NIP ini sudah ada di baris {seen[nip]}."))
        elif nip not in employees:
            row.errors.append(("NIP", f"NIP {nip} tidak dikenal di Kinerja."))
        else:
            row.employee_id, row.name = employees[nip]
            seen[nip] = line
        for code in codes:
            raw = get(code)
            if not raw and comps[code].group == CompetencyGroup.TEKNIS:
                continue
            try:
                row.levels[code] = parse_level(raw)
            except DomainError as e:
                row.errors.append((code, e.message))
        for col, attr in TEXT_COLUMNS.items():
            text = get(col)
            if len(text) > MAX_TEXT:
                row.errors.append((col, f"Maksimal {MAX_TEXT} karakter."))
            row.texts[attr] = text or None
        if row.employee_id is not None and not row.errors:
            before = existing.get(row.employee_id)
            if before is None:
                row.action = "new"
            elif before == ({c: to_x2(v) for c, v in row.levels.items()}, row.texts):
                row.action = "same"
            else:
                row.action = "changed"
        rows.append(row)
    return Preview(rows, column_errors, codes)


def _existing_levels(event: AssessmentEvent) -> dict[int, tuple[dict[str, int], dict[str, str | None]]]:
    """employee id → (levels ×2 per code, texts) of the event's participants (two queries)."""
    parts = {
        pid: (eid, {"strengths": s, "recommendations": r})
        for pid, eid, s, r in db.session.execute(
            select(
                AssessmentParticipant.id,
                AssessmentParticipant.employee_id,
                AssessmentParticipant.strengths,
                AssessmentParticipant.recommendations,
            ).where(AssessmentParticipant.event_id == event.id)
        )
    }
    codes = {c.id: c.code for c in competency_map().values()}
    levels: dict[int, dict[str, int]] = {pid: {} for pid in parts}
    if parts:
        for pid, cid, x2 in db.session.execute(
            select(AssessmentResult.participant_id, AssessmentResult.competency_id, AssessmentResult.level_x2)
            .join(AssessmentParticipant)
            .where(AssessmentParticipant.event_id == event.id)
        ):
            levels[pid][codes[cid]] = x2
    return {eid: (levels[pid], texts) for pid, (eid, texts) in parts.items()}


def apply(event: AssessmentEvent, preview: Preview) -> dict[str, int]:
    """Write a clean preview: new participants added, changed ones replaced, unchanged ones left alone.
    Refuses (DomainError) when any error stands: all or nothing. Finalises and snapshots every written row."""
    if not preview.ok:
        raise DomainError("Berkas masih berisi kesalahan; tidak ada data yang disimpan.", field="berkas")
    comps = competency_map()
    wanted = [r for r in preview.rows if r.action != "same"]
    by_emp = {
        p.employee_id: p
        for p in db.session.scalars(
            select(AssessmentParticipant).where(
                AssessmentParticipant.event_id == event.id,
                AssessmentParticipant.employee_id.in_([r.employee_id for r in wanted]),
            )
        )
    }
    emp_pos = dict(
        db.session.execute(
            select(Employee.id, Employee.position_id).where(Employee.id.in_([r.employee_id for r in wanted]))
        ).all()
    )
    if by_emp:  # changed rows: their old levels go (one statement)
        db.session.execute(
            AssessmentResult.__table__.delete().where(
                AssessmentResult.participant_id.in_([p.id for p in by_emp.values()])
            )
        )
    on = event.held_on
    _, rule = rule_in_force(on)
    pos_ids = {
        by_emp[r.employee_id].position_id if r.employee_id in by_emp else emp_pos.get(r.employee_id) for r in wanted
    }
    positions = list(db.session.scalars(select(Position).where(Position.id.in_([p for p in pos_ids if p]))))
    required = required_levels_many(positions, on, rule)
    now = utcnow()
    for r in wanted:
        p = by_emp.get(r.employee_id)
        if p is None:
            p = AssessmentParticipant(
                event_id=event.id, employee_id=r.employee_id, position_id=emp_pos.get(r.employee_id)
            )
            db.session.add(p)
        p.strengths, p.recommendations = r.texts.get("strengths"), r.texts.get("recommendations")
        p.finalised_at, p.updated_at = p.finalised_at or now, now
        req = required.get(p.position_id)
        r.required = req.all if req is not None else {}
        if req is not None:
            value, kat = evaluate(r.levels, req, rule)
            p.jpm_bp, p.kategori = int(value * 100), kat
        by_emp[r.employee_id] = p
    db.session.flush()
    values = [
        {
            "participant_id": by_emp[r.employee_id].id,
            "competency_id": comps[c].id,
            "level_x2": to_x2(v),
            "required_level": r.required.get(c),
        }
        for r in wanted
        for c, v in r.levels.items()
    ]
    if values:
        db.session.execute(AssessmentResult.__table__.insert(), values)
    db.session.expire_all()
    counts = preview.counts
    return {"new": counts["new"], "changed": counts["changed"], "same": counts["same"]}


def template_xlsx(codes: Sequence[str] = NATIONAL_CODES) -> bytes:
    wb = exports.workbook()
    ws = wb.active
    ws.title = "Hasil"
    ws.append(["NIP", "NAMA", *codes, "KEKUATAN", "REKOMENDASI"])
    return exports.xlsx_bytes(wb)
