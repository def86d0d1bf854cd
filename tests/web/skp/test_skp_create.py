"""Starting an SKP: empty, from last year's SKP, from HR's RHK template; HR publishes templates and periods."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kinerja_web.domain.skp import Frequency, PeriodStatus
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Period, RhkTemplate, Skp

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp


def _latest(employee_id: int) -> Skp:
    return db.session.scalars(select(Skp).where(Skp.employee_id == employee_id).order_by(Skp.id.desc())).first()


def test_starting_from_last_years_skp_copies_rhk_without_the_old_links(app, org_chart, period):
    last = Period(
        year=2025,
        frequency=Frequency.TRIWULAN,
        start_date=date(2025, 1, 1),
        end_date=date(2025, 12, 31),
        status=PeriodStatus.CLOSED,
    )
    db.session.add(last)
    db.session.commit()
    old_parent = make_skp(org_chart.kasi, last, rhks=(("RHK atasan lama", None),))
    make_skp(org_chart.staff1, last, status=SkpStatus.APPROVED, rhks=(("Arsip tertata", old_parent.rhks[0]),))
    r = app.test_client(user=org_chart.u_staff).post(
        "/skp/baru", data={"period_id": period.id, "jenis": "kuantitatif", "source": "lalu"}
    )
    assert r.status_code == 303
    new = _latest(org_chart.staff1.id)
    assert new.period_id == period.id and [x.uraian for x in new.rhks] == ["Arsip tertata"]
    assert new.rhks[0].parent_rhk_id is None and len(new.rhks[0].indikators) == 1


def test_starting_from_a_template_uses_the_rhk_hr_published_for_the_jabatan(app, org_chart, period):
    hr = app.test_client(user=org_chart.u_hr)
    r = hr.post(
        "/skp/templat",
        data={
            "position_id": org_chart.p_staff1.id,
            "kategori": "utama",
            "uraian": "Tersusunnya agenda surat",
            "aspek": "kuantitas",
            "indikator": "Jumlah agenda",
            "target": "12",
            "satuan": "agenda",
        },
    )
    assert r.status_code == 303
    assert db.session.scalar(select(RhkTemplate.uraian)) == "Tersusunnya agenda surat"
    r = app.test_client(user=org_chart.u_staff).post(
        "/skp/baru", data={"period_id": period.id, "jenis": "kuantitatif", "source": "template"}
    )
    assert r.status_code == 303
    assert [x.uraian for x in _latest(org_chart.staff1.id).rhks] == ["Tersusunnya agenda surat"]


def test_a_second_skp_for_the_same_year_is_refused(app, org_chart, period):
    make_skp(org_chart.staff1, period)
    r = app.test_client(user=org_chart.u_staff).post(
        "/skp/baru", data={"period_id": period.id, "jenis": "kuantitatif", "source": "kosong"}
    )
    assert r.status_code == 422 and "sudah memiliki SKP untuk tahun 2026" in r.get_data(as_text=True)


def test_hr_opens_and_closes_a_period_and_a_closed_period_locks_editing(app, org_chart):
    hr = app.test_client(user=org_chart.u_hr)
    r = hr.post(
        "/skp/periode",
        data={"year": 2027, "frequency": "bulanan", "start_date": "2027-01-01", "end_date": "2027-12-31"},
    )
    assert r.status_code == 303
    p = db.session.scalars(select(Period).where(Period.year == 2027)).one()
    assert len(p.windows) == 12
    skp = make_skp(org_chart.staff1, p)
    assert hr.post(f"/skp/periode/{p.id}/status", data={"status": "ditutup"}).status_code == 303
    r = app.test_client(user=org_chart.u_staff).post(f"/skp/{skp.id}/rhk", data={"kategori": "tambahan", "uraian": "X"})
    assert r.status_code == 403


def test_period_dates_outside_its_year_are_refused(app, org_chart):
    r = app.test_client(user=org_chart.u_hr).post(
        "/skp/periode",
        data={"year": 2027, "frequency": "triwulan", "start_date": "2026-12-01", "end_date": "2027-12-31"},
    )
    assert r.status_code == 422 and "di dalam tahun periode" in r.get_data(as_text=True)


def test_hr_monitoring_counts_skp_per_opd_and_exports_xlsx(app, org_chart, period):
    import io

    from openpyxl import load_workbook

    make_skp(org_chart.staff1, period, status=SkpStatus.APPROVED)
    make_skp(org_chart.staff2, period, status=SkpStatus.SUBMITTED)
    hr = app.test_client(user=org_chart.u_hr)
    page = hr.get(f"/skp/pemantauan?periode={period.id}")
    assert page.status_code == 200 and "Dinas Uji" in page.get_data(as_text=True)
    r = hr.get(f"/skp/pemantauan.xlsx?periode={period.id}")
    ws = load_workbook(io.BytesIO(r.data)).active
    rows = {row[0]: row for row in ws.iter_rows(values_only=True)}
    assert rows["Dinas Uji"][1:7] == (5, 3, 0, 1, 0, 1)
    drill = hr.get(f"/skp/pemantauan/{org_chart.opd.id}?periode={period.id}").get_data(as_text=True)
    assert "Staf Satu" in drill and "Belum ada SKP" in drill
    assert app.test_client(user=org_chart.u_kasi).get("/skp/pemantauan").status_code == 403
