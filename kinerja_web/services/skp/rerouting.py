"""SKP awaiting a decision follow the org data: after an appointment changes, and every night (the periodic job)."""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import Skp
from ...timeutil import today_wib
from ..notifications.notify import notify
from .records import decider_ids, user_of


def reroute_submitted(today: date) -> int:
    """Point `appraiser_id` of every SKP awaiting a decision at today's pejabat penilai and tell the new one.

    The inbox already follows the org data on its own; this keeps the column (what the SKP page shows as
    "diajukan kepada") in step and sends the notification. Run after an appointment changes and daily.
    Approved SKP are not touched: their pejabat penilai was frozen at approval.
    """
    skps = list(
        db.session.scalars(
            select(Skp)
            .options(joinedload(Skp.employee), joinedload(Skp.period))
            .where(Skp.status == SkpStatus.SUBMITTED)
            .order_by(Skp.id)
        )
    )
    deciders = decider_ids(skps, today)
    moved = 0
    for skp in skps:
        decider = deciders[skp.id]
        if decider is None or decider == skp.appraiser_id:
            continue
        skp.appraiser_id = decider
        moved += 1
        user = user_of(decider)
        if user is not None:
            notify(
                user,
                "skp_dialihkan",
                f"SKP {skp.period.year} {skp.employee.full_name} kini menunggu persetujuan Anda "
                "sebagai pejabat penilai.",
                url_for("skp.show", skp_id=skp.id, _external=False),
            )
    db.session.flush()
    return moved


def schedule_daily_rerouting(app, huey) -> None:
    """Every night at 00.05 WIB (17.05 UTC) SKP awaiting a decision follow appointments that began or ended."""
    from huey import crontab

    @huey.periodic_task(crontab(hour="17", minute="5"), name="skp_ikuti_pejabat_penilai")
    def daily_rerouting() -> None:
        with app.app_context():  # links in the notifications come from url_for (SERVER_NAME from config)
            reroute_submitted(today_wib())
            db.session.commit()
            db.session.remove()
