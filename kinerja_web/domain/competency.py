"""Competency standards, competency levels and the job-person match (JPM); domain reference §11.

- The competency groups and the 8 manajerial + 1 sosial kultural competencies: PermenPANRB 38/2017 tentang
  Standar Kompetensi Jabatan ASN, Pasal 4–5 and its Lampiran [M: names as commonly quoted from the Lampiran].
- Levels 1–5 per competency; an assessment reports a level in half steps (2,5) [M].
- JPM = Σ level reached / Σ level required × 100 % over the manajerial and sosial kultural competencies of the
  post (PerBKN 26/2019 practice [M]); capping a level above the requirement and the category thresholds are
  configuration (`JpmRule`), the defaults below are the common values (§11.2 [M, R]).
- Required levels by jenis/jenjang jabatan (§11.1 table [M]) are only defaults of a versioned rule; every
  post may override them in its own standard.

Levels are stored as twice their value (`level_x2`, 2–10) so half steps stay integers in every database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import DomainError
from .labels import LabeledEnum
from .talent import Potensial


class CompetencyGroup(LabeledEnum):
    MANAJERIAL = "manajerial", "Manajerial"
    SOSIAL_KULTURAL = "sosial_kultural", "Sosial Kultural"
    TEKNIS = "teknis", "Teknis"


# The national competencies (PermenPANRB 38/2017, Lampiran) [M]: code → (group, name). Codes are what the
# provider's XLSX carries as column headers and what the referral rules name.
MANAJERIAL: tuple[tuple[str, str], ...] = (
    ("INT", "Integritas"),
    ("KS", "Kerja Sama"),
    ("KOM", "Komunikasi"),
    ("OPH", "Orientasi pada Hasil"),
    ("PP", "Pelayanan Publik"),
    ("PDOL", "Pengembangan Diri dan Orang Lain"),
    ("MP", "Mengelola Perubahan"),
    ("PK", "Pengambilan Keputusan"),
)
SOSIAL_KULTURAL: tuple[tuple[str, str], ...] = (("PB", "Perekat Bangsa"),)
NATIONAL_CODES: tuple[str, ...] = tuple(c for c, _ in MANAJERIAL + SOSIAL_KULTURAL)
GROUP_OF_NATIONAL: dict[str, CompetencyGroup] = {
    **{c: CompetencyGroup.MANAJERIAL for c, _ in MANAJERIAL},
    **{c: CompetencyGroup.SOSIAL_KULTURAL for c, _ in SOSIAL_KULTURAL},
}

LEVEL_MIN, LEVEL_MAX = 1, 5
LEVELS = tuple(range(LEVEL_MIN, LEVEL_MAX + 1))
LEVEL_TIDAK_SAH = "Level harus 1 sampai 5 dengan kelipatan 0,5 (mis. 2,5)."
REQUIRED_TIDAK_SAH = "Level yang dipersyaratkan harus bilangan bulat 1 sampai 5."


class AssessmentMethod(LabeledEnum):
    ASSESSMENT_CENTER = "assessment_center", "Assessment center"
    CAT = "cat", "Uji kompetensi berbasis komputer (CAT)"
    PORTOFOLIO = "portofolio", "Portofolio"
    WAWANCARA = "wawancara", "Wawancara berbasis kompetensi"


class JpmKategori(LabeledEnum):
    OPTIMAL = "optimal", "Optimal (Memenuhi Syarat)"
    CUKUP_OPTIMAL = "cukup_optimal", "Cukup Optimal (Masih Memenuhi Syarat)"
    KURANG_OPTIMAL = "kurang_optimal", "Kurang Optimal (Kurang Memenuhi Syarat)"


KATEGORI_ORDER = (JpmKategori.OPTIMAL, JpmKategori.CUKUP_OPTIMAL, JpmKategori.KURANG_OPTIMAL)


# --- levels -------------------------------------------------------------------------------------------------


def parse_level(raw: object, field: str | None = None) -> Decimal:
    """A reached level: 1–5 in half steps ("2,5", "2.5", 3). DomainError with the Indonesian message otherwise."""
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace(",", ".")
        if not text:
            raise DomainError("Level wajib diisi.", field=field)
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise DomainError(LEVEL_TIDAK_SAH, field=field) from None
    if not value.is_finite() or value < LEVEL_MIN or value > LEVEL_MAX or (value * 2) % 1 != 0:
        raise DomainError(LEVEL_TIDAK_SAH, field=field)
    return (value * 2).to_integral_value() / Decimal(2)


def parse_required(raw: object, field: str | None = None) -> int:
    """A required level: a whole number 1–5."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise DomainError(REQUIRED_TIDAK_SAH, field=field) from None
    if not value.is_finite() or value % 1 != 0 or not LEVEL_MIN <= value <= LEVEL_MAX:
        raise DomainError(REQUIRED_TIDAK_SAH, field=field)
    return int(value)


