"""Every URL that answers htmx with a single template block must render that block on its own."""

from __future__ import annotations

import pytest

HX = {"HX-Request": "true"}


@pytest.mark.parametrize(
    "path, marker",
    [
        ("/pegawai/?q=Staf", "Staf Satu"),
        ("/admin/pengguna?q=hr", "hr1"),
        ("/admin/audit", "<table"),
        ("/pegawai/baru", 'name="nip"'),
    ],
)
def test_htmx_fragment_renders_alone_without_the_page_layout(app, org_chart, path, marker):
    r = app.test_client(user=org_chart.u_hr).get(path, headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200, body[:500]
    assert marker in body
    assert "<html" not in body


def test_employee_form_fragment_keeps_inline_validation_urls(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get("/pegawai/baru", headers=HX).get_data(as_text=True)
    assert "/pegawai/validasi" in body
