"""The per-worker cache of expensive aggregates: served from memory until people/org data change."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja_web.extensions import db
from kinerja_web.services import datacache

TODAY = date(2026, 11, 27)


@pytest.fixture
def cache_on(app):
    app.config["DATA_CACHE"] = True
    datacache.clear()
    yield
    app.config["DATA_CACHE"] = False
    datacache.clear()


def test_cached_value_is_reused_while_the_data_is_unchanged(app, org_chart, cache_on):
    calls = []
    assert datacache.cached("n", lambda: calls.append(1) or len(calls)) == 1
    assert datacache.cached("n", lambda: calls.append(1) or len(calls)) == 1
    assert len(calls) == 1


def test_an_audited_edit_invalidates_the_cache(app, org_chart, cache_on):
    datacache.cached("n", lambda: "before")
    org_chart.staff1.name = "Staf Satu Baru"
    db.session.flush()  # the audit hook appends an AuditLog row
    assert datacache.cached("n", lambda: "after") == "after"


def test_arguments_are_part_of_the_key(app, org_chart, cache_on):
    assert datacache.cached("d", lambda: "a", TODAY) == "a"
    assert datacache.cached("d", lambda: "b", date(2026, 11, 28)) == "b"


def test_expired_entries_are_recomputed(app, org_chart, cache_on):
    old, app.config["DATA_CACHE_SECONDS"] = app.config["DATA_CACHE_SECONDS"], 0
    try:
        datacache.cached("t", lambda: 1)
        assert datacache.cached("t", lambda: 2) == 2
    finally:
        app.config["DATA_CACHE_SECONDS"] = old


def test_disabled_cache_always_recomputes(app, org_chart):
    assert datacache.cached("x", lambda: 1) == 1
    assert datacache.cached("x", lambda: 2) == 2


def test_hr_dashboard_todo_follows_a_fix_immediately_with_the_cache_on(app, org_chart, cache_on, make_employee):
    hr = app.test_client(user=org_chart.u_hr)
    lonely = make_employee("Tanpa Jabatan", no_position=True)
    db.session.commit()
    before = hr.get("/").get_data(as_text=True)
    assert "masalah kualitas data" in before
    n_before = int(before.split(" masalah kualitas data")[0].rsplit(">", 1)[-1])
    lonely.active = False
    db.session.commit()
    after = hr.get("/").get_data(as_text=True)
    if n_before == 1:
        assert "masalah kualitas data" not in after
    else:
        assert f"{n_before - 1} masalah kualitas data" in after
