"""JP (pengembangan kompetensi) records for SIASN's riwayat kursus: one row per JP ledger entry of the year."""

from __future__ import annotations

from sqlalchemy import select

from ...extensions import db
from ...models import Employee, JpEntry, Referral

FIELDS = ("nip", "nama", "judul", "penyelenggara", "jenis", "jp", "tahun", "tanggal", "tanggal_selesai")
LAYOUT = "siasn_kursus.csv"


def _d(value) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def records(year: int) -> list[dict[str, object]]:
    rows = db.session.execute(
        select(JpEntry, Employee, Referral)
        .join(Employee, Employee.id == JpEntry.employee_id)
        .outerjoin(Referral, Referral.id == JpEntry.referral_id)
        .where(JpEntry.year == year)
        .order_by(Employee.nip, JpEntry.on_date, JpEntry.id)
    ).all()
    out = []
    for entry, emp, referral in rows:
        start = referral.started_on if referral is not None and referral.started_on else entry.on_date
        end = referral.finished_on if referral is not None and referral.finished_on else entry.on_date
        out.append(
            {
                "nip": emp.nip,
                "nama": emp.full_name,
                "judul": entry.title,
                "penyelenggara": entry.provider or "",
                "jenis": entry.source.label,
                "jp": entry.jp,
                "tahun": entry.year,
                "tanggal": _d(start),
                "tanggal_selesai": _d(end),
            }
        )
    return out
