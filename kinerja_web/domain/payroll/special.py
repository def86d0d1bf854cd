"""Special runs: THR and gaji ke-13 (domain reference §4.5) and rapel (back pay after a retroactive rule change).

Pure, like `slip.compute_monthly`: the caller reads the database and passes snapshots; the same inputs and
rule versions always give the same lines.

* THR / gaji ke-13 are set each year by a PP (2024: PP 14/2024 [M]; 2025: PP 11/2025 [V2]). For ASN daerah
  the components are gaji pokok, tunjangan keluarga, tunjangan pangan, tunjangan jabatan or umum, and TPP
  "paling banyak sebesar yang diterima 1 bulan" depending on fiscal capacity (PP 11/2025 Pasal 9). Which
  components and how much of the TPP are configuration (`ThrGaji13Config`, one rule version per year).
  No IWP/BPJS/other deductions (domain reference §4.5 [M]); only PPh 21.
* PPh 21 on irregular income of a pegawai tetap (THR, gaji ke-13, rapel): PMK 168/2023 Pasal 5 counts
  "tunjangan hari raya … dan penghasilan lain yang sifatnya tidak teratur" as income of the masa in which it
  is paid; in masa Januari–November it is added to that month's gross and the TER of the combined gross
  applies (PP 58/2023 Pasal 2; domain reference §5.3), in the last tax month it enters the annual Pasal 17
  computation (§5.4). The tax of the special run is the tax of the combined masa minus what the masa's
  final runs already withheld.
* Rapel: each already-final month is recomputed with the rule versions in force NOW for that month (same
  recorded employee inputs); the difference against what was paid, per component, is paid in one run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache

from .. import DomainError
from ..labels import LabeledEnum, bulan, tanggal
from ..org import StatusAsn
from .lines import Bagian, Line, LineKind, to_rupiah
from .pph21 import PphTahunan, kategori_ter, ter_rate
from .rules import RuleTable, RuleVersion, first_of_month
from .slip import PTKP_JSON_KEY, EmployeeInputs, Payslip, ResolvedRules, compute_monthly, pph_tahunan_inputs
from .tables import MetodePph21, ModePph

D = Decimal

# Gaji lines (codes of `compute_monthly`) that may be part of THR/gaji ke-13.
KOMPONEN_GAJI: dict[str, str] = {
    "GAPOK": "Gaji pokok",
    "TJ_ISTRI": "Tunjangan suami/istri",
    "TJ_ANAK": "Tunjangan anak",
    "TJ_JABATAN": "Tunjangan jabatan",
    "TJ_UMUM": "Tunjangan umum",
    "TJ_BERAS": "Tunjangan pangan (beras)",
}
# TPP lines that make up "TPP yang diterima 1 bulan".
KOMPONEN_TPP = ("TPP_KINERJA", "TPP_DISIPLIN")
# PPh lines are never differenced month by month: the rapel's tax is computed in its own masa.
KODE_PPH = frozenset({"TJ_PPH", "POT_PPH", "TJ_PPH_TPP", "POT_PPH_TPP"})
SPECIAL_RULE_CODE = "thr_gaji13"


class JenisKhusus(LabeledEnum):
    """Same values as `kinerja_web.models.RunKind` for the special runs."""

    THR = "thr", "THR"
    GAJI_13 = "gaji13", "Gaji ke-13"
    RAPEL = "rapel", "Rapel"


@dataclass(frozen=True)
class KetentuanKhusus:
    """What one kind (THR or gaji ke-13) of one year pays and to whom."""

    komponen: frozenset[str]  # codes of KOMPONEN_GAJI
    persen_tpp: Decimal  # fraction of one month's TPP; at most 1 ("paling banyak 1 bulan", PP 11/2025 Pasal 9)
    status_berhak: frozenset[str] = frozenset({"pns", "cpns", "pppk"})  # PP 11/2025 Pasal 2 (PNS, CPNS, PPPK)
    tmt_paling_lambat: date | None = None  # appointed (TMT CPNS/PPPK) on or before this date [M]/[R]

    def problems(self, nama: str) -> list[str]:
        found = []
        unknown = sorted(self.komponen - KOMPONEN_GAJI.keys())
        if unknown:
            found.append(f"{nama}: komponen tidak dikenal: {', '.join(unknown)}.")
        if not D(0) <= self.persen_tpp <= D(1):
            found.append(f"{nama}: bagian TPP harus 0% s.d. 100% dari TPP sebulan (paling banyak 1 bulan).")
        bad = sorted(self.status_berhak - {s.value for s in StatusAsn})
        if bad:
            found.append(f"{nama}: status kepegawaian tidak dikenal: {', '.join(bad)}.")
        return found


@dataclass(frozen=True)
class ThrGaji13Config:
    """THR and gaji ke-13 of one year (one rule version per PP; `berlaku_sampai` = 31 December)."""

    thr: KetentuanKhusus
    gaji13: KetentuanKhusus

    def for_kind(self, kind: JenisKhusus) -> KetentuanKhusus:
        if kind is JenisKhusus.THR:
            return self.thr
        if kind is JenisKhusus.GAJI_13:
            return self.gaji13
        raise DomainError(f"Jenis penggajian {kind.label} tidak memakai ketentuan THR/gaji ke-13.")

    def problems(self) -> list[str]:
        return self.thr.problems("THR") + self.gaji13.problems("Gaji ke-13")


def special_table_problems(table: RuleTable[ThrGaji13Config]) -> list[str]:
    """Date problems plus a check that no version spans two years (the PP is set each year)."""
    found = list(table.problems()) if table.versions else []
    for v in table.versions:
        if v.berlaku_sampai is None or v.berlaku_sampai.year != v.berlaku_mulai.year:
            found.append(
                f"Tabel {table.label}: versi '{v.version_id}' harus berakhir pada tahun yang sama "
                f"(THR dan gaji ke-13 ditetapkan setiap tahun dengan PP)."
            )
        found.extend(f"Tabel {table.label} versi '{v.version_id}': {p}" for p in v.data.problems())
    return found


SPECIAL_RULE_LABEL = "THR dan gaji ke-13"
_SEMUA_KOMPONEN = frozenset(KOMPONEN_GAJI)
_CONTOH_TPP = "bagian TPP 100% dari TPP sebulan adalah CONTOH [R] (sesuai kemampuan keuangan daerah)"
_TMT = "batas TMT [M] — konfirmasi dengan BPKAD"


def special_version(year: int, citation: str) -> RuleVersion[ThrGaji13Config]:
    """One year's THR and gaji ke-13: every gaji component and one month's TPP, TMT on or before 1 March (THR)
    and 1 June (gaji ke-13) of the year, in force 1 January to 31 December."""
    return RuleVersion(
        f"{SPECIAL_RULE_CODE}@{year}",
        date(year, 1, 1),
        citation,
        ThrGaji13Config(
            thr=KetentuanKhusus(_SEMUA_KOMPONEN, D(1), tmt_paling_lambat=date(year, 3, 1)),
            gaji13=KetentuanKhusus(_SEMUA_KOMPONEN, D(1), tmt_paling_lambat=date(year, 6, 1)),
        ),
        date(year, 12, 31),
    )


_PP_11_2025 = (
    "PP 11/2025 Pasal 9 (ASN daerah: gaji pokok, tunjangan keluarga, tunjangan pangan, tunjangan jabatan "
    "atau tunjangan umum, dan tambahan penghasilan paling banyak 1 bulan)"
)


def default_special_table() -> RuleTable[ThrGaji13Config]:
    """Shipped versions: 2024 (PP 14/2024 [M]) and 2025 (PP 11/2025 [V2]); a new year needs its own PP row,
    until then THR/gaji ke-13 runs of that year are refused (nothing is guessed)."""
    return RuleTable(
        SPECIAL_RULE_CODE,
        SPECIAL_RULE_LABEL,
        (
            special_version(
                2024,
                "PP 14/2024 [M] tentang THR dan gaji ketiga belas 2024 (komponen ASN daerah: gaji pokok, tunjangan "
                f"keluarga, tunjangan pangan, tunjangan jabatan/umum, TPP paling banyak 1 bulan); {_CONTOH_TPP}; {_TMT}",
            ),
            special_version(2025, f"{_PP_11_2025}; {_CONTOH_TPP}; {_TMT}"),
        ),
    )


def demo_special_version(year: int) -> RuleVersion[ThrGaji13Config]:
    """DEMO DATA ONLY (`flask seed demo`): a year after 2025 whose PP the domain reference does not know (research
    up to late 2025), with 2025's provisions so that the demo can run THR and gaji ke-13; the citation says so."""
    return special_version(
        year,
        f"CONTOH DATA DEMO, BUKAN DASAR HUKUM: PP THR dan gaji ketiga belas tahun {year} belum tercatat dalam "
        f"referensi aplikasi; ketentuannya disalin dari {_PP_11_2025} agar demo dapat dijalankan. Ganti dengan "
        f"versi yang mengutip PP tahun {year} sebelum membayar; {_CONTOH_TPP}; {_TMT}",
    )


