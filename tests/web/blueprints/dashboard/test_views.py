"""Dashboard per role."""

from __future__ import annotations


def _home(app, user) -> str:
    r = app.test_client(user=user).get("/")
    assert r.status_code == 200
    return r.get_data(as_text=True)


def test_staff_sees_their_appraiser(app, org_chart):
    body = _home(app, org_chart.u_staff)
    assert "Pejabat penilai: Kasi Uji" in body


def test_atasan_sees_their_team(app, org_chart):
    body = _home(app, org_chart.u_kasi)
    assert "Tim saya" in body and "Staf Satu" in body and "Staf Dua" in body


def test_staff_has_no_team_card(app, org_chart):
    assert "Tim saya" not in _home(app, org_chart.u_staff)


def test_hr_sees_the_count_of_active_employees(app, org_chart):
    assert "Pegawai aktif" in _home(app, org_chart.u_hr)


def test_finance_sees_payroll_data_readiness(app, org_chart):
    body = _home(app, org_chart.u_operator)
    assert "Kesiapan data gaji" in body and "tanpa nomor rekening" in body


def test_pegawai_sees_no_agency_figures(app, org_chart):
    body = _home(app, org_chart.u_staff)
    assert "Pegawai aktif" not in body and "Kesiapan data gaji" not in body


def test_administrator_sees_account_figures(app, org_chart):
    assert "pernah terkunci" in _home(app, org_chart.u_admin)


def test_dashboard_shows_today_in_indonesian(app, org_chart):
    from kinerja_web.jinja import tanggal
    from kinerja_web.timeutil import today_wib

    assert tanggal(today_wib(), with_day=True) in _home(app, org_chart.u_staff)
