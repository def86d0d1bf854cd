"""Pure rules of the SKP (PermenPANRB 6/2022 and its Lampiran): forms, aspects, targets, periods, diffs.

No Flask, no SQLAlchemy, no clock: plain values in, plain values out.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from . import DomainError
from .labels import LabeledEnum


class SkpJenis(LabeledEnum):
    """SKP form by jabatan (domain §2.4): JPT, or JA/JF with a quantitative or qualitative approach."""

    JPT = "jpt", "JPT (Pejabat Pimpinan Tinggi)"
    KUANTITATIF = "kuantitatif", "Non-JPT – pendekatan hasil kerja kuantitatif"
    KUALITATIF = "kualitatif", "Non-JPT – pendekatan hasil kerja kualitatif"


class RhkKategori(LabeledEnum):
    UTAMA = "utama", "Utama"
    TAMBAHAN = "tambahan", "Tambahan"


class Aspek(LabeledEnum):
    """Aspek of an Indikator Kinerja Individu (Lampiran PermenPANRB 6/2022)."""

    KUANTITAS = "kuantitas", "Kuantitas"
    KUALITAS = "kualitas", "Kualitas"
    WAKTU = "waktu", "Waktu"
    BIAYA = "biaya", "Biaya"


class Frequency(LabeledEnum):
    """Evaluasi kinerja periodik: frequency chosen by the instansi (domain §2.9)."""

    BULANAN = "bulanan", "Bulanan"
    TRIWULAN = "triwulan", "Triwulanan"
    SEMESTER = "semester", "Semesteran"


class PeriodStatus(LabeledEnum):
    OPEN = "dibuka", "Dibuka"
    CLOSED = "ditutup", "Ditutup"


MONTHS_PER_WINDOW = {Frequency.BULANAN: 1, Frequency.TRIWULAN: 3, Frequency.SEMESTER: 6}
WINDOW_NAMES = {Frequency.BULANAN: "Bulan", Frequency.TRIWULAN: "Triwulan", Frequency.SEMESTER: "Semester"}
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

# The 7 core values in their official order (SE MenPANRB 20/2021; PermenPANRB 6/2022: perilaku kerja).
MAX_RHK_TEXT = 1000
MAX_TARGET = Decimal("999999999999")


@dataclass(frozen=True)
class Window:
    index: int  # 1-based
    label: str
    start: date
    end: date


def periodic_windows(year: int, frequency: Frequency, start: date, end: date) -> list[Window]:
    """The periodic evaluation windows of a performance year, clipped to the period's dates."""
    step = MONTHS_PER_WINDOW[frequency]
    windows = []
    for i, month in enumerate(range(1, 13, step), start=1):
        w_start = date(year, month, 1)
        last_month = month + step - 1
        w_end = date(year, last_month, monthrange(year, last_month)[1])
        if w_end < start or w_start > end:
            continue
        windows.append(Window(i, window_label(frequency, i), max(w_start, start), min(w_end, end)))
    return windows


def window_label(frequency: Frequency, index: int) -> str:
    """How people name the periodic window `index` (1-based): "Triwulan IV", "Semester II", "Bulan 11"."""
    return f"{WINDOW_NAMES[frequency]} {ROMAN[index - 1] if frequency != Frequency.BULANAN else index}"


def current_window(windows: list[Window], today: date) -> Window | None:
    """The window `today` falls in; None before the first or after the last (outside the period)."""
    return next((w for w in windows if w.start <= today <= w.end), None)


def parse_target(jenis: SkpJenis, raw: str | None, field_name: str = "target") -> str:
    """Normalise an IKI target: a non-negative number for quantitative SKP, a description otherwise.

    Kuantitatif SKP have numeric targets; kualitatif targets are described in words (domain §2.4).
    """
    text = (raw or "").strip()
    if not text:
        raise DomainError("Target wajib diisi.", field=field_name)
    if jenis == SkpJenis.KUALITATIF:
        if len(text) > 300:
            raise DomainError("Target maksimal 300 karakter.", field=field_name)
        return text
    number = parse_number(text, field_name, "Target")
    return format_number(number)


