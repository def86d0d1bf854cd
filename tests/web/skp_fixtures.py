"""Fixtures and helpers shared by the tests/web/skp/test_skp_*.py modules (import with `from ..skp_fixtures import *`)."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.domain.berakhlak import BERAKHLAK
from kinerja_web.domain.skp import Aspek, Frequency, PeriodStatus, RhkKategori, SkpJenis
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Indikator, PerilakuExpectation, Period, Rhk, Role, Skp
from tests import upload_files

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = upload_files.png()  # a real image: uploads are decoded


@pytest.fixture(autouse=True)
def fresh_g_per_request(app):
    """The test app context outlives requests, so `g` (Flask-Login's cached user, our memo) would leak
    from one client's request into another's; production has one app context per request."""
    from flask import g, request_started

    def clear(sender, **extra):
        g.pop("_login_user", None)
        g.pop("_appraiser_ids", None)

    request_started.connect(clear, app)
    yield
    request_started.disconnect(clear, app)


@pytest.fixture
def period(app):
    return make_period()


def make_period(year: int = 2026) -> Period:
    """The open period of `year` (2026 by default), quarterly windows."""
    p = Period(
        year=year,
        frequency=Frequency.TRIWULAN,
        start_date=date(year, 1, 1),
        end_date=date(year, 12, 31),
        status=PeriodStatus.OPEN,
    )
    db.session.add(p)
    db.session.commit()  # a savepoint: the test's outer transaction still rolls back
    return p


@pytest.fixture
def u_kabid(org_chart, make_user):
    return make_user("kabid1", {Role.PEGAWAI}, org_chart.kabid)


@pytest.fixture
def u_staff2(org_chart, make_user):
    return make_user("pegawai2", {Role.PEGAWAI}, org_chart.staff2)


def make_skp(
    employee,
    period,
    *,
    status=SkpStatus.DRAFT,
    rhks=(("RHK uji", None),),
    jenis=SkpJenis.KUANTITATIF,
    appraiser=None,
    version=1,
    provisional=False,
):
    """An SKP with one IKI per RHK; `rhks` are (uraian, parent Rhk or None)."""
    skp = Skp(
        employee=employee,
        period=period,
        jenis=jenis,
        status=status,
        version=version,
        appraiser_id=appraiser.id if appraiser else None,
    )
    skp.perilaku = [PerilakuExpectation(nilai=v, position=i) for i, v in enumerate(BERAKHLAK)]
    for pos, (uraian, parent) in enumerate(rhks):
        rhk = Rhk(kategori=RhkKategori.UTAMA, uraian=uraian, position=pos, parent=parent, provisional=provisional)
        rhk.indikators = [Indikator(aspek=Aspek.KUANTITAS, indikator=f"Jumlah {uraian}", target="12", satuan="dokumen")]
        skp.rhks.append(rhk)
    db.session.add(skp)
    db.session.commit()  # a savepoint, so a view's rollback after bad input keeps it
    return skp


@pytest.fixture
def kasi_skp(org_chart, period):
    """The atasan (kasi) has an approved SKP with two RHK."""
    return make_skp(
        org_chart.kasi,
        period,
        status=SkpStatus.APPROVED,
        rhks=(("Terlaksananya layanan administrasi", None), ("Tersusunnya laporan seksi", None)),
        appraiser=org_chart.kabid,
    )


def iki_data(rhk_id: int, indikator: str, target: str, satuan: str, aspek: str = "kuantitas") -> dict:
    """Form data for the "add indicator" form of one RHK (its fields are prefixed `r<id>-`)."""
    p = f"r{rhk_id}-"
    return {p + "aspek": aspek, p + "indikator": indikator, p + "target": target, p + "satuan": satuan}
