"""Notifications: in-app rows always, e-mail too when SMTP is configured; and the to-do registry.

To-dos are computed, not stored: each area registers a provider that counts what waits for a user
("3 SKP menunggu persetujuan Anda"), so the list is never stale.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from flask import current_app

from ..extensions import db
from ..models import Notification, User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Todo:
    count: int
    message: str
    link: str


TodoProvider = Callable[[User], list[Todo]]
TODO_PROVIDERS: list[TodoProvider] = []


def todo_provider(fn: TodoProvider) -> TodoProvider:
    TODO_PROVIDERS.append(fn)
    return fn


def todos_for(user: User) -> list[Todo]:
    items: list[Todo] = []
    for provider in TODO_PROVIDERS:
        items.extend(t for t in provider(user) if t.count)
    return items


def notify(user: User, kind: str, message: str, link: str | None = None, *, email: bool = True) -> Notification:
    """Add an in-app notification (flushed with the caller's transaction) and e-mail it if possible."""
    n = Notification(user_id=user.id, kind=kind, message=message, link=link)
    db.session.add(n)
    if email:
        send_email(user, "Kinerja: " + message[:80], message + (f"\n\n{link}" if link else ""))
    return n


def send_email(user: User, subject: str, body: str) -> bool:
    """Send through the LAN's SMTP server when configured; a mail failure never breaks the action."""
    cfg = current_app.config
    address = user.employee.email if user.employee else None
    if not cfg.get("MAIL_SERVER") or not address:
        return False
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = cfg["MAIL_FROM"], address, subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException):
        log.warning("E-mail to %s failed", address, exc_info=True)
        return False
    return True
