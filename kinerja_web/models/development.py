"""Competency development (tindak lanjut): programme catalogue, referral rules, referrals and the JP ledger.

A `Referral` is first a *suggestion* produced by a `ReferralRule` from an evaluation result (final
predikat, 360 BerAKHLAK result, JP shortfall); HR accepts it by assigning a `Programme`, or dismisses it
with a reason. Completion credits JP into `JpEntry`, the per-employee, per-year ledger that also holds JP
from other sources (domain §3.1–3.2).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.development import Eligibility, ProgrammeBentuk, ReasonKind, ReferralStatus, jalur
from ..domain.labels import NAMA_BULAN, tanggal
from ..domain.predikat import Predikat
from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow
from .evaluation360 import Evaluatee
from .org import Employee
from .rating import PerformanceRating
from .skp import Period


class Programme(db.Model):
    """One entry of the catalogue: a training, coaching, e-learning … with its JP and who may attend."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    bentuk: Mapped[ProgrammeBentuk] = mapped_column(enum_column(ProgrammeBentuk, 30), index=True)
    jp: Mapped[int] = mapped_column(Integer)
    provider: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date | None] = mapped_column(Date)  # both empty: self-paced (mandiri)
    end_date: Mapped[date | None] = mapped_column(Date)
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: no limit (e-learning)
    competencies: Mapped[str | None] = mapped_column(Text)  # target competencies, free text
    berakhlak_values: Mapped[list] = mapped_column(JSON, default=list)  # value codes (domain.berakhlak)
    eligible_kinds: Mapped[list] = mapped_column(JSON, default=list)  # PositionKind values; empty: all
    min_golongan: Mapped[str | None] = mapped_column(String(8))
    max_golongan: Mapped[str | None] = mapped_column(String(8))
    cost: Mapped[int] = mapped_column(BigInteger, default=0)  # whole rupiah per participant
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    __table_args__ = (
        CheckConstraint("jp >= 0", name="jp_not_negative"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("cost >= 0", name="cost_not_negative"),
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="dates_ordered"),
    )

    @property
    def self_paced(self) -> bool:
        return self.start_date is None

    @property
    def schedule_label(self) -> str:
        """ "3 Maret 2026 s.d. 5 Maret 2026", or "Mandiri" for self-paced programmes."""
        if self.start_date is None or self.end_date is None:
            return "Mandiri (tanpa jadwal)"
        if self.start_date == self.end_date:
            return tanggal(self.start_date)
        return f"{tanggal(self.start_date)} s.d. {tanggal(self.end_date)}"

    @property
    def jalur(self) -> str:
        return jalur(self.bentuk)

    @property
    def eligibility(self) -> Eligibility:
        return Eligibility(frozenset(self.eligible_kinds or ()), self.min_golongan, self.max_golongan)


class RuleKind(LabeledEnum):
    """The four referral rules of the follow-up stage (domain §2.11, §3.1)."""

    PREDIKAT_RENDAH = "predikat_rendah", "Predikat Butuh Perbaikan / Kurang / Sangat Kurang"
    BERAKHLAK_RENDAH = "berakhlak_rendah", "Nilai BerAKHLAK rendah pada hasil 360"
    PREDIKAT_TINGGI = "predikat_tinggi", "Predikat Sangat Baik"
    JP_KURANG = "jp_kurang", "JP di bawah 20 pada bulan tertentu"
    KEHADIRAN_MINIMAL = "kehadiran_minimal", "Kehadiran minimal agar JP diakui"
    GAP_KOMPETENSI = "gap_kompetensi", "Kesenjangan kompetensi dari hasil penilaian kompetensi"


