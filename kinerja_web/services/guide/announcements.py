"""The announcements board (pengumuman): HR posts, everyone reads; the first opening is a read receipt."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from ...domain import DomainError
from ...extensions import db
from ...models import Announcement, AnnouncementRead, Employee, User, utcnow
from ..org.units import opd_map

TITLE_MAX = 200
BODY_MAX = 10_000


def post(title: str | None, body: str | None, actor: User) -> Announcement:
    """A new announcement; an empty or over-long title/body is refused at its field."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError("Judul pengumuman wajib diisi.", field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(f"Judul paling panjang {TITLE_MAX} karakter.", field="title")
    if not body:
        raise DomainError("Isi pengumuman wajib diisi.", field="body")
    if len(body) > BODY_MAX:
        raise DomainError(f"Isi paling panjang {BODY_MAX:,} karakter.".replace(",", "."), field="body")
    a = Announcement(title=title, body=body, posted_by_id=actor.id)
    db.session.add(a)
    db.session.flush()
    return a


def withdraw(a: Announcement) -> None:
    if a.is_withdrawn:
        raise DomainError("Pengumuman ini sudah ditarik.")
    a.withdrawn_at = utcnow()


def board(user: User, include_withdrawn: bool = False) -> list[tuple[Announcement, bool]]:
    """Announcements newest first, each with whether `user` has read it."""
    stmt = select(Announcement).order_by(Announcement.posted_at.desc(), Announcement.id.desc())
    if not include_withdrawn:
        stmt = stmt.where(Announcement.withdrawn_at.is_(None))
    items = list(db.session.scalars(stmt))
    read = set(db.session.scalars(select(AnnouncementRead.announcement_id).where(AnnouncementRead.user_id == user.id)))
    return [(a, a.id in read) for a in items]


def unread_count(user: User) -> int:
    read = select(AnnouncementRead.announcement_id).where(AnnouncementRead.user_id == user.id)
    return db.session.scalar(
        select(func.count(Announcement.id)).where(Announcement.withdrawn_at.is_(None), Announcement.id.not_in(read))
    )


def mark_read(a: Announcement, user: User) -> bool:
    """Record the first opening; False when it was read before."""
    seen = db.session.scalar(
        select(AnnouncementRead.id).where(AnnouncementRead.announcement_id == a.id, AnnouncementRead.user_id == user.id)
    )
    if seen is not None:
        return False
    db.session.add(AnnouncementRead(announcement_id=a.id, user_id=user.id))
    db.session.flush()
    return True


@dataclass(frozen=True)
class OpdReceipt:
    opd_id: int | None
    opd_name: str
    readers: int
    audience: int

    @property
    def percent(self) -> int:
        return round(100 * self.readers / self.audience) if self.audience else 0


def receipts(a: Announcement) -> list[OpdReceipt]:
    """Per OPD: active user accounts whose employee works there, and how many of them opened `a`.
    Accounts without an employee (operators, administrators) are counted under "Tanpa unit kerja"."""
    unit_opd, opds = opd_map()
    rows = db.session.execute(
        select(User.id, Employee.unit_id).outerjoin(Employee, Employee.id == User.employee_id).where(User.active)
    ).all()
    readers = set(db.session.scalars(select(AnnouncementRead.user_id).where(AnnouncementRead.announcement_id == a.id)))
    audience: Counter = Counter()
    read: Counter = Counter()
    for user_id, unit_id in rows:
        opd = unit_opd.get(unit_id) if unit_id is not None else None
        audience[opd] += 1
        if user_id in readers:
            read[opd] += 1
    out = [
        OpdReceipt(opd, opds[opd].name if opd in opds else "Tanpa unit kerja", read[opd], n)
        for opd, n in audience.items()
    ]
    return sorted(out, key=lambda r: (r.opd_id is None, r.opd_name))
