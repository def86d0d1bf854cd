"""The SKP workflow table and the pure SKP rules (no app)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.berakhlak import BERAKHLAK
from kinerja_web.domain.berakhlak import parse_guides_by_name as parse_guides
from kinerja_web.domain.skp import (
    Frequency,
    RhkRow,
    SkpJenis,
    coverage_percent,
    diff_versions,
    parse_target,
    periodic_windows,
)
from kinerja_web.domain.workflow import ALLOWED, SkpStatus, is_editable, transition

ALL = list(SkpStatus)


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in ALL for t in ALL if t in ALLOWED[c]],
)
def test_allowed_transitions_return_the_target(current, target):
    assert transition(current, target) is target


@pytest.mark.parametrize(
    ("current", "target"),
    [(c, t) for c in ALL for t in ALL if t not in ALLOWED[c]],
)
def test_every_other_transition_raises_a_domain_error(current, target):
    with pytest.raises(DomainError):
        transition(current, target)


def test_approving_twice_says_it_is_already_approved():
    with pytest.raises(DomainError, match="sudah disetujui"):
        transition(SkpStatus.APPROVED, SkpStatus.APPROVED)


def test_only_draft_and_returned_skp_are_editable():
    assert {s for s in ALL if is_editable(s)} == {SkpStatus.DRAFT, SkpStatus.RETURNED}


def test_replaced_version_is_terminal():
    assert ALLOWED[SkpStatus.REPLACED] == frozenset()


@pytest.mark.parametrize(("raw", "expected"), [("12", "12"), ("12,5", "12,5"), ("1.250", "1250"), (" 0 ", "0")])
def test_quantitative_targets_are_normalised_numbers(raw, expected):
    assert parse_target(SkpJenis.KUANTITATIF, raw) == expected


@pytest.mark.parametrize("raw", ["dua belas", "12 dokumen", "-3", "", "NaN"])
def test_quantitative_target_that_is_not_a_non_negative_number_is_refused(raw):
    with pytest.raises(DomainError) as e:
        parse_target(SkpJenis.KUANTITATIF, raw)
    assert e.value.field == "target"


def test_qualitative_target_is_kept_as_text():
    assert parse_target(SkpJenis.KUALITATIF, " Laporan diterima tanpa revisi ") == "Laporan diterima tanpa revisi"


def test_quarterly_period_has_four_windows_clipped_to_the_dates():
    windows = periodic_windows(2026, Frequency.TRIWULAN, date(2026, 2, 1), date(2026, 12, 31))
    assert [w.label for w in windows] == ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV"]
    assert windows[0].start == date(2026, 2, 1) and windows[0].end == date(2026, 3, 31)


def test_monthly_and_semester_periods_have_twelve_and_two_windows():
    assert len(periodic_windows(2026, Frequency.BULANAN, date(2026, 1, 1), date(2026, 12, 31))) == 12
    assert len(periodic_windows(2026, Frequency.SEMESTER, date(2026, 1, 1), date(2026, 12, 31))) == 2


def test_guides_csv_gives_three_guides_for_each_of_the_seven_values():
    from pathlib import Path

    text = (Path(__file__).parents[3] / "kinerja_web" / "data" / "rules" / "berakhlak_panduan_perilaku.csv").read_text()
    guides = parse_guides(text)
    assert list(guides) == list(BERAKHLAK)
    assert all(len(g) == 3 for g in guides.values())


def test_diff_reports_added_removed_and_changed_rhk():
    old = [RhkRow(1, "Utama", "A", "", ("x",)), RhkRow(2, "Utama", "B", "", ("y",))]
    new = [RhkRow(1, "Utama", "A baru", "", ("x", "z")), RhkRow(3, "Tambahan", "C", "", ())]
    kinds = {(d.kind, d.uraian) for d in diff_versions(old, new)}
    assert kinds == {("ubah", "A baru"), ("tambah", "C"), ("hapus", "B")}
    changed = next(d for d in diff_versions(old, new) if d.kind == "ubah")
    assert "+ z" in changed.changes


def test_coverage_is_a_percentage_with_one_decimal_and_none_without_rhk():
    assert coverage_percent(2, 3) == Decimal("66.7")
    assert coverage_percent(0, 0) is None


def test_waktu_target_beyond_the_period_is_refused():
    from kinerja_web.domain.skp import check_waktu_target

    year = (date(2026, 1, 1), date(2026, 12, 31))
    check_waktu_target("12", "bulan", *year)
    with pytest.raises(DomainError, match="maksimal 12 bulan"):
        check_waktu_target("13", "bulan", *year)
    with pytest.raises(DomainError, match="maksimal 365 hari"):
        check_waktu_target("400", "hari kerja", *year)
    check_waktu_target("13", "dokumen", *year)
