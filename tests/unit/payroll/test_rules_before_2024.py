"""Months before 2024 (issue 20 item 7): the national tables of 2022–2023 and PPh 21 without TER.

A 2023 month computes with the 2022–2023 versions (PP 15/2019 gaji pokok; PPh 21 annualised per PMK 262/2010 and
PER-16/PJ/2016, Pasal 17 rates of UU HPP); regional tables (TPP) have no shipped 2023 version, so the month is
refused naming them until an administrator adds one; 2024 and later months are computed exactly as before.
"""

from dataclasses import fields, replace
from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.org import StatusAsn
from kinerja_web.domain.payroll import EmployeeInputs, JenisTunjanganJabatan, RuleTable, RuleVersion, compute_monthly
from kinerja_web.domain.payroll.defaults import SEBELUM_2024_MULAI
from kinerja_web.domain.payroll.pph21 import pph21_disetahunkan, ptkp_row
from kinerja_web.domain.payroll.slip import PER_PEGAWAI, YtdValues
from kinerja_web.domain.payroll.special import MasaBayar, pph21_tidak_teratur
from kinerja_web.domain.payroll.tables import MetodePph21
from kinerja_web.domain.predikat import Predikat

NOV_2023 = date(2023, 11, 1)
REGIONAL = ("tpp_pagu", "tpp_komposisi", "tpp_persen_predikat", "tpp_potongan_disiplin", "tpp_faktor_status")


def with_2023_regional(rules):
    """What an administrator adds in Aturan gaji: a 2023 version of each TPP table (here the 2024 content)."""
    changes = {}
    for code in REGIONAL:
        t = getattr(rules, code)
        v = t.versions[0]
        old = RuleVersion(f"{code}@2023-01-01", date(2023, 1, 1), "Perbup TPP 2023 (uji)", v.data)
        changes[code] = RuleTable(t.code, t.label, (old, *t.versions))
    return replace(rules, **changes)


@pytest.fixture(scope="module")
def rules2023(rules):
    r = with_2023_regional(rules)
    assert r.problems() == []
    return r


def kepala_bidang(**kw):
    """PNS IV/a MKG 20, TK/0, no family, tunjangan jabatan struktural Rp1.260.000, no TPP."""
    return EmployeeInputs(
        **{
            "status": StatusAsn.PNS,
            "golongan": "IV/a",
            "mkg": 20,
            "ptkp_status": "TK/0",
            "tunjangan_jabatan": 1_260_000,
            "jenis_tunjangan_jabatan": JenisTunjanganJabatan.STRUKTURAL,
            **kw,
        }
    )


def test_a_2023_month_computes_to_the_rupiah_with_annualised_pph21(rules2023):
    slip = compute_monthly(kepala_bidang(), rules2023, NOV_2023)
    got = {ln.code: ln.amount for ln in slip.lines}
    # PP 15/2019 IV/a MKG 20: 4.151.100. BPJS base 4.151.100 + 1.260.000 = 5.411.100: 4% 216.444, 1% 54.111.
    # JKK 0,24% × 4.151.100 = 9.962,64 → 9.963; JKM 0,72% = 29.887,92 → 29.888; IWP 8% = 332.088.
    # Bruto = 4.151.100 + 1.260.000 + 72.420 (beras) + 216.444 + 9.963 + 29.888 = 5.739.815.
    # × 12 = 68.877.780; biaya jabatan 5% = 3.443.889 (< 6.000.000); IWP × 12 = 3.985.056;
    # neto = 68.877.780 − 3.443.889 − 3.985.056 = 61.448.835; PTKP TK/0 54.000.000 → PKP 7.448.835 → 7.448.000;
    # Pasal 17: 5% × 7.448.000 = 372.400 a year; / 12 = 31.033,33 → 31.033 a month (borne: TJ_PPH = POT_PPH).
    assert got == {
        "GAPOK": 4_151_100,
        "TJ_JABATAN": 1_260_000,
        "TJ_BERAS": 72_420,
        "TJ_BPJS": 216_444,
        "POT_BPJS4": 216_444,
        "POT_BPJS1": 54_111,
        "TJ_JKK": 9_963,
        "POT_JKK": 9_963,
        "TJ_JKM": 29_888,
        "POT_JKM": 29_888,
        "POT_IWP": 332_088,
        "TJ_PPH": 31_033,
        "POT_PPH": 31_033,
    }
    assert slip.bruto_pph == 5_739_815 and slip.pph21 == 31_033
    pph = slip.line("POT_PPH")
    assert pph.input("pkp") == 7_448_000 and pph.input("pph_setahun") == 372_400
    assert pph.input("biaya_jabatan") == 3_443_889 and pph.input("iuran_pensiun") == 3_985_056
    assert "PER-16/PJ/2016" in pph.citation and "ter@2022-01-01" in pph.rule_version
    versions = dict(slip.rule_versions)
    assert versions["gaji_pokok_pns"] == "gaji_pokok_pns@2019-01-01" and versions["ter"] == "ter@2022-01-01"
    assert "gaji_pokok_pppk" not in versions  # no pre-2024 PPPK table: only PPPK employees are refused


