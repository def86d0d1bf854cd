"""Keberatan deadline (PP 30/2019 Pasal 59): 14 calendar days after the result, day 14 inclusive."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.keberatan import batas_keberatan, check_deadline


def test_last_day_is_fourteen_calendar_days_after_the_result():
    assert batas_keberatan(date(2027, 1, 4)) == date(2027, 1, 18)


def test_deadline_crosses_month_and_year_ends_by_the_real_calendar():
    assert batas_keberatan(date(2026, 12, 25)) == date(2027, 1, 8)
    assert batas_keberatan(date(2028, 2, 20)) == date(2028, 3, 5)  # 2028 is a leap year


def test_day_fourteen_is_still_allowed():
    check_deadline(date(2027, 1, 4), date(2027, 1, 18))


def test_the_day_of_the_result_is_allowed():
    check_deadline(date(2027, 1, 4), date(2027, 1, 4))


def test_day_fifteen_is_refused_with_the_last_date():
    with pytest.raises(DomainError) as e:
        check_deadline(date(2027, 1, 4), date(2027, 1, 19))
    assert "sudah lewat" in e.value.message and "18 Januari 2027" in e.value.message


def test_no_result_given_yet_is_refused():
    with pytest.raises(DomainError) as e:
        check_deadline(None, date(2027, 1, 4))
    assert "belum diserahkan" in e.value.message
