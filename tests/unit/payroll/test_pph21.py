"""PPh 21: TER monthly (PP 58/2023) with every bracket edge, Pasal 17 edges and the December true-up."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll import (
    biaya_jabatan,
    kategori_ter,
    pasal17,
    pph21_masa_terakhir,
    pph21_ter,
    ptkp_row,
    read_rule_csv,
    round_down_pkp,
    ter_rate,
)

TER_ROWS = list(csv.DictReader(io.StringIO(read_rule_csv("pph21_ter.csv"))))
EDGES = [
    (row["category"], int(row["upper_bound"]), Decimal(row["rate_percent"]) / 100, Decimal(nxt["rate_percent"]) / 100)
    for row, nxt in zip(TER_ROWS, TER_ROWS[1:], strict=False)
    if row["upper_bound"] and nxt["category"] == row["category"]
]
EDGE_IDS = [f"{cat}-{upper}" for cat, upper, *_ in EDGES]


@pytest.fixture(scope="module")
def r(rules):
    return rules.resolve(date(2026, 10, 1))


def test_every_ter_row_with_an_upper_bound_has_an_edge_case():
    assert len(EDGES) == 44 + 40 + 41 - 3


@pytest.mark.parametrize(("kategori", "upper", "rate", "_next"), EDGES, ids=EDGE_IDS)
def test_ter_upper_bound_is_inclusive(r, kategori, upper, rate, _next):
    assert ter_rate(r.ter.data, kategori, upper) == rate


@pytest.mark.parametrize(("kategori", "upper", "_rate", "next_rate"), EDGES, ids=EDGE_IDS)
def test_one_rupiah_above_the_upper_bound_takes_the_next_rate(r, kategori, upper, _rate, next_rate):
    assert ter_rate(r.ter.data, kategori, upper + 1) == next_rate


@pytest.mark.parametrize("kategori", ["A", "B", "C"])
def test_ter_first_bracket_starts_at_zero_inclusive(r, kategori):
    assert ter_rate(r.ter.data, kategori, 0) == 0


@pytest.mark.parametrize(("kategori", "rate"), [("A", Decimal("0.34")), ("B", Decimal("0.34")), ("C", Decimal("0.34"))])
def test_ter_last_bracket_has_no_upper_limit(r, kategori, rate):
    assert ter_rate(r.ter.data, kategori, 10_000_000_000) == rate


def test_ter_refuses_negative_gross(r):
    with pytest.raises(DomainError, match="negatif"):
        ter_rate(r.ter.data, "A", -1)


@pytest.mark.parametrize(
    ("status", "bruto", "pph"),
    [("TK/0", 10_000_000, 200_000), ("K/1", 10_000_000, 150_000), ("K/3", 9_800_000, 122_500)],
)
def test_ter_examples_of_the_domain_reference(r, status, bruto, pph):
    assert pph21_ter(r.ter.data, kategori_ter(r.ptkp.data, status), bruto) == pph


@pytest.mark.parametrize(
    ("status", "kategori"),
    [
        ("TK/0", "A"),
        ("TK/1", "A"),
        ("K/0", "A"),
        ("TK/2", "B"),
        ("TK/3", "B"),
        ("K/1", "B"),
        ("K/2", "B"),
        ("K/3", "C"),
    ],
)
def test_ptkp_status_maps_to_its_ter_category(r, status, kategori):
    assert kategori_ter(r.ptkp.data, status) == kategori


def test_missing_ptkp_status_stops_the_computation(r):
    with pytest.raises(DomainError, match="Status PTKP pegawai belum diisi") as exc:
        kategori_ter(r.ptkp.data, None)
    assert exc.value.field == "status_ptkp"


def test_combined_income_status_is_refused_for_monthly_tax(r):
    with pytest.raises(DomainError, match="hanya dipakai pada SPT tahunan"):
        kategori_ter(r.ptkp.data, "K/I/1")


def test_unknown_ptkp_status_is_refused(r):
    with pytest.raises(DomainError, match="tidak dikenal"):
        kategori_ter(r.ptkp.data, "K/9")


@pytest.mark.parametrize(
    ("pkp", "tax"),
    [
        (0, 0),
        (60_000_000, 3_000_000),
        (60_001_000, 3_000_150),
        (250_000_000, 31_500_000),
        (250_001_000, 31_500_250),
        (500_000_000, 94_000_000),
        (500_001_000, 94_000_300),
        (5_000_000_000, 1_444_000_000),
        (5_000_001_000, 1_444_000_350),
    ],
)
def test_pasal17_progressive_rates_at_each_edge(r, pkp, tax):
    assert pasal17(r.pasal17.data, pkp) == tax


def test_pasal17_of_negative_pkp_is_zero(r):
    assert pasal17(r.pasal17.data, -5_000) == 0


@pytest.mark.parametrize(("neto", "pkp"), [(56_400_999, 56_400_000), (999, 0), (-1, 0), (1_000, 1_000)])
def test_pkp_is_rounded_down_to_whole_thousands(neto, pkp):
    assert round_down_pkp(neto) == pkp


def test_biaya_jabatan_is_five_percent_capped_at_six_million_a_year(r):
    assert biaya_jabatan(r.biaya_jabatan.data, 100_000_000) == 5_000_000
    assert biaya_jabatan(r.biaya_jabatan.data, 120_000_000) == 6_000_000
    assert biaya_jabatan(r.biaya_jabatan.data, 200_000_000) == 6_000_000


def test_biaya_jabatan_cap_is_500_thousand_per_month_worked(r):
    assert biaya_jabatan(r.biaya_jabatan.data, 200_000_000, bulan_bekerja=6) == 3_000_000


def test_december_true_up_is_annual_tax_minus_january_to_november(r):
    # TK/0, bruto 10 juta every month, IWP 300.000 a month; TER A 2% Jan–Nov = 11 × 200.000.
    result = pph21_masa_terakhir(
        r.pasal17.data, r.biaya_jabatan.data, ptkp_row(r.ptkp.data, "TK/0"), 120_000_000, 3_600_000, 2_200_000
    )
    assert result.biaya_jabatan == 6_000_000
    assert result.neto == 110_400_000
    assert result.pkp == 56_400_000  # 110.400.000 − PTKP 54.000.000
    assert result.pph_setahun == 2_820_000  # 5% × 56.400.000
    assert result.pph_masa_terakhir == 620_000


def test_december_true_up_may_be_negative_when_too_much_was_withheld(r):
    result = pph21_masa_terakhir(
        r.pasal17.data, r.biaya_jabatan.data, ptkp_row(r.ptkp.data, "K/3"), 120_000_000, 3_600_000, 2_200_000
    )
    assert result.pkp == 38_400_000 and result.pph_setahun == 1_920_000
    assert result.pph_masa_terakhir == -280_000


def test_december_true_up_crossing_a_pasal17_edge(r):
    # neto 280.000.000 − PTKP 54.000.000 = 226.000.000 → 3.000.000 + 15% × 166.000.000
    result = pph21_masa_terakhir(
        r.pasal17.data, r.biaya_jabatan.data, ptkp_row(r.ptkp.data, "TK/0"), 300_000_000, 14_000_000, 0
    )
    assert result.pkp == 226_000_000 and result.pph_setahun == 27_900_000
