"""`flask penilaian360 pengingat`: remind raters who have not finished (also run daily by huey)."""

from __future__ import annotations

from datetime import date

import click

from ...extensions import db
from ...services.evaluation360 import reminders
from ...timeutil import today_wib
from . import bp


@bp.cli.command("pengingat")
@click.option("--tanggal", "on", default=None, help="Tanggal acuan TTTT-BB-HH (bawaan: hari ini, WIB).")
def remind(on: str | None) -> None:
    """Kirim pengingat kepada penilai yang belum menyelesaikan penilaian 360."""
    today = date.fromisoformat(on) if on else today_wib()
    n = reminders.send_all_reminders(today)
    db.session.commit()
    click.echo(f"Pengingat dikirim ke {n} penilai.")
