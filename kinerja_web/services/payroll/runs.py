"""Payroll runs: creating a run and its OPD scope, the population, who entered its inputs, the
verify/approve/finalise workflow (maker-checker from `domain.payroll.separation`), deleting a draft, listing runs.

Services flush, never commit; the view (or job/CLI) commits once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, bindparam, delete, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from ... import audit
from ...domain import DomainError
from ...domain.labels import bulan
from ...domain.payroll import (
    first_of_month,
)
from ...domain.payroll.separation import RunPart
from ...domain.payroll.separation import refusal as separation_refusal
from ...extensions import db
from ...models import (
    Attendance,
    Employee,
    PayrollLine,
    PayrollPredikat,
    PayrollRun,
    PayrollRunContributor,
    PayrollRunEmployee,
    PayrollRunScope,
    PayrollStatusPeriod,
    RunKind,
    RunStatus,
    Unit,
    UnitKind,
    User,
    utcnow,
)
from ..org.units import opd_map
from .months import month_end
from .workflow import assign_number, remember_deleted

# --------------------------------------------------------------------------------------------- runs


def all_runs() -> list[PayrollRun]:
    """Every run, the newest month first (the runs page)."""
    return list(db.session.scalars(select(PayrollRun).order_by(PayrollRun.month.desc(), PayrollRun.id.desc())))


def opd_units() -> list[Unit]:
    """The regency (pemda) and its OPDs in their order: the choices of a run's scope and of a pagu."""
    return list(
        db.session.scalars(
            select(Unit).where(Unit.kind.in_([UnitKind.PEMDA, UnitKind.OPD])).order_by(Unit.sort_order, Unit.name)
        )
    )


def lock_runs() -> None:
    """Serialise run creation (the overlap check, then the insert) between concurrent requests."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(7007)))


def create_run(
    month: date,
    opd_ids: list[int] | None,
    actor: User,
    kind: RunKind = RunKind.REGULAR,
    original: PayrollRun | None = None,
    reason: str | None = None,
) -> PayrollRun:
    """A draft run for the whole Pemda (`opd_ids=None`) or the chosen OPD. A second run of the same kind for
    the same month and an overlapping population is refused (service check under a lock, plus the unique
    (month, opd, slot) rows as the database's backstop). Compensating runs reference a FINAL original."""
    month = first_of_month(month)
    _, opds = opd_map()
    if kind is RunKind.COMPENSATING:
        if original is None or original.status != RunStatus.FINAL:
            raise DomainError("Proses koreksi harus merujuk proses penggajian asli yang sudah final.", "original")
        if not (reason or "").strip():
            raise DomainError("Alasan koreksi wajib diisi.", "reason")
        month = original.month
        opd_ids = [s.opd_id for s in original.scope_rows]
    whole = opd_ids is None
    chosen = sorted(opds) if whole else sorted(set(opd_ids))
    if not chosen:
        raise DomainError("Pilih minimal satu OPD.", "opd_ids")
    unknown = [i for i in chosen if i not in opds]
    if unknown:
        raise DomainError("OPD yang dipilih tidak dikenal.", "opd_ids")
    run = PayrollRun(
        month=month,
        kind=kind,
        whole_pemda=whole,
        original_run_id=original.id if original else None,
        reason=reason,
        prepared_by_id=actor.id,
        status=RunStatus.DRAFT,
        period_start=original.period_start if original else None,  # a rapel's correction covers its months
        period_end=original.period_end if original else None,
    )
    lock_runs()
    assign_number(run)
    if kind is not RunKind.COMPENSATING:
        taken = db.session.execute(
            select(PayrollRunScope.opd_id, PayrollRunScope.run_id).where(
                PayrollRunScope.month == month, PayrollRunScope.slot == kind.value, PayrollRunScope.opd_id.in_(chosen)
            )
        ).all()
        if taken:
            names = ", ".join(sorted({opds[o].name for o, _ in taken}))
            raise DomainError(
                f"Sudah ada proses {kind.label} bulan {bulan(month)} untuk: {names}. Proses kedua untuk bulan dan "
                f"pegawai yang sama ditolak; koreksi dilakukan lewat proses kompensasi.",
                "opd_ids",
            )
        run.scope_rows = [PayrollRunScope(month=month, opd_id=o, slot=kind.value) for o in chosen]
    else:
        run.scope_rows = [PayrollRunScope(month=month, opd_id=o, slot=f"k{original.id}") for o in chosen]
    db.session.add(run)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as e:
        raise DomainError(
            f"Sudah ada proses {kind.label} bulan {bulan(month)} untuk sebagian OPD yang dipilih; proses kedua ditolak.",
            "opd_ids",
        ) from e
    return run


def scope_opd_ids(run: PayrollRun) -> list[int]:
    return [s.opd_id for s in run.scope_rows]


def population_count(run: PayrollRun) -> int:
    """How many active employees the run covers (decides inline compute vs background job)."""
    unit_opd, _ = opd_map()
    scope = set(scope_opd_ids(run))
    units = [u for u, o in unit_opd.items() if o in scope]
    return db.session.scalar(
        select(func.count(Employee.id)).where(Employee.active.is_(True), Employee.unit_id.in_(units))
    )


def input_makers(run: PayrollRun) -> set[tuple[int, RunPart]]:
    """Who entered the month's inputs that the run's computation read, for the run's employees: attendance
    (imported or corrected), predikat and TPP status periods. THR, gaji ke-13 and rapel runs read only final
    runs, whose own makers were checked then."""
    if run.kind not in (RunKind.REGULAR, RunKind.COMPENSATING):
        return set()
    month = run.month
    in_run = select(PayrollRunEmployee.employee_id).where(PayrollRunEmployee.run_id == run.id)
    sources = (
        (
            RunPart.ATTENDANCE,
            Attendance.recorded_by_id,
            and_(Attendance.tanggal.between(month, month_end(month)), Attendance.employee_id.in_(in_run)),
        ),
        (
            RunPart.PREDIKAT,
            PayrollPredikat.recorded_by_id,
            and_(PayrollPredikat.month == month, PayrollPredikat.employee_id.in_(in_run)),
        ),
        (
            RunPart.STATUS_TPP,
            PayrollStatusPeriod.created_by_id,
            and_(
                PayrollStatusPeriod.mulai <= month_end(month),
                or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= month),
                PayrollStatusPeriod.employee_id.in_(in_run),
            ),
        ),
    )
    out: set[tuple[int, RunPart]] = set()
    for part, column, where in sources:
        out |= {(uid, part) for uid in db.session.scalars(select(column).where(where, column.is_not(None)).distinct())}
    return out


