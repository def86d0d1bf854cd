"""Pure rules of competency development: workflow, JP, eligibility, schedule clashes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.development import (
    Eligibility,
    ReferralStatus,
    Seat,
    check_jp,
    check_schedule,
    clashes,
    jp_progress,
    overlaps,
    transition,
)

S = ReferralStatus


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.DIUSULKAN, S.DITUGASKAN),
        (S.DIUSULKAN, S.DITOLAK),
        (S.DITUGASKAN, S.BERJALAN),
        (S.DITUGASKAN, S.TIDAK_SELESAI),
        (S.BERJALAN, S.SELESAI),
        (S.BERJALAN, S.TIDAK_SELESAI),
    ],
)
def test_allowed_referral_steps_pass(current, target):
    assert transition(current, target) == target


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.DIUSULKAN, S.SELESAI), (S.DITUGASKAN, S.SELESAI), (S.SELESAI, S.BERJALAN), (S.DITOLAK, S.DITUGASKAN)],
)
def test_skipping_a_referral_step_is_refused_in_indonesian(current, target):
    with pytest.raises(DomainError, match="tidak dapat diubah menjadi"):
        transition(current, target)


def test_negative_jp_is_refused():
    with pytest.raises(DomainError, match="tidak boleh negatif"):
        check_jp(-1)


def test_absurd_jp_is_refused():
    with pytest.raises(DomainError, match="paling banyak"):
        check_jp(5000)


def test_zero_jp_is_a_valid_programme_value():
    assert check_jp(0) == 0


def test_end_before_start_is_refused():
    with pytest.raises(DomainError, match="sebelum tanggal mulai"):
        check_schedule(date(2026, 5, 2), date(2026, 5, 1))


def test_only_one_date_is_refused():
    with pytest.raises(DomainError, match="kosongkan keduanya"):
        check_schedule(date(2026, 5, 2), None)


@pytest.mark.parametrize(("jp", "percent"), [(0, 0), (5, 25), (19, 95), (20, 100), (44, 100)])
def test_jp_progress_is_capped_at_the_20_jp_target(jp, percent):
    assert jp_progress(jp) == percent


def test_eligibility_names_the_jabatan_type_and_golongan_problems():
    e = Eligibility(frozenset({"administrator"}), min_golongan="III/c")
    reasons = e.reasons("pelaksana", "Jabatan Pelaksana", "III/a")
    assert len(reasons) == 2
    assert "Jabatan Pelaksana" in reasons[0] and "III/c" in reasons[1]


def test_empty_eligibility_admits_everyone():
    assert Eligibility().reasons("pelaksana", "Jabatan Pelaksana", "II/a") == []


def test_golongan_above_the_maximum_is_not_eligible():
    assert Eligibility(max_golongan="III/d").reasons(None, "", "IV/a")


def test_dated_programmes_overlap_on_a_shared_day():
    assert overlaps(date(2026, 3, 1), date(2026, 3, 3), date(2026, 3, 3), date(2026, 3, 4))
    assert not overlaps(date(2026, 3, 1), date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5))


def test_self_paced_programmes_never_clash():
    assert not overlaps(None, None, date(2026, 3, 1), date(2026, 3, 3))


def test_clash_with_a_running_assignment_is_reported_on_its_row():
    existing = [Seat(-1, 7, "", 99, date(2026, 3, 1), date(2026, 3, 5))]
    new = [Seat(1, 7, "Budi", 100, date(2026, 3, 4), date(2026, 3, 6)), Seat(2, 8, "Sari", 100, None, None)]
    errors = clashes(new, existing)
    assert set(errors) == {1} and "bentrok" in errors[1]


def test_same_programme_twice_is_reported():
    existing = [Seat(-1, 7, "", 100, None, None)]
    assert "sudah ditugaskan" in clashes([Seat(1, 7, "Budi", 100, None, None)], existing)[1]


def test_clash_inside_the_batch_is_reported_on_the_later_row():
    a = Seat(1, 7, "Budi", 100, date(2026, 3, 1), date(2026, 3, 2))
    b = Seat(2, 7, "Budi", 101, date(2026, 3, 2), date(2026, 3, 3))
    assert set(clashes([a, b], [])) == {2}


# --- closing the loop ---------------------------------------------------------------------------------------


def test_predikat_levels_run_from_sangat_kurang_to_sangat_baik():
    from kinerja_web.domain.development import predikat_level
    from kinerja_web.domain.predikat import Predikat

    assert [predikat_level(p) for p in Predikat] == [5, 4, 3, 2, 1]


@pytest.mark.parametrize(
    ("before", "after", "status", "change"),
    [
        (2, 4, "membaik", 2),
        (3, 3, "tetap", 0),
        (Decimal("3.50"), Decimal("3.25"), "menurun", Decimal("-0.25")),
        (2, None, "belum_ada_data", None),
        (None, 4, "belum_ada_data", None),
    ],
)
def test_compare_gives_the_direction_and_the_change(before, after, status, change):
    from kinerja_web.domain.development import compare

    got, delta = compare(before, after)
    assert got.value == status and delta == change


# --- completion: not before the programme starts; JP only at the minimum attendance ---------------------


def test_completion_before_the_programme_starts_is_refused_in_indonesian():
    from kinerja_web.domain.development import check_completion_date

    with pytest.raises(DomainError) as e:
        check_completion_date(date(2027, 1, 12), date(2026, 12, 30))
    assert "12 Januari 2027" in e.value.message and "tahun" in e.value.message
    check_completion_date(date(2027, 1, 12), date(2027, 1, 12))  # on the first day: allowed
    check_completion_date(None, date(2026, 12, 30))  # self-paced: no start date


@pytest.mark.parametrize(("attendance", "minimum", "credited"), [(100, 80, 20), (80, 80, 20), (79, 80, 0), (60, 80, 0)])
def test_jp_are_credited_only_at_the_minimum_attendance(attendance, minimum, credited):
    from kinerja_web.domain.development import jp_for_attendance

    assert jp_for_attendance(20, attendance, minimum) == credited


def test_a_minimum_attendance_outside_1_to_100_is_refused():
    from kinerja_web.domain.development import check_min_attendance

    for bad in (None, 0, 101):
        with pytest.raises(DomainError) as e:
            check_min_attendance(bad)
        assert e.value.field == "percent"
    assert check_min_attendance(75) == 75
