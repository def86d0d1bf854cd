"""SKM computation (PermenPANRB 14/2017), minimum sample, complaint workflow rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.public_feedback import (
    ComplaintStatus,
    Mutu,
    Verdict,
    add_working_days,
    check_answers,
    check_transition,
    compute_from_answers,
    minimum_sample,
    mutu_of,
)


def test_ikm_is_the_mean_of_the_nine_nrr_times_25():
    r = compute_from_answers([[4] * 9, [3] * 9])
    assert r.respondents == 2
    assert r.nrr == tuple(Decimal("3.50") for _ in range(9))
    assert r.ikm == Decimal("3.5000")
    assert r.converted == Decimal("87.50")
    assert r.mutu == Mutu.B


def test_weighted_nrr_uses_one_ninth_per_unsur():
    r = compute_from_answers([[4, 4, 4, 4, 4, 4, 4, 4, 1]])
    assert r.ikm == Decimal("3.6667")
    assert r.converted == Decimal("91.67")
    assert r.mutu == Mutu.A
    assert r.lowest_unsur == 8


@pytest.mark.parametrize(
    "value,mutu",
    [
        ("100", Mutu.A),
        ("88.31", Mutu.A),
        ("88.30", Mutu.B),
        ("76.61", Mutu.B),
        ("76.60", Mutu.C),
        ("65.00", Mutu.C),
        ("64.99", Mutu.D),
        ("25", Mutu.D),
    ],
)
def test_mutu_intervals_of_the_regulation(value, mutu):
    assert mutu_of(Decimal(value)) is mutu


def test_answers_outside_one_to_four_are_refused_with_the_unsur_named():
    with pytest.raises(DomainError, match="U3"):
        check_answers([4, 4, 5, 4, 4, 4, 4, 4, 4])
    with pytest.raises(DomainError, match="U9"):
        check_answers([4, 4, 4, 4, 4, 4, 4, 4, None])


@pytest.mark.parametrize("population,sample", [(100, 80), (1000, 278), (10000, 370), (None, None)])
def test_minimum_sample_follows_krejcie_morgan(population, sample):
    assert minimum_sample(population) == sample


def test_closing_without_verification_is_refused():
    with pytest.raises(DomainError, match="belum diverifikasi"):
        check_transition(ComplaintStatus.REGISTERED, ComplaintStatus.CLOSED, None)


def test_a_substantiated_complaint_is_followed_up_before_it_is_closed():
    with pytest.raises(DomainError, match="ditindaklanjuti"):
        check_transition(ComplaintStatus.VERIFIED, ComplaintStatus.CLOSED, Verdict.SUBSTANTIATED)
    check_transition(ComplaintStatus.VERIFIED, ComplaintStatus.CLOSED, Verdict.UNSUBSTANTIATED)
    check_transition(ComplaintStatus.FOLLOWED_UP, ComplaintStatus.CLOSED, Verdict.SUBSTANTIATED)


def test_working_days_skip_weekends():
    from datetime import date

    assert add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)  # Friday → Monday
    assert add_working_days(date(2026, 12, 7), 5) == date(2026, 12, 14)
