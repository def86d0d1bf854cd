"""Standar kompetensi jabatan as XLSX: one row per post (export of the versions in force; import adds versions).

Columns: ID_JABATAN (wajib on import), JABATAN (information only), BERLAKU_MULAI (TTTT-BB-HH), DASAR_HUKUM,
KODE_JABATAN, KELOMPOK_JABATAN, URUSAN, IKHTISAR, one column per national competency code (required level 1–5;
blank = the jenis/jenjang default), TEKNIS ("KODE:level; …"), PENDIDIKAN, PELATIHAN, PENGALAMAN.
Import is all or nothing; a row identical to the version in force adds nothing."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import exports, uploads
from ...domain import DomainError
from ...domain.competency import NATIONAL_CODES, CompetencyGroup
from ...extensions import db
from ...models import Position, User
from .editing import check_standard_values, same_as, save_standard
from .standards import competency_map, standards_in_force

HEAD = ["ID_JABATAN", "JABATAN", "UNIT", "BERLAKU_MULAI", "DASAR_HUKUM", "KODE_JABATAN", "KELOMPOK_JABATAN", "URUSAN"]
TAIL = ["TEKNIS", "PENDIDIKAN", "PELATIHAN", "PENGALAMAN", "IKHTISAR"]
COLUMNS = HEAD + list(NATIONAL_CODES) + TAIL
TEXT_OF = {
    "KODE_JABATAN": "kode_jabatan",
    "KELOMPOK_JABATAN": "kelompok_jabatan",
    "URUSAN": "urusan",
    "IKHTISAR": "ikhtisar",
    "PENDIDIKAN": "pendidikan",
    "PELATIHAN": "pelatihan",
    "PENGALAMAN": "pengalaman",
}


def export_xlsx(on: date) -> bytes:
    positions = list(
        db.session.scalars(select(Position).options(joinedload(Position.unit)).order_by(Position.unit_id, Position.id))
    )
    standards = standards_in_force([p.id for p in positions], on)
    wb = exports.workbook(write_only=True)
    ws = wb.create_sheet("Standar")
    ws.append(exports.row(COLUMNS))
    for p in positions:
        s = standards.get(p.id)
        levels = {i.competency.code: i.required_level for i in s.items} if s else {}
        teknis = "; ".join(
            f"{i.competency.code}:{i.required_level}"
            for i in (s.items if s else [])
            if i.competency.group == CompetencyGroup.TEKNIS
        )
        ws.append(
            exports.row(
                [
                    p.id,
                    p.full_name,
                    p.unit.name,
                    s.berlaku_mulai.isoformat() if s else "",
                    s.dasar_hukum if s else "",
                    *(
                        getattr(s, TEXT_OF[c]) or "" if s else ""
                        for c in ("KODE_JABATAN", "KELOMPOK_JABATAN", "URUSAN")
                    ),
                    *(levels.get(c, "") for c in NATIONAL_CODES),
                    teknis,
                    *(
                        getattr(s, TEXT_OF[c]) or "" if s else ""
                        for c in ("PENDIDIKAN", "PELATIHAN", "PENGALAMAN", "IKHTISAR")
                    ),
                ]
            )
        )
    return exports.xlsx_bytes(wb)


def _date(v) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    text = str(v or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def import_xlsx(data: bytes, on: date, actor: User | None) -> tuple[int, list[tuple[int, str, str]]]:
    """(versions added, [(line, column, message)]); nothing is written while any error stands."""
    if not data or not data.startswith(b"PK\x03\x04"):
        raise DomainError("Unggah berkas XLSX hasil ekspor standar kompetensi.", field="berkas")
    records = uploads.read_sheet(data, field="berkas")
    if len(records) < 2:
        raise DomainError("Berkas tidak berisi baris data.", field="berkas")
    header = [_text(h).upper() for h in records[0]]
    if "ID_JABATAN" not in header:
        raise DomainError("Kolom ID_JABATAN wajib ada.", field="berkas")
    idx = {h: i for i, h in enumerate(header) if h}
    comps = competency_map()
    errors: list[tuple[int, str, str]] = []
    parsed = []
    rows = [(n, rec) for n, rec in enumerate(records[1:], start=2) if any(_text(v) for v in rec)]
    ids = []
    for _, rec in rows:
        try:
            ids.append(int(_text(rec[idx["ID_JABATAN"]])))
        except (ValueError, IndexError):
            ids.append(None)
    positions = {p.id: p for p in db.session.scalars(select(Position).where(Position.id.in_([i for i in ids if i])))}
    current = standards_in_force(list(positions), on)
    seen = set()
    for (line, rec), pid in zip(rows, ids, strict=True):

        def get(col: str, rec=rec):
            i = idx.get(col)
            return rec[i] if i is not None and i < len(rec) else None

        if pid is None or pid not in positions:
            errors.append((line, "ID_JABATAN", "ID jabatan tidak dikenal."))
            continue
        if pid in seen:
            errors.append((line, "ID_JABATAN", "Jabatan ini muncul lebih dari sekali."))
            continue
        seen.add(pid)
        if not any(_text(get(c)) for c in ["BERLAKU_MULAI", "DASAR_HUKUM", *NATIONAL_CODES, "TEKNIS"]):
            continue  # a post without a standard in the export: left alone
        try:
            berlaku = _date(get("BERLAKU_MULAI"))
        except ValueError:
            errors.append((line, "BERLAKU_MULAI", "Tanggal tidak sah (format: TTTT-BB-HH)."))
            continue
        values, errs = check_standard_values(
            {c: _text(get(c)) for c in NATIONAL_CODES},
            berlaku,
            _text(get("DASAR_HUKUM")),
            {f: _text(get(col)) for col, f in TEXT_OF.items()} | {"note": "Impor berkas XLSX"},
            comps,
            _text(get("TEKNIS")),
        )
        for col, msg in errs.items():
            errors.append((line, col.upper(), msg))
        if values is not None:
            parsed.append((positions[pid], values))
    if errors:
        return 0, errors
    added = 0
    for position, values in parsed:
        old = current.get(position.id)
        if same_as(old, values):
            continue
        save_standard(position, values, actor)
        added += 1
    return added, []
