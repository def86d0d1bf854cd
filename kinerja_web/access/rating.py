"""Penilaian kinerja: final rating, organisation predikat, calibration, evaluation documents and keberatan."""

from __future__ import annotations

from datetime import date

from ..models import Employee, Keberatan, PerformanceRating, Unit, User
from ..services.org import appraisers
from ..timeutil import today_wib
from .core import is_appraiser_of, is_hr, is_self, is_superior_of, leads_unit


def can_rate_performance(user: User, employee: Employee, on: date | None = None) -> bool:
    """Only the pejabat penilai (atasan langsung on the rating date, Plt-aware) rates (PermenPANRB 6/2022)."""
    return not is_self(user, employee) and is_appraiser_of(user, employee, on)


def can_view_performance(user: User, employee: Employee) -> bool:
    """The employee (own result), the pejabat penilai, superiors up the chain and HR; others get 404."""
    if not user.is_authenticated:
        return False
    return is_self(user, employee) or is_hr(user) or is_appraiser_of(user, employee) or is_superior_of(user, employee)


def can_see_rating_detail(user: User, employee: Employee, rating: PerformanceRating | None) -> bool:
    """The employee sees the ratings only once final (a draft is the appraiser's working state)."""
    if rating is None:
        return False
    return rating.is_final or not is_self(user, employee)


def can_set_unit_predikat(user: User, unit: Unit) -> bool:
    """Capaian kinerja organisasi is set by the leader of the organisation above (SE MenPANRB 3/2023) or HR."""
    return is_hr(user) or leads_unit(user, unit.parent)


def can_calibrate_unit(user: User, unit: Unit) -> bool:
    """Calibration: HR, the unit's own leader, and the leader above (who also sets the organisation predikat)."""
    return is_hr(user) or leads_unit(user, unit) or leads_unit(user, unit.parent)


def can_download_evaluation(user: User, employee: Employee, rating: PerformanceRating | None) -> bool:
    """The evaluation document: the employee (own), the pejabat penilai, superiors and HR, once final."""
    return rating is not None and rating.is_final and can_view_performance(user, employee)


def can_file_keberatan(user: User, rating: PerformanceRating) -> bool:
    """Only the employee rated, and only against a final rating (deadline and "once" give a message)."""
    return rating.is_final and is_self(user, rating.employee)


def is_keberatan_decider(user: User, keberatan: Keberatan, on: date | None = None) -> bool:
    """The atasan pejabat penilai of the employee on the day (Plt/Plh-aware), PP 30/2019 Pasal 59."""
    if not user.is_authenticated or user.employee_id is None or user.employee_id == keberatan.employee_id:
        return False
    found = appraisers.appraiser_supervisor_of(keberatan.employee, on or today_wib())
    return found is not None and found.employee.id == user.employee_id


def can_view_keberatan(user: User, keberatan: Keberatan) -> bool:
    """The employee, the pejabat penilai who rated, the atasan (recorded or today's) and HR; others 404."""
    if not user.is_authenticated:
        return False
    return (
        is_hr(user)
        or user.employee_id in (keberatan.employee_id, keberatan.penilai_id, keberatan.atasan_id)
        or is_keberatan_decider(user, keberatan)
    )


def can_decide_keberatan(user: User, keberatan: Keberatan, on: date | None = None) -> bool:
    """Ask for explanations and decide: only today's atasan pejabat penilai, never HR or the appraiser."""
    return not keberatan.is_final and is_keberatan_decider(user, keberatan, on)


def can_explain_keberatan(user: User, keberatan: Keberatan) -> bool:
    """Both sides answer the atasan: the employee and the pejabat penilai who rated."""
    return (
        user.is_authenticated
        and user.employee_id is not None
        and (user.employee_id in (keberatan.employee_id, keberatan.penilai_id))
    )


def can_manage_rating_rules(user: User) -> bool:
    """The rating rule tables (matrix, kurva, keberatan deadline, NIP checks, 9-box numbering): HR reads them and adds
    versions; everyone else gets 403."""
    return user.is_authenticated and is_hr(user)
