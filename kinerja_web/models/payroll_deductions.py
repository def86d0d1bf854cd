"""Voluntary and third-party deductions (issue 20 item 4): the payees and the employees' standing orders with
their consent documents. The recovery of an overpayment (item 8) needs no table: it is derived from final
correction runs with a negative net and the recovery lines of later final runs (`services.payroll.recovery`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.payroll.deductions import JenisPotonganLain
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee


class PayrollPayee(db.Model):
    """Who receives a deduction: BAZNAS, a koperasi, a bank, Dharma Wanita… with the account it is paid to."""

    __tablename__ = "payroll_payee"
    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    jenis: Mapped[JenisPotonganLain] = mapped_column(enum_column(JenisPotonganLain, 12))
    bank_name: Mapped[str] = mapped_column(String(100), default="")
    bank_account: Mapped[str] = mapped_column(String(40), default="")
    account_holder: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class PayrollStandingOrder(db.Model):
    """A standing order (perintah potong tetap): from month `mulai` to `sampai` (inclusive, None = open), a fixed
    amount or a percentage of the pay received (zakat: neither, the zakat rule decides), with the employee's
    consent document (or, for zakat under an opt-out rule, the regional basis of the enrolment)."""

    __tablename__ = "payroll_standing_order"
    __audited__ = True
    __audit_exclude__ = ("consent_data",)
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    payee_id: Mapped[int] = mapped_column(ForeignKey("payroll_payee.id"))
    jenis: Mapped[JenisPotonganLain] = mapped_column(enum_column(JenisPotonganLain, 12))
    jumlah: Mapped[int | None] = mapped_column(BigInteger)
    persen_bp: Mapped[int | None] = mapped_column(Integer)  # hundredths of a percent: 1050 = 10,50 %
    mulai: Mapped[date] = mapped_column(Date)  # first day of the first month
    sampai: Mapped[date | None] = mapped_column(Date)  # first day of the last month; None = until ended
    reference: Mapped[str] = mapped_column(String(120), default="")  # nomor akad / anggota
    note: Mapped[str] = mapped_column(Text, default="")
    consent_filename: Mapped[str] = mapped_column(String(200))
    consent_content_type: Mapped[str] = mapped_column(String(60))
    consent_size: Mapped[int] = mapped_column(Integer)
    consent_sha256: Mapped[str] = mapped_column(String(64))
    consent_data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    ended_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    employee: Mapped[Employee] = relationship()
    payee: Mapped[PayrollPayee] = relationship()
    __table_args__ = (
        CheckConstraint("jumlah IS NULL OR jumlah >= 0", name="standing_order_jumlah"),
        CheckConstraint("persen_bp IS NULL OR (persen_bp > 0 AND persen_bp <= 10000)", name="standing_order_persen"),
        CheckConstraint("sampai IS NULL OR sampai >= mulai", name="standing_order_months"),
    )

    @property
    def ref(self) -> str:
        return f"PT#{self.id}"
