"""The SKP page and the appraiser's inbox cost the same number of SQL statements for 3 or 30 rows."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Position, User

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


def _page_queries(app, count_queries, user, path) -> int:
    client = app.test_client(user=user)
    client.get(path)  # warm caches (BerAKHLAK CSV, mapper configuration)
    with count_queries() as calls:
        r = client.get(path)
    assert r.status_code == 200
    return len(calls)


def test_skp_page_query_count_does_not_grow_with_rhk(app, org_chart, period, kasi_skp, count_queries):
    parent = kasi_skp.rhks[0]
    small = make_skp(org_chart.staff1, period, rhks=[(f"RHK {i}", parent) for i in range(3)])
    big = make_skp(org_chart.staff2, period, rhks=[(f"RHK {i}", parent) for i in range(30)])
    u2 = User(username="pegawai2", employee=org_chart.staff2, session_token="tok", password_hash="x")
    db.session.add(u2)
    db.session.commit()
    few = _page_queries(app, count_queries, org_chart.u_staff, f"/skp/{small.id}")
    many = _page_queries(app, count_queries, u2, f"/skp/{big.id}")
    assert few == many, (few, many)


def test_inbox_query_count_does_not_grow_with_subordinates(
    app, org_chart, period, make_position, make_employee, count_queries
):
    def submitted(n: int, start: int) -> None:
        for i in range(n):
            pos = make_position(f"Staf {start + i}", org_chart.opd, org_chart.p_kasi)
            emp = make_employee(f"Bawahan {start + i}", pos, birth_date=date(1990, 1, 1 + i % 28))
            make_skp(
                emp,
                period,
                status=SkpStatus.SUBMITTED,
                appraiser=org_chart.kasi,
                rhks=[("RHK a", None), ("RHK b", None)],
            )

    submitted(3, 0)
    few = _page_queries(app, count_queries, org_chart.u_kasi, "/skp/persetujuan")
    submitted(37, 100)
    many = _page_queries(app, count_queries, org_chart.u_kasi, "/skp/persetujuan")
    assert few == many, (few, many)
    assert db.session.scalar(select(func.count(Position.id)).where(Position.parent_id == org_chart.p_kasi.id)) == 42
