"""Gaji pokok lookup (PP 5/2024) and allowances (PP 7/1977 Pasal 16, Perpres 12/2006, PER-3/PB/2015)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import (
    gaji_pokok,
    lookup_gaji_pokok,
    tunjangan_anak,
    tunjangan_beras,
    tunjangan_suami_istri,
    tunjangan_umum,
)
from kinerja_web.domain.payroll.rules import RuleVersion
from kinerja_web.domain.payroll.tables import TunjanganKeluargaRates

PNS = StatusAsn.PNS


@pytest.fixture(scope="module")
def r(rules):
    return rules.resolve(date(2026, 10, 1))


@pytest.mark.parametrize(
    ("golongan", "mkg", "row_mkg", "amount"),
    [
        ("I/a", 0, 0, 1_685_700),  # I/a starts at 0 (even steps)
        ("I/a", 1, 0, 1_685_700),
        ("I/a", 2, 2, 1_738_800),
        ("I/b", 3, 3, 1_840_800),  # I/b starts at 3 (odd steps)
        ("I/b", 4, 3, 1_840_800),
        ("I/b", 5, 5, 1_898_800),
        ("II/a", 0, 0, 2_184_000),  # II/a: 0, 1, then odd steps
        ("II/a", 1, 1, 2_218_400),
        ("II/a", 2, 1, 2_218_400),
        ("II/a", 3, 3, 2_288_200),
        ("II/b", 33, 33, 3_797_500),
        ("III/a", 0, 0, 2_785_700),
        ("IV/e", 32, 32, 6_373_200),
        ("IV/e", 40, 32, 6_373_200),  # beyond the last row: the last row applies
    ],
)
def test_gaji_pokok_takes_the_greatest_row_not_above_the_mkg(r, golongan, mkg, row_mkg, amount):
    assert lookup_gaji_pokok(r.gaji_pokok_pns.data, golongan, mkg) == (row_mkg, amount)


@pytest.mark.parametrize(("golongan", "mkg"), [("I/b", 2), ("II/d", 0), ("I/a", -1)])
def test_mkg_below_the_first_row_is_a_data_error(r, golongan, mkg):
    with pytest.raises(DomainError, match="Kesalahan data") as exc:
        lookup_gaji_pokok(r.gaji_pokok_pns.data, golongan, mkg)
    assert exc.value.field == "mkg"


def test_unknown_golongan_in_the_table_is_refused(r):
    with pytest.raises(DomainError, match="tidak ada dalam tabel gaji pokok"):
        lookup_gaji_pokok(r.gaji_pokok_pns.data, "V/a", 4)


def test_pppk_table_is_looked_up_by_roman_golongan(r):
    assert lookup_gaji_pokok(r.gaji_pokok_pppk.data, "IX", 3) == (2, 3_304_400)


def test_gaji_pokok_line_cites_pp_5_2024_and_its_inputs(r):
    line = gaji_pokok(r.gaji_pokok_pns, r.cpns, PNS, "III/a", 1)
    assert line.amount == 2_785_700
    assert "PP 5/2024" in line.citation and line.rule_version == "gaji_pokok_pns@2024-01-01"
    assert line.input("mkg_tabel") == 0 and line.input("golongan") == "III/a"


def test_cpns_receive_eighty_percent_of_gaji_pokok(r):
    line = gaji_pokok(r.gaji_pokok_pns, r.cpns, StatusAsn.CPNS, "III/a", 0)
    assert line.amount == 2_228_560  # 80% × 2.785.700
    assert line.input("persen") == Decimal("0.80") and "80%" in line.citation


def test_tunjangan_suami_istri_is_ten_percent_of_gaji_pokok(r):
    assert tunjangan_suami_istri(r.tunjangan_keluarga, 2_785_700, True).amount == 278_570


def test_no_tunjangan_suami_istri_without_entitled_spouse(r):
    assert tunjangan_suami_istri(r.tunjangan_keluarga, 2_785_700, False) is None


def test_tunjangan_anak_is_two_percent_per_child(r):
    assert tunjangan_anak(r.tunjangan_keluarga, 2_785_700, 1).amount == 55_714


def test_tunjangan_anak_pays_at_most_two_children_by_default(r):
    line = tunjangan_anak(r.tunjangan_keluarga, 2_785_700, 3)
    assert line.amount == 111_428 and line.input("jumlah_anak_dibayar") == 2


def test_maximum_number_of_children_is_configurable(r):
    three = replace(r.tunjangan_keluarga, data=TunjanganKeluargaRates(maks_anak=3))
    assert tunjangan_anak(three, 2_785_700, 3).amount == 167_142


def test_no_tunjangan_anak_without_children(r):
    assert tunjangan_anak(r.tunjangan_keluarga, 2_785_700, 0) is None


@pytest.mark.parametrize(
    ("golongan", "amount"), [("I/c", 175_000), ("II/a", 180_000), ("III/d", 185_000), ("IV/e", 190_000)]
)
def test_tunjangan_umum_follows_the_golongan(r, golongan, amount):
    assert tunjangan_umum(r.tunjangan_umum, PNS, golongan, 0).amount == amount


def test_no_tunjangan_umum_with_a_struktural_or_fungsional_tunjangan(r):
    assert tunjangan_umum(r.tunjangan_umum, PNS, "III/a", 540_000) is None


def test_pppk_tunjangan_umum_uses_the_pns_golongan_group(r):
    assert tunjangan_umum(r.tunjangan_umum, StatusAsn.PPPK, "IX", 0).amount == 185_000


def test_tunjangan_beras_is_72420_per_jiwa(r):
    assert tunjangan_beras(r.tunjangan_beras, 1).amount == 72_420
    assert tunjangan_beras(r.tunjangan_beras, 4).amount == 289_680


def test_tunjangan_beras_rate_per_kg_is_configurable(r):
    dearer = RuleVersion(
        "beras@2027",
        r.tunjangan_beras.berlaku_mulai,
        "uji",
        replace(r.tunjangan_beras.data, harga_per_kg=Decimal(8000)),
    )
    assert tunjangan_beras(dearer, 2).amount == 160_000
