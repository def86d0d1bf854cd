"""Links in notifications sent by jobs (app context, no request) are the same paths the pages have."""

from __future__ import annotations

from flask import url_for


def test_links_built_outside_a_request_are_the_pages_paths(app):
    with app.app_context():
        assert url_for("rating.rate", period_id=3, employee_id=7, jendela=2, _external=False) == (
            "/penilaian-kinerja/3/pegawai/7?jendela=2"
        )
        assert url_for("rating.rate", period_id=3, employee_id=7, jendela=None, _external=False) == (
            "/penilaian-kinerja/3/pegawai/7"
        )
        assert url_for("evaluation360.inbox", _external=False) == "/penilaian-360/"
        assert url_for("development.mine", _external=False) == "/pengembangan/"
