"""Who is whose atasan / pejabat penilai on a date (riwayat jabatan, Plt/Plh, vacant posts)."""

from __future__ import annotations

from datetime import date

from kinerja_web.extensions import db
from kinerja_web.models import AssignmentKind, PositionAssignment
from kinerja_web.services.employees.editing import move_to_position
from kinerja_web.services.org import appraisers

DAY = date(2026, 6, 15)


def _acting(employee, position, kind, start, end):
    row = PositionAssignment(employee=employee, position=position, kind=kind, start_date=start, end_date=end)
    db.session.add(row)
    db.session.flush()
    return row


def test_appraiser_is_the_holder_of_the_post_above(org_chart):
    a = appraisers.appraiser_of(org_chart.staff1, DAY)
    assert a.employee.id == org_chart.kasi.id
    assert a.position.id == org_chart.p_kasi.id
    assert a.kind == AssignmentKind.DEFINITIF and a.acting_prefix == ""
    assert a.skipped_vacant == ()


def test_appraiser_supervisor_is_the_atasan_of_the_appraiser(org_chart):
    assert appraisers.appraiser_supervisor_of(org_chart.staff1, DAY).employee.id == org_chart.kabid.id


def test_head_of_opd_without_a_post_above_has_no_appraiser(org_chart):
    assert appraisers.appraiser_of(org_chart.head, DAY) is None


def test_plh_takes_the_appraiser_role_within_its_date_range(org_chart):
    _acting(org_chart.staff2, org_chart.p_kasi, AssignmentKind.PLH, date(2026, 6, 1), date(2026, 6, 30))
    a = appraisers.appraiser_of(org_chart.staff1, DAY)
    assert a.employee.id == org_chart.staff2.id
    assert a.kind == AssignmentKind.PLH and a.acting_prefix == "Plh. "


def test_plh_has_no_role_outside_its_date_range(org_chart):
    _acting(org_chart.staff2, org_chart.p_kasi, AssignmentKind.PLH, date(2026, 6, 1), date(2026, 6, 30))
    assert appraisers.appraiser_of(org_chart.staff1, date(2026, 5, 31)).employee.id == org_chart.kasi.id
    assert appraisers.appraiser_of(org_chart.staff1, date(2026, 7, 1)).employee.id == org_chart.kasi.id


def test_plt_range_end_date_is_inclusive(org_chart):
    _acting(org_chart.kabid, org_chart.p_kasi, AssignmentKind.PLT, date(2026, 1, 1), date(2026, 6, 15))
    assert appraisers.appraiser_of(org_chart.staff1, date(2026, 6, 15)).kind == AssignmentKind.PLT
    assert appraisers.appraiser_of(org_chart.staff1, date(2026, 6, 16)).kind == AssignmentKind.DEFINITIF


def test_plh_wins_over_plt_on_the_same_post(org_chart):
    _acting(org_chart.kabid, org_chart.p_kasi, AssignmentKind.PLT, date(2026, 1, 1), date(2026, 12, 31))
    _acting(org_chart.staff2, org_chart.p_kasi, AssignmentKind.PLH, date(2026, 6, 10), date(2026, 6, 20))
    assert appraisers.appraiser_of(org_chart.staff1, DAY).employee.id == org_chart.staff2.id


def test_vacant_atasan_post_passes_the_role_to_the_next_post_up_and_says_so(org_chart):
    for row in org_chart.kasi.assignments:
        row.end_date = date(2025, 12, 31)
    db.session.flush()
    a = appraisers.appraiser_of(org_chart.staff1, DAY)
    assert a.employee.id == org_chart.kabid.id
    assert [p.id for p in a.skipped_vacant] == [org_chart.p_kasi.id]


def test_before_the_post_fell_vacant_its_holder_was_the_appraiser(org_chart):
    for row in org_chart.kasi.assignments:
        row.end_date = date(2025, 12, 31)
    db.session.flush()
    assert appraisers.appraiser_of(org_chart.staff1, date(2025, 12, 31)).employee.id == org_chart.kasi.id


def test_inactive_holder_does_not_appraise(org_chart):
    org_chart.kasi.active = False
    db.session.flush()
    assert appraisers.appraiser_of(org_chart.staff1, DAY).employee.id == org_chart.kabid.id


def test_every_superior_up_the_chain_is_a_superior(org_chart):
    for boss in (org_chart.kasi, org_chart.kabid, org_chart.head):
        assert appraisers.is_superior(boss, org_chart.staff1, DAY)


