"""Form targets answer GET: every URL a form posts to also answers GET with the form's page (web.form_targets_answer_get).

A boosted form that answers with its page and messages (422) leaves the POST URL in the address bar; F5 then sends
GET to it, which must land on the page (never the 405 page). One test walks every blueprint's POST-only rules; the
pages of the rating and 360 targets follow, those of the other areas in their own tests (test_form_targets_get.py,
payroll/test_payroll_landing.py, skp/test_skp_reload.py)."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing.converters import AnyConverter

from kinerja_web.web import FORM_PAGES, answer_get_on_form_targets, form_targets_answer_get

from .skp_fixtures import *  # noqa: F403

# Blueprints whose POST-only targets still answer GET with 405 (not yet declared): a new blueprint declares its pages.
NOT_YET_DECLARED: set[str] = set()


def _sample_paths(rule):
    """The rule's URL for every value its any() parts allow (ids: 1)."""
    paths = [{}]
    for name, conv in rule._converters.items():
        values = sorted(conv.items) if isinstance(conv, AnyConverter) else [1]
        paths = [{**p, name: v} for p in paths for v in values]
    adapter = rule.map.bind("kinerja.test")
    return [adapter.build(rule.endpoint, p, method="POST") for p in paths]


def _refusing_get(app) -> dict[str, list[str]]:
    """Blueprint → its POST URLs that a GET gets a 405 on."""
    adapter = app.url_map.bind("kinerja.test")
    refused: dict[str, list[str]] = {}
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        for path in _sample_paths(rule):
            try:
                adapter.match(path, method="GET")
            except MethodNotAllowed:
                refused.setdefault(rule.endpoint.partition(".")[0], []).append(path)
    return refused


def test_every_form_target_of_every_declared_blueprint_answers_get(app):
    declared = set(FORM_PAGES) & set(app.blueprints)
    assert {"org", "employees", "auth", "admin", "payroll", "skp", "rating", "evaluation360"} <= declared
    refused = _refusing_get(app)
    assert {bp: paths for bp, paths in refused.items() if bp in declared} == {}
    assert set(refused) == NOT_YET_DECLARED


def test_rating_and_360_have_their_form_targets(app):
    posts = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in ("rating", "evaluation360")]
    assert len([r for r in posts if "POST" in r.methods]) > 15


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("/penilaian-kinerja/{p}/unit/{u}/kalibrasi/7?jendela=2", "/penilaian-kinerja/{p}/unit/{u}?jendela=2"),
        ("/penilaian-kinerja/{p}/unit/{u}/predikat", "/penilaian-kinerja/{p}/unit/{u}"),
        ("/penilaian-kinerja/{p}/unit/{u}/selesai", "/penilaian-kinerja/{p}/unit/{u}"),
        ("/penilaian-kinerja/{p}/pegawai/{e}/final", "/penilaian-kinerja/{p}/pegawai/{e}"),
        ("/penilaian-kinerja/{p}/pegawai/{e}/keberatan", "/penilaian-kinerja/{p}/pegawai/{e}"),
        ("/penilaian-kinerja/keberatan/5/putusan", "/penilaian-kinerja/keberatan/5"),
        ("/penilaian-kinerja/keberatan/5/minta-penjelasan", "/penilaian-kinerja/keberatan/5"),
        ("/penilaian-kinerja/keberatan/5/penjelasan", "/penilaian-kinerja/keberatan/5"),
        ("/penilaian-kinerja/kunci/9/ulang", "/penilaian-kinerja/kunci/9"),
        ("/penilaian-360/tugas/3/simpan", "/penilaian-360/tugas/3"),
        ("/penilaian-360/peserta/3/usulkan", "/penilaian-360/saya"),
        ("/penilaian-360/usulan/3/setujui", "/penilaian-360/persetujuan"),
        ("/penilaian-360/siklus/4/tutup", "/penilaian-360/siklus/4"),
        ("/penilaian-360/siklus/4/pengingat", "/penilaian-360/siklus/4"),
        ("/penilaian-360/penugasan/999999/hapus", "/penilaian-360/siklus"),
    ],
)
def test_f5_on_a_form_target_goes_to_its_page(app, org_chart, period, path, page):
    ids = {"p": period.id, "u": org_chart.opd.id, "e": org_chart.staff1.id}
    r = app.test_client(user=org_chart.u_hr).get(path.format(**ids))
    assert r.status_code == 303
    assert r.headers["Location"].removeprefix("http://kinerja.test") == page.format(**ids)


@pytest.mark.parametrize(
    ("pages", "message"),
    [
        ({"delete": lambda i: "/x", "gone": lambda: "/"}, "for no POST-only target: \\['gone'\\]"),
        ({}, "/x/<int:i>/hapus has no page"),
    ],
)
def test_a_form_page_table_that_does_not_match_the_routes_stops_the_start(pages, message):
    app, bp = Flask("form_pages_check"), Blueprint("form_pages_check", __name__)
    bp.add_url_rule("/x/<int:i>/hapus", "delete", lambda i: "", methods=["POST"])
    form_targets_answer_get(bp, pages)
    try:
        app.register_blueprint(bp)
        with pytest.raises(RuntimeError, match=message):
            answer_get_on_form_targets(app)
    finally:
        del FORM_PAGES[bp.name]
