"""The slip explanation page (issue 19 item 5): plain summary first, SVG waterfall, comparison with the
previous final month, technical detail folded, every input a link that opens for the reader."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest

from kinerja_web.domain.labels import rupiah
from kinerja_web.domain.skp import Frequency
from kinerja_web.extensions import db
from kinerja_web.models import Period
from kinerja_web.services.payroll import slips
from tests.services.payroll.test_pay_explanation import OCT, two_months  # noqa: F401 (fixture)
from tests.web.payroll.test_payroll_flow import as_user


@pytest.fixture
def with_period(two_months):  # noqa: F811
    ns = two_months
    ns.period = Period(
        year=2026, frequency=Frequency.SEMESTER, start_date=date(2026, 1, 1), end_date=date(2026, 12, 31)
    )
    db.session.add(ns.period)
    db.session.commit()
    return ns


def hrefs(html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="([^"]+)"', html)]


def section(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_employee_reads_the_summary_first_then_the_chart_the_comparison_and_the_folded_detail(app, with_period):
    ns = with_period
    page = as_user(app, ns.u_staff).get(f"/gaji/run/{ns.oct.id}/pegawai/{ns.staff1.id}")
    assert page.status_code == 200
    html = page.text
    slip = slips.slip_context(ns.oct, ns.staff1)
    kinerja = next(ln for ln in slip["lines"] if ln["code"] == "TPP_KINERJA")
    summary = section(html, 'id="ringkasan"', "</section>")
    text = unescape(re.sub(r"<[^>]+>", "", summary))
    assert f"TPP kinerja Anda {rupiah(kinerja['amount'])} = 60% × " in text
    assert "karena predikat Oktober Anda Butuh Perbaikan." in text
    # order: summary, waterfall, comparison, then the technical detail in <details>
    positions = [html.index(m) for m in ('id="ringkasan"', "<svg", 'id="perbandingan"', '<details id="rincian-teknis"')]
    assert positions == sorted(positions)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "Diterima (gaji bersih)" in svg and "TPP komponen kinerja" in svg and "<script" not in svg
    cmp = unescape(re.sub(r"<[^>]+>", "", section(html, 'id="perbandingan"', "</ul>")))
    assert "Gaji bersih Anda turun" in cmp and "dibanding September 2026" in cmp
    assert "TPP komponen kinerja turun" in cmp and "predikat kinerja Baik → Butuh Perbaikan" in cmp
    assert "PP 5/2024" in section(html, '<details id="rincian-teknis"', "</details>")


def test_every_summary_link_opens_for_the_reader(app, with_period):
    ns = with_period
    url = f"/gaji/run/{ns.oct.id}/pegawai/{ns.staff1.id}"
    for who, expected in (
        ("u_staff", {f"/penilaian-kinerja/{ns.period.id}/pegawai/{ns.staff1.id}", "#kehadiran"}),
        ("u_hr", {f"/penilaian-kinerja/{ns.period.id}/pegawai/{ns.staff1.id}", "/gaji/kehadiran?month=2026-10"}),
        ("u_admin", {"/gaji/aturan"}),
    ):
        client = as_user(app, getattr(ns, who))
        html = client.get(url).text
        links = hrefs(section(html, 'id="ringkasan"', "</section>")) + hrefs(
            section(html, '<details id="rincian-teknis"', "</details>")
        )
        assert {h.split("#")[0] or h for h in links} >= expected, (who, links)
        for href in links:
            path, _, anchor = href.partition("#")
            if not path:  # a section of this page
                assert f'id="{anchor}"' in html, (who, href)
                continue
            target = client.get(path)
            assert target.status_code == 200, (who, href)
            if anchor:
                assert f'id="{anchor}"' in target.text, (who, href)


def test_another_employee_still_gets_404(app, with_period):
    ns = with_period
    assert as_user(app, ns.u_staff).get(f"/gaji/run/{ns.oct.id}/pegawai/{ns.staff2.id}").status_code == 404
