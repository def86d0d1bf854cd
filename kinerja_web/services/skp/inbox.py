"""What awaits the pejabat penilai: the approval inbox, its to-do, realisasi awaiting feedback, review comments."""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import Employee, Feedback, Indikator, Period, Realisasi, ReviewComment, Rhk, Skp, User
from ...timeutil import today_wib
from ..notifications.notify import Todo
from ..org import appraisers
from .records import decider_ids
from .versions import version_diffs


def skp_waiting_for_me(user: User) -> list[Todo]:
    """ "N SKP menunggu persetujuan Anda": the same rows as the inbox (pejabat penilai today, Plt included)."""
    if user.employee_id is None:
        return []
    light = (load_only(Skp.id, Skp.employee_id, Skp.appraiser_id), joinedload(Skp.employee))
    n = len(inbox(user.employee, today_wib(), *light))
    return [Todo(n, f"{n} SKP menunggu persetujuan Anda", url_for("skp.inbox"))]


def skp_returned_to_me(user: User) -> list[Todo]:
    """ "SKP 2027 dikembalikan untuk diperbaiki": the pegawai's own SKP that the pejabat penilai sent back."""
    if user.employee_id is None:
        return []
    returned = db.session.execute(
        select(Skp.id, Period.year)
        .join(Period, Period.id == Skp.period_id)
        .where(Skp.employee_id == user.employee_id, Skp.status == SkpStatus.RETURNED)
        .order_by(Period.year)
    ).all()
    if len(returned) == 1:
        skp_id, year = returned[0]
        return [
            Todo(1, f"SKP {year} dikembalikan pejabat penilai untuk diperbaiki", url_for("skp.show", skp_id=skp_id))
        ]
    n = len(returned)
    return [Todo(n, f"{n} SKP dikembalikan pejabat penilai untuk diperbaiki", url_for("skp.index"))]


INBOX_LOAD = (
    joinedload(Skp.employee).joinedload(Employee.position),
    joinedload(Skp.period),
    selectinload(Skp.rhks).load_only(Rhk.id, Rhk.kategori),
)


def inbox(appraiser: Employee, today: date, *options) -> list[Skp]:
    """SKP awaiting a decision whose pejabat penilai is `appraiser` today.

    The inbox follows the org data of today, not the person it was submitted to: when a Plt/Plh takes
    over the atasan post (or the employee moves), the SKP moves with it (`decider_ids`). Candidates are the
    SKP submitted to `appraiser` and those of employees below the posts `appraiser` exercises today; the
    pejabat penilai of all of them is resolved in a fixed number of statements.
    """
    below = appraisers.subordinate_parent_map(appraiser, today)
    mine = Skp.appraiser_id == appraiser.id
    if below:
        mine = or_(mine, Skp.employee_id.in_(select(Employee.id).where(Employee.position_id.in_(list(below)))))
    candidates = list(
        db.session.scalars(
            select(Skp)
            .options(*(options or INBOX_LOAD))
            .where(Skp.status == SkpStatus.SUBMITTED, mine)
            .order_by(Skp.submitted_at, Skp.id)
        )
    )
    deciders = decider_ids(candidates, today, below)
    return [s for s in candidates if deciders[s.id] == appraiser.id]


def review_comments(skp: Skp) -> dict[int | None, list[ReviewComment]]:
    """Open comments of the last return; resubmitting resolves them, so only a returned SKP has any."""
    if skp.status != SkpStatus.RETURNED:
        return {}
    rows = db.session.scalars(
        select(ReviewComment)
        .where(ReviewComment.skp_id == skp.id, ReviewComment.resolved.is_(False))
        .order_by(ReviewComment.created_at)
    )
    out: dict[int | None, list[ReviewComment]] = {}
    for c in rows:
        out.setdefault(c.rhk_id, []).append(c)
    return out


def subordinates_without_skp(appraiser: Employee, period: Period, today: date) -> list[Employee]:
    team = appraisers.direct_subordinates(appraiser, today)
    if not team:
        return []
    have = set(
        db.session.scalars(
            select(Skp.employee_id).where(Skp.period_id == period.id, Skp.employee_id.in_([e.id for e in team]))
        )
    )
    return [e for e in team if e.id not in have]


def realisasi_awaiting_feedback(appraiser: Employee, appraiser_user: User) -> list[tuple[Skp, int]]:
    """Approved SKP of my staff with realisasi entered or changed since my last feedback on that SKP."""
    last_feedback = (
        select(func.max(Feedback.created_at))
        .where(Feedback.skp_id == Skp.id, Feedback.author_id == appraiser_user.id)
        .correlate(Skp)
        .scalar_subquery()
    )
    counts = (
        select(Skp.id, func.count(Realisasi.id))
        .join(Rhk, Rhk.skp_id == Skp.id)
        .join(Indikator, Indikator.rhk_id == Rhk.id)
        .join(Realisasi, Realisasi.indikator_id == Indikator.id)
        .where(
            Skp.appraiser_id == appraiser.id,
            Skp.status == SkpStatus.APPROVED,
            (last_feedback.is_(None)) | (Realisasi.updated_at > last_feedback),
        )
        .group_by(Skp.id)
    )
    n_by_skp = dict(db.session.execute(counts).all())
    if not n_by_skp:
        return []
    skps = db.session.scalars(
        select(Skp)
        .options(joinedload(Skp.employee), joinedload(Skp.period))
        .where(Skp.id.in_(list(n_by_skp)))
        .order_by(Skp.id)
    )
    return [(s, n_by_skp[s.id]) for s in skps]


def unchanged_resubmissions(rows: list[Skp]) -> set[int]:
    """Inbox rows that are a new version whose RHK/IKI equal the approved previous version (bulk-approvable)."""
    ids = [s.previous_id for s in rows if s.previous_id]
    if not ids:
        return set()
    wanted = ids + [s.id for s in rows if s.previous_id]
    by_id = {
        s.id: s
        for s in db.session.scalars(
            select(Skp)
            .options(selectinload(Skp.rhks).selectinload(Rhk.indikators), selectinload(Skp.rhks).joinedload(Rhk.parent))
            .where(Skp.id.in_(wanted))
        )
    }
    result = set()
    for s in rows:
        prev = by_id.get(s.previous_id)
        if prev is not None and prev.status == SkpStatus.APPROVED and not version_diffs([prev, by_id[s.id]]).get(s.id):
            result.add(s.id)
    return result
