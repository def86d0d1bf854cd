"""E-mail through the LAN's SMTP server, sent by the job worker after the transaction that asked for it commits.

The request (or job) never talks to SMTP: `send_email` records the message in the session's outbox
(kinerja_web/outbox.py); a commit hands it to huey's `send_mail` task (jobs/runner.py), which calls `deliver`; a
rollback drops it.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage

from flask import current_app

from ... import outbox
from ...models import User

log = logging.getLogger("kinerja_web.services.notify")


def send_email(user: User, subject: str, body: str) -> bool:
    """Queue an e-mail to the user for after the commit; False when SMTP is not configured or the user has no
    address (nothing is queued then). A mail failure never breaks the action."""
    cfg = current_app.config
    address = user.employee.email if user.employee else None
    if not cfg.get("MAIL_SERVER") or not address:
        return False
    send_mail = current_app.extensions["kinerja_send_mail"]
    outbox.record(lambda: send_mail(address, subject, body))
    return True


def deliver(cfg: Mapping, address: str, subject: str, body: str) -> bool:
    """Send one e-mail now (the worker's task); a failure is logged, never raised."""
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
