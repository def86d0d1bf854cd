"""THR, gaji ke-13 and rapel: eligibility, components, PPh 21 on irregular income, month-by-month differences."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import (
    Bagian,
    EmployeeInputs,
    LineKind,
    RuleTable,
    RuleVersion,
    YtdValues,
    compute_monthly,
    rule_version_text,
)
from kinerja_web.domain.payroll.codec import decode, encode
from kinerja_web.domain.payroll.special import (
    Dibayar,
    JenisKhusus,
    KetentuanKhusus,
    MasaBayar,
    RapelInputs,
    RapelMonth,
    SpecialInputs,
    ThrGaji13Config,
    compute_rapel,
    compute_thr_gaji13,
    default_special_table,
    pph21_tidak_teratur,
    rapel_per_bulan,
    selisih_bulan,
    special_table_problems,
    tidak_berhak,
)
from kinerja_web.domain.payroll.tables import GajiPokokRow, GajiPokokTable

MAR = date(2025, 3, 1)
GAPOK_III_A_0 = 2_785_700  # PP 5/2024, III/a MKG 0
UMUM_III = 185_000  # Perpres 12/2006
BERAS = 72_420  # PER-3/PB/2015, one jiwa


def staff(**overrides):
    return EmployeeInputs(
        **{"status": StatusAsn.PNS, "golongan": "III/a", "mkg": 0, "ptkp_status": "TK/0", **overrides}
    )


@pytest.fixture(scope="module")
def config():
    return default_special_table().in_force(MAR)


def thr(rules, inputs, config, month=MAR, kind=JenisKhusus.THR):
    return compute_thr_gaji13(kind, config, inputs, rules.resolve(month), month)


# ------------------------------------------------------------------------------------------- config


def test_shipped_versions_cite_the_yearly_pp_and_are_valid():
    table = default_special_table()
    assert special_table_problems(table) == []
    assert "PP 11/2025 Pasal 9" in table.in_force(MAR).citation
    with pytest.raises(DomainError, match="Tidak ada versi"):
        table.in_force(date(2026, 3, 1))  # the 2026 PP must be loaded before a 2026 THR is paid


def test_tpp_share_above_one_month_and_unknown_components_are_rejected(config):
    bad = replace(config.data.thr, persen_tpp=Decimal("1.5"), komponen=frozenset({"GAPOK", "BONUS"}))
    problems = ThrGaji13Config(bad, config.data.gaji13).problems()
    assert any("paling banyak 1 bulan" in p for p in problems)
    assert any("BONUS" in p for p in problems)


def test_a_version_spanning_two_years_is_rejected(config):
    v = RuleVersion("thr@x", date(2025, 1, 1), "PP uji", config.data, None)
    problems = special_table_problems(RuleTable("thr_gaji13", "THR", (v,)))
    assert any("setiap tahun" in p for p in problems)


def test_config_round_trips_through_the_codec(config):
    assert decode(ThrGaji13Config, encode(config.data)) == config.data


# -------------------------------------------------------------------------------------- eligibility


@pytest.mark.parametrize(
    ("status", "tmt", "eligible"),
    [
        (StatusAsn.PNS, date(2025, 3, 1), True),  # on the cut-off day
        (StatusAsn.PNS, date(2025, 3, 2), False),  # one day after
        (StatusAsn.CPNS, date(2020, 1, 1), True),
        (StatusAsn.PPPK, date(2020, 1, 1), True),
        (StatusAsn.PNS, None, False),
    ],
)
def test_eligibility_by_status_and_tmt_cut_off(config, status, tmt, eligible):
    assert (tidak_berhak(config.data.thr, status, tmt) is None) is eligible


def test_a_status_left_out_of_the_configuration_is_not_eligible(config):
    ket = replace(config.data.thr, status_berhak=frozenset({"pns"}))
    assert "PPPK" in tidak_berhak(ket, StatusAsn.PPPK, date(2020, 1, 1))


# ---------------------------------------------------------------------------------------- THR lines


def test_thr_pays_the_gaji_components_and_no_iwp_or_bpjs(rules, config):
    slip = thr(rules, SpecialInputs(staff(), date(2015, 1, 1)), config)
    codes = {ln.code: ln.amount for ln in slip.lines if ln.kind is LineKind.PENGHASILAN and "PPH" not in ln.code}
    assert codes == {"GAPOK": GAPOK_III_A_0, "TJ_UMUM": UMUM_III, "TJ_BERAS": BERAS}
    assert not {"POT_IWP", "POT_BPJS1", "TJ_BPJS", "TJ_JKK", "TJ_JKM"} & {ln.code for ln in slip.lines}
    assert slip.bruto_pph == GAPOK_III_A_0 + UMUM_III + BERAS and slip.iuran_pensiun == 0
    assert all("PP 11/2025" in ln.citation for ln in slip.lines if ln.code == "GAPOK")


def test_cpns_thr_uses_eighty_percent_of_gaji_pokok(rules, config):
    slip = thr(rules, SpecialInputs(staff(status=StatusAsn.CPNS), date(2024, 1, 1)), config)
    assert slip.amount("GAPOK") == round(GAPOK_III_A_0 * Decimal("0.8"))


@pytest.mark.parametrize(("persen", "expected"), [(Decimal(1), 4_000_000), (Decimal("0.5"), 2_000_000), (0, 0)])
def test_tpp_part_is_the_configured_share_of_one_month(rules, config, persen, expected):
    cfg = replace(config, data=replace(config.data, thr=replace(config.data.thr, persen_tpp=Decimal(persen))))
    slip = thr(rules, SpecialInputs(staff(), date(2015, 1, 1), tpp_sebulan=4_000_000), cfg)
    assert slip.amount("TPP") == expected
    assert (slip.line("POT_PPH_TPP") is not None) is bool(expected)


def test_components_left_out_of_the_configuration_are_not_paid(rules, config):
    cfg = replace(config, data=replace(config.data, gaji13=replace(config.data.gaji13, komponen=frozenset({"GAPOK"}))))
    slip = thr(rules, SpecialInputs(staff(), date(2015, 1, 1)), cfg, kind=JenisKhusus.GAJI_13)
    assert [ln.code for ln in slip.lines if ln.kind is LineKind.PENGHASILAN and "PPH" not in ln.code] == ["GAPOK"]
    assert "Gaji ke-13" in slip.line("GAPOK").label


def test_an_ineligible_employee_is_refused(rules, config):
    with pytest.raises(DomainError, match="Tidak berhak THR"):
        thr(rules, SpecialInputs(staff(), date(2025, 4, 1)), config)


# ----------------------------------------------------------------------------------------------- PPh


def test_thr_tax_is_the_ter_of_the_combined_masa_minus_what_the_masa_withheld(rules):
    r = rules.resolve(MAR)
    # TK/0 (category A): masa gross 10.000.000 at 2% = 200.000 withheld; + THR 5.000.000 → 15.000.000 at 6%.
    res = pph21_tidak_teratur(r, staff(), MasaBayar(10_000_000, 200_000), 5_000_000, 0, MAR)
    assert res.pph == 900_000 - 200_000
    assert ("tarif", Decimal("0.06")) in res.inputs and "PMK 168/2023 Pasal 5" in res.citation


def test_combined_gross_exactly_on_a_bracket_upper_bound_uses_that_bracket(rules):
    r = rules.resolve(MAR)
    # 15.100.000 is the inclusive upper bound of the 6% bracket of category A.
    res = pph21_tidak_teratur(r, staff(), MasaBayar(10_000_000, 200_000), 5_100_000, 0, MAR)
    assert res.pph == 906_000 - 200_000
    above = pph21_tidak_teratur(r, staff(), MasaBayar(10_000_000, 200_000), 5_100_001, 0, MAR)
    assert ("tarif", Decimal("0.07")) in above.inputs


def test_irregular_income_in_the_last_tax_month_enters_the_pasal_17_computation(rules):
    dec = date(2025, 12, 1)
    ytd = YtdValues(bruto=110_000_000, pph21=2_000_000, iuran_pensiun=2_000_000, bulan_bekerja=11)
    res = pph21_tidak_teratur(rules.resolve(dec), staff(ytd=ytd), MasaBayar(10_000_000, 0, 200_000), 10_000_000, 0, dec)
    t = res.tahunan
    assert t.bruto_setahun == 130_000_000 and t.biaya_jabatan == 6_000_000 and t.iuran_pensiun == 2_200_000
    assert t.pkp == 130_000_000 - 6_000_000 - 2_200_000 - 54_000_000
    assert t.pph_setahun == 3_000_000 + int((t.pkp - 60_000_000) * Decimal("0.15"))
    assert res.pph == t.pph_setahun - 2_000_000


def test_gaji_tax_is_borne_by_the_government_and_tpp_tax_withheld(rules, config):
    slip = thr(rules, SpecialInputs(staff(), date(2015, 1, 1), tpp_sebulan=8_000_000), config)
    assert slip.amount("TJ_PPH") == slip.amount("POT_PPH") > 0
    assert slip.line("TJ_PPH_TPP") is None and slip.amount("POT_PPH_TPP") > 0
    assert slip.amount("POT_PPH") + slip.amount("POT_PPH_TPP") == slip.pph21


# --------------------------------------------------------------------------------------------- rapel


def raised_rules(rules, month, factor=Decimal("1.10")):
    """The shipped rules with a gaji pokok table raised by `factor` in force from January of `month`'s year."""
    old = rules.gaji_pokok_pns.versions[-1]
    raised = GajiPokokTable(tuple(GajiPokokRow(r.golongan, r.mkg, int(r.gaji_pokok * factor)) for r in old.data.rows))
    new = RuleVersion("gapok@raise", month.replace(month=1), "PP kenaikan uji", raised)
    return replace(rules, gaji_pokok_pns=RuleTable("gaji_pokok_pns", "Gaji pokok PNS", (old, new)))


