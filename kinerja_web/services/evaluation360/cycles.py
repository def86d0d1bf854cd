"""Evaluation360 cycles: HR defines a cycle, opens it (evaluatees and suggested raters) and closes it.

Every function flushes and never commits; the view commits once. Actors and dates are parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...domain import DomainError
from ...extensions import db
from ...models import (
    AssignmentStatus,
    CycleStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    Position,
    RaterAssignment,
    RaterGroup,
    RaterSource,
    Unit,
    UnitKind,
)
from ..org import appraisers, units

MAX_SUGGESTED_PEERS = 6  # enough for the anonymity threshold with room for declines; more tires raters


# --- cycles ------------------------------------------------------------------------------------------


def all_cycles() -> list[EvaluationCycle]:
    return list(
        db.session.scalars(
            select(EvaluationCycle)
            .options(selectinload(EvaluationCycle.units))
            .order_by(EvaluationCycle.start_date.desc())
        )
    )


def unit_choices() -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.kind != UnitKind.PEMDA)
            .order_by(Unit.kind, Unit.name)
            .options(joinedload(Unit.parent))
        )
    )


def validate_cycle(data: Mapping) -> list[tuple[str, str]]:
    """Cross-field rules of a cycle; single-field rules live in the form."""
    errors = []
    if data["end_date"] and data["start_date"] and data["end_date"] < data["start_date"]:
        errors.append(("end_date", "Tanggal akhir periode tidak boleh sebelum tanggal mulai."))
    if data["deadline"] and data["start_date"] and data["deadline"] < data["start_date"]:
        errors.append(("deadline", "Batas waktu pengisian tidak boleh sebelum periode dimulai."))
    if not any(data[f"use_{g.value}"] for g in RaterGroup):
        errors.append(("use_atasan", "Pilih minimal satu kelompok penilai."))
    if not data["unit_ids"]:
        errors.append(("unit_ids", "Pilih minimal satu unit kerja."))
    return errors


CYCLE_FIELDS = (
    "name",
    "year",
    "period_label",
    "start_date",
    "end_date",
    "deadline",
    "use_atasan",
    "use_rekan",
    "use_bawahan",
    "use_diri",
    "min_rekan",
    "min_bawahan",
    "threshold_rekan",
    "threshold_bawahan",
    "max_nominations",
)


def save_cycle(cycle: EvaluationCycle | None, data: Mapping) -> EvaluationCycle:
    if cycle is None:
        cycle = EvaluationCycle(status=CycleStatus.DRAFT)
        db.session.add(cycle)
    elif cycle.status != CycleStatus.DRAFT:
        raise DomainError("Siklus yang sudah dibuka tidak dapat diubah aturannya.")
    for key in CYCLE_FIELDS:
        setattr(cycle, key, data[key])
    cycle.units = list(db.session.scalars(select(Unit).where(Unit.id.in_(data["unit_ids"]))))
    db.session.flush()
    return cycle


def employees_in_cycle_units(cycle: EvaluationCycle) -> list[Employee]:
    ids = units.subtree_ids(*cycle.units)
    return list(
        db.session.scalars(
            select(Employee)
            .where(Employee.unit_id.in_(ids), Employee.active.is_(True))
            .options(joinedload(Employee.position))
            .order_by(Employee.name)
        )
    )


def peers_of(employee: Employee, on: date, limit: int = MAX_SUGGESTED_PEERS) -> list[Employee]:
    """Peers = active employees whose post has the same atasan post (same level); without an atasan
    post, the same unit and the same kind of jabatan."""
    pos = appraisers.position_of(employee, on)
    if pos is None:
        return []
    stmt = (
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Employee.active.is_(True), Employee.id != employee.id)
    )
    if pos.parent_id is not None:
        stmt = stmt.where(Position.parent_id == pos.parent_id)
    else:
        stmt = stmt.where(Position.unit_id == pos.unit_id, Position.kind == pos.kind)
    return list(db.session.scalars(stmt.order_by(Employee.name).limit(limit)))


def suggest_raters(cycle: EvaluationCycle, employee: Employee, on: date) -> list[tuple[Employee, RaterGroup]]:
    """Raters from the org data on `on`: self, atasan (pejabat penilai), peers, direct subordinates."""
    out: list[tuple[Employee, RaterGroup]] = []
    if cycle.use_diri:
        out.append((employee, RaterGroup.DIRI))
    if cycle.use_atasan:
        appraiser = appraisers.appraiser_of(employee, on)
        if appraiser:
            out.append((appraiser.employee, RaterGroup.ATASAN))
    if cycle.use_rekan:
        out.extend((p, RaterGroup.REKAN) for p in peers_of(employee, on))
    if cycle.use_bawahan:
        out.extend((s, RaterGroup.BAWAHAN) for s in appraisers.direct_subordinates(employee, on))
    seen: set[int] = set()
    unique = []
    for emp, group in out:
        if emp.id not in seen:
            seen.add(emp.id)
            unique.append((emp, group))
    return unique


def open_cycle(cycle: EvaluationCycle, on: date, now: datetime) -> int:
    """Freeze who is evaluated and suggest raters from the org data; returns the number of evaluatees."""
    if cycle.status != CycleStatus.DRAFT:
        raise DomainError("Siklus ini sudah dibuka sebelumnya.")
    employees = employees_in_cycle_units(cycle)
    if not employees:
        raise DomainError("Tidak ada pegawai aktif di unit kerja yang dipilih.")
    for emp in employees:
        appraiser = appraisers.appraiser_of(emp, on)
        ev = Evaluatee(
            cycle=cycle, employee=emp, unit_id=emp.unit_id, appraiser=appraiser.employee if appraiser else None
        )
        db.session.add(ev)
        for rater, group in suggest_raters(cycle, emp, on):
            ev.assignments.append(
                RaterAssignment(
                    rater=rater, group=group, source=RaterSource.SUGGESTED, status=AssignmentStatus.APPROVED
                )
            )
    cycle.status, cycle.opened_at = CycleStatus.OPEN, now
    db.session.flush()
    return len(employees)


def close_cycle(cycle: EvaluationCycle, now: datetime) -> None:
    """Closing is final: results appear only now, so nobody can compare results before/after one rater."""
    if cycle.status != CycleStatus.OPEN:
        raise DomainError("Hanya siklus yang sedang dibuka yang dapat ditutup.")
    cycle.status, cycle.closed_at = CycleStatus.CLOSED, now
    db.session.flush()