class ReferralRule(db.Model):
    """One version of one rule. A change adds a version; the version in force on a date is the one with the
    latest `berlaku_mulai` on or before it (so last year's suggestions stay explainable)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[RuleKind] = mapped_column(enum_column(RuleKind, 20))
    version: Mapped[int] = mapped_column(Integer)
    berlaku_mulai: Mapped[date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(default=True)
    bentuk: Mapped[ProgrammeBentuk] = mapped_column(enum_column(ProgrammeBentuk, 30))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id", ondelete="SET NULL"))
    # predikat_rendah: {"predikat": [...], "plan_months": 6}; berakhlak_rendah: {"threshold": "2.50"};
    # predikat_tinggi: {"predikat": ["sangat_baik"]}; jp_kurang: {"month": 9}; kehadiran_minimal: {"percent": 80}
    # (kehadiran_minimal suggests nothing: its `bentuk` is the fixed rules.ATTENDANCE_BENTUK)
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(String(500))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    programme: Mapped[Programme | None] = relationship()
    changed_by = relationship("User")
    __table_args__ = (UniqueConstraint("kind", "version", name="one_version_number"),)

    @property
    def params_text(self) -> str:
        """The parameters as the rules page shows them: "Predikat pemicu: Sangat Baik; …", never stored values."""
        parts = []
        for key, value in self.params.items():
            if key == "predikat":
                labels = {p.value: p.label for p in Predikat}
                parts.append("Predikat pemicu: " + ", ".join(labels.get(v, v) for v in value))
            elif key == "plan_months":
                parts.append(f"Lama rencana perbaikan: {value} bulan")
            elif key == "threshold":
                parts.append(f"Batas rata-rata nilai: {str(value).replace('.', ',')}")
            elif key == "month":
                parts.append(f"Bulan pemeriksaan: {NAMA_BULAN[int(value) - 1]}")
            else:
                parts.append(f"{key}: {value}")
        return "; ".join(parts)


class Referral(db.Model):
    """A referral of one employee to development, from suggestion to completion (see domain.development)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)  # development year the JP count towards
    status: Mapped[ReferralStatus] = mapped_column(
        enum_column(ReferralStatus, 14), default=ReferralStatus.DIUSULKAN, index=True
    )
    # Why: the rule (version) that fired, the kind of reason, the triggering result and a readable sentence.
    reason_kind: Mapped[ReasonKind] = mapped_column(enum_column(ReasonKind, 20), index=True)
    reason_text: Mapped[str] = mapped_column(String(500))
    rule_id: Mapped[int | None] = mapped_column(ForeignKey("referral_rule.id", ondelete="SET NULL"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id"))
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("performance_rating.id", ondelete="SET NULL"))
    evaluatee_id: Mapped[int | None] = mapped_column(ForeignKey("evaluatee.id", ondelete="SET NULL"))
    berakhlak_value: Mapped[str | None] = mapped_column(String(30))  # value code, for BERAKHLAK_RENDAH
    nine_box: Mapped[int | None] = mapped_column(Integer)  # kotak talenta, when a 9-box result triggered it
    jp_at_suggestion: Mapped[int | None] = mapped_column(Integer)  # for JP_KURANG
    # GAP_KOMPETENSI: the assessment (participant row) and the competency whose gap triggered it
    assessment_participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_participant.id", ondelete="SET NULL"), index=True
    )
    competency_code: Mapped[str | None] = mapped_column(String(20))
    # One suggestion per trigger: generating twice never duplicates ("rating:12:predikat_rendah").
    source_key: Mapped[str] = mapped_column(String(80), unique=True)
    suggested_bentuk: Mapped[ProgrammeBentuk] = mapped_column(enum_column(ProgrammeBentuk, 30))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id"), index=True)
    plan_months: Mapped[int | None] = mapped_column(Integer)  # 6 for pembinaan kinerja (PP 30/2019 Pasal 57)
    # Lifecycle
    assigned_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    started_on: Mapped[date | None] = mapped_column(Date)
    finished_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    dismiss_reason: Mapped[str | None] = mapped_column(String(500))
    not_completed_reason: Mapped[str | None] = mapped_column(String(500))
    attendance_percent: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(String(500))  # hasil/nilai/kelulusan as reported
    jp_credited: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)

    employee: Mapped[Employee] = relationship()
    programme: Mapped[Programme | None] = relationship()
    rule: Mapped[ReferralRule | None] = relationship()
    period: Mapped[Period | None] = relationship()
    rating: Mapped[PerformanceRating | None] = relationship()
    evaluatee: Mapped[Evaluatee | None] = relationship()
    certificates: Mapped[list[ReferralCertificate]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralCertificate.id"
    )
    __table_args__ = (
        CheckConstraint("attendance_percent IS NULL OR attendance_percent BETWEEN 0 AND 100", name="attendance"),
        CheckConstraint("jp_credited IS NULL OR jp_credited >= 0", name="jp_not_negative"),
        Index("ix_referral_status_kind", "status", "reason_kind"),
    )

    @property
    def needs_improvement_plan(self) -> bool:
        """Pembinaan kinerja referrals get a 6-month improvement plan (PP 30/2019 Pasal 57)."""
        return self.reason_kind == ReasonKind.PREDIKAT_RENDAH


class ReferralCertificate(db.Model):
    """A certificate file, stored in the database (outside static/), type checked by its content."""

    __audited__ = True
    __audit_exclude__ = ("data",)
    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    referral: Mapped[Referral] = relationship(back_populates="certificates")


class JpSource(LabeledEnum):
    RUJUKAN = "rujukan", "Program rujukan"
    LAINNYA = "lainnya", "Sumber lain (dicatat kepegawaian)"


class JpEntry(db.Model):
    """The JP ledger: hours of learning credited to one employee in one year (domain §3.1)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    jp: Mapped[int] = mapped_column(Integer)
    source: Mapped[JpSource] = mapped_column(enum_column(JpSource, 10))
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    on_date: Mapped[date] = mapped_column(Date)
    provider: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    referral: Mapped[Referral | None] = relationship()
    __table_args__ = (
        CheckConstraint("jp > 0", name="jp_positive"),
        Index("ix_jp_entry_employee_year", "employee_id", "year"),
    )
