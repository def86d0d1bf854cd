"""Competency standards and competency assessment (domain reference §11; PermenPANRB 38/2017, PerBKN 26/2019).

- `Competency` + `CompetencyLevel`: the dictionary (8 manajerial, 1 sosial kultural, teknis per instansi) with a
  description and behaviour indicators per level 1–5.
- `CompetencyStandard` + `CompetencyStandardItem`: the standar kompetensi jabatan of one post, one row per
  version (berlaku mulai, dasar hukum); an edit adds a version, so the history stays.
- `CompetencyRule`: versioned configuration (JPM thresholds, capping, default required levels, potensial weights).
- `AssessmentEvent` → `AssessmentAssessor`, `AssessmentParticipant` → `AssessorRating` (each assessor's level in
  the assessor meeting) and `AssessmentResult` (the consensus level, with the reason when it differs from the
  assessors' mean). Levels are stored doubled (`level_x2`, 2–10) so half steps stay integers.

Results are personal data (§11.2): who may read them is decided in `access.competency`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.competency import AssessmentMethod, CompetencyGroup, JpmKategori, from_x2
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee, Position


class Competency(db.Model):
    """One competency of the dictionary; `code` is what files and rules name (INT, KS, … or a teknis code)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    group: Mapped[CompetencyGroup] = mapped_column(enum_column(CompetencyGroup, 16), index=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str | None] = mapped_column(Text)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)

    levels: Mapped[list[CompetencyLevel]] = relationship(
        back_populates="competency", cascade="all, delete-orphan", order_by="CompetencyLevel.level"
    )


class CompetencyLevel(db.Model):
    """Description and behaviour indicators of one level (1–5) of one competency."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(SmallInteger)
    description: Mapped[str] = mapped_column(String(500))
    indicators: Mapped[str | None] = mapped_column(Text)  # one indicator per line

    competency: Mapped[Competency] = relationship(back_populates="levels")
    __table_args__ = (
        UniqueConstraint("competency_id", "level", name="one_description_per_level"),
        CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )


class CompetencyStandard(db.Model):
    """One version of the standar kompetensi jabatan of one post; in force from `berlaku_mulai`."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    berlaku_mulai: Mapped[date] = mapped_column(Date)
    dasar_hukum: Mapped[str] = mapped_column(String(300))
    kode_jabatan: Mapped[str | None] = mapped_column(String(40))
    kelompok_jabatan: Mapped[str | None] = mapped_column(String(100))
    urusan: Mapped[str | None] = mapped_column(String(200))
    ikhtisar: Mapped[str | None] = mapped_column(Text)
    pendidikan: Mapped[str | None] = mapped_column(String(500))
    pelatihan: Mapped[str | None] = mapped_column(String(500))
    pengalaman: Mapped[str | None] = mapped_column(String(500))
    note: Mapped[str | None] = mapped_column(String(500))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    position: Mapped[Position] = relationship()
    changed_by = relationship("User")
    items: Mapped[list[CompetencyStandardItem]] = relationship(
        back_populates="standard", cascade="all, delete-orphan", order_by="CompetencyStandardItem.id"
    )
    __table_args__ = (
        UniqueConstraint("position_id", "version", name="one_standard_version_number"),
        Index("ix_competency_standard_position_from", "position_id", "berlaku_mulai"),
    )


class CompetencyStandardItem(db.Model):
    """The level one competency must reach in the post (manajerial, sosial kultural or teknis)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("competency_standard.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"))
    required_level: Mapped[int] = mapped_column(SmallInteger)

    standard: Mapped[CompetencyStandard] = relationship(back_populates="items")
    competency: Mapped[Competency] = relationship()
    __table_args__ = (
        UniqueConstraint("standard_id", "competency_id", name="one_item_per_competency"),
        CheckConstraint("required_level BETWEEN 1 AND 5", name="required_range"),
    )


class CompetencyRule(db.Model):
    """One version of the JPM configuration (`domain.competency.JpmRule` params as JSON)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    berlaku_mulai: Mapped[date] = mapped_column(Date)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(String(500))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)


