"""Potensial of an employee for a period, entered by HR for the 9-box (PermenPANRB 3/2020; issue #5 item 10).

Potensial usually comes from an assessment (CAT/assessment centre; domain reference §3.3); the kinerja axis
is not stored: it follows from the final predikat (`domain.talent.posisi`). HR-only data, audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.talent import Potensial
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee
from .skp import Period


class TalentPotensial(db.Model):
    """HR's potensial level of one employee for one period."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    potensial: Mapped[Potensial] = mapped_column(enum_column(Potensial, 10))
    # Where the level comes from ("Asesmen kompetensi 2026", "Uji kompetensi CAT"): HR's evidence.
    dasar: Mapped[str | None] = mapped_column(String(300))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)

    employee: Mapped[Employee] = relationship()
    period: Mapped[Period] = relationship()
    __table_args__ = (UniqueConstraint("employee_id", "period_id", name="one_potensial_per_period"),)
