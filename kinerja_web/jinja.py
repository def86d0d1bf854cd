"""Indonesian formatting filters: dates, money, NIP. Month names from a table, never the OS locale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from .domain import labels
from .domain.nip import format_nip
from .forms import idempotency_token
from .timeutil import WIB

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _local_date(value: date | datetime) -> date:
    """Stored timestamps are UTC; SQLite hands them back naive (same rule as `waktu`)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(WIB).date()
    return value


def tanggal(value: date | datetime | None, with_day: bool = False) -> str:
    """27 November 2026 (optionally "Jumat, 27 November 2026")."""
    if value is None:
        return "–"
    value = _local_date(value)
    text = labels.tanggal(value)
    return f"{HARI[value.weekday()]}, {text}" if with_day else text


def tanggal_singkat(value: date | datetime | None) -> str:
    """27 Nov 2026, for tables and other dense places."""
    return "–" if value is None else labels.tanggal_singkat(_local_date(value))


def waktu(value: datetime | None) -> str:
    """27 November 2026 14.05 WIB (stored UTC, shown in WIB)."""
    if value is None:
        return "–"
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(WIB)
    return f"{tanggal(local.date())} {local:%H.%M} WIB"


def ribuan(value: int | Decimal | None) -> str:
    """1.234.567 (dot thousands); Decimal rounded half-up to whole rupiah first."""
    return "–" if value is None else labels.ribuan(value)


def rupiah(value: int | Decimal | None) -> str:
    """Rp 1.234.567; negative amounts as -Rp 1.234.567 (the one rupiah format: `domain.labels.rupiah`)."""
    return "–" if value is None else labels.rupiah(value)


def ukuran(value: int | None) -> str:
    """A file size: 21,7 KB."""
    return "–" if value is None else labels.ukuran(value)


def persen(value: Decimal | float | int | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return str(q).replace(".", ",") + "%"


def desimal(value: Decimal | float | int | None, digits: int = 2) -> str:
    """4,25 (Indonesian decimal comma), half-up; a sign is kept (a 360 gap can be negative)."""
    if value is None:
        return "–"
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return str(q).replace(".", ",")


def nip(value: str | None) -> str:
    return format_nip(value) if value else "–"


def nl2br(value: str | None) -> Markup:
    if not value:
        return Markup("")
    return Markup("<br>").join(Markup.escape(value).split("\n"))


FILTERS = {
    "tanggal": tanggal,
    "bulan": labels.bulan,
    "waktu": waktu,
    "tanggal_singkat": tanggal_singkat,
    "rupiah": rupiah,
    "ukuran": ukuran,
    "titik": labels.full_stop,
    "ribuan": ribuan,
    "persen": persen,
    "desimal": desimal,
    "nip": nip,
    "nl2br": nl2br,
}


def init_app(app) -> None:
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals["idempotency_token"] = idempotency_token
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
