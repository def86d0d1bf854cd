"""compute_monthly: the composed payslip (gaji + TPP + PPh 21) and its reproducibility."""

from dataclasses import replace
from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import (
    AttendanceEvent,
    Bagian,
    EmployeeInputs,
    JenisTunjanganJabatan,
    LineKind,
    RuleTable,
    RuleVersion,
    YtdValues,
    compute_monthly,
    describe_inputs,
)
from kinerja_web.domain.payroll.tables import GajiPokokRow, GajiPokokTable, ModePph, ModePphConfig
from kinerja_web.domain.predikat import Predikat

OCT = date(2026, 10, 1)


def staff(**overrides):
    """A PNS III/a, MKG 0, TK/0, no family, no jabatan allowance, no TPP."""
    return EmployeeInputs(
        **{"status": StatusAsn.PNS, "golongan": "III/a", "mkg": 0, "ptkp_status": "TK/0", **overrides}
    )


def with_tpp(**overrides):
    return staff(**{"kelas_jabatan": 8, "predikat": Predikat.BAIK, **overrides})


def test_pns_without_tpp_gets_gaji_lines_with_their_amounts(rules):
    slip = compute_monthly(staff(), rules, OCT)
    got = {ln.code: ln.amount for ln in slip.lines}
    assert got == {
        "GAPOK": 2_785_700,
        "TJ_UMUM": 185_000,
        "TJ_BERAS": 72_420,
        "TJ_BPJS": 118_828,
        "POT_BPJS4": 118_828,
        "POT_BPJS1": 29_707,
        "TJ_JKK": 6_686,
        "POT_JKK": 6_686,
        "TJ_JKM": 20_057,
        "POT_JKM": 20_057,
        "POT_IWP": 222_856,
        "TJ_PPH": 0,
        "POT_PPH": 0,
    }


def test_employer_paid_items_leave_the_net_unchanged(rules):
    slip = compute_monthly(staff(), rules, OCT)
    assert slip.netto(Bagian.GAJI) == 2_785_700 + 185_000 + 72_420 - 29_707 - 222_856


def test_taxable_gross_includes_the_employer_paid_premiums(rules):
    assert compute_monthly(staff(), rules, OCT).bruto_pph == 3_188_691


def test_every_line_carries_citation_version_and_inputs(rules):
    for line in compute_monthly(with_tpp(), rules, OCT).lines:
        assert line.label and line.citation and line.rule_version, line.code


def test_family_allowances_and_rice_count_spouse_and_paid_children(rules):
    slip = compute_monthly(staff(suami_istri_ditanggung=True, jumlah_anak_ditanggung=3), rules, OCT)
    assert slip.amount("TJ_ISTRI") == 278_570 and slip.amount("TJ_ANAK") == 111_428
    assert slip.line("TJ_BERAS").input("jiwa") == 4
    assert slip.line("POT_IWP").input("dasar") == 2_785_700 + 278_570 + 111_428


def test_jabatan_allowance_replaces_tunjangan_umum(rules):
    slip = compute_monthly(
        staff(tunjangan_jabatan=540_000, jenis_tunjangan_jabatan=JenisTunjanganJabatan.STRUKTURAL), rules, OCT
    )
    assert slip.line("TJ_UMUM") is None
    assert slip.amount("TJ_JABATAN") == 540_000 and slip.line("TJ_JABATAN").label == "Tunjangan jabatan struktural"


def test_bpjs_ceiling_is_shared_between_gaji_and_tpp(rules):
    slip = compute_monthly(
        staff(
            golongan="IV/e",
            mkg=32,
            suami_istri_ditanggung=True,
            jumlah_anak_ditanggung=2,
            kelas_jabatan=12,
            predikat=Predikat.BAIK,
        ),
        rules,
        OCT,
    )
    gaji_base = 6_373_200 + 637_320 + 254_928 + 190_000
    assert slip.line("POT_BPJS1").input("dasar") == gaji_base
    assert slip.line("POT_BPJS1_TPP").input("dasar") == 12_000_000 - gaji_base
    assert slip.amount("POT_BPJS1") + slip.amount("POT_BPJS1_TPP") == 120_000


def test_pph_is_computed_on_gaji_plus_tpp_and_allocated_to_both(rules):
    slip = compute_monthly(with_tpp(), rules, OCT)
    bruto_gaji = slip.total(LineKind.PENGHASILAN, Bagian.GAJI) - slip.amount("TJ_PPH")
    assert slip.bruto_pph == bruto_gaji + slip.total(LineKind.PENGHASILAN, Bagian.TPP)
    rate = slip.line("POT_PPH").input("tarif")
    assert slip.pph21 == int((rate * slip.bruto_pph).to_integral_value())
    assert slip.amount("POT_PPH") + slip.amount("POT_PPH_TPP") == slip.pph21
    assert slip.line("POT_PPH").input("kategori_ter") == "A"