class AssessmentEvent(db.Model):
    """One penilaian kompetensi: method, dates, provider; its assessors and participants."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    method: Mapped[AssessmentMethod] = mapped_column(enum_column(AssessmentMethod, 20))
    held_on: Mapped[date] = mapped_column(Date)
    provider: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    assessors: Mapped[list[AssessmentAssessor]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="AssessmentAssessor.id"
    )
    participants: Mapped[list[AssessmentParticipant]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="AssessmentParticipant.id"
    )
    __mapper_args__ = {"version_id_col": version_id}


class AssessmentAssessor(db.Model):
    """An assessor of the event (internal employee or external, by name)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("assessment_event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(150))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    institution: Mapped[str | None] = mapped_column(String(200))

    event: Mapped[AssessmentEvent] = relationship(back_populates="assessors")
    __table_args__ = (UniqueConstraint("event_id", "name", name="one_assessor_name_per_event"),)


class AssessmentParticipant(db.Model):
    """One assessee of one event with the outcome: strengths, recommendations and the JPM at assessment.

    `position_id` is the post held when assessed (the JPM snapshot is against its standard in force on the
    event date); `target_position_id` a post the assessment was aimed at (selection, talent pool).
    """

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("assessment_event.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id", ondelete="SET NULL"))
    target_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id", ondelete="SET NULL"))
    strengths: Mapped[str | None] = mapped_column(Text)
    recommendations: Mapped[str | None] = mapped_column(Text)
    jpm_bp: Mapped[int | None] = mapped_column(Integer)  # JPM × 100 (8750 = 87,50 %), None until results exist
    kategori: Mapped[JpmKategori | None] = mapped_column(enum_column(JpmKategori, 16))
    finalised_at: Mapped[datetime | None] = mapped_column(TZDateTime)  # consensus complete: visible to assessee
    summary_shared: Mapped[bool] = mapped_column(default=False)  # HR shares a summary with the atasan
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    event: Mapped[AssessmentEvent] = relationship(back_populates="participants")
    employee: Mapped[Employee] = relationship()
    position: Mapped[Position | None] = relationship(foreign_keys=[position_id])
    target_position: Mapped[Position | None] = relationship(foreign_keys=[target_position_id])
    results: Mapped[list[AssessmentResult]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="AssessmentResult.id"
    )
    ratings: Mapped[list[AssessorRating]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", order_by="AssessorRating.id"
    )
    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (UniqueConstraint("event_id", "employee_id", name="one_participation_per_event"),)

    @property
    def jpm(self) -> Decimal | None:
        return None if self.jpm_bp is None else (Decimal(self.jpm_bp) / 100).quantize(Decimal("0.01"))


class AssessmentResult(db.Model):
    """The consensus level of one competency for one participant (the assessor meeting's outcome)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("assessment_participant.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"))
    level_x2: Mapped[int] = mapped_column(SmallInteger)
    reason: Mapped[str | None] = mapped_column(String(500))  # required when it differs from the assessors' mean
    # Snapshot with the participant's JPM: the level the post held when assessed required (None: not required)
    required_level: Mapped[int | None] = mapped_column(SmallInteger)

    participant: Mapped[AssessmentParticipant] = relationship(back_populates="results")
    competency: Mapped[Competency] = relationship()
    __table_args__ = (
        UniqueConstraint("participant_id", "competency_id", name="one_result_per_competency"),
        CheckConstraint("level_x2 BETWEEN 2 AND 10", name="level_range"),
    )

    @property
    def level(self) -> Decimal:
        return from_x2(self.level_x2)


class AssessorRating(db.Model):
    """One assessor's level for one competency of one participant, recorded in the assessor meeting."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("assessment_participant.id", ondelete="CASCADE"))
    assessor_id: Mapped[int] = mapped_column(ForeignKey("assessment_assessor.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id"))
    level_x2: Mapped[int] = mapped_column(SmallInteger)

    participant: Mapped[AssessmentParticipant] = relationship(back_populates="ratings")
    assessor: Mapped[AssessmentAssessor] = relationship()
    competency: Mapped[Competency] = relationship()
    __table_args__ = (
        UniqueConstraint("participant_id", "assessor_id", "competency_id", name="one_rating_per_assessor"),
        CheckConstraint("level_x2 BETWEEN 2 AND 10", name="level_range"),
    )

    @property
    def level(self) -> Decimal:
        return from_x2(self.level_x2)
