"""Penilaian 360: evaluation cycles, the people evaluated, who rates whom, and the answers.

Anonymity design (issue #5): answers live in `Response` rows that point at their `RaterAssignment`
(the rater must be able to resume a draft), but no page, fragment or export ever reads them per rater:
results go through the pure aggregation in `domain/evaluation360.py`, which never receives rater ids.
`Response` is deliberately NOT `__audited__`: an automatic audit row would pair a rater (the actor) with
the score. Instead submitting records one named event with counts only (see `record_submission`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow
from .org import Employee, Unit


class CycleStatus(LabeledEnum):
    DRAFT = "draft", "Draf"
    OPEN = "open", "Dibuka"
    CLOSED = "closed", "Ditutup"


class RaterGroup(LabeledEnum):
    ATASAN = "atasan", "Atasan"
    REKAN = "rekan", "Rekan kerja"
    BAWAHAN = "bawahan", "Bawahan"
    DIRI = "diri", "Diri sendiri"


# Peers and subordinates are anonymous groups; the atasan and the employee themself are not (there is
# only one of each, and their forms say so).
ANONYMOUS_GROUPS = (RaterGroup.REKAN, RaterGroup.BAWAHAN)


class RaterSource(LabeledEnum):
    SUGGESTED = "suggested", "Usulan sistem"
    NOMINATED = "nominated", "Diusulkan pegawai"
    HR = "hr", "Ditetapkan kepegawaian"


class AssignmentStatus(LabeledEnum):
    PENDING = "pending", "Menunggu persetujuan atasan"
    APPROVED = "approved", "Belum selesai"
    REJECTED = "rejected", "Usulan ditolak"
    DECLINED = "declined", "Menolak menilai"
    SUBMITTED = "submitted", "Selesai"


evaluation_cycle_unit = Table(
    "evaluation_cycle_unit",
    db.metadata,
    Column("cycle_id", ForeignKey("evaluation_cycle.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("unit.id"), primary_key=True),
)


class EvaluationCycle(db.Model):
    """One round of 360° feedback for chosen units, periodic ("Triwulan IV 2026") or annual ("Tahunan 2026")."""

    __tablename__ = "evaluation_cycle"
    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(150))
    year: Mapped[int] = mapped_column(Integer)
    period_label: Mapped[str] = mapped_column(String(60))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)  # last day (WIB) on which raters may save/submit
    status: Mapped[CycleStatus] = mapped_column(enum_column(CycleStatus, 10), default=CycleStatus.DRAFT)
    # Rules
    use_atasan: Mapped[bool] = mapped_column(default=True)
    use_rekan: Mapped[bool] = mapped_column(default=True)
    use_bawahan: Mapped[bool] = mapped_column(default=True)
    use_diri: Mapped[bool] = mapped_column(default=True)
    min_rekan: Mapped[int] = mapped_column(SmallInteger, default=3)
    min_bawahan: Mapped[int] = mapped_column(SmallInteger, default=3)
    threshold_rekan: Mapped[int] = mapped_column(SmallInteger, default=3)
    threshold_bawahan: Mapped[int] = mapped_column(SmallInteger, default=3)
    max_nominations: Mapped[int] = mapped_column(SmallInteger, default=2)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    units: Mapped[list[Unit]] = relationship(secondary=evaluation_cycle_unit, order_by="Unit.name")
    evaluatees: Mapped[list[Evaluatee]] = relationship(back_populates="cycle", cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="period_ordered"),
        CheckConstraint("deadline >= start_date", name="deadline_after_start"),
        # Below 3 answers each rater can work out the others' answers from the average (issue #5: default 3).
        CheckConstraint("threshold_rekan >= 3 AND threshold_bawahan >= 3", name="anonymity_floor"),
        CheckConstraint("min_rekan >= 0 AND min_bawahan >= 0 AND max_nominations >= 0", name="rule_counts"),
    )

    def threshold_for(self, group: RaterGroup) -> int:
        return {RaterGroup.REKAN: self.threshold_rekan, RaterGroup.BAWAHAN: self.threshold_bawahan}.get(group, 1)

    def uses(self, group: RaterGroup) -> bool:
        return getattr(self, f"use_{group.value}")

    @property
    def groups_used(self) -> list[RaterGroup]:
        return [g for g in RaterGroup if self.uses(g)]

    @property
    def is_draft(self) -> bool:
        return self.status == CycleStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == CycleStatus.CLOSED

    def __repr__(self) -> str:
        return f"<EvaluationCycle {self.id} {self.name}>"


class Evaluatee(db.Model):
    """An employee evaluated in a cycle; unit and appraiser are frozen when the cycle opens."""

    __tablename__ = "evaluatee"
    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("evaluation_cycle.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    appraiser_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)

    cycle: Mapped[EvaluationCycle] = relationship(back_populates="evaluatees")
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    unit: Mapped[Unit | None] = relationship()
    appraiser: Mapped[Employee | None] = relationship(foreign_keys=[appraiser_id])
    assignments: Mapped[list[RaterAssignment]] = relationship(
        back_populates="evaluatee", cascade="all, delete-orphan", order_by="RaterAssignment.id"
    )
    __table_args__ = (UniqueConstraint("cycle_id", "employee_id"),)


class RaterAssignment(db.Model):
    """Who rates whom, in which group, and how far they got (the only thing HR sees about a rater)."""

    __tablename__ = "rater_assignment"
    __audited__ = True
    # The overall comment is an answer: it must never reach the audit log next to the rater's id; saved_at
    # changes on every autosave and would flood the log.
    __audit_exclude__ = ("overall_comment", "saved_at")
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluatee_id: Mapped[int] = mapped_column(ForeignKey("evaluatee.id", ondelete="CASCADE"), index=True)
    rater_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    group: Mapped[RaterGroup] = mapped_column(enum_column(RaterGroup, 10))
    source: Mapped[RaterSource] = mapped_column(enum_column(RaterSource, 10))
    status: Mapped[AssignmentStatus] = mapped_column(enum_column(AssignmentStatus, 10))
    decline_reason: Mapped[str | None] = mapped_column(String(500))
    overall_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    saved_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    evaluatee: Mapped[Evaluatee] = relationship(back_populates="assignments")
    rater: Mapped[Employee] = relationship()
    responses: Mapped[list[Response]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan", order_by="Response.id"
    )
    __table_args__ = (
        UniqueConstraint("evaluatee_id", "rater_id"),
        Index("ix_rater_assignment_rater_status", "rater_id", "status"),
    )

    @property
    def is_pending(self) -> bool:
        return self.status == AssignmentStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == AssignmentStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == AssignmentStatus.REJECTED

    @property
    def is_declined(self) -> bool:
        return self.status == AssignmentStatus.DECLINED

    @property
    def is_submitted(self) -> bool:
        return self.status == AssignmentStatus.SUBMITTED

    @property
    def is_nominated(self) -> bool:
        return self.source == RaterSource.NOMINATED


class Response(db.Model):
    """One answer for one BerAKHLAK value: a score 1–5, or NULL for "tidak dapat menilai"."""

    __tablename__ = "response_360"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("rater_assignment.id", ondelete="CASCADE"), index=True)
    value_code: Mapped[str] = mapped_column(String(30))
    score: Mapped[int | None] = mapped_column(SmallInteger)  # NULL = tidak dapat menilai (excluded from averages)
    comment: Mapped[str | None] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)

    assignment: Mapped[RaterAssignment] = relationship(back_populates="responses")
    __table_args__ = (
        UniqueConstraint("assignment_id", "value_code"),
        CheckConstraint("score IS NULL OR score BETWEEN 1 AND 5", name="score_range"),
    )
