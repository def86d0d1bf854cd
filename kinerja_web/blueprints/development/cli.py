"""`flask pengembangan pengingat-jp`: remind employees below 20 JP (also run daily by huey)."""

from __future__ import annotations

from datetime import date

import click

from ...extensions import db
from ...services.development import jp
from ...timeutil import today_wib
from . import bp


@bp.cli.command("pengingat-jp")
@click.option("--tanggal", "on", default=None, help="Tanggal acuan TTTT-BB-HH (bawaan: hari ini, WIB).")
def remind_jp(on: str | None) -> None:
    """Kirim pengingat kepada pegawai yang JP tahun ini masih di bawah 20 (sekali setahun per pegawai)."""
    today = date.fromisoformat(on) if on else today_wib()
    n = jp.send_due_jp_reminders(today)
    db.session.commit()
    click.echo(f"Pengingat 20 JP dikirim ke {n} pegawai.")
