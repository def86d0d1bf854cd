"""Public-service quality as a performance signal (domain reference §12): pure rules, no database, no clock.

- Standar pelayanan (UU 25/2009 art. 21; PermenPANRB 15/2014): each service of a unit has a completion time
  (jangka waktu penyelesaian) in working days or hours, versioned by its berlaku-mulai date.
- Working days exclude Saturdays, Sundays and the holiday calendar (national holidays and cuti bersama, data).
- Completion time of a request: the working days after the day it was received up to the day it was completed
  (same day = 0), or, for an hour standard, the clock hours that fall on working days.
- Percentiles of completion times come from a histogram of whole units (days or hours), so months combine
  exactly: a period's median is the median of its merged monthly histograms.
- Signals are evidence for the pejabat penilai, never a score (§12.3): `SignalKind` names what an IKI may be
  linked to; other areas (SKM, pengaduan) add their kinds here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .labels import LabeledEnum


class SignalKind(LabeledEnum):
    """What an IKI can be linked to (the measured value fills its realisasi form)."""

    COMPLETION_WITHIN_STANDARD = (
        "layanan_sesuai_standar",
        "Persentase layanan selesai sesuai standar",
    )
    UNIT_IKM = "nilai_ikm_unit", "Nilai IKM unit"  # SKM, PermenPANRB 14/2017 (converted, 25–100)
    SUBSTANTIATED_COMPLAINTS = "pengaduan_terbukti", "Jumlah pengaduan terbukti"  # Perpres 76/2013, §12.3


class CompletionUnit(LabeledEnum):
    WORKING_DAYS = "hari_kerja", "hari kerja"
    HOURS = "jam", "jam"


class HolidayKind(LabeledEnum):
    NATIONAL = "libur_nasional", "Libur nasional"
    CUTI_BERSAMA = "cuti_bersama", "Cuti bersama"
    LOCAL = "libur_daerah", "Libur daerah"


class TransactionStatus(LabeledEnum):
    DONE = "selesai", "Selesai"
    IN_PROGRESS = "proses", "Dalam proses"
    REJECTED = "ditolak", "Ditolak"
    CANCELLED = "dibatalkan", "Dibatalkan"

    @property
    def counts_as_backlog(self) -> bool:
        return self in (TransactionStatus.DONE, TransactionStatus.IN_PROGRESS)


STATUS_WORDS = {
    "selesai": TransactionStatus.DONE,
    "done": TransactionStatus.DONE,
    "tuntas": TransactionStatus.DONE,
    "proses": TransactionStatus.IN_PROGRESS,
    "diproses": TransactionStatus.IN_PROGRESS,
    "dalam proses": TransactionStatus.IN_PROGRESS,
    "ditolak": TransactionStatus.REJECTED,
    "tolak": TransactionStatus.REJECTED,
    "dibatalkan": TransactionStatus.CANCELLED,
    "batal": TransactionStatus.CANCELLED,
}

HIST_CAP = 120  # histogram buckets 0..HIST_CAP; longer times fall in the last bucket


# --- working-day arithmetic ------------------------------------------------------------------------------


class Calendar:
    """The holiday calendar as a value: working-day arithmetic with weekends and the given holidays skipped."""

    def __init__(self, holidays: Collection[date] = ()):
        self.holidays = frozenset(holidays)
        self._weekday_holidays = sorted(h for h in self.holidays if h.weekday() < 5)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: received Monday, completed Tuesday = 1; the same day = 0."""
        if end <= start:
            return 0
        weekdays = _weekdays_upto(end) - _weekdays_upto(start)
        holidays = bisect_right(self._weekday_holidays, end) - bisect_right(self._weekday_holidays, start)
        return weekdays - holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start` (the deadline of a request received on `start`)."""
        day = start
        while days > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def working_hours_between(self, start: datetime, end: datetime) -> int:
        """Whole clock hours of (start, end] that fall on working days (weekends and holidays skipped)."""
        if end <= start:
            return 0
        first, last = start.date(), end.date()
        if first == last:
            return int((end - start).total_seconds()) // 3600 if self.is_working_day(first) else 0
        seconds = 0
        if self.is_working_day(first):  # the rest of the first day
            seconds += 86400 - (start.hour * 3600 + start.minute * 60 + start.second)
        if self.is_working_day(last):  # the start of the last day
            seconds += end.hour * 3600 + end.minute * 60 + end.second
        # the whole days in between: working days in (first, last - 1]
        seconds += 86400 * self.working_days_between(first, last - timedelta(days=1))
        return seconds // 3600

    def elapsed(self, received: datetime, completed: datetime) -> Elapsed:
        return Elapsed(
            self.working_days_between(received.date(), completed.date()),
            self.working_hours_between(received, completed),
        )


def _weekdays_upto(day: date) -> int:
    """Weekdays (Mon–Fri) from a fixed Monday up to and including `day`."""
    days = day.toordinal() - 1  # ordinal 1 (0001-01-01) is a Monday
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest + 1, 5)


@dataclass(frozen=True)
class Elapsed:
    days: int
    hours: int

    def value_in(self, unit: CompletionUnit) -> int:
        return self.days if unit is CompletionUnit.WORKING_DAYS else self.hours


def within_standard(spent: Elapsed, limit: int, unit: CompletionUnit) -> bool:
    return spent.value_in(unit) <= limit


# --- histograms and percentiles ---------------------------------------------------------------------------


def bucket(value: int) -> int:
    return max(0, min(HIST_CAP, value))


def merge_histograms(histograms: Iterable[Mapping]) -> dict[int, int]:
    """Histograms stored as {"bucket": count} (JSON keys are text) merged into {bucket: count}."""
    out: dict[int, int] = {}
    for hist in histograms:
        for key, n in (hist or {}).items():
            k = int(key)
            out[k] = out.get(k, 0) + int(n)
    return out


def percentile(hist: Mapping[int, int], share: Decimal) -> int | None:
    """Nearest-rank percentile of a histogram (the smallest value with at least `share` of the counts at or
    below it); None for no data."""
    total = sum(hist.values())
    if not total:
        return None
    rank = max(1, int((Decimal(total) * share).to_integral_value(rounding="ROUND_CEILING")))
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if seen >= rank:
            return value
    return max(hist)


MEDIAN = Decimal("0.5")
P90 = Decimal("0.9")


def share_percent(part: int, whole: int) -> Decimal | None:
    """part/whole as a percentage with one decimal (None when nothing was completed)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- import columns ---------------------------------------------------------------------------------------

# A column header that names citizens' personal data: NIK, KK, the applicant's name, address, phone.
_PERSONAL = re.compile(
    r"^(nik|no_?nik|nomor_?nik|nik_pemohon|no_?kk|nomor_?kk|kk|nama(_?pemohon|_?warga|_?pelapor|_?pasien|"
    r"_?penduduk|_?masyarakat|_?lengkap)?|alamat.*|telepon_?pemohon|hp_?pemohon|no_?hp|tanggal_?lahir|"
    r"tgl_?lahir|no_?rm|nomor_?rekam_?medis|no_?bpjs)$"
)


def normalize_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", (text or "").strip().lower()).strip("_")


def is_personal_column(header: str) -> bool:
    """A header that carries citizens' personal data (NIK, KK, names of the public, address, birth date)."""
    return bool(_PERSONAL.match(normalize_header(header)))


def looks_like_nik(value: str) -> bool:
    """16 digits: a NIK (or KK number) typed into a column meant for something else."""
    digits = value.replace(" ", "").replace(".", "")
    return len(digits) == 16 and digits.isdigit()


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_between(start: date, end: date) -> list[date]:
    """First days of the months touching [start, end]."""
    out = []
    m = month_start(start)
    while m <= end:
        out.append(m)
        m = next_month(m)
    return out
