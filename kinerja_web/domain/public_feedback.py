"""The public's side of public service: the Survei Kepuasan Masyarakat (SKM), complaints (pengaduan) and
innovations (inovasi), as pure rules (domain reference §12.2–12.3).

Sources: PermenPANRB 14/2017 (Pedoman Penyusunan SKM: 9 unsur, answers 1–4, NRR, IKM ×25, mutu A–D);
Perpres 76/2013 (Pengelolaan Pengaduan Pelayanan Publik: registered, verified, followed up, closed within a set
time; a complaint naming an officer is not a verdict); SP4N-LAPOR! as one of the channels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from . import DomainError
from .labels import LabeledEnum

# --- SKM (PermenPANRB 14/2017) ----------------------------------------------------------------------------

UNSUR: tuple[tuple[str, str], ...] = (
    ("U1", "Persyaratan"),
    ("U2", "Sistem, mekanisme, dan prosedur"),
    ("U3", "Waktu penyelesaian"),
    ("U4", "Biaya/tarif"),
    ("U5", "Produk spesifikasi jenis pelayanan"),
    ("U6", "Kompetensi pelaksana"),
    ("U7", "Perilaku pelaksana"),
    ("U8", "Penanganan pengaduan, saran dan masukan"),
    ("U9", "Sarana dan prasarana"),
)
# The questions as asked at the kiosk (plain words for the public, one per unsur, same order as UNSUR).
QUESTIONS: tuple[str, ...] = (
    "Bagaimana kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
    "Bagaimana kemudahan prosedur pelayanan di unit ini?",
    "Bagaimana kecepatan waktu dalam memberikan pelayanan?",
    "Bagaimana kewajaran biaya/tarif dalam pelayanan?",
    "Bagaimana kesesuaian produk pelayanan dengan yang tercantum dalam standar pelayanan?",
    "Bagaimana kompetensi/kemampuan petugas dalam pelayanan?",
    "Bagaimana perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
    "Bagaimana kualitas penanganan pengaduan, saran dan masukan?",
    "Bagaimana kualitas sarana dan prasarana?",
)
ANSWERS: tuple[tuple[int, str], ...] = ((1, "Tidak baik"), (2, "Kurang baik"), (3, "Baik"), (4, "Sangat baik"))
UNSUR_COUNT = len(UNSUR)
WEIGHT = Decimal(1) / Decimal(UNSUR_COUNT)  # bobot nilai rata-rata tertimbang: 1/9 per unsur
CONVERSION = Decimal(25)  # IKM (1–4) × 25 → 25–100
_NRR_Q = Decimal("0.01")
_IKM_Q = Decimal("0.01")


class Mutu(LabeledEnum):
    A = "A", "Sangat Baik"
    B = "B", "Baik"
    C = "C", "Kurang Baik"
    D = "D", "Tidak Baik"


# Lower bound (inclusive) of each mutu on the converted value, two decimals (PermenPANRB 14/2017 table).
MUTU_BOUNDS: tuple[tuple[Decimal, Mutu], ...] = (
    (Decimal("88.31"), Mutu.A),
    (Decimal("76.61"), Mutu.B),
    (Decimal("65.00"), Mutu.C),
    (Decimal("25.00"), Mutu.D),
)
MUTU_RANGES = {
    Mutu.A: "88,31 – 100,00",
    Mutu.B: "76,61 – 88,30",
    Mutu.C: "65,00 – 76,60",
    Mutu.D: "25,00 – 64,99",
}


def mutu_of(converted: Decimal) -> Mutu:
    """Mutu pelayanan of a converted IKM (25–100), on the two-decimal value the report prints."""
    value = converted.quantize(_IKM_Q, ROUND_HALF_UP)
    for bound, mutu in MUTU_BOUNDS:
        if value >= bound:
            return mutu
    return Mutu.D


def check_answers(answers: Sequence[int | None]) -> list[int]:
    """The nine answers as integers 1–4, or DomainError naming the first unsur that is missing or out of range."""
    if len(answers) != UNSUR_COUNT:
        raise DomainError(f"Jawaban harus {UNSUR_COUNT} unsur (U1–U9); terisi {len(answers)}.")
    clean = []
    for (code, name), value in zip(UNSUR, answers, strict=True):
        if value is None:
            raise DomainError(f"{code} ({name}) belum dijawab.", field=code.lower())
        if value not in (1, 2, 3, 4):
            raise DomainError(f"{code} ({name}): jawaban harus 1–4, bukan {value}.", field=code.lower())
        clean.append(int(value))
    return clean


@dataclass(frozen=True)
class SkmResult:
    respondents: int
    totals: tuple[int, ...]  # sum of answers per unsur
    nrr: tuple[Decimal, ...]  # nilai rata-rata per unsur (2 decimals)
    ikm: Decimal  # Σ NRR × 1/9, 1–4 (4 decimals kept for the conversion)
    converted: Decimal  # IKM × 25, two decimals
    mutu: Mutu | None  # None when there are no respondents

    @property
    def nrr_weighted(self) -> tuple[Decimal, ...]:
        return tuple((n * WEIGHT).quantize(Decimal("0.001"), ROUND_HALF_UP) for n in self.nrr)

    @property
    def lowest_unsur(self) -> int | None:
        """Index of the weakest unsur (first on a tie): where the report says improvement starts."""
        return min(range(UNSUR_COUNT), key=lambda i: self.nrr[i]) if self.respondents else None


def compute(totals: Sequence[int], respondents: int) -> SkmResult:
    """NRR per unsur = total / respondents; IKM = Σ NRR × 1/9; converted = IKM × 25; mutu from the table.

    Computed from the per-unsur totals (a SUM query), so a survey of any size costs one row read
    (PermenPANRB 14/2017, Lampiran: pengolahan data).
    """
    if respondents <= 0:
        zero = tuple(Decimal(0) for _ in range(UNSUR_COUNT))
        return SkmResult(0, tuple(0 for _ in range(UNSUR_COUNT)), zero, Decimal(0), Decimal(0), None)
    raw = [Decimal(t) / Decimal(respondents) for t in totals]
    ikm = sum((n * WEIGHT for n in raw), Decimal(0))
    converted = (ikm * CONVERSION).quantize(_IKM_Q, ROUND_HALF_UP)
    return SkmResult(
        respondents=respondents,
        totals=tuple(int(t) for t in totals),
        nrr=tuple(n.quantize(_NRR_Q, ROUND_HALF_UP) for n in raw),
        ikm=ikm.quantize(Decimal("0.0001"), ROUND_HALF_UP),
        converted=converted,
        mutu=mutu_of(converted),
    )


def compute_from_answers(rows: Iterable[Sequence[int]]) -> SkmResult:
    """The same computation from individual questionnaires (tests, previews)."""
    totals, n = [0] * UNSUR_COUNT, 0
    for row in rows:
        n += 1
        for i, v in enumerate(row):
            totals[i] += v
    return compute(totals, n)


# Krejcie & Morgan (1970), the sample table PermenPANRB 14/2017 refers to: s = X²NP(1−P) / (d²(N−1) + X²P(1−P))
# with X² = 3,841 (1 degree of freedom, 95 %), P = 0,5, d = 0,05.
_CHI2 = Decimal("3.841")
_P = Decimal("0.5")
_D = Decimal("0.05")


def minimum_sample(population: int | None) -> int | None:
    """Minimum number of respondents for a population of service users in the period (Krejcie–Morgan);
    None when the population is not known. Rounded up: a sample may not fall short of the table."""
    if population is None or population <= 0:
        return None
    n = Decimal(population)
    pq = _P * (1 - _P)
    s = (_CHI2 * n * pq) / (_D * _D * (n - 1) + _CHI2 * pq)
    return int(s.to_integral_value(ROUND_CEILING))


class ResponseSource(LabeledEnum):
    KIOSK = "kios", "Kios (layar sentuh)"
    PAPER = "kertas", "Kuesioner kertas"
    IMPORT = "impor", "Impor XLSX"


class AgeBand(LabeledEnum):
    UNDER_20 = "lt20", "Di bawah 20 tahun"
    Y20_29 = "20an", "20–29 tahun"
    Y30_39 = "30an", "30–39 tahun"
    Y40_49 = "40an", "40–49 tahun"
    Y50_UP = "50plus", "50 tahun ke atas"


class RespondentSex(LabeledEnum):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class Education(LabeledEnum):
    SD = "sd", "SD atau sederajat"
    SMP = "smp", "SMP atau sederajat"
    SMA = "sma", "SMA atau sederajat"
    DIPLOMA = "diploma", "Diploma"
    S1 = "s1", "S1"
    S2 = "s2plus", "S2 ke atas"


class Occupation(LabeledEnum):
    PNS = "pns", "PNS/TNI/Polri"
    SWASTA = "swasta", "Pegawai swasta"
    WIRAUSAHA = "wirausaha", "Wirausaha"
    PELAJAR = "pelajar", "Pelajar/mahasiswa"
    LAINNYA = "lainnya", "Lainnya"


# --- Pengaduan (Perpres 76/2013) ---------------------------------------------------------------------------


class ComplaintChannel(LabeledEnum):
    COUNTER = "loket", "Loket"
    PHONE = "telepon", "Telepon"
    LETTER = "surat", "Surat"
    LAPOR = "lapor", "SP4N-LAPOR!"
    SOCIAL = "medsos", "Media sosial"


class ComplaintCause(LabeledEnum):
    """What the complaint is about, on the SKM's unsur lines so the two can be read side by side."""

    REQUIREMENTS = "persyaratan", "Persyaratan/prosedur"
    TIME = "waktu", "Waktu penyelesaian"
    COST = "biaya", "Biaya/pungutan"
    PRODUCT = "produk", "Produk/hasil layanan"
    CONDUCT = "perilaku", "Perilaku petugas"
    FACILITIES = "sarana", "Sarana dan prasarana"
    OTHER = "lainnya", "Lainnya"


