"""Records owned by a user, and loading any scoped record through the scope its list uses (404 otherwise)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, bindparam, select

from ..extensions import db
from ..models import AwardProposal, Evaluatee, ImprovementPlan, Job, Notification, RaterAssignment, Referral, User
from .awards import visible_awards
from .development import visible_referrals
from .evaluation360 import visible_assignments, visible_evaluatees
from .jobs import visible_jobs
from .pembinaan import visible_plans

_OWN_NOTIFICATIONS = select(Notification).where(Notification.user_id == bindparam("notification_owner"))


def visible_notifications(user: User) -> Select:
    """The user's own notifications (the statement is built once and bound per call: the dashboard asks for it
    on every request)."""
    return _OWN_NOTIFICATIONS.params(notification_owner=user.id)


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
