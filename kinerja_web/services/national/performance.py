"""SKP results and predikat per period for e-Kinerja/SIASN: one row per final rating (annual and periodic)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Employee, JpEntry, PerformanceRating, Period, RatingStatus
from ...models.rating import ANNUAL
from . import layouts

FIELDS = (
    "nip",
    "nama",
    "tahun",
    "periode",
    "bulan_mulai",
    "tahun_mulai",
    "bulan_selesai",
    "tahun_selesai",
    "hasil_kerja",
    "hasil_kerja_kode",
    "perilaku_kerja",
    "perilaku_kerja_kode",
    "predikat",
    "predikat_kode",
    "penilai_nip",
    "penilai_nama",
    "penilai_jabatan",
    "penilai_unit",
    "penilai_golongan",
    "status_penilai",
)
LAYOUT = "siasn_kinerja.csv"


def years(today: date) -> list[int]:
    """The years to offer: every performance period's and JP ledger's year, and this year, newest first."""
    found = set(db.session.scalars(select(Period.year))) | set(db.session.scalars(select(JpEntry.year).distinct()))
    return sorted(found | {today.year}, reverse=True)


def records(year: int) -> list[dict[str, object]]:
    """Every final rating of the year's period, annual first, by NIP; codes from `siasn_kode.csv`."""
    code = layouts.codes()
    rows = db.session.execute(
        select(PerformanceRating, Employee, Period)
        .join(Employee, Employee.id == PerformanceRating.employee_id)
        .join(Period, Period.id == PerformanceRating.period_id)
        .where(Period.year == year, PerformanceRating.status == RatingStatus.FINAL)
        .order_by(Employee.nip, PerformanceRating.window_no)
    ).all()
    appraiser_ids = {r.appraiser_id for r, _, _ in rows if r.appraiser_id}
    appraisers = {
        e.id: e
        for e in db.session.scalars(
            select(Employee)
            .where(Employee.id.in_(appraiser_ids))
            .options(joinedload(Employee.position), joinedload(Employee.unit))
        )
    }
    out = []
    for rating, emp, period in rows:
        if rating.window_no == ANNUAL:
            label, start, end = "Tahunan", period.start_date, period.end_date
        else:
            window = next((w for w in period.windows if w.index == rating.window_no), None)
            if window is None:
                continue  # a window the period no longer has (its dates changed): nothing to report honestly
            label, start, end = window.label, window.start, window.end
        boss = appraisers.get(rating.appraiser_id)
        out.append(
            {
                "nip": emp.nip,
                "nama": emp.full_name,
                "tahun": period.year,
                "periode": label,
                "bulan_mulai": start.month,
                "tahun_mulai": start.year,
                "bulan_selesai": end.month,
                "tahun_selesai": end.year,
                "hasil_kerja": rating.hasil_kerja.label,
                "hasil_kerja_kode": code.get(("ekspektasi", rating.hasil_kerja.value), ""),
                "perilaku_kerja": rating.perilaku_kerja.label,
                "perilaku_kerja_kode": code.get(("ekspektasi", rating.perilaku_kerja.value), ""),
                "predikat": rating.predikat.label,
                "predikat_kode": code.get(("predikat", rating.predikat.value), ""),
                "penilai_nip": boss.nip if boss else "",
                "penilai_nama": boss.full_name if boss else "",
                "penilai_jabatan": boss.position.full_name if boss and boss.position else "",
                "penilai_unit": boss.unit.name if boss and boss.unit else "",
                "penilai_golongan": boss.golongan if boss else "",
                "status_penilai": "ASN" if boss else "",
            }
        )
    return out
