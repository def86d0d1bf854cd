"""Issue #5 performance: the 360 results page and the calibration view cost the same number of SQL statements
for a small unit and for the benchmark's unit (60 employees, 8 raters each), with final ratings and answers."""

from __future__ import annotations

from sqlalchemy import select

from benchmarks.evaluation import build_rated_unit, make_period
from kinerja_web.extensions import db
from kinerja_web.models import Evaluatee

from ..skp_fixtures import *  # noqa: F403


def _staff_evaluatee(cycle):
    return db.session.scalars(
        select(Evaluatee).where(Evaluatee.cycle_id == cycle.id).order_by(Evaluatee.id).offset(1)
    ).first()


def _statements(app, count_queries, user, path) -> tuple[int, str]:
    c = app.test_client(user=user)
    c.get(path)  # warm the per-user caches (login, menu)
    with count_queries() as q:
        r = c.get(path)
    assert r.status_code == 200
    return len(q), r.get_data(as_text=True)


def test_results_page_statements_do_not_grow_with_raters_or_unit_size(app, org_chart, count_queries):
    period = make_period()
    small = build_rated_unit(4, period, code="KECIL", nip_base=100)
    large = build_rated_unit(60, period, code="BESAR", nip_base=500)
    db.session.commit()
    ev_small, ev_large = _staff_evaluatee(small), _staff_evaluatee(large)
    assert (len(ev_small.assignments), len(ev_large.assignments)) == (4, 8)
    few, _ = _statements(app, count_queries, org_chart.u_hr, f"/penilaian-360/peserta/{ev_small.id}/hasil")
    many, body = _statements(app, count_queries, org_chart.u_hr, f"/penilaian-360/peserta/{ev_large.id}/hasil")
    assert "<svg" in body and ev_large.employee.name in body
    assert few == many


def test_calibration_view_statements_do_not_grow_with_the_unit(app, org_chart, count_queries):
    period = make_period()
    small = build_rated_unit(4, period, code="KECIL", nip_base=100)
    large = build_rated_unit(60, period, code="BESAR", nip_base=500)
    db.session.commit()
    url = f"/penilaian-kinerja/{period.id}/unit/{{}}"
    few, _ = _statements(app, count_queries, org_chart.u_hr, url.format(small.units[0].id))
    many, body = _statements(app, count_queries, org_chart.u_hr, url.format(large.units[0].id))
    assert "59 pegawai" in body  # the head is rated by the organisation above, not in the unit's curve
    assert few == many


def test_every_calibration_row_form_carries_the_csrf_token(app, org_chart):
    import re

    period = make_period()
    cycle = build_rated_unit(4, period, code="KECIL", nip_base=100)
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        body = (
            app.test_client(user=org_chart.u_hr)
            .get(f"/penilaian-kinerja/{period.id}/unit/{cycle.units[0].id}")
            .get_data(as_text=True)
        )
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    forms = [f for f in re.findall(r"<form method=\"post\".*?</form>", body, flags=re.S) if "/unit/" in f]
    assert len(forms) == 1 + 3 + 1  # organisation predikat, three staff rows, "kalibrasi selesai"
    assert all(re.search(r'name="csrf_token" type="hidden" value="[^"]+"', f) for f in forms)
