"""`flask pengembangan pengingat-jp`: remind employees below 20 JP (also run daily by huey)."""

from __future__ import annotations

from datetime import date

import click

from ...extensions import db
from ...services import development as dev
from ...timeutil import today_wib
from . import bp


@bp.cli.command("pengingat-jp")
@click.option("--tanggal", "on", default=None, help="Tanggal acuan TTTT-BB-HH (bawaan: hari ini, WIB).")
def remind_jp(on: str | None) -> None:
    """Kirim pengingat kepada pegawai yang JP tahun ini masih di bawah 20 (sekali setahun per pegawai)."""
    today = date.fromisoformat(on) if on else today_wib()
    n = dev.send_due_jp_reminders(today)
    db.session.commit()
    click.echo(f"Pengingat 20 JP dikirim ke {n} pegawai.")


def schedule_jp_reminders(app, huey) -> None:
    """Every morning at 08.15 WIB (01.15 UTC; huey crontabs are in UTC): nothing before the month set in the
    JP rule, then each employee still below 20 JP is reminded once that year."""
    from huey import crontab

    @huey.periodic_task(crontab(hour="1", minute="15"), name="pengembangan_pengingat_jp")
    def daily_jp_reminders() -> None:
        with app.app_context():
            dev.send_due_jp_reminders(today_wib())
            db.session.commit()
            db.session.remove()