def to_x2(level: Decimal) -> int:
    return int(level * 2)


def from_x2(level_x2: int) -> Decimal:
    return (Decimal(level_x2) / 2).quantize(Decimal("0.1"))


def level_text(level: Decimal | int | None) -> str:
    """ "2,5", "3" — as Indonesian readers write a level."""
    if level is None:
        return "–"
    d = Decimal(level)
    return str(int(d)) if d % 1 == 0 else f"{d.quantize(Decimal('0.1'))}".replace(".", ",")


def mean_level(levels: Iterable[Decimal]) -> Decimal | None:
    """The assessors' mean, to two decimals (None without ratings)."""
    values = list(levels)
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def consensus_needs_reason(consensus: Decimal, ratings: Sequence[Decimal]) -> bool:
    """The assessor meeting must explain a consensus level that differs from the assessors' mean (§11.2)."""
    m = mean_level(ratings)
    return m is not None and Decimal(consensus) != m


# --- rule (configuration) ------------------------------------------------------------------------------------

# Typical required manajerial/sosial kultural level by jenis and jenjang (§11.1 [M – confirm in the Lampiran]).
# Keys: "<kind>" or "<kind>:<jenjang>" (lower case); the most specific key wins.
DEFAULT_REQUIRED_LEVELS: dict[str, int] = {
    "jpt:utama": 5,
    "jpt:madya": 5,
    "jpt:pratama": 4,
    "jpt": 4,
    "administrator": 3,
    "pengawas": 2,
    "pelaksana": 1,
    "fungsional:ahli utama": 4,
    "fungsional:ahli madya": 3,
    "fungsional:ahli muda": 2,
    "fungsional:ahli pertama": 1,
    "fungsional:penyelia": 2,
    "fungsional:mahir": 1,
    "fungsional:terampil": 1,
    "fungsional:pemula": 1,
    "fungsional": 1,
}

# 9-box potensial from an assessment (§3.3): a weighted score of the JPM category and the JPM itself,
# mapped to Rendah/Menengah/Tinggi by two cut-offs. All of it is configuration [R].
DEFAULT_POTENSIAL = {
    "weights": {"kategori": "60", "jpm": "40"},  # percent, sum 100
    "kategori_score": {"optimal": "100", "cukup_optimal": "70", "kurang_optimal": "40"},
    "tinggi_from": "85",
    "menengah_from": "65",
}

DEFAULT_RULE_PARAMS = {
    "optimal_from": "90",
    "cukup_from": "78",
    "cap_at_required": True,
    "default_levels": DEFAULT_REQUIRED_LEVELS,
    "potensial": DEFAULT_POTENSIAL,
}