def paid_month(rules, inputs, month, run_id=1):
    slip = compute_monthly(inputs, rules, month)
    paid = {ln.code: Dibayar(ln.label, ln.amount, ln.kind, ln.bagian) for ln in slip.lines}
    return RapelMonth(month, inputs, paid, (run_id,))


def test_rapel_pays_the_difference_per_component_with_what_was_paid_and_what_is_due(rules):
    jan = date(2026, 1, 1)
    inputs = staff(suami_istri_ditanggung=True)
    rm = paid_month(rules, inputs, jan)
    lines = {ln.code: ln for ln in selisih_bulan(rm, raised_rules(rules, jan).resolve(jan))}
    new_gapok = int(GAPOK_III_A_0 * Decimal("1.10"))
    assert lines["GAPOK"].amount == new_gapok - GAPOK_III_A_0
    assert lines["GAPOK"].input("seharusnya") == new_gapok and lines["GAPOK"].input("dibayar") == GAPOK_III_A_0
    assert lines["GAPOK"].citation == "PP kenaikan uji" and lines["GAPOK"].input("run_asal") == "#1"
    assert lines["TJ_ISTRI"].amount == round(new_gapok * Decimal("0.1")) - round(GAPOK_III_A_0 * Decimal("0.1"))
    assert lines["POT_IWP"].kind is LineKind.POTONGAN and lines["POT_IWP"].amount > 0
    assert not {"TJ_UMUM", "TJ_BERAS"} & lines.keys()  # unchanged components give no line
    assert not {"TJ_PPH", "POT_PPH"} & lines.keys()  # tax is computed once, in the payment masa


