"""Payroll (issue 7): rule versions as rows, attendance, predikat inputs, runs and their lines.

Money is whole rupiah in BigInteger columns; amounts are computed with `Decimal` in the domain core
(`kinerja_web.domain.payroll`) and never pass through float.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.labels import bulan
from ..domain.payroll.separation import RunPart
from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow
from .org import Employee, Unit
from .user import User


class PayrollRuleVersion(db.Model):
    """One version of one rule table (`code` = a `PayrollRules` field), payload as JSON (see domain codec)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    version_id: Mapped[str] = mapped_column(String(80), unique=True)
    berlaku_mulai: Mapped[date] = mapped_column(Date)
    berlaku_sampai: Mapped[date | None] = mapped_column(Date)
    citation: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class AttendanceSource(LabeledEnum):
    IMPORT = "import", "Impor mesin absensi"
    MANUAL = "manual", "Koreksi manual"


class Attendance(db.Model):
    """One employee-day of the attendance-machine export; drives the TPP disiplin deductions."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    tanggal: Mapped[date] = mapped_column(Date)
    terlambat_menit: Mapped[int] = mapped_column(Integer, default=0)
    pulang_cepat_menit: Mapped[int] = mapped_column(Integer, default=0)
    kode_absen: Mapped[str | None] = mapped_column(String(10))
    jenis_cuti: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[AttendanceSource] = mapped_column(enum_column(AttendanceSource, 10), default=AttendanceSource.IMPORT)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    # Who imported or last corrected the day: a maker of the runs that use it (`domain.payroll.separation`).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    employee: Mapped[Employee] = relationship()
    __table_args__ = (
        UniqueConstraint("employee_id", "tanggal", name="uq_attendance_day"),
        Index("ix_attendance_tanggal", "tanggal"),
        CheckConstraint("terlambat_menit >= 0 AND pulang_cepat_menit >= 0", name="attendance_minutes"),
    )


class PayrollPredikat(db.Model):
    """Predikat kinerja used for one employee's TPP of one month (the seam the evaluation feature feeds)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)  # first day of the month
    predikat: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(200), default="")
    # Who entered or imported it; None when the evaluation feature wrote it (`services.rating.ratings.feed_payroll`).
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    employee: Mapped[Employee] = relationship()
    __table_args__ = (UniqueConstraint("employee_id", "month", name="uq_predikat_month"),)


class RunKind(LabeledEnum):
    REGULAR = "reguler", "Gaji bulanan"
    COMPENSATING = "kompensasi", "Koreksi (kompensasi)"
    THR = "thr", "THR"
    GAJI_13 = "gaji13", "Gaji ke-13"
    RAPEL = "rapel", "Rapel"


class RunStatus(LabeledEnum):
    DRAFT = "draft", "Draf"
    DIHITUNG = "dihitung", "Dihitung"
    DIVERIFIKASI = "diverifikasi", "Diverifikasi"
    DISETUJUI = "disetujui", "Disetujui"
    FINAL = "final", "Final (terkunci)"


class PayrollRun(db.Model):
    """A monthly run for the whole Pemda or chosen OPD; maker (operator) → checker → approver → final."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[RunKind] = mapped_column(enum_column(RunKind, 12), default=RunKind.REGULAR)
    whole_pemda: Mapped[bool] = mapped_column(Boolean, default=False)
    original_run_id: Mapped[int | None] = mapped_column(ForeignKey("payroll_run.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    # Rapel: the already-final months it recomputes and the final runs it differences against.
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    source_run_ids: Mapped[list | None] = mapped_column(JSON)
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus, 14), default=RunStatus.DRAFT)
    prepared_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    computed_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    finalised_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    rule_versions: Mapped[dict | None] = mapped_column(JSON)  # table code → version id
    input_hash: Mapped[str | None] = mapped_column(String(64))
    lines_hash: Mapped[str | None] = mapped_column(String(64))
    employee_count: Mapped[int] = mapped_column(Integer, default=0)
    total_penghasilan: Mapped[int] = mapped_column(BigInteger, default=0)
    total_potongan: Mapped[int] = mapped_column(BigInteger, default=0)
    total_netto: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    prepared_by: Mapped[User] = relationship(foreign_keys=[prepared_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    original: Mapped[PayrollRun | None] = relationship(remote_side=[id])
    scope_rows: Mapped[list[PayrollRunScope]] = relationship(back_populates="run", cascade="all, delete-orphan")
    contributors: Mapped[list[PayrollRunContributor]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="PayrollRunContributor.id"
    )

    @property
    def title(self) -> str:
        return f"{self.kind.label} {bulan(self.month)} #{self.id}"

    @property
    def locked(self) -> bool:
        return self.status == RunStatus.FINAL

    # The run's state as the pages ask it (templates compare no status strings).
    @property
    def is_draft(self) -> bool:
        return self.status == RunStatus.DRAFT

    @property
    def awaits_verification(self) -> bool:
        return self.status == RunStatus.DIHITUNG

    @property
    def awaits_approval(self) -> bool:
        return self.status == RunStatus.DIVERIFIKASI

    @property
    def awaits_finalisation(self) -> bool:
        return self.status == RunStatus.DISETUJUI

    @property
    def is_final(self) -> bool:
        return self.status == RunStatus.FINAL

    @property
    def is_approved(self) -> bool:
        """Approved or final: the bank transfer file may be produced."""
        return self.status in (RunStatus.DISETUJUI, RunStatus.FINAL)

    @property
    def contributions(self) -> list[tuple[int | None, RunPart]]:
        """Everyone who had a hand in the run and what they did, for the maker-checker rule
        (`domain.payroll.separation.refusal`): preparer, computers, input makers, verifier."""
        out = [(self.prepared_by_id, RunPart.PREPARED)]
        out += [(c.user_id, c.part) for c in self.contributors]
        if self.verified_by_id is not None:
            out.append((self.verified_by_id, RunPart.VERIFIED))
        return out


class PayrollRunScope(db.Model):
    """The OPD covered by a run. Unique (month, opd, slot): a second regular run for an OPD is refused
    by the database even if two operators race past the service's overlap check."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_run.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)
    opd_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    slot: Mapped[str] = mapped_column(String(12))  # the run kind; compensating runs take no slot

    run: Mapped[PayrollRun] = relationship(back_populates="scope_rows")
    opd: Mapped[Unit] = relationship()
    __table_args__ = (UniqueConstraint("month", "opd_id", "slot", name="uq_run_scope"),)


