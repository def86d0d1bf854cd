"""The public's feedback on a unit's services: SKM periods and anonymous responses, the complaint register with
its status history and the named officer's responses, and the innovation register with evidence files.

No personal data of the public is stored: SKM responses carry only the optional demographic bands, complaints
the text of the complaint (the complainant's identity stays with the channel it came through, Perpres 76/2013
Pasal 7 on the pengadu's confidentiality).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.public_feedback import (
    AgeBand,
    ComplaintCause,
    ComplaintChannel,
    ComplaintStatus,
    Education,
    InnovationStatus,
    Occupation,
    RespondentSex,
    ResponseSource,
    Verdict,
)
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .documents import IssuedDocument
from .org import Employee, Unit
from .user import User


class SkmPeriod(db.Model):
    """One survey period of a unit (a semester, a quarter, a year): the kiosk collects into the open one."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    population: Mapped[int | None] = mapped_column(Integer)  # service users in the period, for the sample check
    kiosk_open: Mapped[bool] = mapped_column(Boolean, default=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    document: Mapped[IssuedDocument | None] = relationship()
    __table_args__ = (
        UniqueConstraint("unit_id", "start_date", name="one_skm_period_per_unit_start"),
        CheckConstraint("end_date >= start_date", name="skm_period_dates"),
    )


class SkmResponse(db.Model):
    """One anonymous questionnaire: nine answers 1–4 and the optional demographic bands, nothing else."""

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("skm_period.id", ondelete="CASCADE"))
    source: Mapped[ResponseSource] = mapped_column(enum_column(ResponseSource, 10))
    u1: Mapped[int] = mapped_column(SmallInteger)
    u2: Mapped[int] = mapped_column(SmallInteger)
    u3: Mapped[int] = mapped_column(SmallInteger)
    u4: Mapped[int] = mapped_column(SmallInteger)
    u5: Mapped[int] = mapped_column(SmallInteger)
    u6: Mapped[int] = mapped_column(SmallInteger)
    u7: Mapped[int] = mapped_column(SmallInteger)
    u8: Mapped[int] = mapped_column(SmallInteger)
    u9: Mapped[int] = mapped_column(SmallInteger)
    age_band: Mapped[AgeBand | None] = mapped_column(enum_column(AgeBand, 10))
    sex: Mapped[RespondentSex | None] = mapped_column(enum_column(RespondentSex, 2))
    education: Mapped[Education | None] = mapped_column(enum_column(Education, 10))
    occupation: Mapped[Occupation | None] = mapped_column(enum_column(Occupation, 10))
    # the kiosk form's one-time token: a double tap or a resubmitted page stores one response, not two
    submission_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    __table_args__ = (
        Index("ix_skm_response_period", "period_id"),
        *(CheckConstraint(f"u{i} between 1 and 4", name=f"skm_u{i}_range") for i in range(1, 10)),
    )

    @property
    def answers(self) -> list[int]:
        return [getattr(self, f"u{i}") for i in range(1, 10)]


class ComplaintStepDeadline(db.Model):
    """Working days allowed for the step that starts in `status` (HR-editable; defaults in the domain)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[ComplaintStatus] = mapped_column(enum_column(ComplaintStatus, 16), unique=True)
    days: Mapped[int] = mapped_column(Integer)


class Complaint(db.Model):
    """Pengaduan: registered by the unit's operator, verified (terbukti/tidak terbukti with reason), followed up,
    closed. A named officer sees it once verified and answers in writing; they never edit it."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    channel: Mapped[ComplaintChannel] = mapped_column(enum_column(ComplaintChannel, 10))
    cause: Mapped[ComplaintCause] = mapped_column(enum_column(ComplaintCause, 12))
    service_name: Mapped[str | None] = mapped_column(String(150))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    received_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(60))  # e.g. the SP4N-LAPOR! tracking number
    status: Mapped[ComplaintStatus] = mapped_column(
        enum_column(ComplaintStatus, 16), default=ComplaintStatus.REGISTERED, index=True
    )
    verdict: Mapped[Verdict | None] = mapped_column(enum_column(Verdict, 16))
    verdict_reason: Mapped[str | None] = mapped_column(Text)
    verified_on: Mapped[date | None] = mapped_column(Date)
    follow_up: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)  # deadline of the current step
    reminded_on: Mapped[date | None] = mapped_column(Date)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    unit: Mapped[Unit] = relationship()
    employee: Mapped[Employee | None] = relationship()
    registered_by: Mapped[User | None] = relationship()
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint", order_by="ComplaintEvent.id", cascade="all, delete-orphan"
    )
    responses: Mapped[list[ComplaintResponse]] = relationship(
        back_populates="complaint", order_by="ComplaintResponse.id", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (Index("ix_complaint_unit_received", "unit_id", "received_on"),)


class ComplaintEvent(db.Model):
    """One step of a complaint's status history (who, when, from → to, note)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ComplaintStatus | None] = mapped_column(enum_column(ComplaintStatus, 16))
    to_status: Mapped[ComplaintStatus] = mapped_column(enum_column(ComplaintStatus, 16))
    note: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    complaint: Mapped[Complaint] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class ComplaintResponse(db.Model):
    """The named officer's written response (tanggapan) to a verified complaint; kept, never edited."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaint.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    complaint: Mapped[Complaint] = relationship(back_populates="responses")
    employee: Mapped[Employee] = relationship()


class Innovation(db.Model):
    """Inovasi of a unit (employee_id empty) or of an employee: evidence for rating and a reason for awards."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date] = mapped_column(Date)
    problem: Mapped[str] = mapped_column(Text)
    change: Mapped[str] = mapped_column(Text)
    effect: Mapped[str] = mapped_column(Text)  # the measured effect, in the unit's own figures
    status: Mapped[InnovationStatus] = mapped_column(
        enum_column(InnovationStatus, 14), default=InnovationStatus.SUBMITTED, index=True
    )
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    employee: Mapped[Employee | None] = relationship()
    files: Mapped[list[InnovationFile]] = relationship(
        back_populates="innovation", order_by="InnovationFile.id", cascade="all, delete-orphan"
    )


class InnovationFile(db.Model):
    """An evidence file of an innovation (photo, before/after figures, a decree), stored in the database."""

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(ForeignKey("innovation.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    innovation: Mapped[Innovation] = relationship(back_populates="files")
