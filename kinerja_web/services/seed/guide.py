"""Demo data for the Panduan: one announcement from BKPSDM, so the board and its read receipts show something."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ...extensions import db
from ...models import User
from ..guide import announcements

TITLE = "Sosialisasi SKP dan penilaian kinerja"


def seed_announcement(today: date) -> int:
    """Posted by the demo HR account; 0 when it exists already or there is no such account."""
    hr = db.session.scalar(select(User).where(User.username == "kepegawaian"))
    if hr is None or any(a.title == TITLE for a, _ in announcements.board(hr, include_withdrawn=True)):
        return 0
    announcements.post(
        TITLE,
        f"BKPSDM mengadakan sosialisasi penyusunan SKP tahun {today.year + 1} dan cara membaca predikat, TPP dan "
        "PPh 21 bagi seluruh OPD.\n\nBacalah bagian Panduan yang sesuai dengan peran Anda sebelum sesi; tombol ? di "
        "setiap layar membuka penjelasannya. Bawa pertanyaan Anda tentang angka di slip gaji.",
        hr,
    )
    return 1