# ------------------------------------------------------------------------------------- eligibility


def tidak_berhak(ketentuan: KetentuanKhusus, status: StatusAsn, tmt: date | None) -> str | None:
    """The Indonesian reason an employee gets no THR/gaji ke-13, or None when eligible."""
    if status.value not in ketentuan.status_berhak:
        return f"status {status.label} tidak termasuk penerima"
    if ketentuan.tmt_paling_lambat is not None:
        if tmt is None:
            return "TMT pengangkatan belum diisi"
        if tmt > ketentuan.tmt_paling_lambat:
            return f"TMT {tanggal(tmt)} setelah batas {tanggal(ketentuan.tmt_paling_lambat)}"
    return None


# -------------------------------------------------------------------------------------------- PPh


@dataclass(frozen=True)
class MasaBayar:
    """What the final runs of the payment month already hold for the employee (for the combined-masa tax)."""

    bruto: int = 0
    pph21: int = 0
    iuran_pensiun: int = 0


@dataclass(frozen=True)
class PphTidakTeratur:
    pph: int  # tax attributable to the irregular income (combined masa − already withheld)
    inputs: tuple
    citation: str
    version_id: str
    tahunan: PphTahunan | None = None


def pph21_tidak_teratur(
    rules: ResolvedRules,
    pegawai: EmployeeInputs,
    masa: MasaBayar,
    bruto_tambahan: int,
    iuran_tambahan: int,
    month: date,
) -> PphTidakTeratur:
    """PPh 21 on irregular income paid in `month` (PMK 168/2023 Pasal 5; PP 58/2023 Pasal 2).

    Masa Januari–November: TER(bruto masa + tambahan) × (bruto masa + tambahan) − PPh already withheld in the
    masa. Last tax month: annual Pasal 17 computation including the extra income, minus everything withheld
    January .. this masa (`pegawai.ytd` holds January .. previous month).
    """
    if rules.ter.data.metode is not MetodePph21.TER:
        raise DomainError(
            f"PPh 21 atas penghasilan tidak teratur yang dibayar pada masa {bulan(month)} (sebelum TER, "
            f"PER-16/PJ/2016) tidak dihitung oleh Kinerja; bayarkan pada masa 2024 atau sesudahnya."
        )
    kategori = kategori_ter(rules.ptkp.data, pegawai.ptkp_status)
    gabungan = masa.bruto + bruto_tambahan
    if month.month == pegawai.masa_pajak_terakhir:
        ytd = pegawai.ytd
        tahunan = rules.pph_tahunan(
            pegawai.ptkp_status,
            ytd.bruto + gabungan,
            ytd.iuran_pensiun + masa.iuran_pensiun + iuran_tambahan,
            ytd.pph21 + masa.pph21,
            ytd.bulan_bekerja + 1,
        )
        inputs = pph_tahunan_inputs(pegawai.ptkp_status, tahunan, ("bruto_tambahan", bruto_tambahan))
        citation = f"PMK 168/2023 Pasal 5 (penghasilan tidak teratur); {rules.pasal17.citation}; {rules.biaya_jabatan.citation}"
        return PphTidakTeratur(tahunan.pph_masa_terakhir, inputs, citation, rules.pph_tahunan_version_id, tahunan)
    rate = ter_rate(rules.ter.data, kategori, gabungan)
    pph = to_rupiah(rate * gabungan) - masa.pph21
    inputs = (
        (PTKP_JSON_KEY, pegawai.ptkp_status),
        ("kategori_ter", kategori),
        ("bruto_masa", masa.bruto),
        ("bruto_tambahan", bruto_tambahan),
        ("bruto", gabungan),
        ("tarif", rate),
        ("pph_masa", masa.pph21),
    )
    citation = f"PMK 168/2023 Pasal 5 (penghasilan tidak teratur digabung dengan bruto masa); {rules.ter.citation}"
    return PphTidakTeratur(pph, inputs, citation, f"{rules.ter.version_id}+{rules.ptkp.version_id}")


