"""/admin/kesiapan: the go-live checklist page (issue 19 item 3a): who reads it, every fix link opens, and an
example rule leaves the list once the administrator enters the Perbup version on the rules page."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from sqlalchemy import select

from kinerja_web.extensions import db
from kinerja_web.models import PayrollRuleVersion
from kinerja_web.services.payroll import rules
from tests.web.payroll.test_payroll_flow import as_user

URL = "/admin/kesiapan"


@pytest.fixture
def seeded(org_chart):
    rules.seed_rules()
    db.session.commit()
    return org_chart


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("u_admin", 200),
        ("u_hr", 200),
        ("u_operator", 200),
        ("u_verifikator", 200),
        ("u_pejabat", 200),
        ("u_staff", 403),
        ("u_kasi", 403),
    ],
)
def test_who_reads_the_checklist(app, seeded, role, status):
    assert as_user(app, getattr(seeded, role)).get(URL).status_code == status


def test_every_fix_link_opens_for_the_administrator(app, seeded):
    admin = as_user(app, seeded.u_admin)
    html = admin.get(URL).text
    assert "Aturan gaji contoh yang masih berlaku" in html and "Pagu TPP per kelas jabatan" in html
    links = {unescape(h) for h in re.findall(r'<td><a href="([^"]+)"', html)}
    assert "/gaji/aturan/tpp_pagu/formulir" in links  # tables with their own form
    assert "/dokumen/pengaturan" in links
    for href in links:
        path, _, anchor = href.partition("#")
        resp = admin.get(path)
        assert resp.status_code == 200, href
        if anchor:
            assert f'id="{anchor}"' in resp.text, href


def test_entering_the_perbup_version_on_the_rules_page_clears_the_row(app, seeded):
    admin = as_user(app, seeded.u_admin)
    assert "Komposisi TPP kinerja/disiplin" in admin.get(URL).text
    row = db.session.scalar(select(PayrollRuleVersion).where(PayrollRuleVersion.code == "tpp_komposisi"))
    resp = admin.post(
        "/gaji/aturan",
        data={
            "code": "tpp_komposisi",
            "version_id": "tpp_komposisi@perbup-2026",
            "berlaku_mulai": "2026-01-01",
            "citation": "Perbup Lampung Utara 7/2026 Pasal 5",
            "data": json.dumps(row.data),
        },
    )
    assert resp.status_code == 303, resp.text
    page = admin.get(URL).text
    assert "Komposisi TPP kinerja/disiplin" not in page and "Pagu TPP per kelas jabatan" in page
