"""HR's SKP monitoring per OPD: the effective SKP of each active employee counted in SQL, a constant number
of statements however many employees there are."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from kinerja_web.domain.skp import current_window
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Realisasi
from kinerja_web.timeutil import today_wib

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


def _xlsx_rows(app, user, period) -> dict:
    r = app.test_client(user=user).get(f"/skp/pemantauan.xlsx?periode={period.id}")
    return {row[0]: row[1:] for row in load_workbook(io.BytesIO(r.data)).active.iter_rows(values_only=True)}


def test_monitoring_counts_the_effective_version_of_active_employees(app, org_chart, period):
    oc = org_chart
    current = current_window(period.windows, today_wib())
    reported = make_skp(oc.staff1, period, status=SkpStatus.APPROVED)
    make_skp(oc.staff1, period, status=SkpStatus.DRAFT, version=2)  # a revision in progress: the approved counts
    if current is not None:
        db.session.add(Realisasi(indikator=reported.rhks[0].indikators[0], window_no=current.index, nilai="3"))
    make_skp(oc.staff2, period, status=SkpStatus.RETURNED)
    make_skp(oc.staff2, period, status=SkpStatus.SUBMITTED, version=2)  # the newest counts
    make_skp(oc.kasi, period, status=SkpStatus.REPLACED)
    make_skp(oc.kasi, period, status=SkpStatus.APPROVED, version=2)  # approved, no realisasi this window
    make_skp(oc.kabid, period, status=SkpStatus.DRAFT)
    make_skp(oc.head, period, status=SkpStatus.SUBMITTED)
    oc.head.active = False  # left: neither the employee nor the SKP is counted
    make_skp(oc.other, period, status=SkpStatus.RETURNED)
    db.session.commit()
    rows = _xlsx_rows(app, oc.u_hr, period)
    missing = 1 if current is not None else 0
    # employees, without SKP, draft, submitted, returned, approved, realisasi missing
    assert rows[oc.opd.name] == (4, 0, 1, 1, 0, 2, missing)
    assert rows[oc.other_opd.name] == (1, 0, 0, 0, 1, 0, 0)
    page = app.test_client(user=oc.u_hr).get(f"/skp/pemantauan?periode={period.id}").get_data(as_text=True)
    assert oc.opd.name in page and oc.other_opd.name in page


def test_monitoring_statement_count_does_not_grow_with_employees(
    app, org_chart, period, make_position, make_employee, count_queries
):
    client = app.test_client(user=org_chart.u_hr)

    def statements() -> int:
        client.get("/skp/pemantauan")  # warm caches
        with count_queries() as calls:
            assert client.get("/skp/pemantauan").status_code == 200
        return len(calls)

    def staff(n: int, start: int) -> None:
        for i in range(n):
            pos = make_position(f"Staf {start + i}", org_chart.opd, org_chart.p_kasi)
            emp = make_employee(f"Pegawai {start + i}", pos, birth_date=date(1990, 1, 1 + i % 28))
            make_skp(emp, period, status=(SkpStatus.APPROVED, SkpStatus.DRAFT, SkpStatus.SUBMITTED)[i % 3])

    staff(3, 0)
    few = statements()
    staff(30, 100)
    many = statements()
    assert few == many, (few, many)
    assert _xlsx_rows(app, org_chart.u_hr, period)[org_chart.opd.name][0] == 5 + 33


def test_opd_drilldown_is_paged_and_its_statement_count_does_not_grow(
    app, org_chart, period, make_position, make_employee, count_queries
):
    app.config["PAGE_SIZE"] = 25
    for i in range(30):
        pos = make_position(f"Staf {i}", org_chart.opd, org_chart.p_kasi)
        emp = make_employee(f"Zaenal {i:02d}", pos, birth_date=date(1990, 1, 1 + i % 28))
        if i % 2:
            make_skp(emp, period, status=SkpStatus.SUBMITTED)
    client = app.test_client(user=org_chart.u_hr)
    path = f"/skp/pemantauan/{org_chart.opd.id}?periode={period.id}"
    first = client.get(path).get_data(as_text=True)  # 35 employees by name: the 5 of the org chart, Zaenal 00..
    assert "Zaenal 19" in first and "Zaenal 20" not in first
    assert "Halaman 1 dari 2" in first
    assert f'href="/skp/pemantauan/{org_chart.opd.id}?page=2&amp;periode={period.id}"' in first
    with count_queries() as calls:
        second = client.get(f"{path}&page=2").get_data(as_text=True)
    assert "Zaenal 20" in second and "Zaenal 29" in second and "Zaenal 19" not in second
    assert second.count("Belum ada SKP") == 5 and second.count(">Diajukan<") == 5  # 20, 22.. none; 21, 23.. SKP
    with count_queries() as first_calls:
        client.get(path)
    assert len(calls) == len(first_calls)


def test_drilldown_lists_the_employees_its_row_counts(app, org_chart, period, make_position, make_employee):
    """The Pemda's row counts only staff outside every OPD; its drill-down once listed the whole regency."""
    oc = org_chart
    sekda = make_employee("Yusuf Sekretariat", make_position("Asisten", oc.pemda, None), birth_date=date(1975, 3, 3))
    db.session.commit()
    rows = _xlsx_rows(app, oc.u_hr, period)
    client = app.test_client(user=oc.u_hr)
    pemda_page = client.get(f"/skp/pemantauan/{oc.pemda.id}?periode={period.id}").get_data(as_text=True)
    assert sekda.name in pemda_page and oc.staff1.name not in pemda_page
    assert pemda_page.count("Belum ada SKP") == rows[oc.pemda.name][0] == 1  # nobody has an SKP here
    opd_page = client.get(f"/skp/pemantauan/{oc.opd.id}?periode={period.id}").get_data(as_text=True)
    assert oc.staff1.name in opd_page and sekda.name not in opd_page
    assert opd_page.count("Belum ada SKP") == rows[oc.opd.name][0]
