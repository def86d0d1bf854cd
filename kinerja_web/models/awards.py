"""Penghargaan: proposals from top performance results, HR selection, and the SK Penghargaan that was issued.

One proposal per employee per period. The reason (the result that qualified) is frozen at proposal time,
so a later calibration does not rewrite why someone was proposed; the selection is audited.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.awards import AwardSource, AwardStatus
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .documents import IssuedDocument
from .org import Employee
from .rating import PerformanceRating
from .skp import Period
from .user import User


class AwardProposal(db.Model):
    """Usulan penghargaan for one employee in one period."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    rating_id: Mapped[int | None] = mapped_column(ForeignKey("performance_rating.id", ondelete="SET NULL"))
    source: Mapped[AwardSource] = mapped_column(enum_column(AwardSource, 10))
    reason: Mapped[str] = mapped_column(String(300))  # the result that qualified, frozen
    kotak: Mapped[int | None] = mapped_column(Integer)  # 9-box number when it was part of the reason
    note: Mapped[str | None] = mapped_column(Text)  # the atasan's words
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[AwardStatus] = mapped_column(enum_column(AwardStatus, 12), default=AwardStatus.PROPOSED, index=True)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    award_name: Mapped[str | None] = mapped_column(String(150))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_document.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    employee: Mapped[Employee] = relationship()
    period: Mapped[Period] = relationship()
    rating: Mapped[PerformanceRating | None] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    document: Mapped[IssuedDocument | None] = relationship()
    __table_args__ = (UniqueConstraint("employee_id", "period_id", name="one_award_proposal_per_period"),)
