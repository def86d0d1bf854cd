"""Voluntary deductions, zakat and the recovery of an overpayment (issue 20 items 4 and 8), pure rules."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import EmployeeInputs, LineKind, RuleTable, RuleVersion, YtdValues, compute_monthly
from kinerja_web.domain.payroll import deductions as d
from kinerja_web.domain.payroll.codec import decode, encode
from kinerja_web.domain.predikat import Predikat

OCT = date(2026, 10, 1)
DEC = date(2026, 12, 1)


def staff(**overrides):
    base = {"status": StatusAsn.PNS, "golongan": "III/c", "mkg": 10, "ptkp_status": "K/1", "kelas_jabatan": 9}
    return EmployeeInputs(**{**base, "predikat": Predikat.BAIK, **overrides})


def with_rule(rules, code: str, data):
    table = getattr(rules, code)
    v = table.versions[0]
    return replace(
        rules, **{code: RuleTable(code, table.label, (RuleVersion(v.version_id, v.berlaku_mulai, v.citation, data),))}
    )


ZAKAT = d.PotonganTetap("PT#1", d.JenisPotonganLain.ZAKAT, "BAZNAS Kabupaten Lampung Utara", dasar="pernyataan.pdf")
KOPERASI = d.PotonganTetap("PT#2", d.JenisPotonganLain.KOPERASI, "Koperasi Pegawai", jumlah=250_000)


def net(slip) -> int:
    return slip.netto()


def test_zakat_is_two_and_a_half_percent_of_the_pay_received_above_the_nisab(rules):
    rules0 = with_rule(rules, "zakat", replace(rules.zakat.versions[0].data, nisab_bulanan=0))
    plain = compute_monthly(staff(), rules0, OCT)
    slip = compute_monthly(staff(potongan_lain=(ZAKAT,)), rules0, OCT)
    base = d.diterima(plain.lines)
    # the employer's premiums and the tax allowance are not pay received
    assert base == sum(
        ln.amount
        for ln in plain.lines
        if ln.kind is LineKind.PENGHASILAN and not ln.code.startswith(("TJ_BPJS", "TJ_JKK", "TJ_JKM", "TJ_PPH"))
    )
    zakat = slip.line("POT_ZAKAT")
    assert zakat.amount == int((Decimal("0.025") * base).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    assert net(slip) == net(plain) - zakat.amount and slip.zakat == zakat.amount
    assert "PP 60/2010" in zakat.citation and dict(zakat.inputs)["penerima"] == "BAZNAS Kabupaten Lampung Utara"


def test_under_the_nisab_no_zakat_is_deducted_and_the_slip_says_why(rules):
    high = with_rule(rules, "zakat", replace(rules.zakat.versions[0].data, nisab_bulanan=100_000_000))
    slip = compute_monthly(staff(potongan_lain=(ZAKAT,)), high, OCT)
    assert slip.line("POT_ZAKAT") is None and slip.zakat == 0
    info = slip.line(d.CODE_INFO_TIDAK_DIPOTONG)
    assert info.kind is LineKind.INFO and "nisab" in info.label


def test_a_fixed_standing_order_is_its_own_slip_line_with_payee_and_consent(rules):
    plain = compute_monthly(staff(), rules, OCT)
    slip = compute_monthly(staff(potongan_lain=(KOPERASI,)), rules, OCT)
    line = slip.line("POT_LAIN_KOPERASI")
    assert line.amount == 250_000 and "Koperasi Pegawai" in line.label
    assert net(slip) == net(plain) - 250_000


def test_an_order_that_would_push_net_pay_under_the_floor_is_not_made(rules):
    plain = compute_monthly(staff(), rules, OCT)
    huge = replace(KOPERASI, jumlah=net(plain))  # would take everything
    slip = compute_monthly(staff(potongan_lain=(huge,)), rules, OCT)
    assert slip.line("POT_LAIN_KOPERASI") is None
    info = slip.line(d.CODE_INFO_TIDAK_DIPOTONG)
    assert "tidak dipotong" in info.label and "batas" in info.label
    assert net(slip) == net(plain)


def test_a_recovery_takes_what_fits_above_the_floor_and_carries_the_rest(rules):
    plain = compute_monthly(staff(), rules, OCT)
    floor = d.floor_of(rules.batas_gaji_bersih.versions[0].data, plain.lines)
    owed = d.PotonganTetap("KB", d.JenisPotonganLain.KELEBIHAN, "Kas Daerah", sisa=50_000_000, dasar="#7")
    slip = compute_monthly(staff(potongan_lain=(owed,)), rules, OCT)
    line = slip.line(d.CODE_KELEBIHAN)
    assert line.amount == net(plain) - floor and net(slip) == floor
    assert "sebagian" in line.label and dict(line.inputs)["run_asal"] == "#7"
    small = replace(owed, sisa=100_000)
    assert compute_monthly(staff(potongan_lain=(small,)), rules, OCT).line(d.CODE_KELEBIHAN).amount == 100_000


def test_the_recovery_goes_before_third_party_orders(rules):
    plain = compute_monthly(staff(), rules, OCT)
    floor = d.floor_of(rules.batas_gaji_bersih.versions[0].data, plain.lines)
    owed = d.PotonganTetap("KB", d.JenisPotonganLain.KELEBIHAN, "Kas Daerah", sisa=net(plain) - floor - 100_000)
    slip = compute_monthly(staff(potongan_lain=(KOPERASI, owed)), rules, OCT)
    assert slip.line(d.CODE_KELEBIHAN).amount == owed.sisa
    assert slip.line("POT_LAIN_KOPERASI") is None  # 250.000 no longer fits


def test_december_zakat_through_the_employer_reduces_the_annual_neto(rules):
    """PMK 168/2023 Pasal 10 ayat (1) huruf c; PP 60/2010 Pasal 1; UU PPh Pasal 9 ayat (1) huruf g."""
    rules0 = with_rule(rules, "zakat", replace(rules.zakat.versions[0].data, nisab_bulanan=0))
    ytd = YtdValues(bruto=11 * 9_000_000, pph21=11 * 150_000, iuran_pensiun=11 * 300_000, bulan_bekerja=11)
    without = compute_monthly(staff(ytd=ytd), rules0, DEC)
    with_z = compute_monthly(staff(ytd=replace(ytd, zakat=1_100_000), potongan_lain=(ZAKAT,)), rules0, DEC)
    t0, t1 = without.pph_tahunan, with_z.pph_tahunan
    assert t1.zakat == 1_100_000 + with_z.zakat and with_z.zakat > 0
    assert t1.neto == t1.bruto_setahun - t1.biaya_jabatan - t1.iuran_pensiun - t1.zakat
    assert t1.bruto_setahun == t0.bruto_setahun and t1.neto == t0.neto - t1.zakat
    assert t1.pph_setahun < t0.pph_setahun
    pph = with_z.line("POT_PPH")
    assert dict(pph.inputs)["zakat_setahun"] == t1.zakat and "PMK 168/2023 Pasal 10" in pph.citation
    # without zakat the December line keeps exactly its former inputs (stored months verify unchanged)
    assert "zakat_setahun" not in dict(without.line("POT_PPH").inputs)


@pytest.mark.parametrize(
    ("jumlah", "persen", "field", "words"),
    [
        (None, Decimal("1.5"), "persen", "lebih dari 100%"),
        (None, Decimal("0"), "persen", "lebih dari 0%"),
        (-5, None, "jumlah", "negatif"),
        (None, None, "jumlah", "Isi jumlah"),
        (100, Decimal("0.1"), "jumlah", "bukan keduanya"),
    ],
)
def test_bad_standing_order_values_are_refused_at_their_field(jumlah, persen, field, words):
    with pytest.raises(DomainError) as e:
        d.check_order_values(d.JenisPotonganLain.KOPERASI, jumlah, persen)
    assert e.value.field == field and words in e.value.message


def test_inputs_stored_before_deductions_decode_and_compute_the_same_lines(rules):
    inputs = staff()
    old = encode(inputs)
    old.pop("potongan_lain")
    old["ytd"].pop("zakat")
    again = decode(EmployeeInputs, json.loads(json.dumps(old)))
    assert again == inputs
    assert compute_monthly(again, rules, DEC).lines == compute_monthly(inputs, rules, DEC).lines


def test_inputs_with_orders_round_trip_through_the_codec():
    inputs = staff(potongan_lain=(ZAKAT, replace(KOPERASI, jumlah=0, persen=Decimal("0.05"))))
    assert decode(EmployeeInputs, json.loads(json.dumps(encode(inputs)))) == inputs


ITEMS = st.lists(
    st.one_of(
        st.builds(
            lambda n, j: d.PotonganTetap(f"PT#{n}", d.JenisPotonganLain.BANK, "Bank", jumlah=j),
            st.integers(1, 99),
            st.integers(1, 20_000_000),
        ),
        st.builds(
            lambda n, p: d.PotonganTetap(f"PT#{n}", d.JenisPotonganLain.KOPERASI, "Kop", persen=Decimal(p) / 10000),
            st.integers(1, 99),
            st.integers(1, 10_000),
        ),
        st.builds(
            lambda s: d.PotonganTetap("KB", d.JenisPotonganLain.KELEBIHAN, "Kas", sisa=s), st.integers(1, 50_000_000)
        ),
        st.just(ZAKAT),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(
    items=ITEMS,
    gol=st.sampled_from(["II/a", "III/a", "III/d", "IV/b"]),
    kelas=st.one_of(st.none(), st.integers(1, 15)),
    persen=st.integers(0, 100),
    minimum=st.integers(0, 8_000_000),
    december=st.booleans(),
)
def test_net_pay_never_goes_below_the_floor(rules, items, gol, kelas, persen, minimum, december):
    rules_ = with_rule(
        rules, "batas_gaji_bersih", d.BatasGajiBersih(persen_penghasilan=Decimal(persen) / 100, minimum_rupiah=minimum)
    )
    month = DEC if december else OCT
    inputs = staff(golongan=gol, kelas_jabatan=kelas, ytd=YtdValues(bruto=50_000_000, bulan_bekerja=11))
    plain = compute_monthly(inputs, rules_, month)
    slip = compute_monthly(replace(inputs, potongan_lain=tuple(items)), rules_, month)
    floor = d.floor_of(rules_.batas_gaji_bersih.versions[0].data, slip.lines)
    voluntary = [ln for ln in slip.lines if ln.code.startswith(("POT_LAIN_", "POT_ZAKAT", "POT_KELEBIHAN"))]
    assert all(ln.amount > 0 for ln in voluntary)
    if voluntary:
        assert slip.netto() >= floor
    else:
        assert slip.netto() >= min(plain.netto(), floor) or slip.netto() == plain.netto()


def test_a_malformed_item_in_the_inputs_refuses_the_computation(rules):
    bad = replace(KOPERASI, jumlah=-1)
    with pytest.raises(DomainError, match="tidak sah"):
        compute_monthly(staff(potongan_lain=(bad,)), rules, OCT)
