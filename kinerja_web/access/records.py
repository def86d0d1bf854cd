"""Records owned by a user, and loading any scoped record through the scope its list uses (404 otherwise)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, select

from ..extensions import db
from ..models import AwardProposal, Evaluatee, ImprovementPlan, Job, Notification, RaterAssignment, Referral, User
from .awards import visible_awards
from .development import visible_referrals
from .evaluation360 import visible_assignments, visible_evaluatees
from .jobs import visible_jobs
from .pembinaan import visible_plans


def visible_notifications(user: User) -> Select:
    return select(Notification).where(Notification.user_id == user.id)


_SCOPES = {
    Referral: visible_referrals,
    Notification: visible_notifications,
    Job: visible_jobs,
    RaterAssignment: visible_assignments,
    Evaluatee: visible_evaluatees,
    ImprovementPlan: visible_plans,
    AwardProposal: visible_awards,
}


def get_visible_or_404(model, record_id: int, user: User):
    """Load a record through the same scope the lists use; invisible and missing look the same (404)."""
    scope = _SCOPES[model](user)
    obj = db.session.scalars(scope.where(model.id == record_id)).first()
    if obj is None:
        abort(404)
    return obj
