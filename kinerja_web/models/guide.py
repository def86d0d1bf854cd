"""Sosialisasi: announcements HR posts to everyone, and who has read them (read receipts per OPD)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import TZDateTime, utcnow
from .user import User


class Announcement(db.Model):
    """A pengumuman on the board: written by HR (BKPSDM), read by every signed-in user."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    posted_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(TZDateTime)

    posted_by: Mapped[User | None] = relationship()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class AnnouncementRead(db.Model):
    """One user has opened one announcement (the first time counts)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(ForeignKey("announcement.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    read_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    __table_args__ = (UniqueConstraint("announcement_id", "user_id", name="one_read_per_user"),)
