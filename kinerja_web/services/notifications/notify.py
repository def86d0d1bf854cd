"""In-app notifications, with an e-mail copy when SMTP is configured; and the to-do item areas compute.

To-dos are computed, not stored: each area has a provider that counts what waits for a user ("3 SKP menunggu
persetujuan Anda"), so the list is never stale; `kinerja_web/todos.py` lists the providers.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...extensions import db
from ...models import Notification, User
from .mail import send_email


@dataclass(frozen=True)
class Todo:
    count: int
    message: str
    link: str


def notify(user: User, kind: str, message: str, link: str | None = None, *, email: bool = True) -> Notification:
    """Add an in-app notification (flushed with the caller's transaction) and e-mail it once that commits."""
    n = Notification(user_id=user.id, kind=kind, message=message, link=link)
    db.session.add(n)
    if email:
        send_email(user, "Kinerja: " + message[:80], message + (f"\n\n{link}" if link else ""))
    return n
