"""TPP status periods: which months they count for, validation; the tunjangan jabatan table lookup."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll import default_rules
from kinerja_web.domain.payroll.status import StatusPeriod, check_period, counts_for_month, statuses_for_month
from kinerja_web.domain.payroll.tables import TunjanganJabatanRow, TunjanganJabatanTable

OCT = date(2026, 10, 1)


def test_cuti_counts_only_when_it_covers_the_whole_month():
    assert counts_for_month(StatusPeriod("CUTI_SEBULAN", date(2026, 9, 20), date(2026, 10, 31)), OCT)
    assert counts_for_month(StatusPeriod("CUTI_SEBULAN", date(2026, 10, 1), None), OCT)
    assert not counts_for_month(StatusPeriod("CUTI_SEBULAN", date(2026, 10, 2), date(2026, 11, 30)), OCT)
    assert not counts_for_month(StatusPeriod("CUTI_SEBULAN", date(2026, 9, 1), date(2026, 10, 30)), OCT)


def test_tugas_belajar_and_hukdis_count_when_in_force_on_any_day():
    assert counts_for_month(StatusPeriod("TUGAS_BELAJAR", date(2026, 10, 31), None), OCT)
    assert counts_for_month(StatusPeriod("HUKDIS_SEDANG", date(2026, 4, 1), date(2026, 10, 1)), OCT)
    assert not counts_for_month(StatusPeriod("HUKDIS_SEDANG", date(2026, 4, 1), date(2026, 9, 30)), OCT)
    assert not counts_for_month(StatusPeriod("TUGAS_BELAJAR", date(2026, 11, 1), None), OCT)


def test_statuses_of_a_month_are_unique_and_in_a_fixed_order():
    periods = [
        StatusPeriod("HUKDIS_RINGAN", date(2026, 1, 1), None),
        StatusPeriod("TUGAS_BELAJAR", date(2026, 10, 5), date(2026, 10, 6)),
        StatusPeriod("HUKDIS_RINGAN", date(2026, 10, 1), date(2026, 10, 2)),
        StatusPeriod("CUTI_SEBULAN", date(2026, 10, 3), date(2026, 10, 31)),
    ]
    assert statuses_for_month(periods, OCT) == ("TUGAS_BELAJAR", "HUKDIS_RINGAN")


def test_a_period_ending_before_it_starts_is_refused_on_the_end_field():
    with pytest.raises(DomainError, match="tidak boleh sebelum") as e:
        check_period(StatusPeriod("TUGAS_BELAJAR", date(2026, 10, 5), date(2026, 10, 4)), [])
    assert e.value.field == "sampai"


def test_overlap_with_the_same_kind_is_refused_other_kinds_may_overlap():
    open_ended = (StatusPeriod("HUKDIS_SEDANG", date(2026, 1, 1), None), "SK 1/2026")
    with pytest.raises(DomainError, match="tumpang tindih.*SK 1/2026"):
        check_period(StatusPeriod("HUKDIS_SEDANG", date(2027, 1, 1), date(2027, 2, 1)), [open_ended])
    check_period(StatusPeriod("TUGAS_BELAJAR", date(2026, 3, 1), None), [open_ended])
    ended = (StatusPeriod("HUKDIS_SEDANG", date(2026, 1, 1), date(2026, 3, 31)), "SK 1/2026")
    check_period(StatusPeriod("HUKDIS_SEDANG", date(2026, 4, 1), None), [ended])


def test_unknown_or_cpns_kind_is_refused():
    for kind in ("CPNS", "LIBUR"):
        with pytest.raises(DomainError, match="tidak dikenal"):
            check_period(StatusPeriod(kind, OCT, None), [])


def test_every_status_kind_has_a_factor_in_the_shipped_rules():
    from kinerja_web.domain.payroll.status import STATUS_KINDS

    faktor = default_rules().resolve(OCT).tpp_faktor_status.data.faktor
    assert set(STATUS_KINDS) <= set(faktor)


TABLE = TunjanganJabatanTable(
    (
        TunjanganJabatanRow("jpt", "Sekretaris Daerah", "", "II.a", 3_250_000),
        TunjanganJabatanRow("jpt", "", "", "II.b", 2_025_000),
        TunjanganJabatanRow("fungsional", "Arsiparis", "Terampil", "", 350_000),
        TunjanganJabatanRow("fungsional", "Arsiparis", "", "", 300_000),
    )
)


def test_the_most_specific_row_wins():
    assert TABLE.match("jpt", "Sekretaris Daerah", "Pratama").amount == 3_250_000
    assert TABLE.match("jpt", "Kepala Dinas Kesehatan", "Pratama").amount == 2_025_000
    assert TABLE.match("fungsional", "arsiparis", "Terampil").amount == 350_000
    assert TABLE.match("fungsional", "Arsiparis", "Mahir").amount == 300_000


def test_no_row_means_no_tunjangan_jabatan():
    assert TABLE.match("fungsional", "Perencana", "Ahli Pertama") is None
    assert TABLE.match("pelaksana", "Pengadministrasi Umum", None) is None


def test_duplicate_and_non_positive_rows_are_problems():
    bad = TunjanganJabatanTable(
        (TunjanganJabatanRow("pengawas", "", "", "IV.a", 540_000), TunjanganJabatanRow("Pengawas", "", "", "IV.b", 0))
    )
    problems = bad.problems()
    assert any("lebih dari sekali" in p for p in problems) and any("harus > 0" in p for p in problems)


def test_shipped_table_has_perpres_26_2007_eselon_rows_and_labelled_examples():
    v = default_rules().resolve(OCT).tunjangan_jabatan
    assert "Perpres 26/2007" in v.citation and "CONTOH" in v.citation
    assert v.data.match("pengawas", "Kepala Seksi", None).amount == 540_000
    assert v.data.match("administrator", "Kepala Bidang", None).eselon == "III.b"
    fungsional = [r for r in v.data.rows if r.jenis_jabatan == "fungsional"]
    assert fungsional and all("CONTOH" in r.keterangan for r in fungsional)
    assert v.data.problems() == []
