"""Kurva distribusi (SE MenPANRB 3/2023): each row at its boundary, one past it, and small-unit guidance."""

from collections import Counter
from decimal import Decimal

import pytest

from kinerja_web.domain.kurva import KURVA_DISTRIBUSI, KurvaWarningKind, check, rules_for
from kinerja_web.domain.predikat import Predikat, PredikatOrganisasi

Org = PredikatOrganisasi
SB, B, BP, KM, SK = (
    Predikat.SANGAT_BAIK,
    Predikat.BAIK,
    Predikat.BUTUH_PERBAIKAN,
    Predikat.KURANG_MISCONDUCT,
    Predikat.SANGAT_KURANG,
)


def warnings_about(org, counts, kelompok):
    """Warnings of one rule that carry a number needed (the "largest group" remark is tested on its own)."""
    return [w for w in check(org, Counter(counts)) if w.rule.kelompok == kelompok and w.needed is not None]


# (organisation predikat, rule group, counts exactly at the limit, counts one past it, expected needed)
ROWS = [
    (Org.ISTIMEWA, (SB,), {SB: 7, B: 3}, {SB: 8, B: 2}, 1),
    (Org.BAIK, (B,), {B: 7, SB: 2, BP: 1}, {B: 8, SB: 1, BP: 1}, 1),
    (Org.BAIK, (BP, KM), {B: 7, SB: 2, KM: 1}, {B: 7, SB: 3}, 1),
    (Org.BUTUH_PERBAIKAN, (BP,), {BP: 6, B: 4}, {BP: 5, B: 5}, 1),
    (Org.BUTUH_PERBAIKAN, (SB,), {SB: 1, BP: 6, B: 3}, {SB: 2, BP: 6, B: 2}, 1),
    (Org.KURANG, (KM,), {KM: 6, BP: 1, B: 3}, {KM: 5, BP: 1, B: 4}, 1),
    (Org.KURANG, (BP,), {KM: 6, BP: 1, B: 3}, {KM: 6, B: 4}, 1),
    (Org.KURANG, (SB,), {KM: 6, BP: 1, SB: 1, B: 2}, {KM: 6, BP: 1, SB: 2, B: 1}, 1),
    (Org.SANGAT_KURANG, (SK,), {SK: 6, KM: 1, B: 3}, {SK: 5, KM: 1, B: 4}, 1),
    (Org.SANGAT_KURANG, (KM, BP), {SK: 6, BP: 1, B: 3}, {SK: 6, B: 4}, 1),
    (Org.SANGAT_KURANG, (SB,), {SK: 6, BP: 1, B: 3}, {SK: 6, BP: 1, B: 2, SB: 1}, 1),
]
IDS = [f"{org.value}-{'+'.join(p.value for p in grp)}" for org, grp, *_ in ROWS]


@pytest.mark.parametrize(("org", "kelompok", "at_limit", "_past", "_needed"), ROWS, ids=IDS)
def test_count_exactly_at_the_limit_gives_no_warning(org, kelompok, at_limit, _past, _needed):
    assert warnings_about(org, at_limit, kelompok) == []


@pytest.mark.parametrize(("org", "kelompok", "_at", "past_limit", "needed"), ROWS, ids=IDS)
def test_one_past_the_limit_warns_with_the_number_needed(org, kelompok, _at, past_limit, needed):
    (warning,) = warnings_about(org, past_limit, kelompok)
    assert warning.needed == needed
    assert warning.total == sum(past_limit.values())
    assert warning.count == sum(past_limit.get(p, 0) for p in kelompok)


def test_every_constraint_row_of_the_curve_is_covered_by_a_boundary_case():
    assert {(r.organisasi, r.kelompok) for r in KURVA_DISTRIBUSI} == {(o, g) for o, g, *_ in ROWS}


def test_max_warning_states_share_limit_and_excess_in_indonesian():
    (w,) = warnings_about(Org.ISTIMEWA, {SB: 8, B: 2}, (SB,))
    assert (w.share, w.limit) == (Decimal("0.8"), Decimal("0.70"))
    assert "8 dari 10 pegawai (80%)" in w.message
    assert "maksimal 70%" in w.message and "paling banyak 7 pegawai" in w.message and "kelebihan 1 pegawai" in w.message


def test_min_warning_states_share_limit_and_shortfall_in_indonesian():
    (w,) = warnings_about(Org.BUTUH_PERBAIKAN, {BP: 5, B: 5}, (BP,))
    assert "5 dari 10 pegawai (50%)" in w.message
    assert "minimal 60%" in w.message and "paling sedikit 6 pegawai" in w.message and "kurang 1 pegawai" in w.message


def test_limits_use_whole_people_when_the_unit_size_is_not_a_multiple_of_ten():
    # 70% of 7 = 4,9 → at most 4; 60% of 7 = 4,2 → at least 5.
    assert warnings_about(Org.BAIK, {B: 4, SB: 2, BP: 1}, (B,)) == []
    assert warnings_about(Org.BAIK, {B: 5, SB: 1, BP: 1}, (B,))[0].needed == 1
    assert warnings_about(Org.BUTUH_PERBAIKAN, {BP: 5, B: 2}, (BP,)) == []
    assert warnings_about(Org.BUTUH_PERBAIKAN, {BP: 4, B: 3}, (BP,))[0].needed == 1


def test_combined_group_counts_both_predikat_together():
    assert warnings_about(Org.BAIK, {B: 7, SB: 2, BP: 1}, (BP, KM)) == []
    assert warnings_about(Org.SANGAT_KURANG, {SK: 6, KM: 1, B: 3}, (KM, BP)) == []


def test_must_exist_warning_says_none_exists():
    (w,) = warnings_about(Org.BAIK, {B: 7, SB: 3}, (BP, KM))
    assert "harus ada paling sedikit 1 pegawai berpredikat Butuh Perbaikan dan/atau Kurang/Misconduct" in w.message


def test_largest_group_rule_warns_when_another_predikat_outnumbers_it():
    found = [w for w in check(Org.ISTIMEWA, Counter({SB: 3, B: 7})) if w.rule.largest_group]
    assert len(found) == 1 and "Baik lebih banyak (7 pegawai dibanding 3)" in found[0].message


def test_distribution_matching_the_curve_gives_no_warnings():
    assert check(Org.BAIK, Counter({B: 6, SB: 3, BP: 1})) == []


def test_none_rule_warns_even_in_a_small_unit():
    found = check(Org.SANGAT_KURANG, Counter({SB: 1, SK: 1}))
    (w,) = [w for w in found if w.rule.kelompok == (SB,)]
    assert w.needed == 1 and w.kind is KurvaWarningKind.PERINGATAN and "tidak boleh ada" in w.message


def test_unit_below_five_employees_gets_guidance_only():
    found = check(Org.ISTIMEWA, Counter({SB: 4}))
    assert found and all(w.kind is KurvaWarningKind.PANDUAN for w in found)
    assert all(w.share is None and w.needed is None for w in found)
    assert "hanya memiliki 4 pegawai (kurang dari 5)" in found[0].message


def test_unit_of_five_employees_gets_percentage_warnings():
    found = check(Org.ISTIMEWA, Counter({SB: 5}))
    assert [w.kind for w in found] == [KurvaWarningKind.PERINGATAN]


def test_empty_unit_gets_guidance_for_each_rule():
    assert len(check(Org.KURANG, Counter())) == len(rules_for(Org.KURANG))
