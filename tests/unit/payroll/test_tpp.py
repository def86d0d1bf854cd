"""TPP: kinerja part by predikat, disiplin part with attendance deductions (capped), status factors."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll import AttendanceEvent, faktor_status, potongan_disiplin, tpp
from kinerja_web.domain.payroll.tables import TppKomposisi
from kinerja_web.domain.predikat import Predikat

DAY = date(2026, 10, 5)
KELAS_8 = 11_100_000  # example pagu (Pemprov Jawa Timur tariff, domain reference §6.3)


@pytest.fixture(scope="module")
def r(rules):
    return rules.resolve(date(2026, 10, 1))


def compute(r, predikat=Predikat.BAIK, events=(), statuses=(), kelas=8, komposisi=None):
    return tpp(
        r.tpp_pagu,
        komposisi or r.tpp_komposisi,
        r.tpp_persen_predikat,
        r.tpp_potongan_disiplin,
        r.tpp_faktor_status,
        kelas,
        predikat,
        events,
        statuses,
    )


def parts(result):
    return {ln.code: ln.amount for ln in result.lines}


def late(minutes, day=DAY):
    return AttendanceEvent(day, terlambat_menit=minutes)


def test_full_tpp_is_split_sixty_kinerja_forty_disiplin(r):
    assert parts(compute(r)) == {"TPP_KINERJA": 6_660_000, "TPP_DISIPLIN": 4_440_000}


def test_split_is_configurable(r):
    forty_sixty = replace(r.tpp_komposisi, data=TppKomposisi(kinerja=Decimal("0.40"), disiplin=Decimal("0.60")))
    assert parts(compute(r, komposisi=forty_sixty)) == {"TPP_KINERJA": 4_440_000, "TPP_DISIPLIN": 6_660_000}


@pytest.mark.parametrize(
    ("predikat", "kinerja"),
    [
        (Predikat.SANGAT_BAIK, 6_660_000),
        (Predikat.BAIK, 6_660_000),
        (Predikat.BUTUH_PERBAIKAN, 2_331_000),
        (Predikat.KURANG_MISCONDUCT, 1_332_000),
        (Predikat.SANGAT_KURANG, 0),
    ],
)
def test_kinerja_part_follows_the_predikat_mapping(r, predikat, kinerja):
    result = compute(r, predikat=predikat)
    assert parts(result)["TPP_KINERJA"] == kinerja
    assert result.lines[0].input("predikat") == predikat.label


@pytest.mark.parametrize(
    ("minutes", "kode", "persen"),
    [
        (1, "TL1", "0.005"),
        (30, "TL1", "0.005"),
        (31, "TL2", "0.01"),
        (60, "TL2", "0.01"),
        (61, "TL3", "0.0125"),
        (90, "TL3", "0.0125"),
        (91, "TL4", "0.015"),
        (480, "TL4", "0.015"),
    ],
)
def test_late_minutes_fall_into_the_tl_bands(r, minutes, kode, persen):
    (item,) = potongan_disiplin(r.tpp_potongan_disiplin.data, [late(minutes)]).items
    assert (item.kode, item.persen) == (kode, Decimal(persen))


def test_early_leave_uses_the_psw_bands(r):
    event = AttendanceEvent(DAY, pulang_cepat_menit=45)
    (item,) = potongan_disiplin(r.tpp_potongan_disiplin.data, [event]).items
    assert (item.kode, item.persen) == ("PSW2", Decimal("0.01"))


def test_late_and_early_leave_on_the_same_day_both_count(r):
    event = AttendanceEvent(DAY, terlambat_menit=10, pulang_cepat_menit=95)
    result = potongan_disiplin(r.tpp_potongan_disiplin.data, [event])
    assert [i.kode for i in result.items] == ["TL1", "PSW4"] and result.total_persen == Decimal("0.020")


def test_absence_without_reason_costs_three_percent_per_day(r):
    events = [AttendanceEvent(DAY + timedelta(days=i), kode_absen="TK") for i in range(2)]
    result = compute(r, events=events)
    assert result.potongan.persen_dipakai == Decimal("0.06")
    assert parts(result)["TPP_DISIPLIN"] == 4_173_600  # 4.440.000 × 94%


def test_missing_attendance_record_counts_as_tl4(r):
    (item,) = potongan_disiplin(r.tpp_potongan_disiplin.data, [AttendanceEvent(DAY, kode_absen="TDH")]).items
    assert item.kode == "TL4"


def test_leave_and_official_travel_codes_deduct_nothing(r):
    events = [AttendanceEvent(DAY, kode_absen="CT"), AttendanceEvent(DAY + timedelta(days=1), kode_absen="DL")]
    assert potongan_disiplin(r.tpp_potongan_disiplin.data, events).items == ()


def test_unknown_attendance_code_stops_the_run(r):
    with pytest.raises(DomainError, match="Kode kehadiran 'XX' pada 5 Oktober 2026 tidak dikenal"):
        potongan_disiplin(r.tpp_potongan_disiplin.data, [AttendanceEvent(DAY, kode_absen="XX")])


def test_negative_minutes_are_refused(r):
    with pytest.raises(DomainError, match="tidak boleh negatif"):
        potongan_disiplin(r.tpp_potongan_disiplin.data, [late(-5)])


def test_deductions_are_capped_at_the_whole_disiplin_part(r):
    events = [AttendanceEvent(DAY + timedelta(days=i), kode_absen="TK") for i in range(34)]  # 34 × 3% = 102%
    result = compute(r, events=events)
    assert result.potongan.total_persen == Decimal("1.02") and result.potongan.persen_dipakai == 1
    assert result.potongan.capped
    assert parts(result) == {"TPP_KINERJA": 6_660_000, "TPP_DISIPLIN": 0}


def test_disiplin_line_lists_the_events_behind_the_deduction(r):
    line = compute(r, events=[late(45)]).lines[1]
    assert line.amount == 4_395_600  # 4.440.000 × 99%
    assert "5 Oktober 2026: TL2" in line.input("kejadian") and "45 menit" in line.input("kejadian")
    assert line.input("potongan_dipakai") == Decimal("0.01")


def test_cpns_factor_reduces_both_parts(r):
    assert parts(compute(r, statuses=("CPNS",))) == {"TPP_KINERJA": 5_328_000, "TPP_DISIPLIN": 3_552_000}


def test_tugas_belajar_stops_tpp(r):
    assert parts(compute(r, statuses=("TUGAS_BELAJAR",))) == {"TPP_KINERJA": 0, "TPP_DISIPLIN": 0}


def test_status_factors_multiply(r):
    assert faktor_status(r.tpp_faktor_status.data, ("CPNS", "HUKDIS_SEDANG")) == Decimal("0.4000")


def test_unknown_status_is_refused(r):
    with pytest.raises(DomainError, match="belum diatur dalam faktor TPP"):
        faktor_status(r.tpp_faktor_status.data, ("PENSIUN",))


def test_missing_predikat_stops_the_tpp(r):
    with pytest.raises(DomainError, match="Predikat kinerja pegawai belum ditetapkan"):
        compute(r, predikat=None)


def test_kelas_without_pagu_is_refused(r):
    with pytest.raises(DomainError, match="kelas jabatan 17") as exc:
        compute(r, kelas=17)
    assert exc.value.field == "kelas_jabatan"


def test_tpp_lines_cite_the_pagu_and_their_own_rule(r):
    kinerja, disiplin = compute(r).lines
    assert "PP 12/2019 Pasal 58" in kinerja.citation and "tpp_persen_predikat@2024-01-01" in kinerja.rule_version
    assert "tpp_potongan_disiplin@2024-01-01" in disiplin.rule_version
