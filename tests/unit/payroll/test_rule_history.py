"""Rules as data before 2024 and contribution bases as rule parameters (issue 20 items 3, 7, 10).

PP 15/2019 gaji pokok (in force 2019–2023) is a version of the `gaji_pokok_pns` table; the contribution bases
of IWP, BPJS Kesehatan, JKK/JKM and Tapera are fields of their rule rows, defaulted so that stored rows written
before the fields existed decode to the same base; Tapera applies to ASN only from its version's start date.
"""

import csv
import io
from dataclasses import replace
from datetime import date

import pytest

from kinerja_web.domain.payroll import iwp, jkk_jkm, read_rule_csv, tapera
from kinerja_web.domain.payroll.bases import DasarIuran, dasar_iuran
from kinerja_web.domain.payroll.codec import decode, encode
from kinerja_web.domain.payroll.defaults import GAJI_POKOK_PP_15_2019, TAPERA_ASN_MULAI, default_rules
from kinerja_web.domain.payroll.tables import BpjsKesehatanRates, IwpRates, JaminanTaspenRates, TaperaRates


def _cells(name):
    return {
        (r["golongan"], r["ruang"], int(r["mkg_years"])): int(r["gaji_pokok_rupiah"])
        for r in csv.DictReader(io.StringIO(read_rule_csv(name)))
    }


# Lowest and highest cell per golongan/ruang, PP 15/2019 (hype.grid.id; II/c–IV/e also aceh.tribunnews.com).
PP_15_2019_ENDS = {
    ("I", "a"): (1_560_800, 2_335_800),
    ("I", "b"): (1_704_500, 2_472_900),
    ("I", "c"): (1_776_600, 2_577_500),
    ("I", "d"): (1_851_800, 2_686_500),
    ("II", "a"): (2_022_200, 3_373_600),
    ("II", "b"): (2_208_400, 3_516_300),
    ("II", "c"): (2_301_800, 3_665_000),
    ("II", "d"): (2_399_200, 3_820_000),
    ("III", "a"): (2_579_400, 4_236_400),
    ("III", "b"): (2_688_500, 4_415_600),
    ("III", "c"): (2_802_300, 4_602_400),
    ("III", "d"): (2_920_800, 4_797_000),
    ("IV", "a"): (3_044_300, 5_000_000),
    ("IV", "b"): (3_173_100, 5_211_500),
    ("IV", "c"): (3_307_300, 5_431_900),
    ("IV", "d"): (3_447_200, 5_661_700),
    ("IV", "e"): (3_593_100, 5_901_200),
}
UNCONFIRMED = {("IV", "b", 2), ("IV", "e", 14)}  # see data/rules/history/README.md


def test_pp_15_2019_has_the_same_cells_as_pp_5_2024():
    assert set(_cells(GAJI_POKOK_PP_15_2019)) == set(_cells("gaji_pokok_pns.csv"))


def test_pp_15_2019_lowest_and_highest_cells_equal_the_published_lists():
    old = _cells(GAJI_POKOK_PP_15_2019)
    for (g, r), (lo, hi) in PP_15_2019_ENDS.items():
        mine = sorted(m for gg, rr, m in old if (gg, rr) == (g, r))
        assert (old[(g, r, mine[0])], old[(g, r, mine[-1])]) == (lo, hi), (g, r)


def test_pp_5_2024_is_pp_15_2019_plus_eight_percent_within_rounding():
    old, new = _cells(GAJI_POKOK_PP_15_2019), _cells("gaji_pokok_pns.csv")
    off = {k for k, v in old.items() if abs(new[k] * 100 - v * 108) > 200 * 100}
    assert off == UNCONFIRMED


