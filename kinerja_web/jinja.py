"""Indonesian formatting filters: dates, money, NIP. Month names from a table, never the OS locale."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from .domain.labels import NAMA_BULAN
from .domain.nip import format_nip
from .forms import idempotency_token
from .timeutil import WIB

HARI = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def tanggal(value: date | datetime | None, with_day: bool = False) -> str:
    """27 November 2026 (optionally "Jumat, 27 November 2026")."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        # Stored timestamps are UTC; SQLite hands them back naive (same rule as `waktu`).
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(WIB).date()
    text = f"{value.day} {NAMA_BULAN[value.month - 1]} {value.year}"
    return f"{HARI[value.weekday()]}, {text}" if with_day else text


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
    if value is None:
        return "–"
    if isinstance(value, Decimal):
        value = int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if value < 0 else ""
    return sign + f"{abs(int(value)):,}".replace(",", ".")


def rupiah(value: int | Decimal | None) -> str:
    """Rp 1.234.567; negative amounts as -Rp 1.234.567."""
    if value is None:
        return "–"
    text = ribuan(value)
    if text.startswith("-"):
        return "-Rp " + text[1:]
    return "Rp " + text


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
    "waktu": waktu,
    "rupiah": rupiah,
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