@dataclass(frozen=True)
class JpmRule:
    """One version of the JPM configuration: thresholds, capping, default required levels, potensial weights."""

    optimal_from: Decimal = Decimal("90")
    cukup_from: Decimal = Decimal("78")
    cap_at_required: bool = True
    default_levels: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_REQUIRED_LEVELS))
    potensial_weights: Mapping[str, Decimal] = field(
        default_factory=lambda: {k: Decimal(v) for k, v in DEFAULT_POTENSIAL["weights"].items()}
    )
    kategori_score: Mapping[str, Decimal] = field(
        default_factory=lambda: {k: Decimal(v) for k, v in DEFAULT_POTENSIAL["kategori_score"].items()}
    )
    tinggi_from: Decimal = Decimal("85")
    menengah_from: Decimal = Decimal("65")

    @classmethod
    def from_params(cls, params: Mapping) -> JpmRule:
        """Build from the stored JSON (missing keys take the defaults); DomainError on inconsistent values."""
        p = {**DEFAULT_RULE_PARAMS, **(params or {})}
        pot = {**DEFAULT_POTENSIAL, **(p.get("potensial") or {})}
        try:
            rule = cls(
                optimal_from=Decimal(str(p["optimal_from"])),
                cukup_from=Decimal(str(p["cukup_from"])),
                cap_at_required=bool(p["cap_at_required"]),
                default_levels={str(k).lower(): int(v) for k, v in (p["default_levels"] or {}).items()},
                potensial_weights={k: Decimal(str(v)) for k, v in pot["weights"].items()},
                kategori_score={k: Decimal(str(v)) for k, v in pot["kategori_score"].items()},
                tinggi_from=Decimal(str(pot["tinggi_from"])),
                menengah_from=Decimal(str(pot["menengah_from"])),
            )
        except (InvalidOperation, TypeError, ValueError, KeyError):
            raise DomainError("Parameter aturan JPM tidak sah.", field="params") from None
        rule.validate()
        return rule

    def validate(self) -> None:
        if not Decimal(0) < self.cukup_from < self.optimal_from <= Decimal(100):
            raise DomainError("Batas kategori harus 0 < batas Cukup Optimal < batas Optimal ≤ 100.", field="params")
        if sum(self.potensial_weights.values(), Decimal(0)) != 100:
            raise DomainError("Bobot potensial harus berjumlah 100 %.", field="params")
        if not self.menengah_from < self.tinggi_from:
            raise DomainError("Batas potensial Menengah harus di bawah batas Tinggi.", field="params")
        if any(v not in LEVELS for v in self.default_levels.values()):
            raise DomainError(REQUIRED_TIDAK_SAH, field="params")

    def to_params(self) -> dict:
        return {
            "optimal_from": str(self.optimal_from),
            "cukup_from": str(self.cukup_from),
            "cap_at_required": self.cap_at_required,
            "default_levels": dict(self.default_levels),
            "potensial": {
                "weights": {k: str(v) for k, v in self.potensial_weights.items()},
                "kategori_score": {k: str(v) for k, v in self.kategori_score.items()},
                "tinggi_from": str(self.tinggi_from),
                "menengah_from": str(self.menengah_from),
            },
        }

    def default_level(self, kind: str, jenjang: str | None) -> int:
        """The required manajerial/sosial kultural level of a post without its own value (§11.1)."""
        kind = str(kind).lower()
        if jenjang:
            specific = self.default_levels.get(f"{kind}:{jenjang.strip().lower()}")
            if specific is not None:
                return specific
        return self.default_levels.get(kind, 1)


# --- JPM and gap ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    code: str
    required: int
    reached: Decimal | None

    @property
    def gap(self) -> Decimal:
        """required − reached (> 0 is a development need; a missing level counts fully)."""
        return Decimal(self.required) - (self.reached if self.reached is not None else Decimal(0))

    @property
    def is_need(self) -> bool:
        return self.gap > 0


def jpm(pairs: Iterable[tuple[int, Decimal | None]], cap_at_required: bool = True) -> Decimal | None:
    """JPM in percent (two decimals) over (required, reached) pairs; None when nothing is required."""
    required_sum = Decimal(0)
    reached_sum = Decimal(0)
    for required, reached in pairs:
        required_sum += required
        r = reached if reached is not None else Decimal(0)
        reached_sum += min(r, Decimal(required)) if cap_at_required else r
    if required_sum == 0:
        return None
    return (reached_sum / required_sum * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def kategori(value: Decimal, rule: JpmRule) -> JpmKategori:
    if value >= rule.optimal_from:
        return JpmKategori.OPTIMAL
    if value >= rule.cukup_from:
        return JpmKategori.CUKUP_OPTIMAL
    return JpmKategori.KURANG_OPTIMAL


def gaps(required: Mapping[str, int], reached: Mapping[str, Decimal]) -> list[Gap]:
    """One `Gap` per required competency, in the order given."""
    return [Gap(code, req, reached.get(code)) for code, req in required.items()]


def jpm_text(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",") + " %"


# --- potensial from evidence ------------------------------------------------------------------------------------


def potensial_score(jpm_value: Decimal, kat: JpmKategori, rule: JpmRule) -> Decimal:
    """Weighted score 0–100 of the JPM category and the JPM itself (capped at 100)."""
    w = rule.potensial_weights
    score = w.get("kategori", Decimal(0)) * rule.kategori_score.get(kat.value, Decimal(0)) + w.get(
        "jpm", Decimal(0)
    ) * min(jpm_value, Decimal(100))
    return (score / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def potensial_from_assessment(jpm_value: Decimal, kat: JpmKategori, rule: JpmRule) -> Potensial:
    """The 9-box potensial axis computed from the latest assessment (§3.3, §11.2)."""
    score = potensial_score(jpm_value, kat, rule)
    if score >= rule.tinggi_from:
        return Potensial.TINGGI
    if score >= rule.menengah_from:
        return Potensial.MENENGAH
    return Potensial.RENDAH


# --- "does it work?" comparisons --------------------------------------------------------------------------------

DEFAULT_MIN_GROUP = 5  # below this many people a group's distribution is "data belum cukup" [R: configuration]
DATA_BELUM_CUKUP = "data belum cukup"


def enough(n: int, min_group: int) -> bool:
    return n >= max(1, min_group)
