"""Kurva (pola) distribusi predikat per unit (SE MenPANRB 3/2023; domain reference §1.2, §2.8).

The organisation predikat set by the leader above decides how employee predikat should be distributed.
The SE frames the curve as a consideration for the pimpinan, so the check returns **warnings with the
numbers**, never a block. Rules (from `kurva_distribusi.csv`, a unit test checks the shipped copy):

- `max_share`: the group may be at most this share of the unit ("maksimal 70%"); `0` means "tidak ada";
- `min_share`: the group must be at least this share ("minimal 60%", "minimal 10%");
- `must_exist`: at least one employee in the group ("harus ada");
- a group of several predikat (``BUTUH_PERBAIKAN+KURANG_MISCONDUCT``) is counted together;
- `largest_group`: the group should be the largest one ("sebagian besar");
- rows marked "allowed" in the CSV impose nothing and are not listed here.

For units with fewer than `MIN_PEGAWAI_PERSENTASE` employees percentages are meaningless (§2.8 design
note): the check returns guidance only, except the count rule "tidak ada" (max 0), which still warns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .labels import LabeledEnum
from .predikat import Predikat, PredikatOrganisasi

SUMBER_KURVA = "SE MenPANRB No. 3/2023 tentang Tata Cara Penetapan Predikat Kinerja Pegawai ASN, Lampiran"

# Domain reference §2.8 design note: below 5 employees show guidance only.
MIN_PEGAWAI_PERSENTASE = 5


@dataclass(frozen=True)
class KurvaRule:
    """One constraint of the curve for one organisation predikat (SE MenPANRB 3/2023)."""

    organisasi: PredikatOrganisasi
    kelompok: tuple[Predikat, ...]
    min_share: Decimal | None = None
    max_share: Decimal | None = None
    must_exist: bool = False
    largest_group: bool = False

    @property
    def label(self) -> str:
        """ "Butuh Perbaikan dan/atau Kurang/Misconduct" for a combined group."""
        return " dan/atau ".join(p.label for p in self.kelompok)

    def describe(self) -> str:
        """The rule in the SE's own words, e.g. "sebagian besar, maksimal 70%"."""
        parts = []
        if self.largest_group:
            parts.append("kelompok terbesar (sebagian besar)")
        if self.max_share is not None:
            parts.append("tidak ada" if self.max_share == 0 else f"maksimal {_pct(self.max_share)}")
        if self.min_share is not None:
            parts.append(f"minimal {_pct(self.min_share)}")
        if self.must_exist:
            parts.append("harus ada (paling sedikit 1 pegawai)")
        return ", ".join(parts)


class KurvaWarningKind(LabeledEnum):
    PERINGATAN = "peringatan", "Peringatan"
    PANDUAN = "panduan", "Panduan"


@dataclass(frozen=True)
class KurvaWarning:
    """A warning (or, for small units, guidance) about the distribution, with its numbers.

    `share` = count/total; `limit` = the rule's share; `needed` = how many employees would have to
    move into (min/must_exist) or out of (max) the group to satisfy the rule; None for guidance.
    """

    kind: KurvaWarningKind
    rule: KurvaRule
    count: int
    total: int
    share: Decimal | None
    limit: Decimal | None
    needed: int | None
    message: str


_O = PredikatOrganisasi
_P = Predikat
D = Decimal

# SE MenPANRB 3/2023, Lampiran (via domain reference §1.2 table, `kurva_distribusi.csv`).
KURVA_DISTRIBUSI: tuple[KurvaRule, ...] = (
    KurvaRule(_O.ISTIMEWA, (_P.SANGAT_BAIK,), max_share=D("0.70"), largest_group=True),
    KurvaRule(_O.BAIK, (_P.BAIK,), max_share=D("0.70"), largest_group=True),
    KurvaRule(_O.BAIK, (_P.BUTUH_PERBAIKAN, _P.KURANG_MISCONDUCT), must_exist=True),
    KurvaRule(_O.BUTUH_PERBAIKAN, (_P.BUTUH_PERBAIKAN,), min_share=D("0.60")),
    KurvaRule(_O.BUTUH_PERBAIKAN, (_P.SANGAT_BAIK,), max_share=D("0.10")),
    KurvaRule(_O.KURANG, (_P.KURANG_MISCONDUCT,), min_share=D("0.60")),
    KurvaRule(_O.KURANG, (_P.BUTUH_PERBAIKAN,), min_share=D("0.10")),
    KurvaRule(_O.KURANG, (_P.SANGAT_BAIK,), max_share=D("0.10")),
    KurvaRule(_O.SANGAT_KURANG, (_P.SANGAT_KURANG,), min_share=D("0.60")),
    KurvaRule(_O.SANGAT_KURANG, (_P.KURANG_MISCONDUCT, _P.BUTUH_PERBAIKAN), min_share=D("0.10")),
    KurvaRule(_O.SANGAT_KURANG, (_P.SANGAT_BAIK,), max_share=D("0")),
)


