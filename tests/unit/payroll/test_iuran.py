"""Contributions: IWP 8%, BPJS Kesehatan with the shared Rp12 juta ceiling, JKK/JKM, Tapera."""

from dataclasses import replace
from datetime import date

import pytest

from kinerja_web.domain.payroll import Bagian, LineKind, bpjs_dasar, bpjs_kesehatan, iwp, jkk_jkm, tapera
from kinerja_web.domain.payroll.tables import TaperaRates


@pytest.fixture(scope="module")
def r(rules):
    return rules.resolve(date(2026, 10, 1))


def amounts(lines):
    return {ln.code: ln.amount for ln in lines}


def test_iwp_is_eight_percent_of_gaji_pokok_plus_tunjangan_keluarga(r):
    line = iwp(r.iwp, 3_000_000, 360_000)
    assert line.amount == 268_800 and line.kind is LineKind.POTONGAN
    assert line.input("dasar") == 3_360_000


def test_bpjs_ceiling_is_shared_gaji_first_then_tpp(r):
    assert bpjs_dasar(r.bpjs_kesehatan.data, 5_000_000, 10_000_000) == (5_000_000, 7_000_000)


def test_tpp_can_use_only_what_gaji_left_of_the_ceiling(r):
    shares = bpjs_kesehatan(r.bpjs_kesehatan, 5_000_000, 10_000_000)
    got = amounts(shares.lines)
    assert got["TJ_BPJS"] == 200_000 and got["POT_BPJS1"] == 50_000
    assert got["TJ_BPJS_TPP"] == 280_000 and got["POT_BPJS4_TPP"] == 280_000 and got["POT_BPJS1_TPP"] == 70_000


def test_tpp_below_the_remaining_ceiling_uses_its_full_amount(r):
    assert bpjs_dasar(r.bpjs_kesehatan.data, 5_000_000, 3_000_000) == (5_000_000, 3_000_000)


def test_gaji_above_the_ceiling_leaves_nothing_for_tpp(r):
    shares = bpjs_kesehatan(r.bpjs_kesehatan, 13_000_000, 4_000_000)
    assert (shares.dasar_gaji, shares.dasar_tpp) == (12_000_000, 0)
    assert amounts(shares.lines)["POT_BPJS1"] == 120_000
    assert all(ln.bagian is Bagian.GAJI for ln in shares.lines)


def test_employer_bpjs_is_both_income_and_deduction(r):
    lines = bpjs_kesehatan(r.bpjs_kesehatan, 4_000_000, 0).lines
    tj, pot = (ln for ln in lines if ln.code in ("TJ_BPJS", "POT_BPJS4"))
    assert (tj.kind, pot.kind) == (LineKind.PENGHASILAN, LineKind.POTONGAN) and tj.amount == pot.amount == 160_000


def test_bpjs_lines_cite_the_perpres_and_the_ceiling(r):
    line = bpjs_kesehatan(r.bpjs_kesehatan, 5_000_000, 10_000_000).lines[-1]
    assert "Perpres 75/2019" in line.citation and line.input("dasar_terpakai_gaji") == 5_000_000


def test_jkk_is_024_and_jkm_072_percent_of_gaji_pokok(r):
    got = amounts(jkk_jkm(r.jkk_jkm, 3_000_000))
    assert got == {"TJ_JKK": 7_200, "POT_JKK": 7_200, "TJ_JKM": 21_600, "POT_JKM": 21_600}


def test_tapera_is_off_by_default(r):
    assert tapera(r.tapera, 3_000_000) == ()


def test_tapera_when_switched_on_deducts_25_and_shows_05_percent(r):
    on = replace(r.tapera, data=TaperaRates(aktif=True))
    got = {ln.code: (ln.amount, ln.kind) for ln in tapera(on, 3_000_000)}
    assert got == {"POT_TAPERA": (75_000, LineKind.POTONGAN), "INFO_TAPERA_PEMBERI_KERJA": (15_000, LineKind.INFO)}
