"""Who may read and manage competency data (domain reference §11.2: results are personal data).

- Standards (standar kompetensi jabatan) are published organisation data: every signed-in user may read any
  post's standard; HR edits them.
- Assessment results: the assessee, HR and a selection committee (pansel) handling a selection the employee
  is a candidate in. Peers and the atasan do not, unless HR shares a summary (category, strengths and
  recommendations; never the levels per competency) — then the atasan sees that summary.
"""

from __future__ import annotations

from ..models import AssessmentParticipant, Employee, User
from .core import is_hr, is_self, is_superior_of
from .selection import is_pansel_for_candidate


def can_manage_competency(user: User) -> bool:
    return is_hr(user)


def can_view_standard(user: User) -> bool:
    return user.is_authenticated


def is_selection_committee_for(user: User, employee: Employee) -> bool:
    """True when `user` sits on a pansel of a selection `employee` is a candidate in (access/selection.py)."""
    return is_pansel_for_candidate(user, employee)


def can_view_assessment(user: User, employee: Employee) -> bool:
    """The full result (levels per competency, JPM, gaps, report PDF)."""
    return is_self(user, employee) or is_hr(user) or is_selection_committee_for(user, employee)


def can_view_summary(user: User, employee: Employee, participant: AssessmentParticipant | None) -> bool:
    """The shared summary: whoever sees the full result, and the atasan once HR shared it."""
    if can_view_assessment(user, employee):
        return True
    return participant is not None and participant.summary_shared and is_superior_of(user, employee)


def has_own_competency(user: User) -> bool:
    return user.is_authenticated and user.employee_id is not None