def test_pph_on_gaji_is_borne_by_the_government(rules):
    slip = compute_monthly(with_tpp(), rules, OCT)
    assert slip.amount("TJ_PPH") == slip.amount("POT_PPH") > 0


def test_pph_on_tpp_is_withheld_by_default(rules):
    slip = compute_monthly(with_tpp(), rules, OCT)
    assert slip.line("TJ_PPH_TPP") is None and slip.amount("POT_PPH_TPP") > 0


def test_pph_on_tpp_can_be_borne_by_the_apbd(rules):
    borne = replace(
        rules,
        mode_pph=RuleTable(
            "mode_pph",
            "Mode PPh",
            (RuleVersion("ditanggung", date(2024, 1, 1), "Perkada uji", ModePphConfig(tpp=ModePph.DITANGGUNG)),),
        ),
    )
    withheld = compute_monthly(with_tpp(), rules, OCT)
    slip = compute_monthly(with_tpp(), borne, OCT)
    assert slip.amount("TJ_PPH_TPP") == slip.amount("POT_PPH_TPP") == withheld.amount("POT_PPH_TPP")
    assert slip.netto(Bagian.TPP) == withheld.netto(Bagian.TPP) + withheld.amount("POT_PPH_TPP")


def test_tpp_net_deducts_bpjs_and_withheld_pph(rules):
    slip = compute_monthly(with_tpp(), rules, OCT)
    tpp = slip.amount("TPP_KINERJA") + slip.amount("TPP_DISIPLIN")
    assert slip.netto(Bagian.TPP) == tpp - slip.amount("POT_BPJS1_TPP") - slip.amount("POT_PPH_TPP")
    assert slip.netto() == slip.netto(Bagian.GAJI) + slip.netto(Bagian.TPP)


def test_attendance_deductions_reach_the_payslip(rules):
    slip = compute_monthly(with_tpp(attendance=(AttendanceEvent(date(2026, 10, 5), kode_absen="TK"),)), rules, OCT)
    assert slip.amount("TPP_DISIPLIN") == 4_306_800  # 4.440.000 × 97%
    assert [i.kode for i in slip.potongan_disiplin.items] == ["TK"]


def test_cpns_gets_eighty_percent_gaji_and_the_cpns_tpp_factor(rules):
    slip = compute_monthly(with_tpp(status=StatusAsn.CPNS), rules, OCT)
    assert slip.amount("GAPOK") == 2_228_560
    assert slip.amount("TPP_KINERJA") == 5_328_000 and slip.line("TPP_KINERJA").input("status_tpp") == "CPNS"


def test_pppk_uses_its_own_table_and_pays_no_iwp(rules):
    slip = compute_monthly(staff(status=StatusAsn.PPPK, golongan="IX", mkg=4), rules, OCT)
    assert slip.amount("GAPOK") == 3_408_500 and slip.line("POT_IWP") is None
    assert slip.amount("TJ_UMUM") == 185_000 and slip.iuran_pensiun == 0


def test_missing_ptkp_status_refuses_the_computation(rules):
    with pytest.raises(DomainError, match="Status PTKP"):
        compute_monthly(staff(ptkp_status=None), rules, OCT)


def test_unknown_golongan_is_refused(rules):
    with pytest.raises(DomainError, match="tidak dikenal") as exc:
        compute_monthly(staff(golongan="V/a"), rules, OCT)
    assert exc.value.field == "golongan"


def test_attendance_of_another_month_is_refused(rules):
    stray = AttendanceEvent(date(2026, 9, 30), terlambat_menit=10)
    with pytest.raises(DomainError, match="30 September 2026 bukan untuk bulan Oktober 2026") as exc:
        compute_monthly(with_tpp(attendance=(stray,)), rules, OCT)
    assert exc.value.field == "attendance"


def test_negative_number_of_children_is_refused(rules):
    with pytest.raises(DomainError, match="tidak boleh negatif"):
        compute_monthly(staff(jumlah_anak_ditanggung=-1), rules, OCT)


def test_mkg_without_a_gaji_row_is_refused(rules):
    with pytest.raises(DomainError, match="Kesalahan data"):
        compute_monthly(staff(golongan="II/b", mkg=1), rules, OCT)


def test_same_inputs_and_rules_give_an_identical_payslip(rules):
    inputs = with_tpp(attendance=(AttendanceEvent(date(2026, 10, 6), terlambat_menit=40),))
    assert compute_monthly(inputs, rules, OCT) == compute_monthly(inputs, rules, date(2026, 10, 31))


def test_payslip_records_the_rule_versions_used(rules):
    versions = dict(compute_monthly(staff(), rules, OCT).rule_versions)
    assert versions["ter"] == "ter@2024-01-01" and versions["tpp_pagu"] == "tpp_pagu@2024-01-01"


