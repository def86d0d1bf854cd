"""Keberatan (objection) against a performance appraisal: the deadline and the workflow states.

PP 30/2019 Pasal 59 (domain §2.10): a PNS who disagrees with the appraisal may object in writing, with
reasons, to the atasan pejabat penilai kinerja "paling lama 14 (empat belas) hari" after receiving the
result. The atasan asks the pejabat penilai and the PNS for explanations, then sets the result; that
decision is final.

Counting the 14 days: calendar days (the regulation says "hari", not "hari kerja"), starting the day
after the result is received, and "paling lama" makes day 14 itself the last allowed day (inclusive).
A result given on 1 March may be objected to up to and including 15 March; 16 March is too late.
No shift for weekends or holidays: the text does not provide one.

The number of days and how they are counted are a versioned rule (`domain.rating_rules`, table
`batas_keberatan`): a later regulation may say "hari kerja", in which case Saturdays, Sundays and the holidays
listed in the version are skipped. `BatasKeberatan()` is today's rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import DomainError
from .labels import LabeledEnum, tanggal

BATAS_HARI = 14  # PP 30/2019 Pasal 59
SUMBER_BATAS = "PP 30/2019 Pasal 59"


@dataclass(frozen=True)
class BatasKeberatan:
    """How long a keberatan may be filed: `hari` days after the result, calendar days or working days."""

    hari: int = BATAS_HARI
    hari_kerja: bool = False  # False: calendar days ("hari"); True: Monday–Friday minus `libur`
    libur: frozenset[date] = field(default_factory=frozenset)  # holidays skipped when counting working days
    sumber: str = SUMBER_BATAS

    @property
    def satuan(self) -> str:
        return "hari kerja" if self.hari_kerja else "hari"

    def last_day(self, start: date) -> date:
        """The last day (inclusive) `hari` days after `start` (the day after `start` is day 1)."""
        if not self.hari_kerja:
            return start + timedelta(days=self.hari)
        day, counted = start, 0
        while counted < self.hari:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in self.libur:
                counted += 1
        return day


def batas_problems(hari: int, hari_kerja: bool, libur: Iterable[date]) -> list[tuple[str, str]]:
    """(field, Indonesian message) for a proposed deadline rule; empty when valid."""
    out = []
    if not 1 <= hari <= 90:
        out.append(("hari", "Jumlah hari harus antara 1 dan 90."))
    if not hari_kerja and list(libur):
        out.append(("libur", "Hari libur hanya dipakai bila batas dihitung dalam hari kerja; kosongkan daftar ini."))
    return out


class KeberatanStatus(LabeledEnum):
    """KEBERATAN_DIAJUKAN → DIPERIKSA → DITETAPKAN_FINAL (domain §2.10)."""

    DIAJUKAN = "diajukan", "Diajukan"
    DIPERIKSA = "diperiksa", "Diperiksa (penjelasan diminta)"
    DITETAPKAN = "ditetapkan", "Ditetapkan (final)"


class Putusan(LabeledEnum):
    DITERIMA = "diterima", "Keberatan diterima (hasil penilaian diubah)"
    DITOLAK = "ditolak", "Keberatan ditolak (hasil penilaian tetap)"


class Pihak(LabeledEnum):
    """Who gives an explanation to the atasan pejabat penilai."""

    PEGAWAI = "pegawai", "Pegawai yang dinilai"
    PENILAI = "penilai", "Pejabat penilai kinerja"


def batas_keberatan(result_given_on: date, aturan: BatasKeberatan | None = None) -> date:
    """The last day (inclusive) on which a keberatan may be filed under `aturan` (default: today's rule)."""
    return (aturan or BatasKeberatan()).last_day(result_given_on)


def check_deadline(result_given_on: date | None, today: date, aturan: BatasKeberatan | None = None) -> None:
    """Raise DomainError (Indonesian) unless `today` is within the days after the result (default: 14 calendar
    days, PP 30/2019 Pasal 59)."""
    aturan = aturan or BatasKeberatan()
    if result_given_on is None:
        raise DomainError(
            "Hasil penilaian belum diserahkan (dokumen evaluasi kinerja belum terbit); keberatan belum dapat diajukan."
        )
    last = batas_keberatan(result_given_on, aturan)
    if today > last:
        raise DomainError(
            f"Batas waktu keberatan sudah lewat: paling lama {aturan.hari} {aturan.satuan} setelah hasil penilaian "
            f"diterima ({tanggal(result_given_on)}), yaitu sampai {tanggal(last)} ({aturan.sumber})."
        )