def pph_lines(rules: ResolvedRules, pph: PphTidakTeratur, bruto_gaji: int, bruto_tpp: int) -> list[Line]:
    """Allocate the tax to the gaji and TPP parts in proportion to their gross and apply the PPh mode of each
    part (gaji: ditanggung pemerintah, PP 80/2010; TPP: per Perkada [R]) — same lines as a monthly slip."""
    total = bruto_gaji + bruto_tpp
    pph_gaji = to_rupiah(Decimal(pph.pph) * bruto_gaji / total) if total else pph.pph
    out: list[Line] = []
    modes = rules.mode_pph.data
    for bagian, amount, mode in (
        (Bagian.GAJI, pph_gaji, modes.gaji),
        (Bagian.TPP, pph.pph - pph_gaji, modes.tpp),
    ):
        if bagian is Bagian.TPP and not bruto_tpp:
            continue
        suffix = "_TPP" if bagian is Bagian.TPP else ""
        on = " atas TPP" if bagian is Bagian.TPP else ""
        inputs = (*pph.inputs, ("bruto_gaji", bruto_gaji), ("bruto_tpp", bruto_tpp), ("mode", mode.label))
        if mode is ModePph.DITANGGUNG:
            out.append(
                Line(
                    f"TJ_PPH{suffix}",
                    f"Tunjangan PPh 21{on} (ditanggung)",
                    amount,
                    LineKind.PENGHASILAN,
                    bagian,
                    pph.citation,
                    pph.version_id,
                    inputs,
                )
            )
        out.append(
            Line(
                f"POT_PPH{suffix}",
                f"PPh 21{on}",
                amount,
                LineKind.POTONGAN,
                bagian,
                pph.citation,
                pph.version_id,
                inputs,
            )
        )
    return out


