"""Data-quality queue: each kind of defect is found on a small planted fixture, and links to its fix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import AssignmentKind, PositionAssignment, PositionKind
from kinerja_web.services.org.data_quality import KINDS, data_quality_issues
from kinerja_web.timeutil import today_wib

TODAY = today_wib()


def _kinds_for(subject_part: str) -> set[str]:
    return {i.kind for i in data_quality_issues(TODAY) if subject_part in i.subject}


def test_employee_without_a_post_has_no_atasan(org_chart, make_employee):
    make_employee("Tanpa Jabatan", no_position=True)
    assert "tanpa_atasan" in _kinds_for("Tanpa Jabatan")


def test_post_without_any_atasan_is_reported(org_chart):
    assert "tanpa_atasan" in _kinds_for("Staf Lain")  # its post hangs under nothing


def test_staff_with_a_held_post_above_is_not_reported(org_chart):
    assert _kinds_for("Staf Satu") == set()


def test_cycle_in_the_atasan_chain_is_reported_once(org_chart, make_position, make_employee):
    a = make_position("Pos Putar A", org_chart.opd, org_chart.p_kabid)
    b = make_position("Pos Putar B", org_chart.opd, a)
    a.parent = b
    db.session.flush()
    make_employee("Pemutar", a)
    cycles = [i for i in data_quality_issues(TODAY) if i.kind == "siklus_atasan"]
    assert len(cycles) == 1
    assert "Pos Putar A" in cycles[0].subject and "Pos Putar B" in cycles[0].subject


def test_atasan_in_another_opd_without_reason_is_reported(org_chart, make_position):
    make_position("Pengolah Lintas", org_chart.other_opd, org_chart.p_kasi)
    assert "atasan_lintas_opd" in _kinds_for("Pengolah Lintas")


def test_atasan_in_another_opd_with_a_recorded_reason_is_accepted(org_chart, make_position):
    make_position("Pengolah Lintas", org_chart.other_opd, org_chart.p_kasi, cross_opd_reason="Tim terpadu (SK 1/2026)")
    assert "atasan_lintas_opd" not in _kinds_for("Pengolah Lintas")


def test_vacant_leader_post_is_reported(org_chart, make_position):
    make_position("Kepala Seksi Kosong", org_chart.opd, org_chart.p_kabid, PositionKind.PENGAWAS, is_leader=True)
    assert "jabatan_pimpinan_kosong" in _kinds_for("Kepala Seksi Kosong")


def test_leader_post_held_by_a_plt_is_not_vacant(org_chart, make_position):
    post = make_position("Kepala Seksi Plt", org_chart.opd, org_chart.p_kabid, PositionKind.PENGAWAS, is_leader=True)
    db.session.add(
        PositionAssignment(
            employee=org_chart.staff2,
            position=post,
            kind=AssignmentKind.PLT,
            start_date=TODAY - timedelta(days=10),
            end_date=TODAY + timedelta(days=10),
        )
    )
    db.session.flush()
    assert _kinds_for("Kepala Seksi Plt") == set()


def test_nip_disagreeing_with_the_birth_date_is_reported(org_chart):
    org_chart.staff2.birth_date = org_chart.staff2.birth_date + timedelta(days=1)
    db.session.flush()
    assert "nip_tidak_sah" in _kinds_for("Staf Dua")


def test_same_name_and_birth_date_under_two_nips_is_a_likely_duplicate(org_chart, make_employee):
    make_employee("Staf Satu", org_chart.p_staff1, birth_date=org_chart.staff1.birth_date, tmt_cpns=date(2019, 3, 1))
    dups = [i for i in data_quality_issues(TODAY) if i.kind == "kemungkinan_duplikat"]
    assert len(dups) == 1 and "Staf Satu" in dups[0].message


def test_expired_plt_on_an_unfilled_post_is_reported(org_chart, make_position):
    post = make_position("Kepala Seksi Lewat", org_chart.opd, org_chart.p_kabid, PositionKind.PENGAWAS, is_leader=True)
    db.session.add(
        PositionAssignment(
            employee=org_chart.staff2,
            position=post,
            kind=AssignmentKind.PLT,
            start_date=TODAY - timedelta(days=100),
            end_date=TODAY - timedelta(days=1),
        )
    )
    db.session.flush()
    assert "plt_lewat" in _kinds_for("Kepala Seksi Lewat")


def test_plt_still_running_is_not_past_its_end_date(org_chart, make_position):
    post = make_position("Kepala Seksi Jalan", org_chart.opd, org_chart.p_kabid, PositionKind.PENGAWAS, is_leader=True)
    db.session.add(
        PositionAssignment(
            employee=org_chart.staff2, position=post, kind=AssignmentKind.PLT, start_date=TODAY, end_date=TODAY
        )
    )
    db.session.flush()
    assert "plt_lewat" not in _kinds_for("Kepala Seksi Jalan")


def test_queue_page_lists_issues_with_a_fix_link_for_hr(app, org_chart):
    client = app.test_client(user=org_chart.u_hr)
    body = client.get("/organisasi/kualitas-data").get_data(as_text=True)
    assert 'data-kind="tanpa_atasan"' in body
    assert ">Perbaiki</a>" in body


def test_queue_page_filters_by_kind(app, org_chart, make_position):
    make_position("Kepala Seksi Kosong", org_chart.opd, org_chart.p_kabid, PositionKind.PENGAWAS, is_leader=True)
    body = app.test_client(user=org_chart.u_hr).get("/organisasi/kualitas-data?jenis=jabatan_pimpinan_kosong")
    text = body.get_data(as_text=True)
    assert 'data-kind="jabatan_pimpinan_kosong"' in text and 'data-kind="tanpa_atasan"' not in text


def test_every_kind_has_an_indonesian_label(org_chart):
    assert set(KINDS) == {
        "tanpa_atasan",
        "siklus_atasan",
        "atasan_lintas_opd",
        "jabatan_pimpinan_kosong",
        "nip_tidak_sah",
        "kemungkinan_duplikat",
        "plt_lewat",
    }


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_queue_count_is_shown_per_kind_in_the_filter(app, org_chart, kind):
    body = app.test_client(user=org_chart.u_hr).get("/organisasi/kualitas-data").get_data(as_text=True)
    assert f'<option value="{kind}"' in body
