"""Rating and 360 forms: every URL a form posts to also answers GET with the form's page.

A boosted form that answers with its page and messages (422) leaves the POST URL in the address bar; F5 then sends
GET to it, which must land on the page (never the 405 page)."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.routing.converters import AnyConverter

from .skp_fixtures import *  # noqa: F403

BLUEPRINTS = ("rating", "evaluation360")


def _sample_paths(rule):
    """The rule's URL for every value its any() parts allow (ids: 1)."""
    paths = [{}]
    for name, conv in rule._converters.items():
        values = sorted(conv.items) if isinstance(conv, AnyConverter) else [1]
        paths = [{**p, name: v} for p in paths for v in values]
    adapter = rule.map.bind("kinerja.test")
    return [adapter.build(rule.endpoint, p, method="POST") for p in paths]


def test_every_rating_and_360_form_target_answers_get(app):
    adapter = app.url_map.bind("kinerja.test")
    posts = [r for r in app.url_map.iter_rules() if r.endpoint.split(".")[0] in BLUEPRINTS and "POST" in r.methods]
    assert len(posts) > 15
    refused = []
    for rule in posts:
        for path in _sample_paths(rule):
            try:
                adapter.match(path, method="GET")
            except MethodNotAllowed:
                refused.append(path)
    assert refused == []


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
