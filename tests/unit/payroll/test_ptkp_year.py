"""PTKP status per tax year (issue 20 item 1), pure rules: the status as of 1 January (or the start of
employment), the married female employee's rule (PMK 168/2023 Pasal 9 ayat (2) huruf a), dependants capped at 3,
and what a mid-year change does to the rupiah (TER examples and PTKP amounts of the domain reference §5.2/§5.3)."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.payroll import default_rules, pph21_ter, ptkp_row
from kinerja_web.domain.payroll.pph21 import kategori_ter
from kinerja_web.domain.payroll.ptkp_year import (
    FamilyFact,
    as_of_date,
    bukti_potong_form,
    contradiction,
    derive,
    parse_status,
    ptkp_change_effective,
)

JAN = date(2026, 1, 1)


@pytest.fixture(scope="module")
def r():
    return default_rules().resolve(date(2026, 8, 1))


def wife(since):
    return FamilyFact(is_spouse=True, since=since)


def child(born, tanggungan=True):
    return FamilyFact(is_spouse=False, since=born, tanggungan=tanggungan)


def test_a_july_wedding_changes_the_status_only_from_next_january():
    facts = [wife(date(2026, 7, 12))]
    assert derive(2026, False, facts).status == "TK/0"
    assert derive(2027, False, facts).status == "K/0"
    assert ptkp_change_effective(date(2026, 7, 12)) == 2027
    assert ptkp_change_effective(date(2027, 1, 1)) == 2027


def test_a_child_born_in_july_keeps_ter_a_for_august_to_the_rupiah(r):
    facts = [wife(date(2015, 5, 5)), child(date(2026, 7, 20))]
    this_year = derive(2026, False, facts).status
    assert this_year == "K/0" and kategori_ter(r.ptkp.data, this_year) == "A"
    # domain reference §5.3: TK/0 (category A) 10.000.000 → 2 % → 200.000; K/1 (B) 10.000.000 → 1,5 % → 150.000
    assert pph21_ter(r.ter.data, "A", 10_000_000) == 200_000
    next_year = derive(2027, False, facts).status
    assert next_year == "K/1" and pph21_ter(r.ter.data, kategori_ter(r.ptkp.data, next_year), 10_000_000) == 150_000
    # December's PTKP stays K/0's: 54.000.000 + 4.500.000 (PMK 101/2016), not K/1's 63.000.000
    assert ptkp_row(r.ptkp.data, this_year).ptkp_setahun == 58_500_000
    assert ptkp_row(r.ptkp.data, next_year).ptkp_setahun == 63_000_000


def test_dependants_are_capped_at_three_and_only_tanggungan_count():
    kids = [child(date(2010 + i, 1, 2)) for i in range(4)] + [child(date(2009, 1, 1), tanggungan=False)]
    d = derive(2026, False, [wife(None), *kids])
    assert d.status == "K/3" and "dari 4, paling banyak 3" in d.basis


def test_a_married_female_employee_gets_ptkp_for_herself_only_without_the_kecamatan_statement():
    husband = FamilyFact(is_spouse=True, since=date(2018, 1, 1))
    facts = [husband, child(date(2019, 2, 2)), child(date(2021, 2, 2))]
    d = derive(2026, True, facts)
    assert d.status == "TK/0" and "Pasal 9 ayat (2) huruf a" in d.basis
    assert "Pasal 9" in contradiction("K/2", 2026, True, facts)
    assert contradiction("TK/2", 2026, True, facts) is not None  # no dependants without the statement either
    documented = [FamilyFact(True, date(2018, 1, 1), True, "474/15/KEC/2025"), *facts[1:]]
    assert derive(2026, True, documented).status == "K/2"
    assert contradiction("K/2", 2026, True, documented) is None


def test_an_unmarried_female_employee_keeps_her_dependants():
    assert derive(2026, True, [child(date(2020, 1, 1))]).status == "TK/1"


def test_a_mid_year_joiner_counts_from_the_start_of_employment():
    assert as_of_date(2026, date(2026, 4, 1)) == date(2026, 4, 1)
    assert as_of_date(2026, date(2019, 3, 1)) == JAN
    d = derive(2026, False, [wife(date(2026, 2, 14))], date(2026, 4, 1))
    assert d.status == "K/0" and "awal bekerja" in d.basis


def test_contradictions_are_named_and_fewer_dependants_are_allowed():
    facts = [wife(date(2020, 1, 1)), child(date(2021, 1, 1)), child(date(2022, 1, 1))]
    assert contradiction("K/2", 2026, False, facts) is None
    assert contradiction("K/1", 2026, False, facts) is None  # a child with income of its own
    assert "hanya mendukung 2" in contradiction("K/3", 2026, False, facts)
    assert "status tidak kawin (TK) tidak sesuai" in contradiction("TK/2", 2026, False, facts)
    assert "memerlukan suami/istri" in contradiction("K/0", 2026, False, [])
    with pytest.raises(DomainError) as e:
        parse_status("K/4")
    assert e.value.field == "status"


def test_the_annual_form_for_asn_paid_from_the_apbd():
    assert bukti_potong_form(2024).code == "1721-A2" and "PER-17/PJ/2021" in bukti_potong_form(2024).citation
    assert bukti_potong_form(2025).code == "BPA2" and "PER-11/PJ/2025" in bukti_potong_form(2026).citation
