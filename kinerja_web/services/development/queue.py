"""The HR work queue of suggestions: filters, page query, counts, and the to-do it puts on HR's dashboard."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ...domain.development import (
    ReasonKind,
    ReferralStatus,
)
from ...extensions import db
from ...models import (
    Employee,
    Job,
    Period,
    Referral,
    Unit,
    UnitKind,
    User,
)
from ...models.user import HR_ROLES
from ..jobs import check_orphaned
from ..notifications.notify import Todo
from ..org.units import subtree_ids
from .suggestions import GENERATE_JOB

QUEUE_PAGE_SIZE = 50

# --- HR work queue -------------------------------------------------------------------------------------


def opds() -> list[Unit]:
    return list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD).order_by(Unit.name)))


@dataclass(frozen=True)
class QueueFilter:
    opd_id: int | None = None
    reason: ReasonKind | None = None
    status: ReferralStatus | None = ReferralStatus.DIUSULKAN
    year: int | None = None
    q: str = ""


def queue_query(f: QueueFilter) -> Select:
    stmt = (
        select(Referral)
        .join(Employee, Employee.id == Referral.employee_id)
        .options(
            joinedload(Referral.employee).joinedload(Employee.position),
            joinedload(Referral.employee).joinedload(Employee.unit),
            joinedload(Referral.programme),
        )
        .order_by(Referral.reason_kind, Employee.name, Referral.id)
    )
    if f.status is not None:
        stmt = stmt.where(Referral.status == f.status)
    if f.reason is not None:
        stmt = stmt.where(Referral.reason_kind == f.reason)
    if f.year is not None:
        stmt = stmt.where(Referral.year == f.year)
    if f.opd_id is not None:
        stmt = stmt.where(Employee.unit_id.in_(subtree_ids(f.opd_id)))
    if f.q:
        like = f"%{f.q.strip()}%"
        stmt = stmt.where(Employee.name.ilike(like) | Employee.nip.like(like))
    return stmt


def queue_page(f: QueueFilter, page: int):
    """One page of the queue (QUEUE_PAGE_SIZE rows; an out-of-range page is empty, not a 404)."""
    return db.paginate(queue_query(f), per_page=QUEUE_PAGE_SIZE, page=page, error_out=False)


def generation_job(visible: Select, job_id: int) -> Job | None:
    """The generation job `job_id` shown above the queue, among the jobs the user may see (`visible`, from
    access.visible_jobs); an orphaned one is resumed (or marked failed) first."""
    job = db.session.scalars(visible.where(Job.id == job_id, Job.kind == GENERATE_JOB)).first()
    return job and check_orphaned(job)


def status_counts(year: int | None) -> dict[str, int]:
    stmt = select(Referral.status, func.count(Referral.id)).group_by(Referral.status)
    if year is not None:
        stmt = stmt.where(Referral.year == year)
    return {s.value if hasattr(s, "value") else s: n for s, n in db.session.execute(stmt).all()}


def referrals_by_ids(ids: list[int]) -> list[Referral]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.id.in_(ids))
            .options(joinedload(Referral.employee).joinedload(Employee.position))
            .order_by(Referral.id)
        ).unique()
    )


def periods() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


# --- to-dos ---------------------------------------------------------------------------------------------


def pending_suggestions_count() -> int:
    return db.session.scalar(select(func.count(Referral.id)).where(Referral.status == ReferralStatus.DIUSULKAN)) or 0


def referral_todos(user: User) -> list[Todo]:
    if not _works_the_queue(user):
        return []
    n = pending_suggestions_count()
    return (
        [Todo(n, f"{n} usulan rujukan pengembangan menunggu keputusan", url_for("development.queue", _external=False))]
        if n
        else []
    )


def _works_the_queue(user: User) -> bool:
    """`access.can_work_referral_queue` (HR), read from the roles: services sit below `access` (import contract)."""
    return user.is_authenticated and user.has_role(*HR_ROLES)