def rules_for(organisasi: PredikatOrganisasi, rules: tuple[KurvaRule, ...] = KURVA_DISTRIBUSI) -> tuple[KurvaRule, ...]:
    """The curve's constraints for one organisation predikat (`rules`: a version of `kurva_distribusi`)."""
    return tuple(r for r in rules if r.organisasi is PredikatOrganisasi(organisasi))


def _pct(fraction: Decimal) -> str:
    """Share as a percentage with at most one decimal, Indonesian style ("66,7%", "70%")."""
    value = (fraction * 100).quantize(D("0.1"), rounding=ROUND_HALF_UP)
    text = f"{value:f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def check(
    organisasi: PredikatOrganisasi,
    counts: Mapping[Predikat, int],
    rules: tuple[KurvaRule, ...] = KURVA_DISTRIBUSI,
    min_pegawai: int = MIN_PEGAWAI_PERSENTASE,
) -> list[KurvaWarning]:
    """Check a unit's predikat counts against the curve for its organisation predikat (SE MenPANRB 3/2023).

    `counts` is usually a `collections.Counter` of the employees' predikat. `rules`/`min_pegawai` come from the
    version of the rule table `kurva_distribusi` that applies (`domain.rating_rules`). Returns warnings in the
    order of the rules; an empty list means the distribution fits the curve.
    """
    organisasi = PredikatOrganisasi(organisasi)
    counts = {Predikat(k): int(v) for k, v in counts.items() if v}
    total = sum(counts.values())
    org_label = organisasi.label
    small = total < min_pegawai
    out: list[KurvaWarning] = []
    for rule in rules_for(organisasi, rules):
        count = sum(counts.get(p, 0) for p in rule.kelompok)
        share = D(count) / D(total) if total else None
        if rule.max_share == 0:
            if count > 0:
                out.append(
                    KurvaWarning(
                        KurvaWarningKind.PERINGATAN,
                        rule,
                        count,
                        total,
                        share,
                        rule.max_share,
                        count,
                        f"Untuk organisasi berpredikat {org_label} tidak boleh ada pegawai berpredikat "
                        f"{rule.label}; saat ini ada {count} pegawai.",
                    )
                )
            continue
        if small:
            out.append(
                KurvaWarning(
                    KurvaWarningKind.PANDUAN,
                    rule,
                    count,
                    total,
                    None,
                    rule.max_share if rule.max_share is not None else rule.min_share,
                    None,
                    f"Unit ini hanya memiliki {total} pegawai (kurang dari {min_pegawai}), sehingga "
                    f"persentase kurva distribusi tidak bermakna. Sebagai panduan untuk organisasi berpredikat "
                    f"{org_label}: {rule.label} — {rule.describe()}. Saat ini {count} pegawai.",
                )
            )
            continue
        out.extend(_check_rule(rule, counts, count, total, share, org_label))
    return out


def _check_rule(
    rule: KurvaRule, counts: Mapping[Predikat, int], count: int, total: int, share: Decimal, org_label: str
) -> list[KurvaWarning]:
    found: list[KurvaWarning] = []
    porsi = f"{count} dari {total} pegawai ({_pct(share)})"

    def warn(limit: Decimal | None, needed: int | None, message: str) -> None:
        found.append(KurvaWarning(KurvaWarningKind.PERINGATAN, rule, count, total, share, limit, needed, message))

    if rule.max_share is not None:
        allowed = int((rule.max_share * total).to_integral_value(rounding=ROUND_FLOOR))
        if count > allowed:
            warn(
                rule.max_share,
                count - allowed,
                f"Pegawai berpredikat {rule.label} {porsi} melebihi batas maksimal {_pct(rule.max_share)} untuk "
                f"organisasi berpredikat {org_label}; paling banyak {allowed} pegawai, "
                f"kelebihan {count - allowed} pegawai.",
            )
    if rule.min_share is not None:
        required = int((rule.min_share * total).to_integral_value(rounding=ROUND_CEILING))
        if count < required:
            warn(
                rule.min_share,
                required - count,
                f"Pegawai berpredikat {rule.label} {porsi} di bawah batas minimal {_pct(rule.min_share)} untuk "
                f"organisasi berpredikat {org_label}; paling sedikit {required} pegawai, "
                f"kurang {required - count} pegawai.",
            )
    if rule.must_exist and count == 0:
        warn(
            None,
            1,
            f"Untuk organisasi berpredikat {org_label} harus ada paling sedikit 1 pegawai berpredikat "
            f"{rule.label}; saat ini tidak ada.",
        )
    if rule.largest_group:
        others = [(n, p) for p, n in counts.items() if p not in rule.kelompok]
        if others:
            biggest, other = max(others, key=lambda item: (item[0], -list(Predikat).index(item[1])))
            if biggest > count:
                warn(
                    None,
                    None,
                    f"Untuk organisasi berpredikat {org_label}, {rule.label} seharusnya kelompok terbesar "
                    f"(sebagian besar), tetapi {other.label} lebih banyak ({biggest} pegawai dibanding {count}).",
                )
    return found
