"""Fixtures for the penilaian 360 tests: a team with enough peers for the anonymity threshold."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from kinerja_web.extensions import db
from kinerja_web.models import CycleStatus, EvaluationCycle, Role
from kinerja_web.timeutil import today_wib


@pytest.fixture
def team360(org_chart, make_position, make_employee, make_user):
    """org_chart plus two more staff under the kasi: the kasi has 4 direct reports (3 peers each)."""
    oc = org_chart
    p3 = make_position("Analis Data", oc.opd, oc.p_kasi)
    p4 = make_position("Pengelola Arsip", oc.opd, oc.p_kasi)
    oc.staff3 = make_employee("Staf Tiga", p3, birth_date=date(1994, 4, 4), tmt_cpns=date(2019, 3, 1))
    oc.staff4 = make_employee("Staf Empat", p4, birth_date=date(1995, 5, 5), tmt_cpns=date(2020, 3, 1))
    oc.u_staff2 = make_user("pegawai2", {Role.PEGAWAI}, oc.staff2)
    oc.u_staff3 = make_user("pegawai3", {Role.PEGAWAI}, oc.staff3)
    oc.u_staff4 = make_user("pegawai4", {Role.PEGAWAI}, oc.staff4)
    oc.u_kabid = make_user("kabid1", {Role.PEGAWAI}, oc.kabid)
    return oc


@pytest.fixture
def make_cycle(app):
    def make(units, **kw) -> EvaluationCycle:
        today = today_wib()
        cycle = EvaluationCycle(
            name=kw.pop("name", "Penilaian 360 Triwulan IV"),
            year=today.year,
            period_label=kw.pop("period_label", f"Triwulan IV {today.year}"),
            start_date=kw.pop("start_date", date(today.year, 1, 1)),
            end_date=kw.pop("end_date", date(today.year, 12, 31)),
            deadline=kw.pop("deadline", date(today.year, 12, 31)),
            status=CycleStatus.DRAFT,
            **kw,
        )
        cycle.units = list(units)
        db.session.add(cycle)
        db.session.commit()
        return cycle

    return make


@pytest.fixture
def open360(app, team360, make_cycle):
    """An open cycle over the test OPD, raters suggested from the org data."""
    from kinerja_web.models import utcnow
    from kinerja_web.services.evaluation360 import cycles

    cycle = make_cycle([team360.opd])
    cycles.open_cycle(cycle, today_wib(), utcnow())
    db.session.commit()
    return SimpleNamespace(cycle=cycle, oc=team360)