def test_rapel_with_unchanged_rules_has_no_lines(rules):
    jan = date(2026, 1, 1)
    rm = paid_month(rules, staff(), jan)
    assert selisih_bulan(rm, rules.resolve(jan)) == []


def test_a_component_that_no_longer_exists_is_reversed(rules):
    jan = date(2026, 1, 1)
    rm = paid_month(rules, staff(), jan)
    extra = {**rm.dibayar, "TJ_LAMA": Dibayar("Tunjangan lama", 50_000, LineKind.PENGHASILAN, Bagian.GAJI)}
    lines = selisih_bulan(replace(rm, dibayar=extra), rules.resolve(jan))
    assert [(ln.code, ln.amount) for ln in lines] == [("TJ_LAMA", -50_000)]


def test_rapel_over_several_months_is_grouped_by_month_and_taxed_once_in_the_payment_masa(rules):
    months = [date(2026, m, 1) for m in (1, 2, 3)]
    new = raised_rules(rules, months[0])
    rms = [paid_month(rules, staff(), m, run_id=i) for i, m in enumerate(months, start=10)]
    pay = date(2026, 4, 1)
    masa = MasaBayar(3_200_000, 0, 230_000)
    slip = compute_rapel(rms, {m: new.resolve(m) for m in months}, new.resolve(pay), staff(), masa, pay)
    groups = rapel_per_bulan(slip.lines)
    assert [g[0] for g in groups] == months
    diff = int(GAPOK_III_A_0 * Decimal("1.10")) - GAPOK_III_A_0
    assert all(next(ln for ln in g[1] if ln.code == "GAPOK").amount == diff for g in groups)
    gross = sum(ln.amount for ln in slip.lines if ln.kind is LineKind.PENGHASILAN and "PPH" not in ln.code)
    assert slip.bruto_pph == gross
    assert [ln.code for ln in slip.lines if "PPH" in ln.code] == ["TJ_PPH", "POT_PPH"]
    assert ("gaji_pokok_pns@2026-02", "gapok@raise") in slip.rule_versions
    assert slip.iuran_pensiun == sum(ln.amount for ln in slip.lines if ln.code == "POT_IWP")