class ComplaintStatus(LabeledEnum):
    REGISTERED = "terdaftar", "Terdaftar"
    VERIFIED = "diverifikasi", "Diverifikasi"
    FOLLOWED_UP = "ditindaklanjuti", "Ditindaklanjuti"
    CLOSED = "selesai", "Selesai"


class Verdict(LabeledEnum):
    SUBSTANTIATED = "terbukti", "Terbukti"
    UNSUBSTANTIATED = "tidak_terbukti", "Tidak terbukti"


# Default working days allowed for each step (the instansi sets its own; HR edits them). Perpres 76/2013 gives
# 60 days overall; SP4N-LAPOR! uses a few working days per step.
DEFAULT_STEP_DAYS = {
    ComplaintStatus.REGISTERED: 3,  # to verify
    ComplaintStatus.VERIFIED: 5,  # to follow up
    ComplaintStatus.FOLLOWED_UP: 10,  # to close
}

_NEXT = {
    ComplaintStatus.REGISTERED: {ComplaintStatus.VERIFIED},
    ComplaintStatus.VERIFIED: {ComplaintStatus.FOLLOWED_UP, ComplaintStatus.CLOSED},
    ComplaintStatus.FOLLOWED_UP: {ComplaintStatus.CLOSED},
    ComplaintStatus.CLOSED: set(),
}


