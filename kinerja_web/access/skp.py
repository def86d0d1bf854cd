"""SKP (performance planning): who sees, edits, approves and documents an SKP."""

from __future__ import annotations

from flask import abort
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import joinedload

from ..domain.workflow import SkpStatus, is_editable
from ..extensions import db
from ..models import Employee, Position, PositionAssignment, Skp, Unit, User
from ..timeutil import today_wib
from .core import _appraiser_id_of, is_appraiser_of, is_hr, is_self, is_superior_of, subordinates


def _owner_submitted_to_or_hr(user: User, skp: Skp) -> bool:
    if is_self(user, skp.employee) or is_hr(user):
        return True
    return user.employee_id is not None and skp.appraiser_id == user.employee_id


def can_view_skp(user: User, skp: Skp) -> bool:
    """Owner, whoever it was submitted to, any superior up the chain, and HR."""
    if not user.is_authenticated:
        return False
    return _owner_submitted_to_or_hr(user, skp) or is_superior_of(user, skp.employee)


def can_edit_skp(user: User, skp: Skp) -> bool:
    """Only the owner edits, only a draft or returned SKP, only while the period is open."""
    return is_self(user, skp.employee) and is_editable(skp.status) and skp.period.is_open


def can_approve_skp(user: User, skp: Skp) -> bool:
    """The pejabat penilai today approves or returns (a Plt/Plh who took over the atasan post included,
    not whoever it was submitted to); when the org data names nobody today, the one it was submitted to.
    Same rule as the inbox (`services.skp.records.decider_ids`)."""
    if not user.is_authenticated or user.employee_id is None:
        return False
    if skp.status != SkpStatus.SUBMITTED or is_self(user, skp.employee):
        return False
    today_id = _appraiser_id_of(skp.employee)
    return today_id == user.employee_id or (today_id is None and skp.appraiser_id == user.employee_id)


def can_set_ekspektasi(user: User, skp: Skp) -> bool:
    """Ekspektasi khusus pimpinan are written by the pejabat penilai (today's, a Plt/Plh included), not by the
    pegawai (PermenPANRB 6/2022): while the SKP is being planned or reviewed, in an open period."""
    if is_self(user, skp.employee) or skp.status not in EKSPEKTASI_OPEN or not skp.period.is_open:
        return False
    return is_appraiser_of(user, skp.employee) or (skp.status == SkpStatus.SUBMITTED and can_approve_skp(user, skp))


EKSPEKTASI_OPEN = frozenset({SkpStatus.DRAFT, SkpStatus.SUBMITTED, SkpStatus.RETURNED})


def can_revise_skp(user: User, skp: Skp) -> bool:
    """An approved SKP is changed only through a new version (reason required)."""
    return is_self(user, skp.employee) and skp.status == SkpStatus.APPROVED and skp.period.is_open


def can_report_realisasi(user: User, skp: Skp) -> bool:
    return is_self(user, skp.employee) and skp.status == SkpStatus.APPROVED and skp.period.is_open


def can_give_feedback(user: User, skp: Skp) -> bool:
    """Dialog kinerja between the pegawai and the pejabat penilai on an approved SKP."""
    if skp.status not in (SkpStatus.APPROVED, SkpStatus.REPLACED):
        return False
    return is_self(user, skp.employee) or is_appraiser_of(user, skp.employee)


def can_issue_skp_document(user: User, skp: Skp) -> bool:
    """PDF of an approved SKP: its pegawai, the pejabat penilai (who approved it, or today's) and HR."""
    if skp.status != SkpStatus.APPROVED or not user.is_authenticated:
        return False
    return can_download_skp_document(user, skp)


def can_download_skp_document(user: User, skp: Skp) -> bool:
    """Issued SKP documents (SKP PDF, realisasi reports): the pegawai, the pejabat penilai and HR —
    not every superior up the chain who may read the SKP page."""
    if not user.is_authenticated:
        return False
    return _owner_submitted_to_or_hr(user, skp) or is_appraiser_of(user, skp.employee)


def can_view_pohon(user: User, unit: Unit) -> bool:
    """The unit's performance tree: HR, and staff of the same OPD (cascading is shared inside an OPD)."""
    if is_hr(user):
        return True
    emp = user.employee if user.is_authenticated else None
    return bool(emp and emp.unit and emp.unit.opd.id == unit.opd.id)


def may_approve_skps(user: User) -> bool:
    """Menu check, one cheap query: does the user hold (definitively or as Plt/Plh) a post with sub-posts?"""
    if not user.is_authenticated or user.employee_id is None:
        return False
    today = today_wib()
    held = select(PositionAssignment.position_id).where(
        PositionAssignment.employee_id == user.employee_id,
        PositionAssignment.start_date <= today,
        or_(PositionAssignment.end_date.is_(None), PositionAssignment.end_date >= today),
    )
    own = select(Employee.position_id).where(Employee.id == user.employee_id)
    return bool(
        db.session.scalar(
            select(exists().where(or_(Position.parent_id.in_(held), Position.parent_id.in_(own.scalar_subquery()))))
        )
    )


def visible_skps(user: User) -> Select:
    """SKP list scope: own, submitted to me, my subordinates' (any level), everything for HR."""
    stmt = select(Skp)
    if is_hr(user):
        return stmt
    if user.employee_id is None:
        return stmt.where(Skp.id.is_(None))
    below = subordinates(user)
    conditions = [Skp.employee_id == user.employee_id, Skp.appraiser_id == user.employee_id]
    if below is not None:
        conditions.append(Skp.employee_id.in_(below))
    return stmt.where(or_(*conditions))


def get_skp_or_404(skp_id: int, user: User, *options) -> Skp:
    """Load an SKP the user may see (404 otherwise, so other people's SKP do not reveal they exist)."""
    skp = db.session.scalars(
        select(Skp).options(joinedload(Skp.employee), joinedload(Skp.period), *options).where(Skp.id == skp_id)
    ).first()
    return visible_skp_or_404(skp, user)


def visible_skp_or_404(skp: Skp | None, user: User) -> Skp:
    """`skp` when the user may see it; 404 when there is none or they may not (as `get_skp_or_404`)."""
    if skp is None or not can_view_skp(user, skp):
        abort(404)
    return skp