def test_rapel_inputs_round_trip_through_the_codec(rules):
    rm = paid_month(rules, staff(), date(2026, 1, 1))
    inputs = RapelInputs((rm,), staff(), MasaBayar(1, 2, 3))
    assert decode(RapelInputs, encode(inputs)) == inputs
    special = SpecialInputs(staff(), date(2020, 1, 1), 5, MasaBayar(1, 2, 3))
    assert decode(SpecialInputs, encode(special)) == special


def test_special_kinds_reuse_the_run_kind_values():
    from kinerja_web.models import RunKind

    assert {k.value for k in JenisKhusus} <= {k.value for k in RunKind}
    assert KetentuanKhusus(frozenset(), Decimal(0)).problems("x") == []


def test_rapel_inputs_are_described_in_indonesian_with_the_month_name(rules):
    from kinerja_web.domain.payroll import describe_inputs

    jan = date(2026, 1, 1)
    line = selisih_bulan(paid_month(rules, staff(), jan), raised_rules(rules, jan).resolve(jan))[0]
    rows = dict(describe_inputs(line))
    assert rows["Bulan"] == "Januari 2026"
    assert rows["Sudah dibayar"] == "Rp 2.785.700" and rows["Proses penggajian asal"] == "#1"
    stored = line._replace(inputs=tuple((k, str(v)) for k, v in line.inputs))  # as read back from JSON
    assert dict(describe_inputs(stored))["Bulan"] == "Januari 2026"


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("run#12", "proses penggajian #12"),  # a compensating run's reversed component
        ("run7", "proses penggajian #7"),  # a rapel line for a component that no longer exists
        ("gaji-2024+tpp-2026", "gaji-2024+tpp-2026"),
        ("runtime-1", "runtime-1"),
    ],
)
def test_a_line_from_an_earlier_run_names_it_in_words(stored, shown):
    assert rule_version_text(stored) == shown
