"""Fixtures shared by the pembinaan and penghargaan tests (import with `from .pembinaan_fixtures import *`)."""

from __future__ import annotations

import pytest

from kinerja_web.domain.pembinaan import add_months
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import PerformanceRating, RatingStatus, Role
from kinerja_web.timeutil import today_wib

from .skp_fixtures import *  # noqa: F403


def final_rating(
    employee, period, hasil=Ekspektasi.DI_BAWAH, perilaku=Ekspektasi.SESUAI, predikat=Predikat.BUTUH_PERBAIKAN
):
    r = PerformanceRating(
        employee_id=employee.id,
        period_id=period.id,
        hasil_kerja=hasil,
        perilaku_kerja=perilaku,
        predikat=predikat,
        status=RatingStatus.FINAL,
    )
    db.session.add(r)
    db.session.commit()
    return r


@pytest.fixture
def low_rating(org_chart, period):
    return final_rating(org_chart.staff1, period)


@pytest.fixture
def top_rating(org_chart, period):
    return final_rating(org_chart.staff2, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)


@pytest.fixture
def u_staff2(org_chart, make_user):
    return make_user("pegawai2", {Role.PEGAWAI}, org_chart.staff2)


TODAY = today_wib()
SIX_MONTHS_AGO = add_months(TODAY, -6)  # a plan started then is due for its review today

START = {
    "coach_id": "",
    "start_date": SIX_MONTHS_AGO.isoformat(),
    "check_in_every": "1",
    "goal": "Laporan bulanan selesai tepat waktu dan sesuai target SKP.",
    "actions-0-summary": "Menyusun jadwal kerja mingguan",
    "actions-0-target_date": add_months(SIX_MONTHS_AGO, 1).isoformat(),
    "actions-1-summary": "",
    "actions-1-target_date": "",
    "actions-2-summary": "",
    "actions-2-target_date": "",
}


def start_data(coach, **kw):
    return {**START, "coach_id": str(coach.id), **kw}
