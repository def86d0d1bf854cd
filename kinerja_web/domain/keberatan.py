"""Keberatan (objection) against a performance appraisal: the deadline and the workflow states.

PP 30/2019 Pasal 59 (domain §2.10): a PNS who disagrees with the appraisal may object in writing, with
reasons, to the atasan pejabat penilai kinerja "paling lama 14 (empat belas) hari" after receiving the
result. The atasan asks the pejabat penilai and the PNS for explanations, then sets the result; that
decision is final.

Counting the 14 days: calendar days (the regulation says "hari", not "hari kerja"), starting the day
after the result is received, and "paling lama" makes day 14 itself the last allowed day (inclusive).
A result given on 1 March may be objected to up to and including 15 March; 16 March is too late.
No shift for weekends or holidays: the text does not provide one.
"""

from __future__ import annotations

from datetime import date, timedelta

from . import DomainError
from .labels import LabeledEnum, tanggal

BATAS_HARI = 14  # PP 30/2019 Pasal 59


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


def batas_keberatan(result_given_on: date) -> date:
    """The last day (inclusive) on which a keberatan may be filed."""
    return result_given_on + timedelta(days=BATAS_HARI)


def check_deadline(result_given_on: date | None, today: date) -> None:
    """Raise DomainError (Indonesian) unless `today` is within the 14 calendar days after the result."""
    if result_given_on is None:
        raise DomainError(
            "Hasil penilaian belum diserahkan (dokumen evaluasi kinerja belum terbit); keberatan belum dapat diajukan."
        )
    last = batas_keberatan(result_given_on)
    if today > last:
        raise DomainError(
            f"Batas waktu keberatan sudah lewat: paling lama {BATAS_HARI} hari setelah hasil penilaian diterima "
            f"({tanggal(result_given_on)}), yaitu sampai {tanggal(last)} (PP 30/2019 Pasal 59)."
        )