def test_a_2023_month_uses_pp_15_2019_and_2024_uses_pp_5_2024():
    table = default_rules().gaji_pokok_pns
    assert table.problems() == []
    v2023, v2024 = table.in_force(date(2023, 12, 1)), table.in_force(date(2024, 1, 1))
    assert v2023.citation.startswith("PP 15/2019") and v2024.citation.startswith("PP 5/2024")
    assert dict(v2023.data.steps("III/a"))[0] == 2_579_400 and dict(v2024.data.steps("III/a"))[0] == 2_785_700


@pytest.fixture(scope="module")
def r(rules):
    return rules.resolve(date(2026, 10, 1))


def test_stored_rows_without_a_base_decode_to_the_base_used_before():
    for cls, old_data, field, base in (
        (IwpRates, {"pensiun": "0.0475", "tht": "0.0325"}, "dasar", DasarIuran.GAJI_POKOK_KELUARGA),
        (JaminanTaspenRates, {"jkk": "0.0024", "jkm": "0.0072"}, "dasar", DasarIuran.GAJI_POKOK),
        (
            TaperaRates,
            {"aktif": False, "pekerja": "0.025", "pemberi_kerja": "0.005"},
            "dasar",
            DasarIuran.GAJI_POKOK_KELUARGA,
        ),
        (
            BpjsKesehatanRates,
            {"pemberi_kerja": "0.04", "peserta": "0.01", "batas_atas": 12_000_000},
            "dasar_gaji",
            DasarIuran.PENGHASILAN_TETAP,
        ),
    ):
        assert getattr(decode(cls, old_data), field) is base
        assert decode(cls, encode(cls())) == cls()


def test_jkk_jkm_on_gaji_pokok_by_default_rupiah_exact(r):
    # III/a MKG 0 (PP 5/2024) Rp2.785.700: JKK 0,24% = 6.685,68 → 6.686; JKM 0,72% = 20.057,04 → 20.057.
    got = {ln.code: ln.amount for ln in jkk_jkm(r.jkk_jkm, 2_785_700, 278_570, 185_000)}
    assert got == {"TJ_JKK": 6_686, "POT_JKK": 6_686, "TJ_JKM": 20_057, "POT_JKM": 20_057}


def test_jkk_jkm_base_is_a_parameter_of_the_rule_row(r):
    wider = replace(r.jkk_jkm, data=replace(r.jkk_jkm.data, dasar=DasarIuran.GAJI_POKOK_KELUARGA))
    lines = jkk_jkm(wider, 2_785_700, 278_570, 185_000)
    assert lines[0].input("dasar") == 3_064_270 and lines[0].amount == 7_354  # 0,24% × 3.064.270 = 7.354,248


def test_iwp_base_is_a_parameter_of_the_rule_row(r):
    assert iwp(r.iwp, 3_000_000, 360_000, 540_000).amount == 268_800  # default: gaji pokok + keluarga
    only_gapok = replace(r.iwp, data=replace(r.iwp.data, dasar=DasarIuran.GAJI_POKOK))
    assert iwp(only_gapok, 3_000_000, 360_000, 540_000).amount == 240_000


def test_dasar_iuran_components():
    assert dasar_iuran(DasarIuran.GAJI_POKOK, 100, 10, 5) == 100
    assert dasar_iuran(DasarIuran.GAJI_POKOK_KELUARGA, 100, 10, 5) == 110
    assert dasar_iuran(DasarIuran.PENGHASILAN_TETAP, 100, 10, 5) == 115


def test_tapera_applies_to_asn_only_from_its_start_date():
    table = default_rules().tapera
    assert table.problems() == []
    before = table.in_force(date(TAPERA_ASN_MULAI.year, TAPERA_ASN_MULAI.month - 1, 1))
    after = table.in_force(TAPERA_ASN_MULAI)
    assert tapera(before, 3_000_000, 300_000) == ()
    got = {ln.code: ln.amount for ln in tapera(after, 3_000_000, 300_000)}
    assert got == {"POT_TAPERA": 82_500, "INFO_TAPERA_PEMBERI_KERJA": 16_500}  # 2,5% / 0,5% of 3.300.000
    assert "PP 21/2024" in after.citation
