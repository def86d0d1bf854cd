"""PTKP status per tax year (issue 20 item 1): which status a tax year uses, derived from the family data.

Rules (domain reference §5.2; checked against the regulation's text as quoted by DDTCNews, 3 Dec 2024 and
10 Jan 2024, https://news.ddtc.co.id/berita/nasional/1807307/begini-ketentuan-ptkp-bagi-karyawati-kawin-dan-tidak-kawin):

- The PTKP status is the family's state at the **start of the tax year** (1 January), or at the start of the
  part of the year for someone whose employment starts during the year (PMK 168/2023 / PP 58/2023 Pasal 2
  ayat (2); the same rule as PER-16/PJ/2016 Pasal 11 ayat (5) before it). A marriage or a birth during the
  year changes the TER category and the December PTKP only from the next January.
- Dependants (tanggungan): family members wholly supported, **at most 3** (UU PPh Pasal 7 ayat (1)).
- A **married female employee** gets the PTKP for herself only (PMK 168/2023 Pasal 9 ayat (2) huruf a),
  i.e. TK/0, unless she shows a written statement from the local government (at least the kecamatan) that
  her husband has no income; then the status kawin and her dependants are added.

Pure: no database, no `date.today()`. The persisted source values live in `PtkpSource`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import DomainError
from ..labels import LabeledEnum, tanggal

MAX_TANGGUNGAN = 3
CITATION_AWAL_TAHUN = "PP 58/2023 Pasal 2 ayat (2); PMK 168/2023 (keadaan pada awal tahun pajak)"
CITATION_WANITA_KAWIN = "PMK 168/2023 Pasal 9 ayat (2) huruf a"


class PtkpSource(LabeledEnum):
    """Where a tax year's PTKP status came from (stored in `payroll_ptkp_year.source`)."""

    MIGRASI = "migrasi", "Dipindahkan dari status PTKP pegawai (migrasi)"
    KELUARGA = "keluarga", "Diturunkan dari data keluarga"
    KOREKSI = "koreksi", "Ditetapkan HR dengan alasan"


@dataclass(frozen=True)
class FamilyFact:
    """One family member as the PTKP rule reads it."""

    is_spouse: bool
    since: date | None  # marriage date (spouse) / birth or adoption date (child); None = before any year asked
    tanggungan: bool = True  # child wholly supported (the family data's "tertanggung" flag)
    keterangan_tanpa_penghasilan: str | None = None  # husband: number of the kecamatan statement (no income)

    def counts_on(self, day: date) -> bool:
        return self.since is None or self.since <= day


@dataclass(frozen=True)
class Derivation:
    status: str
    as_of: date
    basis: str  # Indonesian: why this status (shown on the HR page and in the explanation)


def as_of_date(tahun: int, start_of_employment: date | None) -> date:
    """1 January of `tahun`, or the first day of employment when it starts during that year."""
    first = date(tahun, 1, 1)
    if start_of_employment is not None and first < start_of_employment <= date(tahun, 12, 31):
        return start_of_employment
    return first


def _allowed(female: bool, facts: list[FamilyFact], day: date) -> tuple[bool, int, str]:
    """(kawin, dependants available, basis) on `day`."""
    spouses = [f for f in facts if f.is_spouse and f.counts_on(day)]
    children = sum(1 for f in facts if not f.is_spouse and f.tanggungan and f.counts_on(day))
    n = min(children, MAX_TANGGUNGAN)
    capped = f" (dari {children}, paling banyak {MAX_TANGGUNGAN})" if children > MAX_TANGGUNGAN else ""
    if not spouses:
        return False, n, f"tidak kawin, {n} tanggungan{capped}"
    if female:
        doc = next((f.keterangan_tanpa_penghasilan for f in spouses if f.keterangan_tanpa_penghasilan), None)
        if not doc:
            return (
                False,
                0,
                f"pegawai wanita kawin: PTKP untuk dirinya sendiri ({CITATION_WANITA_KAWIN}); tidak ada surat "
                "keterangan bahwa suami tidak berpenghasilan",
            )
        return True, n, f"kawin, {n} tanggungan{capped}; suami tidak berpenghasilan menurut surat keterangan {doc}"
    return True, n, f"kawin, {n} tanggungan{capped}"