# -------------------------------------------------------------------------------- THR / gaji ke-13


@dataclass(frozen=True)
class SpecialInputs:
    """One employee's THR/gaji ke-13 inputs: the payment month's recorded gaji inputs, the TPP received that
    month (final lines), the TMT and what the masa already holds."""

    pegawai: EmployeeInputs
    tmt: date | None = None
    tpp_sebulan: int = 0
    masa: MasaBayar = field(default_factory=MasaBayar)


def compute_thr_gaji13(
    kind: JenisKhusus,
    config: RuleVersion[ThrGaji13Config],
    inputs: SpecialInputs,
    rules: ResolvedRules,
    month: date,
) -> Payslip:
    """THR or gaji ke-13 of one eligible employee, paid in `month` (PP 11/2025 Pasal 9; §4.5).

    The gaji components are those `compute_monthly` gives for the same inputs and rule versions (so CPNS 80%,
    the child limit and the tunjangan umum rule apply unchanged); no IWP/BPJS/JKK/JKM/Tapera lines.
    Raises `DomainError` when the employee is not eligible (the caller filters first).
    """
    month = first_of_month(month)
    ket = config.data.for_kind(kind)
    status = StatusAsn(inputs.pegawai.status)
    why = tidak_berhak(ket, status, inputs.tmt)
    if why:
        raise DomainError(f"Tidak berhak {kind.label}: {why}.")
    base = compute_monthly(replace(inputs.pegawai, kelas_jabatan=None, attendance=(), status_tpp=()), rules, month)
    lines: list[Line] = []
    for ln in base.lines:
        if ln.code in ket.komponen:
            lines.append(
                ln._replace(
                    label=f"{ln.label} ({kind.label})",
                    citation=f"{config.citation}; {ln.citation}",
                    rule_version=f"{config.version_id}+{ln.rule_version}",
                )
            )
    bruto_gaji = sum(ln.amount for ln in lines)
    bruto_tpp = 0
    if ket.persen_tpp > 0 and inputs.tpp_sebulan > 0:
        bruto_tpp = to_rupiah(inputs.tpp_sebulan * ket.persen_tpp)
        lines.append(
            Line(
                "TPP",
                f"TPP ({kind.label})",
                bruto_tpp,
                LineKind.PENGHASILAN,
                Bagian.TPP,
                config.citation,
                config.version_id,
                (("tpp_sebulan", inputs.tpp_sebulan), ("persen", ket.persen_tpp), ("bulan_dasar", bulan(month))),
            )
        )
    pph = pph21_tidak_teratur(rules, inputs.pegawai, inputs.masa, bruto_gaji + bruto_tpp, 0, month)
    lines += pph_lines(rules, pph, bruto_gaji, bruto_tpp)
    return Payslip(
        month=month,
        lines=tuple(lines),
        rule_versions=(*rules.version_ids, (SPECIAL_RULE_CODE, config.version_id)),
        bruto_pph=bruto_gaji + bruto_tpp,
        pph21=pph.pph,
        iuran_pensiun=0,
        pph_tahunan=pph.tahunan,
    )


