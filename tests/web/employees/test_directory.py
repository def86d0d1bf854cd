"""Employee directory: one URL answers page or fragment, search by name or NIP prefix, pagination."""

from __future__ import annotations

import pytest


@pytest.fixture
def staff_client(app, org_chart):
    return app.test_client(user=org_chart.u_staff)


def test_directory_answers_a_plain_request_with_the_full_page(staff_client):
    r = staff_client.get("/pegawai/?q=staf")
    body = r.get_data(as_text=True)
    assert "<html" in body and 'id="results"' in body and "Staf Satu" in body


def test_directory_answers_htmx_with_the_results_block_only(staff_client):
    r = staff_client.get("/pegawai/?q=staf", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "<html" not in body and "<table>" in body and "Staf Satu" in body
    assert 'id="results"' not in body  # the block goes inside the existing #results


def test_directory_answers_a_boosted_request_with_the_full_page(staff_client):
    r = staff_client.get("/pegawai/?q=staf", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in r.get_data(as_text=True)


def test_directory_answers_a_history_restore_with_the_full_page(staff_client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in staff_client.get("/pegawai/", headers=headers).get_data(as_text=True)


def test_responses_vary_on_the_htmx_header(staff_client):
    assert "HX-Request" in staff_client.get("/pegawai/").headers.get("Vary", "")


def test_search_by_name_ignores_case(staff_client):
    body = staff_client.get("/pegawai/?q=sTaF dUa", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Staf Dua" in body and "Staf Satu" not in body


def test_search_by_nip_prefix_accepts_spaces(staff_client, org_chart):
    nip = org_chart.staff2.nip
    spaced = f"{nip[:8]} {nip[8:12]}"
    body = staff_client.get(f"/pegawai/?q={spaced}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Staf Dua" in body and "Kasi Uji" not in body


def test_search_without_matches_says_so(staff_client):
    body = staff_client.get("/pegawai/?q=zzzz", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Tidak ada pegawai yang cocok dengan “zzzz”." in body


def test_directory_filters_by_opd_including_sub_units(staff_client, org_chart):
    r = staff_client.get(f"/pegawai/?opd={org_chart.other_opd.id}", headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert "Staf Lain" in body and "Staf Satu" not in body


def test_inactive_employees_are_not_listed(staff_client, org_chart):
    org_chart.staff2.active = False
    assert "Staf Dua" not in staff_client.get("/pegawai/?q=staf").get_data(as_text=True)


def test_directory_pages_by_the_configured_size(app, org_chart, make_employee):
    for i in range(30):
        make_employee(f"Massal {i:02d}")
    client = app.test_client(user=org_chart.u_staff)
    first = client.get("/pegawai/?q=massal").get_data(as_text=True)
    second = client.get("/pegawai/?q=massal&page=2").get_data(as_text=True)
    assert first.count("Massal ") == 25 and "Halaman 1 dari 2 (30 data)" in first
    assert second.count("Massal ") == 5 and "Massal 29" in second
    assert 'href="/pegawai/?page=2&amp;q=massal' in first or "page=2" in first


def test_page_links_keep_the_search(app, org_chart, make_employee):
    for i in range(26):
        make_employee(f"Massal {i:02d}")
    body = app.test_client(user=org_chart.u_staff).get("/pegawai/?q=massal").get_data(as_text=True)
    assert "q=massal" in body.split("Berikutnya")[0].rsplit("<a", 1)[1]


def test_page_beyond_the_last_shows_an_empty_list_not_an_error(staff_client):
    assert staff_client.get("/pegawai/?page=99").status_code == 200


def test_directory_query_count_does_not_grow_with_the_rows(app, org_chart, make_employee, count_queries):
    client = app.test_client(user=org_chart.u_staff)
    # Both sizes fill a page, so both pay the same COUNT for the pager: only per-row queries would differ.
    client.get("/pegawai/?q=hitung")  # the menu of this user is read once and cached (services/datacache.py)
    for i in range(26):
        make_employee(f"Hitung {i:02d}")
    with count_queries() as few:
        client.get("/pegawai/?q=hitung")
    for i in range(26, 60):
        make_employee(f"Hitung {i:02d}")
    with count_queries() as many:
        body = client.get("/pegawai/?q=hitung").get_data(as_text=True)
    assert body.count("Hitung ") == 25
    assert len(many) == len(few), (len(few), len(many))