def parse_number(text: str, field_name: str, what: str) -> Decimal:
    """Accept "12", "12,5" or "1.250" (Indonesian notation) as a non-negative number."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif cleaned.count(".") > 1 or (cleaned.count(".") == 1 and len(cleaned.split(".")[1]) == 3):
        cleaned = cleaned.replace(".", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise DomainError(f"{what} harus berupa angka, misalnya 12 atau 12,5.", field=field_name) from None
    if not number.is_finite():
        raise DomainError(f"{what} harus berupa angka, misalnya 12 atau 12,5.", field=field_name)
    if number < 0:
        raise DomainError(f"{what} tidak boleh negatif.", field=field_name)
    if number > MAX_TARGET:
        raise DomainError(f"{what} terlalu besar.", field=field_name)
    return number


def format_number(number: Decimal) -> str:
    """Indonesian decimal comma, no trailing zeros: Decimal("12.50") → "12,5"."""
    normalized = number.normalize()
    text = f"{normalized:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- version diff ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RhkRow:
    """A plain RHK for diffing; `key` identifies the same RHK across versions."""

    key: int
    kategori: str
    uraian: str
    atasan: str = ""
    indikator: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiffEntry:
    kind: str  # "tambah", "hapus", "ubah"
    uraian: str
    changes: tuple[str, ...] = field(default_factory=tuple)
    key: int | None = None  # the RHK's `RhkRow.key`, to mark it where the new version is shown
    added: tuple[str, ...] = ()  # indicators new in this RHK (their summaries)


def diff_versions(old: list[RhkRow], new: list[RhkRow]) -> list[DiffEntry]:
    """What changed between two SKP versions, RHK by RHK (shown in the version history)."""
    old_by_key = {r.key: r for r in old}
    new_keys = {r.key for r in new}
    entries: list[DiffEntry] = []
    for row in new:
        before = old_by_key.get(row.key)
        if before is None:
            entries.append(
                DiffEntry("tambah", row.uraian, tuple(f"+ {i}" for i in row.indikator), row.key, row.indikator)
            )
            continue
        changes = []
        if before.uraian != row.uraian:
            changes.append(f"Uraian: «{before.uraian}» → «{row.uraian}»")
        if before.kategori != row.kategori:
            changes.append(f"Kategori: {before.kategori} → {row.kategori}")
        if before.atasan != row.atasan:
            changes.append(f"RHK atasan: «{before.atasan or '–'}» → «{row.atasan or '–'}»")
        removed = [i for i in before.indikator if i not in row.indikator]
        added = [i for i in row.indikator if i not in before.indikator]
        changes += [f"- {i}" for i in removed] + [f"+ {i}" for i in added]
        if changes:
            entries.append(DiffEntry("ubah", row.uraian, tuple(changes), row.key, tuple(added)))
    for row in old:
        if row.key not in new_keys:
            entries.append(DiffEntry("hapus", row.uraian, key=row.key))
    return entries


# --- pohon kinerja ---------------------------------------------------------------------------------


def coverage_percent(linked: int, total: int) -> Decimal | None:
    """Share of staff RHK linked to an atasan RHK (cascading coverage); None when there are none."""
    if total == 0:
        return None
    return (Decimal(linked) * 100 / Decimal(total)).quantize(Decimal("0.1"))


def check_waktu_target(target: str, satuan: str | None, start: date, end: date) -> None:
    """A waktu target cannot exceed the period it is measured in (e.g. 13 bulan in a 12-month SKP).

    Only numeric targets in bulan/hari/minggu are checked; a date-like or descriptive target is left to the appraiser.
    """
    unit = (satuan or "").strip().lower()
    try:
        value = Decimal(target.replace(",", "."))
    except InvalidOperation:
        return
    days = (end - start).days + 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    limits = {"bulan": (months, "bulan"), "hari": (days, "hari"), "minggu": (days // 7 + (days % 7 > 0), "minggu")}
    for key, (limit, label) in limits.items():
        if unit.startswith(key) and value > limit:
            raise DomainError(f"Target waktu melebihi periode SKP (maksimal {limit} {label}).", field="target")
