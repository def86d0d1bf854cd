"""Seleksi jabatan: the selection, its stages with weights and pass marks, the panitia seleksi and their
conflict-of-interest declarations, candidates, stage results and each member's wawancara score.

Every score row carries a version counter: a second save based on a stale form is refused ("telah diubah"),
never silently lost. All tables are audited (`__audited__`).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.predikat import Predikat
from ..domain.selection import (
    CandidateStatus,
    MemberRole,
    Pendidikan,
    SelectionKind,
    SelectionStatus,
    StageKind,
    StageStatus,
)
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee, Position, Unit


class Selection(db.Model):
    """One selection for one vacant post: requirements, schedule, status and the PPK's choice."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # issuing unit of the documents (kop surat)
    kind: Mapped[SelectionKind] = mapped_column(enum_column(SelectionKind, 10))
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[SelectionStatus] = mapped_column(
        enum_column(SelectionStatus, 12), default=SelectionStatus.OPEN, index=True
    )
    min_golongan: Mapped[str | None] = mapped_column(String(8))
    min_pendidikan: Mapped[Pendidikan | None] = mapped_column(enum_column(Pendidikan, 4))
    min_predikat: Mapped[Predikat | None] = mapped_column(enum_column(Predikat, 20))
    no_discipline: Mapped[bool] = mapped_column(default=True)
    training: Mapped[str | None] = mapped_column(String(200))
    registration_opens: Mapped[date] = mapped_column(Date)
    registration_closes: Mapped[date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)  # schedule and other announcement text
    decision_basis: Mapped[str | None] = mapped_column(String(300))  # the PPK's letter / disposition
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    berita_acara_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    usulan_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    position: Mapped[Position] = relationship()
    unit: Mapped[Unit] = relationship()
    stages: Mapped[list[SelectionStage]] = relationship(
        back_populates="selection", order_by="SelectionStage.seq", cascade="all, delete-orphan"
    )
    members: Mapped[list[PanselMember]] = relationship(
        back_populates="selection", order_by="PanselMember.id", cascade="all, delete-orphan"
    )
    candidates: Mapped[list[Candidate]] = relationship(
        back_populates="selection",
        order_by="Candidate.id",
        cascade="all, delete-orphan",
        foreign_keys="Candidate.selection_id",
    )
    __mapper_args__ = {"version_id_col": version_id}


class SelectionStage(db.Model):
    """A stage of a selection with its weight in the final score and its pass mark."""

    __audited__ = True
    __tablename__ = "selection_stage"
    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(ForeignKey("selection.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StageKind] = mapped_column(enum_column(StageKind, 16))
    seq: Mapped[int] = mapped_column(Integer)
    weight: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    pass_mark: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    status: Mapped[StageStatus] = mapped_column(enum_column(StageStatus, 10), default=StageStatus.PENDING)
    closed_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    pengumuman_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    selection: Mapped[Selection] = relationship(back_populates="stages")
    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (UniqueConstraint("selection_id", "kind", name="one_stage_kind_per_selection"),)


class PanselMember(db.Model):
    """A member of the panitia seleksi: an employee (who scores from their own account) or an external person."""

    __audited__ = True
    __tablename__ = "pansel_member"
    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(ForeignKey("selection.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    institution: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[MemberRole] = mapped_column(enum_column(MemberRole, 8), default=MemberRole.ANGGOTA)

    selection: Mapped[Selection] = relationship(back_populates="members")
    employee: Mapped[Employee | None] = relationship()
    __table_args__ = (UniqueConstraint("selection_id", "employee_id", name="one_membership_per_employee"),)


class Candidate(db.Model):
    """A registered candidate: an employee (from the intranet or registered by HR) or an external candidate."""

    __audited__ = True
    __tablename__ = "selection_candidate"
    id: Mapped[int] = mapped_column(primary_key=True)
    selection_id: Mapped[int] = mapped_column(ForeignKey("selection.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    nip: Mapped[str | None] = mapped_column(String(18))
    institution: Mapped[str | None] = mapped_column(String(200))  # external: instansi asal
    golongan: Mapped[str | None] = mapped_column(String(8))  # external: as stated; internal: read from data
    pendidikan: Mapped[Pendidikan | None] = mapped_column(enum_column(Pendidikan, 4))
    status: Mapped[CandidateStatus] = mapped_column(enum_column(CandidateStatus, 10), default=CandidateStatus.ACTIVE)
    failed_stage: Mapped[StageKind | None] = mapped_column(enum_column(StageKind, 16))
    proposed_rank: Mapped[int | None] = mapped_column(Integer)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    registered_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    selection: Mapped[Selection] = relationship(back_populates="candidates", foreign_keys=[selection_id])
    employee: Mapped[Employee | None] = relationship()
    __table_args__ = (UniqueConstraint("selection_id", "employee_id", name="one_candidacy_per_employee"),)


class ConflictDeclaration(db.Model):
    """A pansel member's statement about one candidate: no conflict of interest (may score) or a conflict."""

    __audited__ = True
    __tablename__ = "selection_declaration"
    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("pansel_member.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("selection_candidate.id", ondelete="CASCADE"))
    has_conflict: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(300))
    declared_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("member_id", "candidate_id", name="one_declaration_per_pair"),)


class StageResult(db.Model):
    """A candidate's result in a stage: the score (computed or entered), pass/fail, and what it rests on."""

    __audited__ = True
    __tablename__ = "selection_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("selection_stage.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("selection_candidate.id", ondelete="CASCADE"), index=True)
    score: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    passed: Mapped[bool | None] = mapped_column()
    detail: Mapped[dict | None] = mapped_column(JSON)  # unmet requirements, JPM and its assessment, predikat used
    note: Mapped[str | None] = mapped_column(String(300))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    stage: Mapped[SelectionStage] = relationship()
    candidate: Mapped[Candidate] = relationship()
    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (UniqueConstraint("stage_id", "candidate_id", name="one_result_per_stage"),)


class MemberScore(db.Model):
    """One pansel member's score of one candidate in a stage scored by the members (wawancara)."""

    __audited__ = True
    __tablename__ = "selection_member_score"
    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("selection_stage.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(ForeignKey("selection_candidate.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("pansel_member.id", ondelete="CASCADE"))
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    note: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    member: Mapped[PanselMember] = relationship()
    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (UniqueConstraint("stage_id", "candidate_id", "member_id", name="one_score_per_member"),)
