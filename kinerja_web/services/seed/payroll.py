"""TPP status periods on demo employees (tugas belajar, hukuman disiplin)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import Employee, PayrollStatusPeriod, User


def seed_payroll_status_demo(today: date) -> int:
    """Two TPP status periods on demo employees that hold no demo account: a tugas belajar (open-ended,
    from the start of last month) and a hukuman disiplin ringan over this year, each with an SK. The
    tunjangan jabatan needs no seed: it comes from the rule table loaded by `flask payroll muat-aturan`."""

    taken = set(db.session.scalars(select(User.employee_id).where(User.employee_id.is_not(None))))
    ids = [i for i in db.session.scalars(select(Employee.id).order_by(Employee.id).limit(40)) if i not in taken]
    if len(ids) < 2 or db.session.scalar(select(PayrollStatusPeriod.id).limit(1)):
        return 0
    first_of_last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    db.session.add_all(
        [
            PayrollStatusPeriod(
                employee_id=ids[-1],
                kind="TUGAS_BELAJAR",
                mulai=first_of_last_month,
                dasar="SK Bupati 800/123/BKPSDM/" + str(today.year),
                alasan="Tugas belajar S2 (contoh data demo)",
            ),
            PayrollStatusPeriod(
                employee_id=ids[-2],
                kind="HUKDIS_RINGAN",
                mulai=date(today.year, 1, 1),
                sampai=date(today.year, 12, 31),
                dasar="SK 862/45/BKPSDM/" + str(today.year),
                alasan="Teguran tertulis PP 94/2021 (contoh data demo)",
            ),
        ]
    )
    db.session.flush()
    return 2
