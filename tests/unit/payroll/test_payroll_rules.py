"""Versioned rule tables: selecting the version in force, and rejecting overlaps and gaps."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll import RuleTable, RuleVersion
from kinerja_web.domain.payroll.tables import Bracket, Pasal17Table, TppKomposisi, TppPersenPredikat
from kinerja_web.domain.predikat import Predikat


def table(*versions):
    return RuleTable("uji", "Tabel uji", tuple(versions))


def v(vid, start, end=None, data="x"):
    return RuleVersion(vid, start, f"Peraturan {vid}", data, end)


def test_open_ended_versions_follow_each_other_without_problems():
    assert table(v("lama", date(2019, 1, 1)), v("baru", date(2024, 1, 1))).problems() == []


def test_explicit_end_followed_the_next_day_is_valid():
    assert table(v("lama", date(2019, 1, 1), date(2023, 12, 31)), v("baru", date(2024, 1, 1))).problems() == []


def test_two_versions_starting_the_same_day_overlap():
    (problem,) = table(v("a", date(2024, 1, 1)), v("b", date(2024, 1, 1))).problems()
    assert "tumpang tindih" in problem and "'a'" in problem and "'b'" in problem


def test_version_starting_before_the_previous_one_ends_overlaps():
    (problem,) = table(v("lama", date(2019, 1, 1), date(2024, 3, 31)), v("baru", date(2024, 1, 1))).problems()
    assert "tumpang tindih" in problem and "1 Januari 2019 s.d. 31 Maret 2024" in problem


def test_gap_between_end_and_next_start_is_rejected():
    (problem,) = table(v("lama", date(2019, 1, 1), date(2023, 11, 30)), v("baru", date(2024, 1, 1))).problems()
    assert "ada celah" in problem and "30 November 2023" in problem and "1 Januari 2024" in problem


def test_version_ending_before_it_starts_is_rejected():
    (problem,) = table(v("salah", date(2024, 1, 1), date(2023, 1, 1))).problems()
    assert "berakhir" in problem and "sebelum mulai berlaku" in problem


def test_table_without_versions_is_rejected():
    assert table().problems() == ["Tabel Tabel uji belum memiliki versi yang berlaku."]


def test_duplicate_version_ids_are_rejected():
    problems = table(v("a", date(2019, 1, 1)), v("a", date(2024, 1, 1))).problems()
    assert any("dipakai lebih dari sekali" in p for p in problems)


def test_validate_raises_a_domain_error_with_the_messages():
    with pytest.raises(DomainError, match="tumpang tindih"):
        table(v("a", date(2024, 1, 1)), v("b", date(2024, 1, 1))).validate()


def test_in_force_picks_the_latest_version_started_by_the_first_of_the_month():
    t = table(v("pp15", date(2019, 1, 1)), v("pp5", date(2024, 1, 1)))
    assert t.in_force(date(2023, 12, 1)).version_id == "pp15"
    assert t.in_force(date(2024, 1, 20)).version_id == "pp5"


def test_version_starting_mid_month_applies_from_the_next_month():
    t = table(v("lama", date(2019, 1, 1)), v("baru", date(2024, 3, 15)))
    assert t.in_force(date(2024, 3, 1)).version_id == "lama"
    assert t.in_force(date(2024, 4, 1)).version_id == "baru"


def test_month_before_the_first_version_has_no_rule():
    with pytest.raises(DomainError, match="Tidak ada versi tabel Tabel uji yang berlaku untuk bulan Desember 2023"):
        table(v("pp5", date(2024, 1, 1))).in_force(date(2023, 12, 1))


def test_month_after_an_explicit_end_has_no_rule():
    with pytest.raises(DomainError, match="Juli 2024"):
        table(v("a", date(2024, 1, 1), date(2024, 6, 30))).in_force(date(2024, 7, 1))


def test_shipped_rule_set_is_valid(rules):
    assert rules.problems() == []


def test_rule_set_reports_content_problems_of_a_version(rules):
    bad = replace(
        rules,
        tpp_komposisi=table(
            v("60-50", date(2024, 1, 1), data=TppKomposisi(kinerja=Decimal("0.6"), disiplin=Decimal("0.5")))
        ),
    )
    assert any("berjumlah 100%" in p for p in bad.problems())


def test_bracket_tables_must_be_contiguous():
    gap = Pasal17Table((Bracket(0, 100, Decimal("0.05")), Bracket(200, None, Decimal("0.15"))))
    assert any("celah" in p for p in gap.problems())


def test_predikat_mapping_must_cover_every_predikat():
    partial = TppPersenPredikat({Predikat.BAIK: Decimal(1)})
    assert "Sangat Baik" in partial.problems()[0]


def test_resolving_a_month_without_rules_refuses(rules):
    with pytest.raises(DomainError, match="Gaji pokok PNS"):
        rules.resolve(date(2018, 12, 1))  # the gaji pokok PNS table reaches back to PP 15/2019 (1 Januari 2019)


def test_resolved_rules_record_every_version_id(rules):
    versions = dict(rules.resolve(date(2026, 10, 1)).version_ids)
    assert versions["gaji_pokok_pns"] == "gaji_pokok_pns@2024-01-01" and len(versions) == 23
