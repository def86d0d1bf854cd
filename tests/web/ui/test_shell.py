"""The page shell (templates/base.html): the favicon, the skip link, the grouped menu with its search box."""

from __future__ import annotations

import re

from kinerja_web.navigation import NAV


def test_favicon_is_served_offline(client):
    resp = client.get("/favicon.ico")
    assert resp.status_code == 200
    assert resp.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    assert resp.data[:4] == b"\x00\x00\x01\x00"  # an ICO header, not an HTML error page


def test_pages_link_the_icon_and_offer_a_skip_link(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get("/").get_data(as_text=True)
    assert re.search(r'<link rel="icon" href="/static/favicon.ico', body)
    skip = re.search(r'<a href="#([a-z]+)" class="skip-link">Langsung ke isi</a>', body)
    assert skip and f'<main class="content" id="{skip.group(1)}"' in body
    # The skip link is the first thing a keyboard reaches.
    assert body.index("skip-link") < body.index("<header")


def test_hr_menu_is_grouped_into_foldable_sections_and_searchable(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get("/").get_data(as_text=True)
    groups = re.findall(r'<details class="nav-group" open>\s*<summary class="nav-section">([^<]+)</summary>', body)
    assert groups == [
        "Umum",
        "Kinerja",
        "Pengembangan &amp; Karier",
        "Kelola SKP &amp; Penilaian",
        "Kelola Pengembangan",
        "Data Pegawai",
        "Keuangan",
        "Pelayanan Publik",
        "Laporan",
        "Administrasi",
    ]
    # No group is a wall of links any more (HR's own work was one group of eleven).
    assert max(sum(1 for item in NAV if item.section == name.replace("&amp;", "&")) for name in groups) <= 10
    # The search box is there for JavaScript to reveal; without it the groups are the menu.
    assert re.search(r'<div class="menu-search" hidden>', body)
    assert 'id="cari-menu"' in body and '<label for="cari-menu"' in body


def test_a_short_menu_has_no_search_box(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get("/").get_data(as_text=True)
    assert "Menu utama" in body and "cari-menu" not in body
    assert '<details class="menu">' in body and "<summary>Menu</summary>" in body
