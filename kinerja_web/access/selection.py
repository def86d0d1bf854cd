"""Seleksi jabatan: HR runs a selection; pansel members see every candidate's results of their selection, declare
conflicts and score; a candidate sees only their own results; every employee sees the announcement and the published
pass lists (names, no scores). Succession and the selection report are HR's."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.documents import DocType
from ..domain.selection import SelectionStatus
from ..extensions import db
from ..models import Candidate, IssuedDocument, PanselMember, Selection, User
from .core import is_hr


def pansel_member(user: User, sel: Selection) -> PanselMember | None:
    """The user's membership of the selection's panitia (an employee member signs in with their own account)."""
    if not user.is_authenticated or user.employee_id is None:
        return None
    return next((m for m in sel.members if m.employee_id == user.employee_id), None)


def can_manage_selection(user: User) -> bool:
    return is_hr(user)


def can_view_selection_results(user: User, sel: Selection) -> bool:
    """Every candidate's scores: HR and the selection's pansel (domain reference §11.2: results are personal)."""
    return is_hr(user) or pansel_member(user, sel) is not None


def can_apply(user: User, sel: Selection) -> bool:
    return user.is_authenticated and user.employee_id is not None and sel.status == SelectionStatus.OPEN


def can_download_selection_document(user: User, sel: Selection, doc: IssuedDocument) -> bool:
    """A Pengumuman is public to every signed-in employee; the Berita Acara and the usulan to HR and the pansel."""
    if not user.is_authenticated:
        return False
    if doc.doc_type == DocType.PENGUMUMAN_SELEKSI:
        return True
    return can_view_selection_results(user, sel)


def can_view_succession(user: User) -> bool:
    return is_hr(user)


def is_pansel_for_candidate(user: User, employee) -> bool:
    """True when `user` sits on the pansel of a selection in which `employee` is a candidate: the selection committee
    may see that candidate's competency assessment (domain reference §11.2)."""
    if not user.is_authenticated or user.employee_id is None or employee is None:
        return False
    return (
        db.session.scalar(
            select(Candidate.id)
            .join(PanselMember, PanselMember.selection_id == Candidate.selection_id)
            .where(Candidate.employee_id == employee.id, PanselMember.employee_id == user.employee_id)
            .limit(1)
        )
        is not None
    )
