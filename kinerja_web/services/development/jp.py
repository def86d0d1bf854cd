"""The JP ledger (PP 17/2020 Pasal 203: at least 20 JP a year) and the yearly 20 JP reminder."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...domain.development import (
    JP_TARGET,
    check_jp,
)
from ...extensions import db
from ...models import (
    Employee,
    JpEntry,
    JpSource,
    Notification,
    RuleKind,
    User,
)
from ...timeutil import WIB, today_wib
from ..notifications.notify import notify
from .rules import rules_in_force

REMINDER_KIND = "pengingat_jp"

# --- the JP ledger ---------------------------------------------------------------------------------------


def jp_totals(employee_ids: Sequence[int] | None, year: int) -> dict[int, int]:
    """JP per employee in a year from the ledger (one query; None = every employee)."""
    stmt = select(JpEntry.employee_id, func.sum(JpEntry.jp)).where(JpEntry.year == year).group_by(JpEntry.employee_id)
    if employee_ids is not None:
        stmt = stmt.where(JpEntry.employee_id.in_(employee_ids))
    return {eid: int(total) for eid, total in db.session.execute(stmt).all()}


def jp_total(employee_id: int, year: int) -> int:
    return jp_totals([employee_id], year).get(employee_id, 0)


def record_jp(
    employee: Employee, *, jp: int | None, title: str, on_date: date | None, provider: str | None, actor: User | None
) -> JpEntry:
    """JP from another source (a seminar the employee attended on their own, a national e-learning …)."""
    jp = check_jp(jp)
    if jp == 0:
        raise DomainError("JP harus lebih dari 0.", field="jp")
    title = (title or "").strip()
    if not title:
        raise DomainError("Nama kegiatan wajib diisi.", field="title")
    if on_date is None:
        raise DomainError("Tanggal kegiatan wajib diisi.", field="on_date")
    entry = JpEntry(
        employee_id=employee.id,
        year=on_date.year,
        jp=jp,
        source=JpSource.LAINNYA,
        title=title[:200],
        on_date=on_date,
        provider=(provider or "").strip()[:200] or None,
        created_by_id=actor.id if actor else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def _reminded_this_year(user_ids: Sequence[int], year: int) -> set[int]:
    """Users who already got the 20 JP reminder of the year (one query; the year runs in WIB)."""
    if not user_ids:
        return set()
    # Bounds in UTC: SQLite keeps the stored UTC time without its offset, so compare like with like.
    since = datetime(year, 1, 1, tzinfo=WIB).astimezone(UTC)
    until = datetime(year + 1, 1, 1, tzinfo=WIB).astimezone(UTC)
    return set(
        db.session.scalars(
            select(Notification.user_id).where(
                Notification.user_id.in_(list(user_ids)),
                Notification.kind == REMINDER_KIND,
                Notification.created_at >= since,
                Notification.created_at < until,
            )
        )
    )


def send_jp_reminders(have: dict[int, int], year: int) -> int:
    """Remind employees below 20 JP, at most once per employee per year (whichever path sends it first)."""
    users = db.session.scalars(
        select(User).where(User.employee_id.in_(list(have)), User.active.is_(True)).options(joinedload(User.employee))
    ).all()
    done = _reminded_this_year([u.id for u in users], year)
    sent = 0
    for u in users:
        if u.id in done:
            continue
        n = have[u.employee_id]
        notify(
            u,
            REMINDER_KIND,
            f"Pengingat: JP pengembangan kompetensi Anda tahun {year} baru {n} dari {JP_TARGET} JP. "
            "Lihat katalog program di menu Pengembangan Saya.",
            url_for("development.mine", _external=False),  # also from the job and the CLI, outside any request
        )
        sent += 1
    db.session.flush()
    return sent


def send_due_jp_reminders(today: date) -> int:
    """The scheduled 20 JP reminder: from the month set in the JP rule in force, every active employee below
    20 JP this year is reminded once a year. A constant number of queries for the whole regency."""
    rule = rules_in_force(today).get(RuleKind.JP_KURANG)
    if rule is None or not rule.active or today.month < rule.params.get("month", 12):
        return 0
    totals = jp_totals(None, today.year)
    ids = db.session.scalars(select(Employee.id).where(Employee.active.is_(True))).all()
    below = {eid: totals.get(eid, 0) for eid in ids if totals.get(eid, 0) < JP_TARGET}
    return send_jp_reminders(below, today.year) if below else 0


def schedule_jp_reminders(app, huey) -> None:
    """Every morning at 08.15 WIB (01.15 UTC; huey crontabs are in UTC): nothing before the month set in the
    JP rule, then each employee still below 20 JP is reminded once that year."""
    from huey import crontab

    @huey.periodic_task(crontab(hour="1", minute="15"), name="pengembangan_pengingat_jp")
    def daily_jp_reminders() -> None:
        with app.app_context():
            send_due_jp_reminders(today_wib())
            db.session.commit()
            db.session.remove()