def record_contributors(run: PayrollRun, actor: User) -> None:
    """After a computation: the actor joins the run's computers (kept across recomputes) and the input makers
    are replaced by those of the inputs this computation used."""
    now = utcnow()
    wanted = input_makers(run) | {(actor.id, RunPart.COMPUTED)}
    current = {(c.user_id, c.part): c for c in run.contributors}
    for key, row in current.items():
        if row.part is not RunPart.COMPUTED and key not in wanted:
            run.contributors.remove(row)
    for user_id, part in sorted(wanted):
        row = current.get((user_id, part))
        if row is None:
            run.contributors.append(PayrollRunContributor(user_id=user_id, part=part, at=now))
        else:
            row.at = now
    db.session.flush()


# ----------------------------------------------------------------------------------------- workflow

_NEXT = {
    "verify": (RunStatus.DIHITUNG, RunStatus.DIVERIFIKASI, "verified_by_id", "verified_at"),
    "approve": (RunStatus.DIVERIFIKASI, RunStatus.DISETUJUI, "approved_by_id", "approved_at"),
    "finalise": (RunStatus.DISETUJUI, RunStatus.FINAL, "finalised_by_id", "finalised_at"),
}
_DONE_MSG = {
    "verify": "Proses penggajian ini sudah diverifikasi.",
    "approve": "Proses penggajian ini sudah disetujui.",
    "finalise": "Proses penggajian ini sudah final.",
}


def transition(run: PayrollRun, step: str, actor: User) -> bool:
    """Move the run one step with a conditional UPDATE … WHERE status = <expected>: a double click (or two
    officials at once) changes it exactly once. Returns False when it had already moved.

    Maker-checker-approver (`domain.payroll.separation.refusal`, the same rule the pages ask through
    `access`): checked with the run row locked (PostgreSQL), so no recompute slips in between."""
    src, dst, who_col, when_col = _NEXT[step]
    db.session.refresh(run, with_for_update=True)
    db.session.expire(run, ["contributors"])
    if run.status == src:
        reason = separation_refusal(step, actor.id, run.contributions)
        if reason:
            raise DomainError(reason)
    t = PayrollRun.__table__
    cond = [t.c.id == run.id, t.c.status == src.value]
    res = db.session.execute(
        update(t).where(and_(*cond)).values(status=dst.value, **{who_col: actor.id, when_col: utcnow()})
    )
    db.session.refresh(run)
    if res.rowcount == 1:
        audit.record(db.session, step, "payroll_run", run.id, f"{run.title}: {src.label} → {dst.label}")
        db.session.flush()
        return True
    order = list(RunStatus)
    if order.index(run.status) >= order.index(dst):
        return False
    raise DomainError(f"Proses penggajian berstatus {run.status.label}; langkah ini belum dapat dilakukan.")


