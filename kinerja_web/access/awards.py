"""Penghargaan. Proposals come from a superior (for a subordinate) or as suggestions for HR; HR selects and issues
the SK. The employee sees an award once its SK is issued; a proposal under discussion is not shown to them.
"""

from __future__ import annotations

from sqlalchemy import Select, false, or_, select

from ..domain.awards import AwardStatus
from ..models import AwardProposal, Employee, User
from .core import is_hr, is_self, is_superior_of


def can_propose_award(user: User, employee: Employee) -> bool:
    return not is_self(user, employee) and is_superior_of(user, employee)


def visible_awards(user: User) -> Select:
    stmt = select(AwardProposal)
    if is_hr(user):
        return stmt
    if not user.is_authenticated:
        return stmt.where(false())
    conditions = [AwardProposal.proposed_by_id == user.id]
    if user.employee_id is not None:
        conditions.append(
            (AwardProposal.employee_id == user.employee_id) & (AwardProposal.status == AwardStatus.ISSUED)
        )
    return stmt.where(or_(*conditions))


def can_download_award_sk(user: User, proposal: AwardProposal) -> bool:
    if proposal.status != AwardStatus.ISSUED or proposal.document_id is None:
        return False
    return is_hr(user) or (user.is_authenticated and proposal.employee_id == user.employee_id)