def test_annualised_pph21_caps_biaya_jabatan_at_500_thousand_a_month(rules2023):
    r = rules2023.resolve(NOV_2023)
    assert r.ter.data.metode is MetodePph21.DISETAHUNKAN
    res = pph21_disetahunkan(r.pasal17.data, r.biaya_jabatan.data, ptkp_row(r.ptkp.data, "TK/0"), 15_000_000, 500_000)
    # 180.000.000 − 6.000.000 (cap; 5% would be 9.000.000) − 6.000.000 − 54.000.000 = 114.000.000 PKP;
    # 5% × 60.000.000 + 15% × 54.000.000 = 3.000.000 + 8.100.000 = 11.100.000; / 12 = 925.000.
    assert (res.biaya_jabatan, res.pkp, res.pph_setahun, res.pph_sebulan) == (
        6_000_000,
        114_000_000,
        11_100_000,
        925_000,
    )


def test_december_2023_trues_up_with_the_hpp_rates(rules2023):
    ytd = YtdValues(bruto=11 * 5_739_815, pph21=11 * 31_033, iuran_pensiun=11 * 332_088, bulan_bekerja=11)
    slip = compute_monthly(kepala_bidang(ytd=ytd), rules2023, date(2023, 12, 1))
    # The year as twelve equal months: PPh setahun 372.400 − 11 × 31.033 (341.363) = 31.037.
    assert slip.pph_tahunan.pph_setahun == 372_400 and slip.pph21 == 31_037
    assert dict(slip.rule_versions)["pasal17"] == "pasal17@2022-01-01"


def test_a_2023_month_with_tpp_uses_the_back_dated_regional_versions(rules2023):
    slip = compute_monthly(kepala_bidang(kelas_jabatan=9, predikat=Predikat.BAIK), rules2023, NOV_2023)
    assert slip.amount("TPP_KINERJA") > 0 and dict(slip.rule_versions)["tpp_pagu"] == "tpp_pagu@2023-01-01"
    # PPh on gaji + TPP together, split by gross: the parts add up to the month's tax
    assert slip.amount("POT_PPH") + slip.amount("POT_PPH_TPP") == slip.pph21 > 31_033


def test_without_a_2023_tpp_version_the_month_is_refused_naming_the_regional_tables(rules):
    with pytest.raises(DomainError) as e:
        rules.resolve(NOV_2023)
    msg = e.value.message
    assert "November 2023" in msg and "Pagu TPP per kelas jabatan" in msg and "Aturan gaji" in msg
    assert "Gaji pokok PNS" not in msg and "PTKP" not in msg and "Tarif PPh Pasal 17" not in msg


def test_before_2022_the_national_tables_are_named_too(rules):
    with pytest.raises(DomainError) as e:
        with_2023_regional(rules).resolve(date(2021, 12, 1))
    assert "Tarif PPh Pasal 17" in e.value.message and "Desember 2021" in e.value.message


def test_a_pppk_employee_in_2023_is_refused_until_the_pppk_table_has_a_version(rules2023):
    with pytest.raises(DomainError, match="Gaji pokok PPPK"):
        compute_monthly(EmployeeInputs(StatusAsn.PPPK, "IX", 0, "TK/0"), rules2023, NOV_2023)


def test_every_national_table_has_a_2022_2023_version(rules):
    regional = {*REGIONAL, *PER_PEGAWAI}
    for f in fields(rules):
        if f.name in regional:
            continue
        table = getattr(rules, f.name)
        assert table.in_force(date(2023, 12, 1)).berlaku_mulai <= SEBELUM_2024_MULAI, f.name
        assert table.in_force(date(2024, 1, 1)).berlaku_mulai == date(2024, 1, 1) or f.name == "tapera"


def test_2024_and_later_months_are_computed_as_before(rules):
    """The 2024 versions are untouched: dropping the pre-2024 versions changes no slip from 2024 on."""
    only_2024 = replace(
        rules,
        **{
            f.name: RuleTable(t.code, t.label, tuple(v for v in t.versions if v.berlaku_mulai >= date(2024, 1, 1)))
            for f in fields(rules)
            if (t := getattr(rules, f.name))
        },
    )
    for month in (date(2024, 1, 1), date(2024, 12, 1), date(2026, 10, 1)):
        for pegawai in (kepala_bidang(), kepala_bidang(kelas_jabatan=9, predikat=Predikat.BAIK, ptkp_status="K/2")):
            assert compute_monthly(pegawai, rules, month) == compute_monthly(pegawai, only_2024, month)


def test_irregular_income_paid_in_a_month_before_2024_is_refused(rules2023):
    with pytest.raises(DomainError, match="sebelum TER"):
        pph21_tidak_teratur(rules2023.resolve(NOV_2023), kepala_bidang(), MasaBayar(), 1_000_000, 0, NOV_2023)
