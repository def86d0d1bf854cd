"""Payroll workflow gaps (issue 20 item 10): the verifier or approver returns a run to its maker with a
reason, and run numbers are never reused after a draft is deleted. Services flush, never commit."""

from __future__ import annotations

from flask import url_for
from sqlalchemy import and_, func, select, update

from ... import audit
from ...domain import DomainError
from ...extensions import db
from ...models import PayrollRun, PayrollRunReturn, PayrollRunTombstone, RunStatus, User, utcnow
from ..notifications.notify import notify

# status a run may be returned from → the step whose official returns it
RETURNABLE = {RunStatus.DIHITUNG: "verify", RunStatus.DIVERIFIKASI: "approve"}


def return_run(run: PayrollRun, actor: User, reason: str) -> PayrollRunReturn:
    """Send a computed (to be verified) or verified (to be approved) run back to draf with a reason: its
    verification is cleared, its lines stay until the maker recomputes. A conditional UPDATE, so a double
    click or a concurrent step changes it at most once."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Alasan pengembalian wajib diisi.", "reason")
    db.session.refresh(run, with_for_update=True)
    if run.status not in RETURNABLE:
        raise DomainError(
            f"Proses penggajian berstatus {run.status.label}; hanya proses yang menunggu verifikasi atau "
            f"persetujuan yang dapat dikembalikan.",
            "reason",
        )
    src = run.status
    t = PayrollRun.__table__
    res = db.session.execute(
        update(t)
        .where(and_(t.c.id == run.id, t.c.status == src.value))
        .values(status=RunStatus.DRAFT.value, verified_by_id=None, verified_at=None)
    )
    if res.rowcount != 1:
        raise DomainError("Proses penggajian ini baru saja berubah status; muat ulang halaman.", "reason")
    db.session.refresh(run)
    row = PayrollRunReturn(run_id=run.id, from_status=src.value, reason=reason, returned_by_id=actor.id, at=utcnow())
    db.session.add(row)
    audit.record(
        db.session, "return", "payroll_run", run.id, f"{run.title}: {src.label} → {RunStatus.DRAFT.label}: {reason}"
    )
    if run.prepared_by is not None and run.prepared_by_id != actor.id:
        notify(
            run.prepared_by,
            "payroll_returned",
            f"{run.title} dikembalikan oleh {actor.display_name}: {reason}",
            url_for("payroll.show", run_id=run.id),
            email=False,
        )
    db.session.flush()
    return row


def returns_of(run: PayrollRun) -> list[PayrollRunReturn]:
    """The run's returns, the latest first (shown on the run page)."""
    return list(
        db.session.scalars(
            select(PayrollRunReturn).where(PayrollRunReturn.run_id == run.id).order_by(PayrollRunReturn.id.desc())
        )
    )


def remember_deleted(run: PayrollRun, actor: User | None) -> None:
    """Keep the number of a draft being deleted so no later run gets it."""
    db.session.add(
        PayrollRunTombstone(id=run.id, title=run.title, deleted_by_id=actor.id if actor else None, deleted_at=utcnow())
    )


def assign_number(run: PayrollRun) -> None:
    """Give a new run a number above every run and deleted draft. PostgreSQL sequences never hand out a number
    twice; SQLite reuses the highest rowid once that row is gone, so there the number is set explicitly."""
    if db.session.get_bind().dialect.name == "postgresql":
        return
    highest = max(
        db.session.scalar(select(func.max(PayrollRun.id))) or 0,
        db.session.scalar(select(func.max(PayrollRunTombstone.id))) or 0,
    )
    run.id = highest + 1
