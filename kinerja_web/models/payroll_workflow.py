"""Payroll workflow rows added by issue 20: runs returned with a reason, numbers of deleted drafts (never
reused), and manual pay facts (one-off amounts with a reason, a document and maker-checker approval)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.labels import bulan
from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow
from .org import Employee
from .user import User


class PayrollRunReturn(db.Model):
    """A verifier or approver sent the run back to its maker (status → draf) with a reason."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_run.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(14))  # the status it had (dihitung / diverifikasi)
    reason: Mapped[str] = mapped_column(Text)
    returned_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    returned_by: Mapped[User] = relationship()


class PayrollRunTombstone(db.Model):
    """The number of a deleted draft run: kept so the number is never given to another run."""

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the deleted run's id
    title: Mapped[str] = mapped_column(String(120))
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    deleted_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)


class ManualStatus(LabeledEnum):
    MENUNGGU = "menunggu", "Menunggu persetujuan"
    DISETUJUI = "disetujui", "Disetujui"
    DITOLAK = "ditolak", "Ditolak"


class PayrollManualAmount(db.Model):
    """A one-off amount for one component of one employee-month that the rules cannot express (e.g. a court
    order): entered by HR/BPKAD with reason and document, used by a run only once approved by someone else."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    label: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(12))  # LineKind value: penghasilan / potongan
    bagian: Mapped[str] = mapped_column(String(8))  # Bagian value: gaji / tpp
    reason: Mapped[str] = mapped_column(Text)
    document: Mapped[str] = mapped_column(String(200))  # number and date of the basis (putusan, SK, BA)
    status: Mapped[ManualStatus] = mapped_column(enum_column(ManualStatus, 10), default=ManualStatus.MENUNGGU)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    employee: Mapped[Employee] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    __table_args__ = (
        CheckConstraint("amount > 0", name="manual_amount_positive"),
        Index("ix_payroll_manual_month", "month", "status"),
    )

    @property
    def month_label(self) -> str:
        return bulan(self.month)

    @property
    def title(self) -> str:
        return f"{self.label} {bulan(self.month)}"