def check_transition(current: ComplaintStatus, target: ComplaintStatus, verdict: Verdict | None) -> None:
    """Raise DomainError when the step is not allowed: a complaint is closed only after verification, and a
    substantiated one only after its follow-up (Perpres 76/2013: verified, followed up, then closed)."""
    if target == ComplaintStatus.CLOSED and current == ComplaintStatus.REGISTERED:
        raise DomainError(
            "Pengaduan belum diverifikasi. Verifikasi dahulu (terbukti atau tidak terbukti, dengan alasan) sebelum "
            "ditutup."
        )
    if target not in _NEXT[current]:
        raise DomainError(f"Pengaduan berstatus {current.label}; langkah ke {target.label} tidak dapat dilakukan.")
    if current == ComplaintStatus.VERIFIED and target == ComplaintStatus.CLOSED and verdict == Verdict.SUBSTANTIATED:
        raise DomainError("Pengaduan yang terbukti harus ditindaklanjuti dahulu sebelum ditutup.")


def add_working_days(start: date, days: int) -> date:
    """`start` plus `days` working days, skipping Saturdays and Sundays (holidays come from the calendar when one
    is configured; weekends are always off)."""
    d, left = start, days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


# --- Inovasi ----------------------------------------------------------------------------------------------


class InnovationStatus(LabeledEnum):
    SUBMITTED = "diajukan", "Diajukan"
    ACCEPTED = "diterima", "Diterima"
    RETURNED = "dikembalikan", "Dikembalikan"


def percent(value: Decimal) -> str:
    """ "88,31" style (comma decimals), two places."""
    return f"{value.quantize(_IKM_Q, ROUND_HALF_UP):.2f}".replace(".", ",")
