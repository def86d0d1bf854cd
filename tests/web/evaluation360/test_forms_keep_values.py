"""A refused 360 form shows again with every value the user sent (issue 19 item 8)."""

from __future__ import annotations

from ..helpers import assert_form_kept

CYCLE = {
    "name": "Penilaian 360 Semester",
    "year": "2026",
    "period_label": "Semester II 2026",
    "start_date": "2026-07-01",
    "end_date": "2026-12-31",
    "deadline": "2026-12-20",
    "use_atasan": "y",
    "use_bawahan": "y",
    "min_rekan": "4",
    "min_bawahan": "3",
    "threshold_rekan": "5",
    "threshold_bawahan": "2",  # below the anonymity floor of 3: refused
    "max_nominations": "2",
}


def test_a_refused_new_cycle_keeps_every_field_and_ticked_unit(app, team360):
    url = "/penilaian-360/siklus/baru"
    sent = {**CYCLE, "unit_ids": str(team360.opd.id)}
    r = app.test_client(user=team360.u_hr).post(url, data=sent)
    assert r.status_code == 422 and "Minimal 3" in r.get_data(as_text=True)
    assert_form_kept(r.get_data(as_text=True), url, sent)


def test_a_refused_cycle_edit_keeps_every_field(app, team360):
    c = app.test_client(user=team360.u_hr)
    ok = {**CYCLE, "threshold_bawahan": "3", "unit_ids": str(team360.opd.id)}
    assert c.post("/penilaian-360/siklus/baru", data=ok).status_code == 303
    from sqlalchemy import select

    from kinerja_web.extensions import db
    from kinerja_web.models import EvaluationCycle

    cycle = db.session.scalars(select(EvaluationCycle)).one()
    url = f"/penilaian-360/siklus/{cycle.id}/ubah"
    sent = {**ok, "name": "Nama diubah", "deadline": "2027-02-30"}  # not a date
    r = c.post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)
