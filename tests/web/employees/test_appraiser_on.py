"""'Who appraises X on date D': HR and the employee themself look it up; a bad date gets a field message."""

from __future__ import annotations

from datetime import date

from kinerja_web.extensions import db


def _page(app, user, emp, tanggal=None):
    query = f"?tanggal={tanggal}" if tanggal is not None else ""
    return app.test_client(user=user).get(f"/pegawai/{emp.id}/pejabat-penilai{query}")


def test_the_appraiser_follows_the_posts_history_on_the_date_asked(app, org_chart):
    org_chart.kasi.assignments[0].end_date = date(2026, 6, 30)  # the kasi post is vacant from July
    db.session.commit()
    before = _page(app, org_chart.u_staff, org_chart.staff1, "2026-06-01").get_data(as_text=True)
    assert "Pada 1 Juni 2026" in before and "Kasi Uji" in before.split('id="pejabat-penilai"')[1].split("</dd>")[0]
    after = _page(app, org_chart.u_staff, org_chart.staff1, "2026-08-01").get_data(as_text=True)
    chosen = after.split('id="pejabat-penilai"')[1].split("</dd>")[0]
    assert "Kabid Uji" in chosen and "Jabatan atasan langsung kosong" in chosen
    assert "Pengadministrasi Umum" in after.split('id="jabatan"')[1]


def test_today_is_the_default_and_the_profile_links_the_page(app, org_chart):
    r = _page(app, org_chart.u_staff, org_chart.staff1)
    assert r.status_code == 200 and "Kasi Uji" in r.get_data(as_text=True)
    profile = app.test_client(user=org_chart.u_staff).get(f"/pegawai/{org_chart.staff1.id}").get_data(as_text=True)
    assert f"/pegawai/{org_chart.staff1.id}/pejabat-penilai" in profile


def test_a_bad_date_gets_a_message_at_the_field_and_keeps_what_was_typed(app, org_chart):
    r = _page(app, org_chart.u_hr, org_chart.staff1, "31-02-2026")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "Tanggal tidak sah (format: TTTT-BB-HH)." in body and 'value="31-02-2026"' in body


def test_only_hr_and_the_employee_themself_may_look(app, org_chart):
    assert _page(app, org_chart.u_hr, org_chart.staff1).status_code == 200
    assert _page(app, org_chart.u_staff, org_chart.staff1).status_code == 200
    assert _page(app, org_chart.u_kasi, org_chart.staff1).status_code == 403
    assert _page(app, org_chart.u_other, org_chart.staff1).status_code == 403
    assert _page(app, org_chart.u_staff, org_chart.staff2).status_code == 403
    assert app.test_client(user=org_chart.u_hr).get("/pegawai/999999/pejabat-penilai").status_code == 404