def derive(tahun: int, female: bool, facts: list[FamilyFact], start_of_employment: date | None = None) -> Derivation:
    """The status the family data gives for `tahun` (as of 1 January or the start of employment)."""
    day = as_of_date(tahun, start_of_employment)
    kawin, n, basis = _allowed(female, facts, day)
    when = "awal bekerja" if day != date(tahun, 1, 1) else "awal tahun pajak"
    return Derivation(f"{'K' if kawin else 'TK'}/{n}", day, f"Data keluarga per {tanggal(day)} ({when}): {basis}.")


def parse_status(status: str) -> tuple[bool, int]:
    """ "K/2" → (True, 2); `DomainError` at the field for anything else."""
    raw = (status or "").strip().upper()
    head, _, tail = raw.partition("/")
    if head not in ("K", "TK") or tail not in ("0", "1", "2", "3"):
        raise DomainError("Status PTKP harus TK/0 s.d. TK/3 atau K/0 s.d. K/3.", field="status")
    return head == "K", int(tail)


def contradiction(
    status: str, tahun: int, female: bool, facts: list[FamilyFact], start_of_employment: date | None = None
) -> str | None:
    """Why `status` contradicts the family data for `tahun` (Indonesian), or None.

    Claiming fewer dependants than the family data shows is allowed (a child with income of its own is no
    tanggungan sepenuhnya); claiming a marriage or dependants the family data does not carry is not."""
    kawin, n = parse_status(status)
    day = as_of_date(tahun, start_of_employment)
    ok_kawin, ok_n, _ = _allowed(female, facts, day)
    has_spouse = any(f.is_spouse and f.counts_on(day) for f in facts)
    if kawin and not ok_kawin:
        if female and has_spouse:
            return (
                f"Pegawai wanita kawin mendapat PTKP untuk dirinya sendiri ({CITATION_WANITA_KAWIN}); status K/… "
                "hanya bila data keluarga mencatat surat keterangan kecamatan bahwa suami tidak berpenghasilan."
            )
        return f"Status {status} memerlukan suami/istri pada data keluarga per {tanggal(day)}; tidak ada."
    if not kawin and ok_kawin:
        return f"Data keluarga mencatat suami/istri per {tanggal(day)}; status tidak kawin (TK) tidak sesuai."
    if n > ok_n:
        return (
            f"Status {status} menyatakan {n} tanggungan, data keluarga per {tanggal(day)} hanya mendukung {ok_n}. "
            "Lengkapi data keluarga lebih dahulu."
        )
    return None


def ptkp_change_effective(event_day: date) -> int:
    """The first tax year a family event (marriage, birth) changes the PTKP status: the next year, unless it
    falls on 1 January itself."""
    return event_day.year if (event_day.month, event_day.day) == (1, 1) else event_day.year + 1


# --- annual withholding slip (issue 20 item 9) -------------------------------------------------------


@dataclass(frozen=True)
class BuktiPotongForm:
    code: str
    name: str
    citation: str


FORM_1721_A2 = BuktiPotongForm(
    "1721-A2",
    "Bukti Pemotongan PPh Pasal 21 bagi PNS, Anggota TNI/Polri, Pejabat Negara dan Pensiunannya (1721-A2)",
    "PER-17/PJ/2021 (bukti potong instansi pemerintah; tidak diubah oleh PER-2/PJ/2024); PMK 168/2023",
)
FORM_BPA2 = BuktiPotongForm(
    "BPA2",
    "Bukti Pemotongan PPh Pasal 21 bagi PNS, Anggota TNI/Polri, Pejabat Negara atau Pensiunannya (BPA2)",
    "PER-11/PJ/2025 Pasal 6 ayat (1) (Coretax); PMK 168/2023",
)


def bukti_potong_form(tahun: int) -> BuktiPotongForm:
    """The annual slip form for ASN paid from the APBD: 1721-A2 up to tax year 2024 (e-Bupot Instansi
    Pemerintah), BPA2 from tax year 2025 (Coretax)."""
    return FORM_1721_A2 if tahun <= 2024 else FORM_BPA2
