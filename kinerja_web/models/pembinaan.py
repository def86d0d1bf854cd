"""Pembinaan kinerja: improvement plans after a low predikat and the coaching session log (PP 30/2019 Pasal 57).

One plan per triggering final rating. The plan runs 6 months from its start date, with agreed actions,
scheduled check-ins, and a review whose outcome (membaik / tidak membaik) gives HR the next step
(`domain.pembinaan.next_step`). Everything is audited.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.pembinaan import ActionStatus, PlanStatus, ReviewOutcome
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee
from .rating import PerformanceRating
from .user import User


class ImprovementPlan(db.Model):
    """Rencana pembinaan kinerja of one employee, triggered by one final rating."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    # One plan per triggering rating: a double submit or a second tab cannot open two.
    rating_id: Mapped[int] = mapped_column(ForeignKey("performance_rating.id"), unique=True)
    coach_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    review_date: Mapped[date] = mapped_column(Date, index=True)
    goal: Mapped[str] = mapped_column(Text)
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus, 20), default=PlanStatus.RUNNING, index=True)
    # Set when the plan was started from an accepted referral (e.g. "referral:12").
    source_ref: Mapped[str | None] = mapped_column(String(80), index=True)
    outcome: Mapped[ReviewOutcome | None] = mapped_column(enum_column(ReviewOutcome, 20))
    review_notes: Mapped[str | None] = mapped_column(Text)
    reviewed_on: Mapped[date | None] = mapped_column(Date)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Recommended next step frozen at the review (title and legal basis), so later org changes do not rewrite it.
    next_step: Mapped[str | None] = mapped_column(Text)
    next_step_basis: Mapped[str | None] = mapped_column(String(120))
    followup_notes: Mapped[str | None] = mapped_column(Text)
    followup_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    coach: Mapped[Employee] = relationship(foreign_keys=[coach_id])
    rating: Mapped[PerformanceRating] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    actions: Mapped[list[ImprovementAction]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="ImprovementAction.target_date"
    )
    check_ins: Mapped[list[CheckIn]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="CheckIn.scheduled_on"
    )
    sessions: Mapped[list[CoachingSession]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="CoachingSession.held_on.desc()"
    )

    @property
    def title(self) -> str:
        return f"Pembinaan kinerja {self.employee.name}"

    @property
    def is_running(self) -> bool:
        return self.status == PlanStatus.RUNNING


class ImprovementAction(db.Model):
    """One agreed action of the plan (from the start or from a coaching session), with target date and status."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plan.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("coaching_session.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(String(500))
    target_date: Mapped[date] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(enum_column(ActionStatus, 20), default=ActionStatus.PLANNED)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)

    plan: Mapped[ImprovementPlan] = relationship(back_populates="actions")


class CheckIn(db.Model):
    """A scheduled check-in date; done when a coaching session is recorded for it."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plan.id", ondelete="CASCADE"), index=True)
    scheduled_on: Mapped[date] = mapped_column(Date, index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("coaching_session.id", ondelete="SET NULL"))
    held_on: Mapped[date | None] = mapped_column(Date)

    plan: Mapped[ImprovementPlan] = relationship(back_populates="check_ins")

    @property
    def done(self) -> bool:
        return self.held_on is not None


class CoachingSession(db.Model):
    """Log of one coaching conversation: date, coach, notes (visible to the employee, the atasan and HR)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plan.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    coach_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    notes: Mapped[str] = mapped_column(Text)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Client token of the form: a double submit of the same form logs the session once.
    form_token: Mapped[str | None] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)

    plan: Mapped[ImprovementPlan] = relationship(back_populates="sessions")
    coach: Mapped[Employee] = relationship()
    actions: Mapped[list[ImprovementAction]] = relationship(viewonly=True, order_by="ImprovementAction.id")
