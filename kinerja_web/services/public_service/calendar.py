"""The holiday calendar (national holidays, cuti bersama, local holidays): data kept by HR, importable from a
CSV/XLSX, read as a `domain.public_service.Calendar` for working-day arithmetic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ...domain import DomainError
from ...domain.public_service import Calendar, HolidayKind, normalize_header
from ...extensions import db
from ...models import Holiday
from . import files

KIND_WORDS = {
    "libur_nasional": HolidayKind.NATIONAL,
    "nasional": HolidayKind.NATIONAL,
    "libur nasional": HolidayKind.NATIONAL,
    "cuti_bersama": HolidayKind.CUTI_BERSAMA,
    "cuti bersama": HolidayKind.CUTI_BERSAMA,
    "libur_daerah": HolidayKind.LOCAL,
    "libur daerah": HolidayKind.LOCAL,
    "daerah": HolidayKind.LOCAL,
}


def calendar() -> Calendar:
    return Calendar(db.session.scalars(select(Holiday.day)))


def holidays(year: int | None = None) -> list[Holiday]:
    stmt = select(Holiday).order_by(Holiday.day)
    if year:
        stmt = stmt.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    return list(db.session.scalars(stmt))


def add_holiday(day: date, name: str, kind: HolidayKind | str) -> Holiday:
    if db.session.scalar(select(Holiday.id).where(Holiday.day == day)):
        raise DomainError("Tanggal itu sudah ada di kalender hari libur.", "day")
    holiday = Holiday(day=day, name=name.strip(), kind=HolidayKind(kind))
    db.session.add(holiday)
    db.session.flush()
    return holiday


def remove_holiday(holiday: Holiday) -> None:
    db.session.delete(holiday)
    db.session.flush()


@dataclass
class HolidayImport:
    added: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def import_holidays(filename: str, data: bytes) -> HolidayImport:
    """Columns TANGGAL, KETERANGAN, JENIS (libur nasional / cuti bersama / libur daerah). Every row is checked
    first; one bad row saves nothing and every bad row is named."""
    table = files.read_table(filename, data, max_rows=2000)
    cols = {normalize_header(h): i for i, h in enumerate(table.headers)}
    missing = [h for h in ("tanggal", "keterangan") if h not in cols]
    if missing:
        raise DomainError("Kolom wajib tidak ada: " + ", ".join(m.upper() for m in missing) + ".", "berkas")
    parsed: dict[date, tuple[str, HolidayKind]] = {}
    result = HolidayImport()
    for line, cells in table.rows:

        def get(name: str, cells: list[str] = cells) -> str:
            i = cols.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        day = files.parse_date(get("tanggal"))
        kind = KIND_WORDS.get(get("jenis").lower() or "libur nasional")
        if day is None:
            result.errors.append(f"Baris {line}: tanggal “{get('tanggal')}” tidak dikenali (TTTT-BB-HH).")
        elif kind is None:
            result.errors.append(
                f"Baris {line}: jenis “{get('jenis')}” harus libur nasional, cuti bersama atau libur daerah."
            )
        elif not get("keterangan"):
            result.errors.append(f"Baris {line}: keterangan wajib diisi.")
        elif day in parsed:
            result.errors.append(f"Baris {line}: tanggal {day.isoformat()} tertulis dua kali.")
        else:
            parsed[day] = (get("keterangan")[:150], kind)
    if result.errors:
        return result
    existing = {h.day: h for h in db.session.scalars(select(Holiday).where(Holiday.day.in_(list(parsed))))}
    for day, (name, kind) in parsed.items():
        if day in existing:
            existing[day].name, existing[day].kind = name, kind
            result.updated += 1
        else:
            db.session.add(Holiday(day=day, name=name, kind=kind))
            result.added += 1
    db.session.flush()
    return result
