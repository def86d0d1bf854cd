"""Organisation tree and unit pages."""

from __future__ import annotations

from kinerja_web.models import PositionKind


def test_tree_lists_units_indented_by_depth(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get("/organisasi/").get_data(as_text=True)
    assert body.index("Pemkab Uji") < body.index("Dinas Uji")
    assert '<li class="depth-1"><a href="/organisasi/unit/' in body  # app.css: .tree li.depth-1 indents 1.4rem


def test_unit_page_lists_posts_with_their_holders(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get(f"/organisasi/unit/{org_chart.opd.id}").get_data(as_text=True)
    assert "Kepala Dinas Uji" in body and "Kepala Uji" in body and "Staf Satu" in body


def test_unit_page_marks_a_vacant_leader_post(app, org_chart, make_position):
    make_position("Kepala Seksi Kosong", org_chart.opd, org_chart.p_kabid, PositionKind.PENGAWAS, is_leader=True)
    body = app.test_client(user=org_chart.u_hr).get(f"/organisasi/unit/{org_chart.opd.id}").get_data(as_text=True)
    assert '<span class="tag tag-bad">kosong</span>' in body


def test_unit_page_links_to_sub_units(app, org_chart):
    body = app.test_client(user=org_chart.u_hr).get(f"/organisasi/unit/{org_chart.pemda.id}").get_data(as_text=True)
    assert f'href="/organisasi/unit/{org_chart.opd.id}">Dinas Uji</a>' in body
