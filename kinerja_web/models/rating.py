"""Final performance rating by the pejabat penilai and the organisation predikat per unit (issue #5 items 6–7).

`PerformanceRating` holds the two ratings and the predikat computed by `domain.predikat.predikat()`;
once FINAL it changes only through calibration (with a reason, audited) or, later, the keberatan path.
`UnitPredikat` is the capaian kinerja organisasi set by the leader above (SE MenPANRB 3/2023).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.predikat import Ekspektasi, Predikat, PredikatOrganisasi
from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow
from .org import Employee, Unit
from .skp import Period

ANNUAL = 0  # window_no of the annual rating; 1..12 are the periodic windows of Period.windows


class RatingStatus(LabeledEnum):
    DRAFT = "draft", "Draf"
    FINAL = "final", "Final"


class PerformanceRating(db.Model):
    """The pejabat penilai's ratings of one employee for one period (annual: window_no 0)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    window_no: Mapped[int] = mapped_column(Integer, default=ANNUAL)
    hasil_kerja: Mapped[Ekspektasi] = mapped_column(enum_column(Ekspektasi, 10))
    perilaku_kerja: Mapped[Ekspektasi] = mapped_column(enum_column(Ekspektasi, 10))
    predikat: Mapped[Predikat] = mapped_column(enum_column(Predikat, 20))
    # True when hasil kerja was taken from the unit's capaian kinerja organisasi (SE MenPANRB 3/2023).
    hasil_from_unit: Mapped[bool] = mapped_column(default=False)
    catatan: Mapped[str | None] = mapped_column(Text)
    status: Mapped[RatingStatus] = mapped_column(enum_column(RatingStatus, 10), default=RatingStatus.DRAFT, index=True)
    appraiser_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    rated_on: Mapped[date | None] = mapped_column(Date)
    finalised_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Set by the calibration path (and, later, the keberatan decision): the last reason for a change.
    change_reason: Mapped[str | None] = mapped_column(Text)
    # The day the result was given to the employee (its Dokumen Evaluasi Kinerja issued when the period
    # was locked); the 14-day keberatan deadline runs from here (PP 30/2019 Pasal 59).
    result_given_on: Mapped[date | None] = mapped_column(Date)
    # The version of the predikat matrix the predikat was computed with (`domain.rating_rules`); a later change of
    # this rating (calibration, keberatan) computes with the same version, so a past year stays reproducible.
    rule_version: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    appraiser: Mapped[Employee | None] = relationship(foreign_keys=[appraiser_id])
    period: Mapped[Period] = relationship()
    __table_args__ = (UniqueConstraint("employee_id", "period_id", "window_no", name="one_rating_per_window"),)

    @property
    def is_final(self) -> bool:
        return self.status == RatingStatus.FINAL


class UnitPredikat(db.Model):
    """Capaian kinerja organisasi of a unit for a period (SE MenPANRB 3/2023), set by the leader above or HR."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    window_no: Mapped[int] = mapped_column(Integer, default=ANNUAL)
    predikat: Mapped[PredikatOrganisasi] = mapped_column(enum_column(PredikatOrganisasi, 20))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    # Once the unit is calibrated, every later rating change needs a reason (and is audited).
    calibrated_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    # The version of the kurva distribusi the unit was checked (and calibrated) against (`domain.rating_rules`).
    kurva_rule_version: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(String(500))

    unit: Mapped[Unit] = relationship()
    period: Mapped[Period] = relationship()
    __table_args__ = (UniqueConstraint("unit_id", "period_id", "window_no", name="one_unit_predikat_per_window"),)


class RatingLock(db.Model):
    """HR locked a period/window: evaluation documents and penetapan predikat documents are issued once.

    One row per (period, window): a second lock (or a double click) finds it and issues nothing again.
    """

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    window_no: Mapped[int] = mapped_column(Integer, default=ANNUAL)
    issued_on: Mapped[date] = mapped_column(Date)
    locked_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))

    period: Mapped[Period] = relationship()
    __table_args__ = (UniqueConstraint("period_id", "window_no", name="one_lock_per_window"),)


class RatingRuleVersion(db.Model):
    """One version of one rating rule table (`code` in `domain.rating_rules.CODES`), payload as JSON.

    Versions are only added, never edited (a rating records the version it used); every insert is audited.
    """

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    version_id: Mapped[str] = mapped_column(String(80), unique=True)
    berlaku_mulai: Mapped[date] = mapped_column(Date)
    berlaku_sampai: Mapped[date | None] = mapped_column(Date)
    citation: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    created_by = relationship("User")
