"""Seleksi terbuka / seleksi internal for a vacant post, and succession of key posts (domain reference §11.3).

Law [M, verified against public texts]: UU 5/2014 Pasal 110 — the PPK forms a panitia seleksi of internal and
external members, who select on kompetensi, kualifikasi, kepangkatan, diklat, rekam jejak and integritas
(uji kompetensi by assessment centre or another method); PermenPANRB 15/2019 — open, competitive filling of JPT,
the pansel proposes the best candidates (three per post) and the PPK chooses among them. Batas usia pensiun
(UU 5/2014 Pasal 90; Surat Kepala BKN K.26-30/V.7-3199 of 17 Jan 2014): 58 for pejabat administrasi, 60 for
JPT, per the fungsional rules for JF. Stage weights, pass marks, the pansel size bounds and the rekam jejak
points are configuration [R]: each selection stores its own weights and pass marks.
Pure rules: no database, no `date.today()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from . import DomainError
from . import golongan as gol
from .labels import LabeledEnum
from .predikat import Predikat

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


class SelectionKind(LabeledEnum):
    TERBUKA = "terbuka", "Seleksi terbuka"
    INTERNAL = "internal", "Seleksi internal"


class SelectionStatus(LabeledEnum):
    OPEN = "dibuka", "Pendaftaran dibuka"
    RUNNING = "berjalan", "Seleksi berjalan"
    PROPOSED = "diusulkan", "Diusulkan kepada PPK"
    DECIDED = "diputuskan", "Diputuskan PPK"


class StageKind(LabeledEnum):
    ADMINISTRASI = "administrasi", "Seleksi administrasi"
    UJI_KOMPETENSI = "uji_kompetensi", "Uji kompetensi"
    REKAM_JEJAK = "rekam_jejak", "Rekam jejak"
    WAWANCARA = "wawancara", "Wawancara"


STAGE_ORDER: tuple[StageKind, ...] = tuple(StageKind)


class StageStatus(LabeledEnum):
    PENDING = "belum", "Belum dimulai"
    OPEN = "berjalan", "Berjalan"
    CLOSED = "ditutup", "Ditutup"


class CandidateStatus(LabeledEnum):
    ACTIVE = "aktif", "Mengikuti seleksi"
    FAILED = "gugur", "Tidak lolos"
    PROPOSED = "diusulkan", "Diusulkan kepada PPK"
    CHOSEN = "terpilih", "Terpilih"


class MemberRole(LabeledEnum):
    KETUA = "ketua", "Ketua"
    ANGGOTA = "anggota", "Anggota"


class Pendidikan(LabeledEnum):
    """Highest education, in order (the requirement is a minimum)."""

    SMA = "sma", "SMA/sederajat"
    D3 = "d3", "Diploma III"
    D4_S1 = "s1", "Diploma IV/Sarjana (S-1)"
    S2 = "s2", "Magister (S-2)"
    S3 = "s3", "Doktor (S-3)"


PENDIDIKAN_ORDER = tuple(Pendidikan)
PREDIKAT_ORDER = (
    Predikat.SANGAT_KURANG,
    Predikat.KURANG_MISCONDUCT,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.BAIK,
    Predikat.SANGAT_BAIK,
)
# Rekam jejak points per annual predikat [R: configuration of the selection guideline, not law].
REKAM_JEJAK_POINTS: dict[Predikat, Decimal] = {
    Predikat.SANGAT_BAIK: Decimal(100),
    Predikat.BAIK: Decimal(80),
    Predikat.BUTUH_PERBAIKAN: Decimal(60),
    Predikat.KURANG_MISCONDUCT: Decimal(40),
    Predikat.SANGAT_KURANG: Decimal(20),
}
TRACK_YEARS = 2  # "predikat of the last 2 years" (§11.3)
TOP_N = 3  # three best per post to the PPK (PermenPANRB 15/2019)
# Pansel size [M]: odd, 5–9 for JPT (§11.3); administrator/pengawas selections use the same odd rule from 3.
PANSEL_MIN = {"jpt": 5, "administrator": 3, "pengawas": 3}
PANSEL_MAX = 9
# Batas usia pensiun by jabatan [V: UU 5/2014 Pasal 90; PP 11/2017 Pasal 239]: configuration, overridable in
# the app config `SUCCESSION_BUP` (keys: kind, or "fungsional:<jenjang>").
DEFAULT_BUP: dict[str, int] = {
    "jpt": 60,
    "administrator": 58,
    "pengawas": 58,
    "pelaksana": 58,
    "fungsional": 58,
    "fungsional:Ahli Madya": 60,
    "fungsional:Ahli Utama": 65,
}
KEY_POST_KINDS = ("jpt", "administrator")  # succession covers JPT and administrator posts (issue item 7)
VACANCY_HORIZON_MONTHS = 24


def q2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def parse_score(raw: str | None, field: str = "score", low: Decimal = Decimal(0), high: Decimal = HUNDRED) -> Decimal:
    """A score typed by a person: 0–100 with at most two decimals (comma or dot)."""
    text = (raw or "").strip().replace(",", ".")
    if not text:
        raise DomainError("Nilai wajib diisi.", field=field)
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise DomainError(f"Nilai «{raw}» bukan angka.", field=field) from None
    if not value.is_finite() or value < low or value > high:
        raise DomainError(f"Nilai harus antara {low} dan {high}.", field=field)
    if value != value.quantize(TWO_PLACES):
        raise DomainError("Nilai paling banyak dua angka di belakang koma.", field=field)
    return value


def check_weights(weights: Mapping[StageKind, Decimal]) -> None:
    """Stage weights are percentages of the final score: each 0–100, together exactly 100 %."""
    for kind, w in weights.items():
        if w < 0 or w > HUNDRED:
            raise DomainError(f"Bobot {kind.label} harus antara 0 dan 100.", field=f"weight_{kind.value}")
    total = sum(weights.values(), Decimal(0))
    if total != HUNDRED:
        raise DomainError(
            f"Jumlah bobot tahapan harus 100% (sekarang {total.normalize():f}%).", field="weight_administrasi"
        )


def check_pansel(position_kind: str, members: int, chairs: int) -> None:
    """A pansel has an odd number of members within the bounds, and exactly one ketua (§11.3 [M])."""
    low = PANSEL_MIN.get(position_kind, 3)
    if members % 2 == 0:
        raise DomainError(f"Panitia seleksi harus berjumlah ganjil (sekarang {members} orang).", field="pansel")
    if members < low or members > PANSEL_MAX:
        raise DomainError(
            f"Panitia seleksi untuk jabatan ini berjumlah {low} sampai {PANSEL_MAX} orang (sekarang {members}).",
            field="pansel",
        )
    if chairs != 1:
        raise DomainError("Tetapkan tepat satu ketua panitia seleksi.", field="pansel")


@dataclass(frozen=True)
class Requirements:
    min_golongan: str | None
    min_pendidikan: Pendidikan | None
    min_predikat: Predikat | None  # each of the last TRACK_YEARS annual predikat at least this
    no_discipline: bool
    training: str | None  # a JP ledger entry whose title contains this text (e.g. "Pelatihan Kepemimpinan")


@dataclass(frozen=True)
class CandidateFacts:
    """What Kinerja knows of a candidate on the check date (external candidates: what HR entered)."""

    golongan: str | None
    pendidikan: Pendidikan | None
    predikat: Sequence[Predikat | None]  # the last TRACK_YEARS annual predikat, most recent first
    discipline_in_force: bool
    trainings: Sequence[str]


def unmet_requirements(req: Requirements, facts: CandidateFacts) -> list[str]:
    """The requirements a candidate does not meet (empty: lolos administrasi), in words for the pass list."""
    unmet = []
    if req.min_golongan and gol.rank(facts.golongan or "") < gol.rank(req.min_golongan):
        unmet.append(f"golongan minimal {req.min_golongan} (dimiliki: {facts.golongan or 'tidak ada'})")
    if req.min_pendidikan and (
        facts.pendidikan is None
        or PENDIDIKAN_ORDER.index(facts.pendidikan) < PENDIDIKAN_ORDER.index(req.min_pendidikan)
    ):
        have = facts.pendidikan.label if facts.pendidikan else "tidak diisi"
        unmet.append(f"pendidikan minimal {req.min_pendidikan.label} (dimiliki: {have})")
    if req.min_predikat:
        floor = PREDIKAT_ORDER.index(req.min_predikat)
        years = list(facts.predikat)[:TRACK_YEARS] + [None] * (TRACK_YEARS - len(facts.predikat))
        if any(p is None or PREDIKAT_ORDER.index(p) < floor for p in years):
            shown = ", ".join(p.label if p else "belum ada" for p in years)
            unmet.append(f"predikat {TRACK_YEARS} tahun terakhir minimal {req.min_predikat.label} ({shown})")
    if req.no_discipline and facts.discipline_in_force:
        unmet.append("sedang menjalani hukuman disiplin")
    if req.training and not any(req.training.lower() in t.lower() for t in facts.trainings):
        unmet.append(f"belum mengikuti {req.training}")
    return unmet


def rekam_jejak_score(predikat: Sequence[Predikat | None], discipline_in_force: bool) -> Decimal:
    """Track record 0–100: the mean points of the last two annual predikat (a missing year counts 0), and 0 while
    a hukuman disiplin is in force (integritas, §11.3)."""
    if discipline_in_force:
        return Decimal(0)
    years = list(predikat)[:TRACK_YEARS] + [None] * (TRACK_YEARS - len(predikat))
    total = sum((REKAM_JEJAK_POINTS[p] if p else Decimal(0) for p in years), Decimal(0))
    return q2(total / TRACK_YEARS)


def mean_score(scores: Iterable[Decimal]) -> Decimal | None:
    values = list(scores)
    return q2(sum(values, Decimal(0)) / len(values)) if values else None


def passes(kind: StageKind, score: Decimal | None, pass_mark: Decimal, unmet: Sequence[str] = ()) -> bool:
    """Administrasi passes when every requirement is met; the other stages at or above their pass mark."""
    if kind == StageKind.ADMINISTRASI:
        return not unmet
    return score is not None and score >= pass_mark


@dataclass(frozen=True)
class RankedCandidate:
    candidate_id: int
    name: str
    scores: dict[StageKind, Decimal]
    final: Decimal
    rank: int


def final_score(scores: Mapping[StageKind, Decimal], weights: Mapping[StageKind, Decimal]) -> Decimal:
    """Σ weight × stage score / 100 over the stages (a stage without a score counts 0), two decimals."""
    return q2(sum((weights[k] * scores.get(k, Decimal(0)) for k in weights), Decimal(0)) / HUNDRED)


def rank_candidates(
    rows: Iterable[tuple[int, str, Mapping[StageKind, Decimal]]], weights: Mapping[StageKind, Decimal]
) -> list[RankedCandidate]:
    """Order by final score, then wawancara, then uji kompetensi (the stages that carry the competency evidence),
    then the registration id: the same recorded scores and weights always give the same ranking."""
    scored = [(cid, name, dict(s), final_score(s, weights)) for cid, name, s in rows]
    zero = Decimal(0)
    scored.sort(
        key=lambda r: (
            -r[3],
            -r[2].get(StageKind.WAWANCARA, zero),
            -r[2].get(StageKind.UJI_KOMPETENSI, zero),
            r[0],
        )
    )
    return [RankedCandidate(cid, name, s, f, i) for i, (cid, name, s, f) in enumerate(scored, start=1)]


def bup_age(kind: str, jenjang: str | None, table: Mapping[str, int] | None = None) -> int:
    """Batas usia pensiun of a post (UU 5/2014 Pasal 90; fungsional per jenjang), from the configured table."""
    table = {**DEFAULT_BUP, **(table or {})}
    if kind == "fungsional" and jenjang and f"fungsional:{jenjang}" in table:
        return table[f"fungsional:{jenjang}"]
    return table.get(kind, 58)


def retirement_date(birth_date: date, age: int) -> date:
    """TMT pensiun: the first day of the month after the month the employee reaches the batas usia pensiun."""
    year, month = birth_date.year + age, birth_date.month + 1
    if month == 13:
        year, month = year + 1, 1
    return date(year, month, 1)


def add_months(on: date, months: int) -> date:
    total = on.year * 12 + on.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(on.day, 28))
