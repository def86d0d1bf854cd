"""Dasbor penilaian: predikat per OPD (heat map + XLSX) and 360 progress (statuses only, never answers)."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import AssignmentStatus, Evaluatee, PerformanceRating, RaterAssignment, RatingStatus, Response

from .skp_fixtures import *  # noqa: F403

DASBOR = "/penilaian-kinerja/dasbor"


def rate(employee, period, predikat, status=RatingStatus.FINAL):
    db.session.add(
        PerformanceRating(
            employee_id=employee.id,
            period_id=period.id,
            hasil_kerja=Ekspektasi.SESUAI,
            perilaku_kerja=Ekspektasi.SESUAI,
            predikat=predikat,
            status=status,
        )
    )


def test_heat_map_counts_final_predikat_per_opd_with_shares(app, org_chart, period):
    rate(org_chart.staff1, period, Predikat.SANGAT_BAIK)
    rate(org_chart.staff2, period, Predikat.BAIK)
    rate(org_chart.kasi, period, Predikat.BAIK)
    rate(org_chart.kabid, period, Predikat.SANGAT_KURANG, RatingStatus.DRAFT)  # a draft is not counted
    db.session.commit()
    body = app.test_client(user=org_chart.u_hr).get(f"{DASBOR}/?periode={period.id}").get_data(as_text=True)
    assert "<svg" in body and "Dinas Uji, Baik: 2 (67%)" in body and "Dinas Uji, Sangat Baik: 1 (33%)" in body
    assert "Dinas Uji, Sangat Kurang: 0 (0%)" in body


def test_heat_map_xlsx_has_the_same_numbers(app, org_chart, period):
    rate(org_chart.staff1, period, Predikat.SANGAT_BAIK)
    rate(org_chart.staff2, period, Predikat.BAIK)
    db.session.commit()
    r = app.test_client(user=org_chart.u_hr).get(f"{DASBOR}/predikat.xlsx?periode={period.id}")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = {row[0]: row for row in ws.iter_rows(min_row=3, values_only=True)}
    dinas = rows["Dinas Uji"]
    assert dinas[1:5] == (5, 2, 1, 1)  # 5 active staff, 2 final: 1 Sangat Baik, 1 Baik
    assert dinas[-1] == 3  # not final yet
    assert rows["Badan Lain"][2] == 0


def test_heat_map_with_an_unknown_window_is_404(app, org_chart, period):
    assert app.test_client(user=org_chart.u_hr).get(f"{DASBOR}/?periode={period.id}&jendela=13").status_code == 404


def test_heat_map_with_a_non_numeric_period_falls_back_to_the_newest(app, org_chart, period):
    assert app.test_client(user=org_chart.u_hr).get(f"{DASBOR}/?periode=abc").status_code == 200


def _submit_one(open360, comment="rahasia-sekali"):
    a = db.session.scalars(
        select(RaterAssignment)
        .join(Evaluatee)
        .where(Evaluatee.cycle_id == open360.cycle.id, RaterAssignment.status == AssignmentStatus.APPROVED)
        .order_by(RaterAssignment.id)
    ).first()
    a.status = AssignmentStatus.SUBMITTED
    a.overall_comment = comment
    db.session.add(Response(assignment=a, value_code="berorientasi_pelayanan", score=5, comment=comment))
    db.session.commit()
    return a


def test_progress_counts_per_unit_and_lists_whom_a_rater_has_not_rated(app, open360):
    a = _submit_one(open360)
    body = app.test_client(user=open360.oc.u_hr).get(f"{DASBOR}/360").get_data(as_text=True)
    expected = db.session.scalar(
        select(db.func.count(RaterAssignment.id))
        .join(Evaluatee)
        .where(
            Evaluatee.cycle_id == open360.cycle.id,
            RaterAssignment.status.in_([AssignmentStatus.APPROVED, AssignmentStatus.SUBMITTED]),
        )
    )
    assert f"1 dari {expected} penilaian selesai" in body
    assert a.rater.name in body


def test_progress_never_shows_answers_or_comments(app, open360):
    _submit_one(open360)
    c = app.test_client(user=open360.oc.u_hr)
    assert "rahasia-sekali" not in c.get(f"{DASBOR}/360").get_data(as_text=True)
    wb = load_workbook(io.BytesIO(c.get(f"{DASBOR}/360.xlsx?siklus={open360.cycle.id}").data))
    cells = [str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert not any("rahasia" in v for v in cells)
    assert wb.sheetnames == ["Per unit", "Per penilai"]


def test_progress_filter_keeps_only_raters_with_work_left(app, open360):
    a = _submit_one(open360)
    finished_only_once = db.session.scalar(
        select(db.func.count(RaterAssignment.id)).where(
            RaterAssignment.rater_id == a.rater_id, RaterAssignment.status == AssignmentStatus.APPROVED
        )
    )
    body = app.test_client(user=open360.oc.u_hr).get(f"{DASBOR}/360?belum=1").get_data(as_text=True)
    table = body.split("<h2>Per penilai</h2>")[1]
    assert (a.rater.nip in table) == bool(finished_only_once)


def test_dashboards_query_counts_do_not_grow_with_the_data(app, team360, period, count_queries):
    from benchmarks.evaluation360 import build_unit

    c = app.test_client(user=team360.u_hr)

    def measure(path):
        c.get(path)
        with count_queries() as q:
            assert c.get(path).status_code == 200
        return len(q)

    small = build_unit(3, code="KECIL", nip_base=100)
    db.session.commit()
    before = (measure(f"{DASBOR}/360?siklus={small.id}"), measure(f"{DASBOR}/?periode={period.id}"))
    large = build_unit(30, code="BESAR", nip_base=500)
    for ev in large.evaluatees:
        rate(ev.employee, period, Predikat.BAIK)
    db.session.commit()
    after = (measure(f"{DASBOR}/360?siklus={large.id}"), measure(f"{DASBOR}/?periode={period.id}"))
    assert before == after


def test_progress_pages_the_raters_with_links_that_work_without_javascript(app, team360):
    from benchmarks.evaluation360 import build_unit

    cycle = build_unit(30, code="BESAR", nip_base=500)  # 30 raters, all finished: ordered by name
    db.session.commit()
    app.config["PAGE_SIZE"] = 25
    c = app.test_client(user=team360.u_hr)
    first = c.get(f"{DASBOR}/360?siklus={cycle.id}").get_data(as_text=True)
    assert "Pegawai BESAR 024" in first and "Pegawai BESAR 025" not in first
    assert f'href="{DASBOR}/360?page=2&amp;siklus={cycle.id}"' in first
    assert "Halaman 1 dari 2" in first
    second = c.get(f"{DASBOR}/360?siklus={cycle.id}&page=2").get_data(as_text=True)
    table = second.split("<h2>Per penilai</h2>")[1]
    assert "Pegawai BESAR 025" in table and "Pegawai BESAR 029" in table and "Pegawai BESAR 024" not in table
    assert "Halaman 2 dari 2" in table
    assert "Dinas Uji BESAR" in second  # the per-unit table is not paged
    past = c.get(f"{DASBOR}/360?siklus={cycle.id}&page=9").get_data(as_text=True)
    assert "Halaman ini kosong." in past and "Halaman 9 dari 2" in past
    xlsx = load_workbook(io.BytesIO(c.get(f"{DASBOR}/360.xlsx?siklus={cycle.id}").data))
    assert xlsx["Per penilai"].max_row == 1 + 30  # the export keeps every rater
