"""`flask penilaian360 pengingat`: remind raters who have not finished (also run daily by huey)."""

from __future__ import annotations

from datetime import date

import click

from ...extensions import db
from ...services import evaluation360 as shared
from ...timeutil import today_wib
from . import bp


@bp.cli.command("pengingat")
@click.option("--tanggal", "on", default=None, help="Tanggal acuan TTTT-BB-HH (bawaan: hari ini, WIB).")
def remind(on: str | None) -> None:
    """Kirim pengingat kepada penilai yang belum menyelesaikan penilaian 360."""
    today = date.fromisoformat(on) if on else today_wib()
    n = shared.send_all_reminders(today)
    db.session.commit()
    click.echo(f"Pengingat dikirim ke {n} penilai.")


def schedule_daily_reminders(app, huey) -> None:
    """Every morning at 08.00 WIB (01.00 UTC; huey crontabs are in UTC) the worker sends the reminders."""
    from huey import crontab

    @huey.periodic_task(crontab(hour="1", minute="0"), name="penilaian360_pengingat")
    def daily_reminders() -> None:
        with app.app_context():
            shared.send_all_reminders(today_wib())
            db.session.commit()
            db.session.remove()