# -------------------------------------------------------------------------------------------- rapel


@dataclass(frozen=True)
class Dibayar:
    """One component as paid for a month so far (all final runs of that month, earlier rapel included)."""

    label: str
    amount: int
    kind: LineKind
    bagian: Bagian


@dataclass(frozen=True)
class RapelMonth:
    """An already-final month of one employee: the inputs it was computed with and what was paid."""

    month: date
    pegawai: EmployeeInputs
    dibayar: Mapping[str, Dibayar]
    run_ids: tuple[int, ...]


@dataclass(frozen=True)
class RapelInputs:
    """One employee's rapel snapshot: the months, and the payment masa's inputs for the PPh."""

    months: tuple[RapelMonth, ...]
    pegawai_bayar: EmployeeInputs
    masa: MasaBayar = field(default_factory=MasaBayar)


def selisih_bulan(rm: RapelMonth, rules: ResolvedRules, slip_of=compute_monthly) -> list[Line]:
    """Per component: what the rules in force now give for the month − what was paid (PPh lines excluded).

    Components that no longer exist come back negated; unchanged components give no line. `slip_of` is
    `compute_monthly` or a memoised equivalent (pure, so employees with equal inputs share one result).
    """
    slip = slip_of(rm.pegawai, rules, rm.month)
    before = dict(rm.dibayar)
    asal = ", ".join(f"#{i}" for i in rm.run_ids)
    out: list[Line] = []
    for ln in slip.lines:
        if ln.code in KODE_PPH or ln.kind is LineKind.INFO:
            before.pop(ln.code, None)
            continue
        old = before.pop(ln.code, None)
        paid = old.amount if old else 0
        if ln.amount != paid:
            out.append(
                Line(
                    ln.code,
                    f"Rapel {ln.label}",
                    ln.amount - paid,
                    ln.kind,
                    ln.bagian,
                    ln.citation,
                    ln.rule_version,
                    (("bulan", rm.month), ("seharusnya", ln.amount), ("dibayar", paid), ("run_asal", asal)),
                )
            )
    for code, old in sorted(before.items()):
        if code in KODE_PPH or old.kind is LineKind.INFO or not old.amount:
            continue
        out.append(
            Line(
                code,
                f"Rapel {old.label}",
                -old.amount,
                old.kind,
                old.bagian,
                "Komponen tidak ada lagi menurut aturan yang berlaku",
                f"run{asal}",
                (("bulan", rm.month), ("seharusnya", 0), ("dibayar", old.amount), ("run_asal", asal)),
            )
        )
    return out


