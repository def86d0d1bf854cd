"""Manual pay facts (issue 20 item 6): HR/BPKAD enter a one-off amount for an employee-month with reason and
document; someone else approves or rejects it; approved amounts enter the month's computation (and its input
snapshot) as lines marked manual (`domain.payroll.manual`). Services flush, never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from ... import audit
from ...domain import DomainError
from ...domain.labels import bulan, rupiah
from ...domain.payroll import first_of_month
from ...domain.payroll.lines import Bagian, LineKind
from ...domain.payroll.manual import ManualAmount, approval_refusal, check_manual
from ...extensions import db
from ...models import Employee, ManualStatus, PayrollManualAmount, User, utcnow
from .predikat import runs_past_recompute


class ManualRefused(DomainError):
    """Per-field messages for a manual amount that may not be saved (nothing written)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()), next(iter(errors)))
        self.errors = errors


def as_domain(row: PayrollManualAmount) -> ManualAmount:
    return ManualAmount(
        row.id,
        row.label,
        int(row.amount),
        LineKind(row.kind),
        Bagian(row.bagian),
        row.reason,
        row.document,
        row.decided_by.display_name if row.decided_by else "",
    )


def approved_manual(month: date, employee_ids: Iterable[int]) -> dict[int, tuple[ManualAmount, ...]]:
    """Approved manual amounts of the month per employee (one query)."""
    ids = list(employee_ids)
    if not ids:
        return {}
    out: dict[int, list[ManualAmount]] = defaultdict(list)
    stmt = select(PayrollManualAmount).where(
        PayrollManualAmount.month == first_of_month(month), PayrollManualAmount.status == ManualStatus.DISETUJUI
    )
    # As predikat_for: an IN list for a small run; a whole-Pemda run filters in Python (an IN list of 100,000
    # employees is past PostgreSQL's 65,535 bound parameters).
    if len(ids) < 1000:
        stmt = stmt.where(PayrollManualAmount.employee_id.in_(ids))
    wanted = set(ids)
    for row in db.session.scalars(stmt.order_by(PayrollManualAmount.id)):
        if row.employee_id not in wanted:
            continue
        out[row.employee_id].append(as_domain(row))
    return {eid: tuple(v) for eid, v in out.items()}


def manual_json(m: ManualAmount) -> dict:
    """As `codec.encode` writes it (the snapshot JSON is dumped with sorted keys)."""
    return {
        "amount": m.amount,
        "approved_by": m.approved_by,
        "bagian": m.bagian.value,
        "document": m.document,
        "kind": m.kind.value,
        "label": m.label,
        "reason": m.reason,
        "ref": m.ref,
    }


def manual_from(items) -> tuple[ManualAmount, ...]:
    return tuple(
        ManualAmount(
            d["ref"],
            d["label"],
            d["amount"],
            LineKind(d["kind"]),
            Bagian(d["bagian"]),
            d["reason"],
            d["document"],
            d["approved_by"],
        )
        for d in items
    )


def manual_errors(employee, month, label, amount, kind, bagian, reason, document) -> dict[str, str]:
    """Every field's message for a manual amount being entered (empty: it may be saved)."""
    errors = {}
    if employee is None:
        errors["nip"] = "NIP tidak dikenal."
    if month is None:
        errors["month"] = "Bulan tidak sah (format TTTT-BB)."
    return {**errors, **check_manual(label, amount, kind, bagian, reason, document)}


def add_manual(
    employee: Employee | None,
    month: date | None,
    label: str,
    amount: int | None,
    kind: str,
    bagian: str,
    reason: str,
    document: str,
    actor: User,
) -> PayrollManualAmount:
    """Enter a manual amount awaiting approval; `ManualRefused` with every field's message, nothing written."""
    errors = manual_errors(employee, month, label, amount, kind, bagian, reason, document)
    if errors:
        raise ManualRefused(errors)
    row = PayrollManualAmount(
        employee_id=employee.id,
        month=first_of_month(month),
        label=label.strip(),
        amount=amount,
        kind=kind,
        bagian=bagian,
        reason=reason.strip(),
        document=document.strip(),
        status=ManualStatus.MENUNGGU,
        created_by_id=actor.id,
        created_at=utcnow(),
        decision_note="",
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        db.session,
        "manual_amount",
        "payroll_manual_amount",
        row.id,
        f"Jumlah manual {row.label} {rupiah(row.amount)} untuk {employee.name} {bulan(row.month)}: {row.reason}",
    )
    return row


def decide_manual(row: PayrollManualAmount, actor: User, approve: bool, note: str = "") -> list:
    """Approve or reject a waiting manual amount (never by its maker). Returns the month's runs that can no
    longer be recomputed: an approved amount reaches their employees only through a compensating run."""
    if row.status is not ManualStatus.MENUNGGU:
        raise DomainError(f"Jumlah manual ini sudah {row.status.label.lower()}.", "decision")
    approval_refusal(row.created_by_id, actor.id)
    if not approve and not (note or "").strip():
        raise DomainError("Alasan penolakan wajib diisi.", "note")
    row.status = ManualStatus.DISETUJUI if approve else ManualStatus.DITOLAK
    row.decided_by_id, row.decided_at, row.decision_note = actor.id, utcnow(), (note or "").strip()
    db.session.flush()
    audit.record(
        db.session,
        "manual_decision",
        "payroll_manual_amount",
        row.id,
        f"{row.title}: {row.status.label} oleh {actor.display_name}",
    )
    return runs_past_recompute(row.month, [row.employee_id]) if approve else []


def manual_rows(month: date | None = None) -> list[PayrollManualAmount]:
    stmt = select(PayrollManualAmount).order_by(PayrollManualAmount.month.desc(), PayrollManualAmount.id.desc())
    if month is not None:
        stmt = stmt.where(PayrollManualAmount.month == first_of_month(month))
    return list(db.session.scalars(stmt))
