"""TPP status periods (cuti, tugas belajar, hukuman disiplin, ...): adding, ending, listing per month."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select

from ...domain import DomainError
from ...domain.labels import tanggal
from ...domain.payroll import (
    default_rules,
)
from ...domain.payroll.defaults import LABEL_STATUS_TPP
from ...domain.payroll.status import STATUS_KINDS, StatusPeriod, check_period, counts_for_month
from ...extensions import db
from ...models import (
    Employee,
    PayrollStatusPeriod,
    User,
)
from ..org.units import opd_map
from .months import month_end


def status_period_dicts(employee_id: int, month: date, used: list[str]) -> list[dict]:
    """The status periods behind the TPP status codes the run used for this employee (with their SK)."""
    if not used:
        return []
    labels = default_rules().tpp_faktor_status.versions[-1].data.label
    rows = db.session.scalars(
        select(PayrollStatusPeriod)
        .where(
            PayrollStatusPeriod.employee_id == employee_id,
            PayrollStatusPeriod.kind.in_(used),
            PayrollStatusPeriod.mulai <= month_end(month),
            or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= month),
        )
        .order_by(PayrollStatusPeriod.mulai)
    )
    return [
        {
            "kind": p.kind,
            "kind_label": labels.get(p.kind, p.kind),
            "periode": f"{tanggal(p.mulai)} s.d. {tanggal(p.sampai) if p.sampai else 'sekarang'}",
            "dasar": p.dasar,
            "alasan": p.alasan,
        }
        for p in rows
    ]


# ------------------------------------------------------------------------------------ status periods


def status_kind_labels() -> dict[str, str]:
    return {k: LABEL_STATUS_TPP.get(k, k) for k in STATUS_KINDS}


def add_status_period(
    employee: Employee, kind: str, mulai: date, sampai: date | None, dasar: str, alasan: str, actor: User
) -> PayrollStatusPeriod:
    """Record a TPP status period after the domain checks (kind, dates, no overlap with the same kind).
    `DomainError` carries the form field; the employee's rows are locked so two operators cannot race."""
    if not dasar.strip():
        raise DomainError("Dasar (nomor SK) wajib diisi.", field="dasar")
    existing = db.session.scalars(
        select(PayrollStatusPeriod).where(PayrollStatusPeriod.employee_id == employee.id).with_for_update()
    ).all()
    check_period(
        StatusPeriod(kind, mulai, sampai), [(StatusPeriod(p.kind, p.mulai, p.sampai), p.dasar) for p in existing]
    )
    row = PayrollStatusPeriod(
        employee_id=employee.id,
        kind=kind,
        mulai=mulai,
        sampai=sampai,
        dasar=dasar.strip(),
        alasan=alasan.strip(),
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def end_status_period(period: PayrollStatusPeriod, sampai: date) -> None:
    """Set the last day of a period (an open-ended one, or shorten/extend one); same checks as adding."""
    others = db.session.scalars(
        select(PayrollStatusPeriod).where(
            PayrollStatusPeriod.employee_id == period.employee_id, PayrollStatusPeriod.id != period.id
        )
    ).all()
    check_period(
        StatusPeriod(period.kind, period.mulai, sampai),
        [(StatusPeriod(p.kind, p.mulai, p.sampai), p.dasar) for p in others],
    )
    period.sampai = sampai
    db.session.flush()


def status_periods_for(month: date, opd_id: int | None) -> list[tuple[PayrollStatusPeriod, Employee, bool]]:
    """Periods touching `month` (optionally of one OPD) with the employee and whether they count this month."""
    stmt = (
        select(PayrollStatusPeriod, Employee)
        .join(Employee, Employee.id == PayrollStatusPeriod.employee_id)
        .where(
            PayrollStatusPeriod.mulai <= month_end(month),
            or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= month),
        )
        .order_by(Employee.name, PayrollStatusPeriod.mulai)
    )
    if opd_id is not None:
        unit_opd, _ = opd_map()
        stmt = stmt.where(Employee.unit_id.in_([u for u, o in unit_opd.items() if o == opd_id]))
    return [
        (p, e, counts_for_month(StatusPeriod(p.kind, p.mulai, p.sampai), month))
        for p, e in db.session.execute(stmt).all()
    ]