def compute_rapel(
    months: list[RapelMonth],
    rules_by_month: Mapping[date, ResolvedRules],
    payment_rules: ResolvedRules,
    pegawai_bayar: EmployeeInputs,
    masa: MasaBayar,
    month: date,
    slip_of=compute_monthly,
) -> Payslip:
    """Rapel of one employee paid in `month`: the month-by-month differences, then PPh 21 on their gross as
    irregular income of the payment masa (PMK 168/2023 Pasal 5). IWP and BPJS differences follow the months'
    own rules (they are deductions of that month's pay, domain reference §4.4)."""
    month = first_of_month(month)
    lines: list[Line] = []
    ordered = sorted(months, key=lambda m: m.month)
    for rm in ordered:
        lines += selisih_bulan(rm, rules_by_month[rm.month], slip_of)
    taxable = [ln for ln in lines if ln.kind is LineKind.PENGHASILAN]
    bruto_gaji = sum(ln.amount for ln in taxable if ln.bagian is Bagian.GAJI)
    bruto_tpp = sum(ln.amount for ln in taxable if ln.bagian is Bagian.TPP)
    iuran = sum(ln.amount for ln in lines if ln.code == "POT_IWP")
    if lines:
        pph = pph21_tidak_teratur(payment_rules, pegawai_bayar, masa, bruto_gaji + bruto_tpp, iuran, month)
        lines += pph_lines(payment_rules, pph, bruto_gaji, bruto_tpp)
        pph_total, tahunan = pph.pph, pph.tahunan
    else:
        pph_total, tahunan = 0, None
    versions = _rapel_versions(
        tuple((rm.month, rules_by_month[rm.month].version_ids) for rm in ordered), payment_rules.version_ids
    )
    return Payslip(
        month=month,
        lines=tuple(lines),
        rule_versions=versions,
        bruto_pph=bruto_gaji + bruto_tpp,
        pph21=pph_total,
        iuran_pensiun=iuran,
        pph_tahunan=tahunan,
    )


@lru_cache(maxsize=64)
def _rapel_versions(per_month: tuple, payment: tuple) -> tuple[tuple[str, str], ...]:
    """(table@YYYY-MM or table@bayar, version id) of a rapel, computed once per distinct set of months."""
    out = {f"{code}@{m:%Y-%m}": vid for m, ids in per_month for code, vid in ids}
    out.update({f"{code}@bayar": vid for code, vid in payment})
    return tuple(sorted(out.items()))


def rapel_per_bulan(lines: list[Line] | tuple[Line, ...]) -> list[tuple[date, list[Line], int]]:
    """The rapel lines grouped by month (for the "Mengapa" page): (month, lines, net of the month)."""
    groups: dict[date, list[Line]] = {}
    for ln in lines:
        m = ln.input("bulan")
        if m is None:
            continue
        m = date.fromisoformat(m) if isinstance(m, str) else m
        groups.setdefault(m, []).append(ln)
    out = []
    for m in sorted(groups):
        net = sum(ln.amount if ln.kind is LineKind.PENGHASILAN else -ln.amount for ln in groups[m])
        out.append((m, groups[m], net))
    return out


__all__ = [
    "KOMPONEN_GAJI",
    "SPECIAL_RULE_LABEL",
    "default_special_table",
    "KOMPONEN_TPP",
    "SPECIAL_RULE_CODE",
    "Dibayar",
    "JenisKhusus",
    "KetentuanKhusus",
    "MasaBayar",
    "PphTidakTeratur",
    "RapelInputs",
    "RapelMonth",
    "SpecialInputs",
    "ThrGaji13Config",
    "compute_rapel",
    "compute_thr_gaji13",
    "pph21_tidak_teratur",
    "pph_lines",
    "rapel_per_bulan",
    "selisih_bulan",
    "special_table_problems",
    "tidak_berhak",
]