def delete_draft(run: PayrollRun, actor: User | None = None) -> None:
    """Delete a draft or computed run; its number is kept (`workflow.remember_deleted`) and never reused."""
    if run.status not in (RunStatus.DRAFT, RunStatus.DIHITUNG):
        raise DomainError("Hanya proses penggajian draf atau hasil hitung yang dapat dihapus.")
    remember_deleted(run, actor)
    db.session.execute(delete(PayrollLine).where(PayrollLine.run_id == run.id))
    db.session.execute(delete(PayrollRunEmployee).where(PayrollRunEmployee.run_id == run.id))
    db.session.delete(run)
    db.session.flush()


_EMPLOYEE_RUNS = (  # built once: "Gaji Saya" and the explanation page ask on every request
    select(PayrollRun)
    .join(PayrollRunEmployee, PayrollRunEmployee.run_id == PayrollRun.id)
    .where(PayrollRunEmployee.employee_id == bindparam("employee_id"))
    .order_by(PayrollRun.month.desc(), PayrollRun.id.desc())
)
_EMPLOYEE_FINAL_RUNS = _EMPLOYEE_RUNS.where(PayrollRun.status == RunStatus.FINAL)


_EMPLOYEE_REGULAR_BEFORE = _EMPLOYEE_FINAL_RUNS.where(
    PayrollRun.kind == RunKind.REGULAR, PayrollRun.month < bindparam("month")
).limit(1)


_RUN = select(PayrollRun).where(PayrollRun.id == bindparam("run_id"))


def get_run(run_id: int) -> PayrollRun | None:
    """A run by id (a statement built once: every payroll page loads its run, the slip on each request)."""
    return db.session.scalar(_RUN, {"run_id": run_id})


def employee_runs(employee_id: int, final_only: bool) -> list[PayrollRun]:
    stmt = _EMPLOYEE_FINAL_RUNS if final_only else _EMPLOYEE_RUNS
    return list(db.session.scalars(stmt, {"employee_id": employee_id}))


def previous_regular_run(employee_id: int, month: date) -> PayrollRun | None:
    """The employee's latest final regular run of a month before `month` (one row, however many months)."""
    return db.session.scalars(_EMPLOYEE_REGULAR_BEFORE, {"employee_id": employee_id, "month": month}).first()


# The same run with the employee's net pay in it: the explanation compares with both, in one statement.
_EMPLOYEE_REGULAR_BEFORE_NETTO = _EMPLOYEE_REGULAR_BEFORE.add_columns(PayrollRunEmployee.netto)


def previous_regular_netto(employee_id: int, month: date) -> tuple[PayrollRun, int] | None:
    """`previous_regular_run` and the employee's net pay in it; None without an earlier month."""
    row = db.session.execute(_EMPLOYEE_REGULAR_BEFORE_NETTO, {"employee_id": employee_id, "month": month}).first()
    return None if row is None else (row[0], row[1])


PAID_KINDS = (RunKind.REGULAR, RunKind.COMPENSATING)  # the runs whose snapshot and lines make a month's pay


def paying(*months: date):
    """Where-clause on PayrollRun: the final regular and compensating runs of the months (their pay); the
    corrections of a THR, gaji ke-13 or rapel run are not monthly pay (`corrections.py`)."""
    month = PayrollRun.month == months[0] if len(months) == 1 else PayrollRun.month.in_(months)
    corrected = aliased(PayrollRun)
    of_special = exists().where(corrected.id == PayrollRun.original_run_id, corrected.kind.not_in(PAID_KINDS))
    return and_(month, PayrollRun.status == RunStatus.FINAL, PayrollRun.kind.in_(PAID_KINDS), ~of_special)


def final_runs_of(month: date) -> list[PayrollRun]:
    return list(
        db.session.scalars(
            select(PayrollRun)
            .where(PayrollRun.month == month, PayrollRun.status == RunStatus.FINAL)
            .order_by(PayrollRun.id)
        )
    )
