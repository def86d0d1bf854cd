"""Payroll tax year (issue 20 items 1 and 9): the PTKP status per employee per tax year, and the pay and
PPh 21 of the months before Kinerja started (mid-year go-live import). Whole rupiah in BigInteger columns."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.payroll.ptkp_year import PtkpSource
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee


class PtkpYear(db.Model):
    """The PTKP status one employee's tax year uses (TER category Jan..Nov and the December PTKP), with its
    source. `derived_status` is what the family data gave; a row not yet confirmed by HR is a pending change."""

    __tablename__ = "payroll_ptkp_year"
    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(5))
    source: Mapped[PtkpSource] = mapped_column(enum_column(PtkpSource, 10))
    as_of: Mapped[date] = mapped_column(Date)  # 1 January, or the first day of employment in that year
    derived_status: Mapped[str | None] = mapped_column(String(5))
    basis: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # HR's reason for an override
    confirmed_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    __table_args__ = (UniqueConstraint("employee_id", "tahun", name="uq_ptkp_year"),)

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None


class YtdImport(db.Model):
    """One confirmed upload of year-to-date pay and PPh 21 (the file's SHA-256 makes a re-upload a no-op)."""

    __tablename__ = "payroll_ytd_import"
    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class YtdEntry(db.Model):
    """Pay and PPh 21 of one employee for tax periods masa_awal..masa_akhir of a year, paid before Kinerja
    (another system or by hand). The December true-up adds them to the year's sums."""

    __tablename__ = "payroll_ytd_entry"
    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    tahun: Mapped[int] = mapped_column(Integer)
    masa_awal: Mapped[int] = mapped_column(Integer)
    masa_akhir: Mapped[int] = mapped_column(Integer)
    bruto: Mapped[int] = mapped_column(BigInteger)
    iuran_pensiun: Mapped[int] = mapped_column(BigInteger, default=0)
    pph21: Mapped[int] = mapped_column(BigInteger, default=0)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("payroll_ytd_import.id", ondelete="SET NULL"))

    employee: Mapped[Employee] = relationship()
    __table_args__ = (
        UniqueConstraint("employee_id", "tahun", name="uq_ytd_entry"),
        CheckConstraint("masa_awal BETWEEN 1 AND 12 AND masa_akhir BETWEEN masa_awal AND 12", name="ytd_masa"),
        CheckConstraint("bruto >= 0 AND iuran_pensiun >= 0", name="ytd_amounts"),
    )