class PayrollRunContributor(db.Model):
    """One person who computed (or recomputed) a run, or entered inputs its latest computation used (written
    by `services.compute_run`). With the run's preparer and verifier these are the people the maker-checker
    rule keeps from verifying or approving it; `at` is the last time the part was recorded."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_run.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    part: Mapped[RunPart] = mapped_column(enum_column(RunPart, 12))
    at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    run: Mapped[PayrollRun] = relationship(back_populates="contributors")
    user: Mapped[User] = relationship()
    __table_args__ = (UniqueConstraint("run_id", "user_id", "part", name="uq_run_contributor"),)


class PayrollRunEmployee(db.Model):
    """One employee in a run: the exact inputs used (for `flask payroll verify`) and the net pay."""

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_run.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    inputs: Mapped[str] = mapped_column(Text)  # canonical JSON of EmployeeInputs
    penghasilan: Mapped[int] = mapped_column(BigInteger)
    potongan: Mapped[int] = mapped_column(BigInteger)
    netto: Mapped[int] = mapped_column(BigInteger)
    bruto_pph: Mapped[int] = mapped_column(BigInteger, default=0)
    pph21: Mapped[int] = mapped_column(BigInteger, default=0)
    iuran_pensiun: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (UniqueConstraint("run_id", "employee_id", name="uq_run_employee"),)


class PayrollLine(db.Model):
    """One payslip line (bulk-inserted; never one ORM object per line in a run).

    Deliberately WITHOUT foreign keys: ~150k lines per monthly run, and PostgreSQL checks each FK per row
    (measured: COPY of 149k lines 2.9 s with the two FKs, 1.3 s without). Integrity comes from the writer:
    lines are only inserted by `services.compute_run` for the (run, employee) pairs it inserts into
    `PayrollRunEmployee` in the same transaction (which does carry both FKs), and deleted with their run.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(120))
    amount: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(12))
    bagian: Mapped[str] = mapped_column(String(8))
    citation: Mapped[str] = mapped_column(Text)
    rule_version: Mapped[str] = mapped_column(String(300))
    inputs: Mapped[str] = mapped_column(Text)  # JSON list of [code, value] pairs
    __table_args__ = (Index("ix_payroll_line_run_employee", "run_id", "employee_id", "seq"),)


class TppBudget(db.Model):
    """Pagu anggaran TPP of one OPD for one budget year (APBD), set by finance or HR; the dashboard compares
    it with the TPP actually paid by final runs. Whole rupiah."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    opd: Mapped[Unit] = relationship()
    __table_args__ = (
        UniqueConstraint("opd_id", "year", name="uq_tpp_budget_opd_year"),
        CheckConstraint("amount >= 0", name="tpp_budget_amount"),
    )


class PayrollStatusPeriod(db.Model):
    """A period in which a TPP status factor applies to an employee (cuti sebulan penuh, tugas belajar,
    hukuman disiplin), with its SK; the month rule is `domain.payroll.status.counts_for_month`."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # a non-CPNS key of the `tpp_faktor_status` table
    mulai: Mapped[date] = mapped_column(Date)
    sampai: Mapped[date | None] = mapped_column(Date)  # inclusive; None = still in force
    dasar: Mapped[str] = mapped_column(String(200))  # SK number / basis
    alasan: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    employee: Mapped[Employee] = relationship()
    __table_args__ = (
        CheckConstraint("sampai IS NULL OR sampai >= mulai", name="status_period_dates"),
        Index("ix_payroll_status_period_dates", "mulai", "sampai"),
    )
