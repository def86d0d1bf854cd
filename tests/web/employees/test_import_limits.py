"""Every CSV/XLSX import route refuses a ZIP bomb from the ZIP directory and stops a spreadsheet lying about its size
at the row cap, with the same Indonesian message and nothing saved."""

from __future__ import annotations

import io
from dataclasses import dataclass

import openpyxl
import pytest
from sqlalchemy import func, select

from kinerja_web import uploads
from kinerja_web.extensions import db
from kinerja_web.models import Attendance, Employee, PayrollPredikat, TalentPotensial
from tests import upload_files

from ..skp_fixtures import *  # noqa: F403


@dataclass(frozen=True)
class ImportRoute:
    name: str
    user: str
    url: object  # callable(period) -> str
    field: str
    form: dict
    model: type

    def __str__(self) -> str:
        return self.name


ROUTES = [
    ImportRoute("pegawai", "u_hr", lambda period: "/pegawai/impor", "berkas", {}, Employee),
    ImportRoute("kehadiran", "u_operator", lambda period: "/gaji/kehadiran/impor", "file", {"month": "2026-10"}, Attendance),
    ImportRoute("predikat", "u_operator", lambda period: "/gaji/predikat/impor", "file", {"month": "2026-10"}, PayrollPredikat),
    ImportRoute("potensial", "u_hr", lambda period: f"/talenta/{period.id}/impor", "berkas", {}, TalentPotensial),
]  # fmt: skip


def post(app, org_chart, period, route: ImportRoute, data: bytes, filename: str):
    before = db.session.scalar(select(func.count()).select_from(route.model))
    client = app.test_client(user=getattr(org_chart, route.user))
    r = client.post(
        route.url(period),
        data={**route.form, route.field: (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    assert db.session.scalar(select(func.count()).select_from(route.model)) == before
    return r


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_zip_bomb_is_refused_before_openpyxl_parses_it(app, org_chart, period, route, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not parse a ZIP bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    r = post(app, org_chart, period, route, upload_files.xlsx_bomb(), "data.xlsx")
    assert r.status_code == 422 and uploads.ZIP_TOO_BIG in r.get_data(as_text=True)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_sheet_lying_about_its_size_is_refused_at_the_row_cap(app, org_chart, period, route):
    r = post(app, org_chart, period, route, upload_files.xlsx_lying_about_its_size(), "data.xlsx")
    assert r.status_code == 422 and uploads.TOO_MANY_ROWS in r.get_data(as_text=True)


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_csv_over_the_row_cap_is_refused(app, org_chart, period, route):
    text = "nip,tanggal,predikat,potensial\n" + "199001012015031001,2026-10-01,baik,tinggi\n" * (uploads.MAX_ROWS + 1)
    r = post(app, org_chart, period, route, text.encode(), "data.csv")
    assert r.status_code == 422 and uploads.TOO_MANY_ROWS in r.get_data(as_text=True)