def test_staff_is_not_the_superior_of_a_colleague_or_of_their_atasan(org_chart):
    assert not appraisers.is_superior(org_chart.staff2, org_chart.staff1, DAY)
    assert not appraisers.is_superior(org_chart.staff1, org_chart.kasi, DAY)
    assert not appraisers.is_superior(org_chart.staff1, org_chart.staff1, DAY)


def test_employee_in_another_opd_is_not_a_superior(org_chart):
    assert not appraisers.is_superior(org_chart.other, org_chart.staff1, DAY)


def test_acting_official_is_a_superior_only_within_the_acting_range(org_chart):
    _acting(org_chart.staff2, org_chart.p_kasi, AssignmentKind.PLT, date(2026, 6, 1), date(2026, 6, 30))
    assert appraisers.is_superior(org_chart.staff2, org_chart.staff1, DAY)
    assert not appraisers.is_superior(org_chart.staff2, org_chart.staff1, date(2026, 7, 1))


def test_position_on_a_past_date_comes_from_riwayat_after_a_move(org_chart, make_position):
    new_post = make_position("Analis Kebijakan", org_chart.opd, org_chart.p_kabid)
    move_to_position(org_chart.staff1, new_post, start=date(2026, 3, 1))
    db.session.flush()
    assert appraisers.position_of(org_chart.staff1, date(2026, 2, 28)).id == org_chart.p_staff1.id
    assert appraisers.position_of(org_chart.staff1, date(2026, 3, 1)).id == new_post.id


def test_appraiser_on_a_past_date_follows_the_post_held_then(org_chart, make_position):
    new_post = make_position("Analis Kebijakan", org_chart.opd, org_chart.p_kabid)
    move_to_position(org_chart.staff1, new_post, start=date(2026, 3, 1))
    db.session.flush()
    assert appraisers.appraiser_of(org_chart.staff1, date(2026, 2, 1)).employee.id == org_chart.kasi.id
    assert appraisers.appraiser_of(org_chart.staff1, date(2026, 4, 1)).employee.id == org_chart.kabid.id


def test_former_atasan_is_no_longer_a_superior_after_the_move(org_chart, make_position):
    new_post = make_position("Analis Kebijakan", org_chart.opd, org_chart.p_kabid)
    move_to_position(org_chart.staff1, new_post, start=date(2026, 3, 1))
    db.session.flush()
    assert appraisers.is_superior(org_chart.kasi, org_chart.staff1, date(2026, 2, 1))
    assert not appraisers.is_superior(org_chart.kasi, org_chart.staff1, date(2026, 4, 1))


def test_employee_without_riwayat_uses_the_current_post(org_chart, make_employee):
    emp = make_employee("Tanpa Riwayat", org_chart.p_staff2, with_history=False)
    assert appraisers.position_of(emp, DAY).id == org_chart.p_staff2.id


def test_employee_has_no_post_before_their_first_riwayat_row(org_chart):
    assert appraisers.position_of(org_chart.staff1, date(2019, 12, 31)) is None


def test_direct_subordinates_are_the_employees_on_the_posts_below(org_chart):
    names = [e.name for e in appraisers.direct_subordinates(org_chart.kasi, DAY)]
    assert names == ["Staf Dua", "Staf Satu"]


def test_subordinate_posts_include_every_level_below(org_chart):
    ids = appraisers.subordinate_position_ids(org_chart.kabid, DAY)
    assert ids == {org_chart.p_kasi.id, org_chart.p_staff1.id, org_chart.p_staff2.id}


def test_cycle_in_the_chain_does_not_hang(org_chart, make_position):
    a = make_position("Pos A", org_chart.opd, None)
    b = make_position("Pos B", org_chart.opd, a)
    a.parent = b
    db.session.flush()
    assert appraisers.appraiser_for_position(a, DAY) is None


def test_appraiser_supervisor_is_never_the_appraiser_again(org_chart):
    _acting(org_chart.kasi, org_chart.p_kabid, AssignmentKind.PLT, date(2026, 6, 1), date(2026, 6, 30))
    assert appraisers.appraiser_of(org_chart.staff1, DAY).employee.id == org_chart.kasi.id
    assert appraisers.appraiser_supervisor_of(org_chart.staff1, DAY).employee.id == org_chart.head.id


def test_acting_official_is_not_their_own_appraiser(org_chart):
    _acting(org_chart.kasi, org_chart.p_kabid, AssignmentKind.PLT, date(2026, 6, 1), date(2026, 6, 30))
    assert appraisers.appraiser_of(org_chart.kasi, DAY).employee.id == org_chart.head.id