def _raised_gaji_table(rules):
    old = rules.gaji_pokok_pns.versions[-1]
    raised = GajiPokokTable(tuple(GajiPokokRow(r.golongan, r.mkg, r.gaji_pokok + 100_000) for r in old.data.rows))
    new = RuleVersion("gaji_pokok_pns@2027-01-01", date(2027, 1, 1), "PP uji 2027", raised)
    return replace(rules, gaji_pokok_pns=RuleTable("gaji_pokok_pns", "Gaji pokok PNS", (old, new)))


def test_each_month_uses_the_version_in_force(rules):
    two = _raised_gaji_table(rules)
    dec = compute_monthly(staff(), two, date(2026, 12, 1))
    jan = compute_monthly(staff(), two, date(2027, 1, 1))
    assert (dec.amount("GAPOK"), jan.amount("GAPOK")) == (2_785_700, 2_885_700)
    assert dict(jan.rule_versions)["gaji_pokok_pns"] == "gaji_pokok_pns@2027-01-01"
    assert jan.line("GAPOK").citation == "PP uji 2027"


def test_month_in_a_rule_gap_refuses_to_compute(rules):
    old = replace(rules.gaji_pokok_pns.versions[-1], berlaku_sampai=date(2026, 8, 31))
    new = replace(old, version_id="baru", berlaku_mulai=date(2026, 11, 1), berlaku_sampai=None)
    gappy = replace(rules, gaji_pokok_pns=RuleTable("gaji_pokok_pns", "Gaji pokok PNS", (old, new)))
    assert any("ada celah" in p for p in gappy.problems())
    with pytest.raises(DomainError, match="Oktober 2026"):
        compute_monthly(staff(), gappy, OCT)


def _year(rules, inputs, last_month=12):
    ytd, slips = YtdValues(), []
    for m in range(1, last_month + 1):
        slip = compute_monthly(replace(inputs, ytd=ytd, masa_pajak_terakhir=last_month), rules, date(2026, m, 1))
        slips.append(slip)
        ytd = slip.ytd_after(ytd)
    return slips


def test_december_trues_up_the_year_to_the_pasal17_tax(rules):
    slips = _year(rules, with_tpp())
    december = slips[-1]
    assert december.pph_tahunan is not None and slips[10].pph_tahunan is None
    assert sum(s.pph21 for s in slips) == december.pph_tahunan.pph_setahun
    assert december.pph_tahunan.bruto_setahun == sum(s.bruto_pph for s in slips)
    assert december.pph_tahunan.iuran_pensiun == 12 * slips[0].amount("POT_IWP")
    assert december.amount("POT_PPH") + december.amount("POT_PPH_TPP") == december.pph21
    rows = dict(describe_inputs(december.line("POT_PPH")))
    assert rows["Penghasilan kena pajak (dibulatkan ke bawah ribuan)"].endswith(".000")
    assert rows["Biaya jabatan"] == "Rp 6.000.000"


def test_december_over_withholding_becomes_negative_pph_lines(rules):
    # Jan–Nov already withheld 5 juta on a modest salary: the annual tax is lower, so December refunds.
    ytd = YtdValues(bruto=11 * 3_188_691, pph21=5_000_000, iuran_pensiun=11 * 222_856, bulan_bekerja=11)
    december = compute_monthly(staff(ytd=ytd), rules, date(2026, 12, 1))
    assert december.pph_tahunan.pph_setahun == 0  # neto below PTKP TK/0
    assert december.pph21 == -5_000_000
    assert december.amount("POT_PPH") == -5_000_000 and december.amount("TJ_PPH") == -5_000_000


def test_last_tax_month_can_be_earlier_than_december(rules):
    slips = _year(rules, with_tpp(), last_month=6)
    assert slips[-1].month == date(2026, 6, 1) and slips[-1].pph_tahunan is not None
    assert slips[-1].pph_tahunan.biaya_jabatan <= 3_000_000  # 500.000 × 6 months
    assert sum(s.pph21 for s in slips) == slips[-1].pph_tahunan.pph_setahun


def test_amounts_are_whole_rupiah_integers(rules):
    for line in compute_monthly(with_tpp(suami_istri_ditanggung=True, jumlah_anak_ditanggung=1), rules, OCT).lines:
        assert type(line.amount) is int
        for _, value in line.inputs:
            assert not isinstance(value, float)


def test_inputs_are_described_in_indonesian_for_the_explanation_page(rules):
    slip = compute_monthly(with_tpp(attendance=(AttendanceEvent(date(2026, 10, 5), terlambat_menit=45),)), rules, OCT)
    rows = dict(describe_inputs(slip.line("TPP_DISIPLIN")))
    assert rows["Pagu TPP"] == "Rp 11.100.000" and rows["Porsi komponen"] == "40%"
    assert rows["Potongan disiplin yang diterapkan (maksimal 100%)"] == "1%"
    assert rows["Kejadian kehadiran"].startswith("5 Oktober 2026: TL2")
    assert dict(describe_inputs(slip.line("POT_PPH")))["Tarif"] == "6%"
