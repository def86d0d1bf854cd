"""Public-service quality (domain reference §12): services of a unit with their versioned standar pelayanan,
the holiday calendar, the unit's service operators, the imported service log, the monthly pre-aggregates,
and the link of an SKP indikator (IKI) to a measured signal.

No citizen's personal data is stored: a transaction is a service, an identifier, times, officer and channel.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.public_service import CompletionUnit, HolidayKind, SignalKind, TransactionStatus
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Unit
from .skp import Indikator


class PublicService(db.Model):
    """A service (layanan) in a unit's catalogue."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    standards: Mapped[list[ServiceStandard]] = relationship(
        back_populates="service", order_by="ServiceStandard.valid_from", cascade="all, delete-orphan"
    )
    __table_args__ = (UniqueConstraint("unit_id", "code"),)


class ServiceStandard(db.Model):
    """One version of a service's standar pelayanan, in force from `valid_from` (berlaku mulai)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("public_service.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    requirements: Mapped[str] = mapped_column(Text, default="")
    completion_time: Mapped[int] = mapped_column(Integer)
    completion_unit: Mapped[CompletionUnit] = mapped_column(enum_column(CompletionUnit, 12))
    cost: Mapped[int] = mapped_column(Integer, default=0)  # rupiah
    product: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    service: Mapped[PublicService] = relationship(back_populates="standards")
    __table_args__ = (UniqueConstraint("service_id", "valid_from"),)


class Holiday(db.Model):
    """A national holiday, cuti bersama or local holiday: not a working day."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(150))
    kind: Mapped[HolidayKind] = mapped_column(enum_column(HolidayKind, 16))


class ServiceOperator(db.Model):
    """A user who maintains a unit's service catalogue and imports its service log (granted by HR)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    __table_args__ = (UniqueConstraint("unit_id", "user_id"),)


class ServiceTransaction(db.Model):
    """One request from the unit's own system; the key is unit + identifier (re-imports update in place)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("public_service.id", ondelete="CASCADE"), index=True)
    identifier: Mapped[str] = mapped_column(String(60))
    # local time (WIB) as the unit's system reports it: naive, so working days are the office's days
    received_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"), index=True)
    channel: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[TransactionStatus] = mapped_column(enum_column(TransactionStatus, 12))
    elapsed_days: Mapped[int | None] = mapped_column(Integer)
    elapsed_hours: Mapped[int | None] = mapped_column(Integer)
    within_standard: Mapped[bool | None] = mapped_column(Boolean)
    imported_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("unit_id", "identifier"),
        Index("ix_service_transaction_unit_received", "unit_id", "received_at"),
    )


class ServiceMonthStat(db.Model):
    """Pre-aggregated month of a unit's service log at one level: the unit (service 0, officer 0), a service
    (officer 0) or an officer (service 0). `hist_days`/`hist_hours` are histograms {value: count} of the
    completion times of requests completed in the month, so any range of months merges into exact percentiles.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(Integer, default=0)  # 0: every service
    officer_id: Mapped[int] = mapped_column(Integer, default=0)  # 0: every officer
    received: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    within: Mapped[int] = mapped_column(Integer, default=0)
    backlog: Mapped[int] = mapped_column(Integer, default=0)  # open at the end of the month
    hist_days: Mapped[dict] = mapped_column(JSON, default=dict)
    hist_hours: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (
        UniqueConstraint("unit_id", "month", "service_id", "officer_id"),
        Index("ix_service_month_stat_officer", "officer_id", "month"),
    )


class IndikatorSignal(db.Model):
    """An IKI linked to a measured signal: its realisasi form shows (and prefills) the value for the period."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[SignalKind] = mapped_column(enum_column(SignalKind, 40))
    ref_id: Mapped[int] = mapped_column(Integer)  # what the kind measures: a public_service id, a unit id, ...
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    indikator: Mapped[Indikator] = relationship()
