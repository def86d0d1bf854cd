from decimal import Decimal as D

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.competency import (
    JpmKategori,
    JpmRule,
    consensus_needs_reason,
    from_x2,
    jpm,
    kategori,
    level_text,
    mean_level,
    parse_level,
    parse_required,
    potensial_from_assessment,
    to_x2,
)
from kinerja_web.domain.talent import Potensial


@pytest.mark.parametrize("raw,expected", [("2,5", D("2.5")), ("3", D(3)), (4, D(4)), ("1.0", D(1)), ("5", D(5))])
def test_levels_in_half_steps(raw, expected):
    assert parse_level(raw) == expected
    assert from_x2(to_x2(expected)) == expected


@pytest.mark.parametrize("raw", ["0", "5,5", "2,3", "abc", "", None, "NaN", "-1"])
def test_bad_levels_are_refused_in_indonesian(raw):
    with pytest.raises(DomainError) as e:
        parse_level(raw, field="lv")
    assert "Level" in e.value.message and e.value.field == "lv"


def test_required_level_is_whole():
    assert parse_required("3") == 3
    with pytest.raises(DomainError):
        parse_required("2,5")


def test_jpm_formula_with_and_without_capping():
    pairs = [(3, D("2.5")), (3, D(4)), (3, D(3))]
    # capped: (2.5 + 3 + 3) / 9
    assert jpm(pairs, cap_at_required=True) == D("94.44")
    assert jpm(pairs, cap_at_required=False) == D("105.56")
    assert jpm([], True) is None
    assert jpm([(2, None)], True) == D("0.00")


def test_categories_follow_the_configured_thresholds():
    rule = JpmRule()
    assert kategori(D("90"), rule) == JpmKategori.OPTIMAL
    assert kategori(D("89.99"), rule) == JpmKategori.CUKUP_OPTIMAL
    assert kategori(D("78"), rule) == JpmKategori.CUKUP_OPTIMAL
    assert kategori(D("77.99"), rule) == JpmKategori.KURANG_OPTIMAL
    strict = JpmRule.from_params({"optimal_from": "95", "cukup_from": "80"})
    assert kategori(D("90"), strict) == JpmKategori.CUKUP_OPTIMAL


def test_rule_validation():
    with pytest.raises(DomainError):
        JpmRule.from_params({"optimal_from": "70", "cukup_from": "80"})
    with pytest.raises(DomainError):
        JpmRule.from_params({"potensial": {"weights": {"kategori": "50", "jpm": "40"}}})
    assert JpmRule.from_params(JpmRule().to_params()) == JpmRule()


def test_default_levels_by_jenis_and_jenjang():
    rule = JpmRule()
    assert rule.default_level("jpt", "Pratama") == 4
    assert rule.default_level("administrator", None) == 3
    assert rule.default_level("pengawas", None) == 2
    assert rule.default_level("fungsional", "Ahli Madya") == 3
    assert rule.default_level("fungsional", "Penyelia") == 2
    assert rule.default_level("pelaksana", None) == 1


def test_consensus_reason_needed_only_when_different_from_mean():
    assert mean_level([D(3), D("3.5")]) == D("3.25")
    assert consensus_needs_reason(D(3), [D(3), D("3.5")])
    assert not consensus_needs_reason(D(3), [D(3), D(3)])


def test_potensial_from_assessment():
    rule = JpmRule()
    assert potensial_from_assessment(D(95), JpmKategori.OPTIMAL, rule) == Potensial.TINGGI
    assert potensial_from_assessment(D(80), JpmKategori.CUKUP_OPTIMAL, rule) == Potensial.MENENGAH
    assert potensial_from_assessment(D(60), JpmKategori.KURANG_OPTIMAL, rule) == Potensial.RENDAH


def test_level_text():
    assert level_text(D("2.5")) == "2,5" and level_text(D(3)) == "3" and level_text(None) == "–"
