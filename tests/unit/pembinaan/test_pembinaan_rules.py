"""Pembinaan kinerja rules (PP 30/2019 Pasal 57–58) and penghargaan eligibility."""

from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.awards import AwardStatus, award_basis
from kinerja_web.domain.awards import transition as award_transition
from kinerja_web.domain.pembinaan import (
    PlanStatus,
    ReviewOutcome,
    add_months,
    check_in_dates,
    needs_improvement_plan,
    next_step,
    review_date,
    review_is_due,
    transition,
)
from kinerja_web.domain.predikat import Predikat


@pytest.mark.parametrize(
    ("predikat", "needed"),
    [
        (Predikat.SANGAT_BAIK, False),
        (Predikat.BAIK, False),
        (Predikat.BUTUH_PERBAIKAN, True),
        (Predikat.KURANG_MISCONDUCT, True),
        (Predikat.SANGAT_KURANG, True),
    ],
)
def test_plan_is_needed_below_baik(predikat, needed):
    assert needs_improvement_plan(predikat) is needed


def test_review_date_is_six_months_after_the_start():
    assert review_date(date(2026, 1, 15)) == date(2026, 7, 15)


def test_review_date_of_the_31st_falls_on_the_last_day_of_the_month():
    assert review_date(date(2026, 8, 31)) == date(2027, 2, 28)


def test_add_months_crosses_the_year():
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_monthly_check_ins_are_five_before_the_review():
    assert check_in_dates(date(2026, 1, 10), 1) == [date(2026, m, 10) for m in range(2, 7)]


def test_check_ins_every_three_months_leave_one_in_the_middle():
    assert check_in_dates(date(2026, 1, 10), 3) == [date(2026, 4, 10)]


def test_unsupported_check_in_interval_is_refused():
    with pytest.raises(DomainError):
        check_in_dates(date(2026, 1, 10), 4)


def test_review_is_due_only_after_six_months():
    assert not review_is_due(date(2026, 1, 10), date(2026, 7, 9))
    assert review_is_due(date(2026, 1, 10), date(2026, 7, 10))


def test_running_plan_can_close_as_improved():
    assert transition(PlanStatus.RUNNING, PlanStatus.IMPROVED) is PlanStatus.IMPROVED


def test_improved_plan_cannot_be_followed_up():
    with pytest.raises(DomainError, match="tidak dapat diubah"):
        transition(PlanStatus.IMPROVED, PlanStatus.FOLLOWED_UP)


def test_cancelled_plan_cannot_be_cancelled_again():
    with pytest.raises(DomainError, match="sudah berstatus"):
        transition(PlanStatus.CANCELLED, PlanStatus.CANCELLED)


def test_improved_outcome_closes_without_sanction():
    assert next_step(ReviewOutcome.IMPROVED, "pelaksana").title == "Pembinaan selesai"


def test_jpt_not_improved_retakes_the_competency_test():
    step = next_step(ReviewOutcome.NOT_IMPROVED, "jpt")
    assert step.title == "Uji kompetensi kembali" and step.dasar_hukum == "PP 30/2019 Pasal 57–58"


@pytest.mark.parametrize("kind", ["administrator", "pengawas", "pelaksana", "fungsional"])
def test_ja_and_jf_not_improved_move_to_a_suitable_or_lower_post(kind):
    step = next_step(ReviewOutcome.NOT_IMPROVED, kind)
    assert step.title == "Pindah ke jabatan yang sesuai atau lebih rendah"
    assert "paling lama 1 tahun" in step.detail and "diberhentikan dengan hormat" in step.detail


def test_pppk_not_improved_points_to_the_contract():
    assert "perjanjian kerja" in next_step(ReviewOutcome.NOT_IMPROVED, "pelaksana", is_pppk=True).title


def test_no_post_asks_for_the_jabatan_first():
    assert next_step(ReviewOutcome.NOT_IMPROVED, None).title.startswith("Tentukan jabatan")


def test_sangat_baik_qualifies_for_an_award():
    assert award_basis(Predikat.SANGAT_BAIK) == "Predikat kinerja Sangat Baik"


def test_baik_does_not_qualify_without_potensial():
    assert award_basis(Predikat.BAIK) is None


def test_box_nine_qualifies_with_baik():
    assert award_basis(Predikat.BAIK, 9).startswith("Kotak talenta 9")


def test_box_eight_does_not_qualify():
    assert award_basis(Predikat.BAIK, 8) is None


def test_issued_award_cannot_be_rejected():
    with pytest.raises(DomainError):
        award_transition(AwardStatus.ISSUED, AwardStatus.REJECTED)


def test_rejected_proposal_can_be_reconsidered():
    assert award_transition(AwardStatus.REJECTED, AwardStatus.SELECTED) is AwardStatus.SELECTED
