"""A refused potensial override shows again with what HR chose and wrote (issue 19 item 8)."""

from __future__ import annotations

from ..helpers import assert_form_kept
from ..skp_fixtures import *  # noqa: F403
from .test_talent import url


def test_a_potensial_override_without_its_reason_keeps_the_choice(app, org_chart, period):
    target = url(period, org_chart.staff1)
    sent = {"potensial": "tinggi", "dasar": ""}  # an override must carry its reason
    r = app.test_client(user=org_chart.u_hr).post(target, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), target, sent)
