"""Directory search: counts, escaping of wildcards, NIP prefix."""

from __future__ import annotations

from kinerja_web.extensions import db

HX = {"HX-Request": "true"}


def test_search_counts_every_match_beyond_the_first_page(app, org_chart, make_employee):
    app.config["PAGE_SIZE"], old = 2, app.config["PAGE_SIZE"]
    try:
        for i in range(3):
            make_employee(f"Sulistyo Cari {i}")
        body = app.test_client(user=org_chart.u_hr).get("/pegawai/?q=sulistyo", headers=HX).get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = old
    assert "Halaman 1 dari 2" in body
    assert "(3 data)" in body


def test_search_ignores_case(app, org_chart):
    body = app.test_client(user=org_chart.u_staff).get("/pegawai/?q=sTaF sAtU", headers=HX).get_data(as_text=True)
    assert "Staf Satu" in body


def test_percent_and_underscore_match_literally(app, org_chart):
    client = app.test_client(user=org_chart.u_staff)
    assert "Staf Satu" not in client.get("/pegawai/?q=%25", headers=HX).get_data(as_text=True)
    assert "Staf Satu" not in client.get("/pegawai/?q=Staf_Satu", headers=HX).get_data(as_text=True)


def test_search_by_nip_prefix_with_spaces(app, org_chart):
    nip = org_chart.staff2.nip
    q = f"{nip[:8]} {nip[8:14]}"
    body = app.test_client(user=org_chart.u_staff).get(f"/pegawai/?q={q}", headers=HX).get_data(as_text=True)
    assert "Staf Dua" in body


def test_a_full_page_costs_three_statements_user_rows_and_count(app, org_chart, make_employee, count_queries):
    app.config["PAGE_SIZE"], old = 2, app.config["PAGE_SIZE"]
    try:
        for i in range(3):
            make_employee(f"Sulistyo Hitung {i}")
        client = app.test_client(user=org_chart.u_hr)
        client.get("/pegawai/?q=sulistyo", headers=HX)  # first request of the shape builds its statements
        with count_queries() as statements:
            body = client.get("/pegawai/?q=sulistyo", headers=HX).get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = old
    assert "(3 data)" in body
    assert len(statements) == 3, statements  # the signed-in user (with roles and employee), the rows, the count
    assert "user_account" in statements[0]


def test_a_page_that_holds_every_match_skips_the_count(app, org_chart, count_queries):
    client = app.test_client(user=org_chart.u_hr)
    with count_queries() as statements:
        body = client.get("/pegawai/?q=staf satu", headers=HX).get_data(as_text=True)
    assert "Staf Satu" in body and "1 data" in body
    assert len(statements) == 2, statements  # the signed-in user, the rows
    assert not any("count(" in s.lower() for s in statements)


def test_rows_link_to_the_profile(app, org_chart):
    from flask import url_for

    body = app.test_client(user=org_chart.u_staff).get("/pegawai/?q=staf satu", headers=HX).get_data(as_text=True)
    with app.test_request_context():
        href = url_for("employees.show", employee_id=org_chart.staff1.id)
    assert f'<a href="{href}">Staf Satu' in body


def test_the_count_follows_renames_and_deletions(app, org_chart, make_employee):
    """On SQLite the count reads a trigram index kept by triggers: it must see every change at once."""
    app.config["PAGE_SIZE"], old = 1, app.config["PAGE_SIZE"]
    try:
        people = [make_employee(f"Sulistyo Indeks {i}") for i in range(5)]
        people[0].name = "Wibisono Indeks 0"
        people[1].name = "Wibisono Indeks 1"
        db.session.delete(people[2])
        db.session.commit()
        client = app.test_client(user=org_chart.u_hr)
        sulistyo = client.get("/pegawai/?q=sulistyo indeks", headers=HX).get_data(as_text=True)
        wibisono = client.get("/pegawai/?q=WIBISONO", headers=HX).get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = old
    assert "(2 data)" in sulistyo and "(2 data)" in wibisono


def test_a_two_letter_search_still_counts(app, org_chart, make_employee):
    app.config["PAGE_SIZE"], old = 1, app.config["PAGE_SIZE"]
    try:
        for i in range(3):
            make_employee(f"Qx Pendek {i}")
        body = app.test_client(user=org_chart.u_hr).get("/pegawai/?q=qX", headers=HX).get_data(as_text=True)
    finally:
        app.config["PAGE_SIZE"] = old
    assert "(3 data)" in body


def test_non_ascii_letters_match_in_either_case_and_rows_agree_with_the_count(app, org_chart, make_employee):
    # SQLite's LIKE folds only ASCII case; the rows of such a search come from the same index as the count.
    app.config["PAGE_SIZE"], old = 1, app.config["PAGE_SIZE"]
    try:
        make_employee("Émile Sitorus")
        make_employee("Émile Nainggolan")
        client = app.test_client(user=org_chart.u_staff)
        bodies = {q: client.get(f"/pegawai/?q={q}", headers=HX).get_data(as_text=True) for q in ("émile", "ÉMILE")}
    finally:
        app.config["PAGE_SIZE"] = old
    for q, body in bodies.items():
        assert "Émile Nainggolan" in body, q  # first by name
        assert "Halaman 1 dari 2 (2 data)" in body, q
