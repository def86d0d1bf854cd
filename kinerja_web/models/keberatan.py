"""Keberatan against a final performance rating (PP 30/2019 Pasal 59; domain §2.10; issue #5 item 9).

One keberatan per rating. The atasan pejabat penilai asks both sides for an explanation (one
`KeberatanPenjelasan` per side), then decides; the decision is final and changes the rating only through
`services.rating.ratings.apply_keberatan_decision`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.keberatan import KeberatanStatus, Pihak, Putusan
from ..domain.predikat import Ekspektasi, Predikat
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee
from .rating import PerformanceRating


class Keberatan(db.Model):
    __audited__ = True
    __audit_exclude__ = ("lampiran",)
    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("performance_rating.id", ondelete="CASCADE"), unique=True
    )  # a second keberatan on the same rating is refused (also by this constraint)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    penilai_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))  # pejabat penilai who rated
    atasan_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)  # on the filing day
    filed_on: Mapped[date] = mapped_column(Date)
    # The version of the keberatan deadline rule the filing was checked against (`domain.rating_rules`).
    batas_rule_version: Mapped[str | None] = mapped_column(String(80))
    filed_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    alasan: Mapped[str] = mapped_column(Text)
    lampiran: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    lampiran_name: Mapped[str | None] = mapped_column(String(200))
    lampiran_mime: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[KeberatanStatus] = mapped_column(
        enum_column(KeberatanStatus, 12), default=KeberatanStatus.DIAJUKAN, index=True
    )
    penjelasan_diminta_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    putusan: Mapped[Putusan | None] = mapped_column(enum_column(Putusan, 10))
    predikat_lama: Mapped[Predikat] = mapped_column(enum_column(Predikat, 20))
    hasil_kerja_lama: Mapped[Ekspektasi] = mapped_column(enum_column(Ekspektasi, 10))
    perilaku_kerja_lama: Mapped[Ekspektasi] = mapped_column(enum_column(Ekspektasi, 10))
    hasil_kerja_baru: Mapped[Ekspektasi | None] = mapped_column(enum_column(Ekspektasi, 10))
    perilaku_kerja_baru: Mapped[Ekspektasi | None] = mapped_column(enum_column(Ekspektasi, 10))
    predikat_baru: Mapped[Predikat | None] = mapped_column(enum_column(Predikat, 20))
    pertimbangan: Mapped[str | None] = mapped_column(Text)  # the reasoned decision
    decided_on: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))  # re-issued evaluation

    rating: Mapped[PerformanceRating] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    penilai: Mapped[Employee | None] = relationship(foreign_keys=[penilai_id])
    atasan: Mapped[Employee | None] = relationship(foreign_keys=[atasan_id])
    decider: Mapped[Employee | None] = relationship(foreign_keys=[decider_id])
    penjelasan: Mapped[list[KeberatanPenjelasan]] = relationship(
        back_populates="keberatan", order_by="KeberatanPenjelasan.id", cascade="all, delete-orphan"
    )

    @property
    def is_diajukan(self) -> bool:
        return self.status == KeberatanStatus.DIAJUKAN

    @property
    def is_diperiksa(self) -> bool:
        return self.status == KeberatanStatus.DIPERIKSA

    @property
    def is_final(self) -> bool:
        return self.status == KeberatanStatus.DITETAPKAN

    @property
    def is_diterima(self) -> bool:
        return self.putusan == Putusan.DITERIMA

    def penjelasan_of(self, pihak: Pihak) -> KeberatanPenjelasan | None:
        return next((p for p in self.penjelasan if p.pihak == pihak), None)


class KeberatanPenjelasan(db.Model):
    """One side's explanation to the atasan pejabat penilai (PP 30/2019 Pasal 59 ayat 3)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    keberatan_id: Mapped[int] = mapped_column(ForeignKey("keberatan.id", ondelete="CASCADE"), index=True)
    pihak: Mapped[Pihak] = mapped_column(enum_column(Pihak, 10))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    keberatan: Mapped[Keberatan] = relationship(back_populates="penjelasan")
    __table_args__ = (UniqueConstraint("keberatan_id", "pihak", name="one_penjelasan_per_pihak"),)
