"""Leadership views: the read-only pimpinan role, granted by the administrator with a unit scope, opens the five
dashboards and sees only the units of its scope; the Pemda scope (Bupati, Sekda) is the whole regency."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import Role
from kinerja_web.services.development import jp
from kinerja_web.services.payroll import dashboard as tpp
from kinerja_web.timeutil import today_wib

from ..pembinaan_fixtures import final_rating
from ..skp_fixtures import make_period

DASHBOARDS = (
    "/penilaian-kinerja/dasbor/",
    "/penilaian-kinerja/dasbor/360",
    "/gaji/dasbor",
    "/pengembangan/dasbor",
    "/pengembangan/efektivitas",
)


@pytest.fixture
def leaders(org_chart, make_user):
    """Kepala Dinas Uji (scope: the OPD) and the Sekda (scope: the Pemda), both read-only pimpinan."""
    kepala = make_user("kepala-dinas", {Role.PEGAWAI, Role.PIMPINAN}, org_chart.head)
    kepala.set_pimpinan_unit(org_chart.opd.id)
    sekda = make_user("sekda", {Role.PIMPINAN})
    sekda.set_pimpinan_unit(org_chart.pemda.id)
    db.session.commit()
    return kepala, sekda


def _get(app, user, path: str) -> str:
    r = app.test_client(user=user).get(path)
    assert r.status_code == 200, (path, r.status_code)
    return r.get_data(as_text=True)


@pytest.mark.parametrize("path", DASHBOARDS)
def test_an_atasan_without_the_role_is_refused(app, org_chart, make_user, path):
    kabid = make_user("kabid1", {Role.PEGAWAI}, org_chart.kabid)
    assert app.test_client(user=kabid).get(path).status_code == 403


@pytest.mark.parametrize("path", DASHBOARDS)
def test_a_pimpinan_grant_without_a_scope_opens_nothing(app, org_chart, make_user, path):
    unscoped = make_user("tanpa-lingkup", {Role.PIMPINAN})
    assert app.test_client(user=unscoped).get(path).status_code == 403


def test_the_heat_map_shows_only_the_pimpinans_opd(app, org_chart, leaders):
    kepala, sekda = leaders
    period = make_period()
    final_rating(org_chart.staff1, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)
    final_rating(org_chart.other, period, Ekspektasi.SESUAI, Ekspektasi.SESUAI, Predikat.BAIK)
    mine = _get(app, kepala, "/penilaian-kinerja/dasbor/")
    assert "Dinas Uji" in mine and "Badan Lain" not in mine
    whole = _get(app, sekda, "/penilaian-kinerja/dasbor/")
    assert "Dinas Uji" in whole and "Badan Lain" in whole
    r = app.test_client(user=kepala).get(f"/penilaian-kinerja/dasbor/predikat.xlsx?periode={period.id}")
    names = [row[0] for row in load_workbook(io.BytesIO(r.data)).active.iter_rows(min_row=3, values_only=True)]
    assert names == ["Dinas Uji"]


def test_the_360_progress_shows_only_the_scope(app, open360, make_user):
    oc = open360.oc
    from kinerja_web.services.dashboards import evaluation

    boss = make_user("kepala-lain", {Role.PIMPINAN})
    boss.set_pimpinan_unit(oc.other_opd.id)
    db.session.commit()
    assert evaluation.progress_per_unit(open360.cycle)  # the cycle has evaluatees, all in Dinas Uji
    body = _get(app, boss, "/penilaian-kinerja/dasbor/360")
    assert "Staf Satu" not in body and "Siklus ini belum dibuka" in body and "Belum ada penilai" in body
    kepala = make_user("kepala-dinas", {Role.PIMPINAN})
    kepala.set_pimpinan_unit(oc.opd.id)
    db.session.commit()
    assert "Staf Satu" in _get(app, kepala, "/penilaian-kinerja/dasbor/360")
    assert "Rincian per pegawai dan pengingat" not in _get(app, kepala, "/penilaian-kinerja/dasbor/360")


def test_tpp_spend_against_pagu_shows_only_the_pimpinans_opd(app, org_chart, leaders):
    kepala, sekda = leaders
    year = today_wib().year
    tpp.set_budget(org_chart.opd.id, year, 500_000_000, "DPA", org_chart.u_hr)
    tpp.set_budget(org_chart.other_opd.id, year, 700_000_000, "DPA", org_chart.u_hr)
    db.session.commit()
    mine = _get(app, kepala, f"/gaji/dasbor?tahun={year}")
    assert "Rp 500.000.000" in mine and "Rp 700.000.000" not in mine
    assert "Atur pagu anggaran TPP" not in mine  # read-only
    whole = _get(app, sekda, f"/gaji/dasbor?tahun={year}")
    assert "Rp 500.000.000" in whole and "Rp 700.000.000" in whole
    r = app.test_client(user=kepala).post(
        "/gaji/pagu-tpp", data={"opd_id": org_chart.opd.id, "year": year, "amount": "1"}
    )
    assert r.status_code == 403


def test_jp_coverage_shows_only_the_pimpinans_opd(app, org_chart, leaders):
    kepala, sekda = leaders
    jp.record_jp(org_chart.other, jp=24, title="Diklat", on_date=today_wib(), provider=None, actor=None)
    db.session.commit()
    mine = _get(app, kepala, "/pengembangan/dasbor")
    assert "Dinas Uji" in mine and "Badan Lain" not in mine
    assert "Badan Lain" in _get(app, sekda, "/pengembangan/dasbor")
    r = app.test_client(user=kepala).get("/pengembangan/dasbor.xlsx")
    rows = list(load_workbook(io.BytesIO(r.data)).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["Dinas Uji"]


def test_referral_outcomes_offer_only_the_scopes_opds(app, org_chart, leaders):
    kepala, sekda = leaders
    mine = _get(app, kepala, "/pengembangan/efektivitas")
    assert f'value="{org_chart.opd.id}"' in mine and f'value="{org_chart.other_opd.id}"' not in mine
    whole = _get(app, sekda, "/pengembangan/efektivitas")
    assert f'value="{org_chart.other_opd.id}"' in whole


def test_the_pimpinans_menu_lists_the_dashboards_and_no_hr_work(app, org_chart, leaders):
    kepala, _ = leaders
    body = _get(app, kepala, "/")
    for label in ("Dasbor Penilaian", "Dasbor Pengembangan", "Dasbor TPP"):
        assert f">{label}</a>" in body
    for label in ("Kualitas Data", "Antrean Rujukan", "Penggajian", "Akun Pengguna"):
        assert f">{label}</a>" not in body


def test_the_pimpinans_home_page_links_the_five_dashboards(app, org_chart, leaders):
    kepala, _ = leaders
    body = _get(app, kepala, "/")
    links = body[body.index('id="kartu-pimpinan"') : body.index("</ul>", body.index('id="kartu-pimpinan"'))]
    for path in DASHBOARDS:
        assert f'href="{path}"' in links
    assert 'id="kartu-pimpinan"' not in _get(app, org_chart.u_hr, "/")


# --- the grant ------------------------------------------------------------------------------------------------


def test_the_administrator_grants_pimpinan_with_a_scope(app, org_chart):
    target = org_chart.u_kasi
    client = app.test_client(user=org_chart.u_admin)
    form = {"role_pegawai": "1", "role_pimpinan": "1", "active": "1", "pimpinan_unit": str(org_chart.opd.id)}
    assert client.post(f"/admin/pengguna/{target.id}", data=form).status_code == 303
    db.session.refresh(target)
    assert Role.PIMPINAN in target.roles and target.pimpinan_unit_id == org_chart.opd.id
    page = client.get(f"/admin/pengguna/{target.id}").get_data(as_text=True)
    assert f'<option value="{org_chart.opd.id}" selected>' in page
    assert app.test_client(user=target).get("/pengembangan/dasbor").status_code == 200


def test_a_pimpinan_grant_without_a_scope_is_refused_at_the_field(app, org_chart):
    target = org_chart.u_kasi
    form = {"role_pegawai": "1", "role_pimpinan": "1", "active": "1", "pimpinan_unit": ""}
    r = app.test_client(user=org_chart.u_admin).post(f"/admin/pengguna/{target.id}", data=form)
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "Pilih lingkup pimpinan" in body and 'aria-invalid="true"' in body
    assert 'name="role_pimpinan" value="1" checked>' in body  # what the administrator ticked stays ticked
    db.session.refresh(target)
    assert Role.PIMPINAN not in target.roles


def test_hr_cannot_grant_pimpinan(app, org_chart):
    target = org_chart.u_kasi
    form = {"role_pegawai": "1", "role_pimpinan": "1", "active": "1", "pimpinan_unit": str(org_chart.pemda.id)}
    page = app.test_client(user=org_chart.u_hr).get(f"/admin/pengguna/{target.id}").get_data(as_text=True)
    assert 'name="role_pimpinan" value="1" disabled' in page
    app.test_client(user=org_chart.u_hr).post(f"/admin/pengguna/{target.id}", data=form)
    db.session.refresh(target)
    assert Role.PIMPINAN not in target.roles


def test_the_demo_has_a_pimpinan_for_the_whole_regency(app):
    from kinerja_web.models import User
    from kinerja_web.services.seed import accounts, org

    today = today_wib()
    org.build_regency(80, today=today, plant_problems=False)
    accounts.create_demo_accounts(today)
    db.session.commit()
    user = db.session.query(User).filter_by(username="pimpinan").one()
    assert Role.PIMPINAN in user.roles and user.employee.position.name == "Sekretaris Daerah"
    pemda = user.employee.position.unit  # the Sekda's post sits in the Pemda unit itself: the whole regency
    assert pemda.kind.value == "pemda" and user.pimpinan_unit_id == pemda.id
    assert app.test_client(user=user).get("/penilaian-kinerja/dasbor/").status_code == 200
