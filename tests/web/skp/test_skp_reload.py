"""No 405 on reload (issue 19 item 7): every address an SKP form can leave in the address bar answers GET."""

from __future__ import annotations

import re

import pytest

from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Rhk

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp

BOOSTED = {"HX-Request": "true", "HX-Boosted": "true"}


@pytest.fixture
def draft(org_chart, period, kasi_skp):
    return make_skp(org_chart.staff1, period, rhks=(("Surat teragenda", kasi_skp.rhks[0]),))


def _skp_post_targets(app) -> list:
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith("skp.") and "POST" in r.methods and not r.endpoint.endswith("__page")
    ]


def test_every_skp_form_target_answers_get(app, org_chart, draft, period):
    rhk = draft.rhks[0]
    iki = rhk.indikators[0]
    values = {
        "skp_id": draft.id,
        "rhk_id": rhk.id,
        "iki_id": iki.id,
        "slot": f"rhk-{rhk.id}",
        "period_id": period.id,
        "template_id": 1,
    }
    targets = _skp_post_targets(app)
    assert len(targets) >= 25  # a new form target is covered by this test as soon as it exists
    for rule in targets:
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), rule.rule)
        hr_page = rule.endpoint in ("skp.periods", "skp.period_status", "skp.templates", "skp.delete_template")
        user = org_chart.u_hr if hr_page else org_chart.u_staff
        client = app.test_client(user=user)
        r = client.get(url)
        assert r.status_code != 405, url
        if r.status_code in (302, 303):
            assert client.get(r.location).status_code == 200, (url, r.location)


def test_get_on_ajukan_leads_to_the_skp_page(app, org_chart, draft):
    r = app.test_client(user=org_chart.u_staff).get(f"/skp/{draft.id}/ajukan")
    assert r.status_code == 303 and r.location.endswith(f"/skp/{draft.id}")


def test_a_failed_boosted_submit_pushes_the_skp_page_address(app, org_chart, draft):
    db.session.get(Rhk, draft.rhks[0].id).indikators.clear()  # an RHK without indicator: not submittable
    db.session.commit()
    client = app.test_client(user=org_chart.u_staff)
    r = client.post(f"/skp/{draft.id}/ajukan", headers=BOOSTED)
    assert r.status_code == 422 and r.headers["HX-Push-Url"] == f"/skp/{draft.id}"
    assert client.get(r.headers["HX-Push-Url"]).status_code == 200
    assert db.session.get(type(draft), draft.id).status == SkpStatus.DRAFT
    # A plain (unboosted) request and a redirect carry no pushed address.
    assert "HX-Push-Url" not in client.post(f"/skp/{draft.id}/ajukan").headers
    assert "HX-Push-Url" not in client.post(f"/skp/{draft.id}/lampiran", data={}, headers=BOOSTED).headers


def test_a_failed_boosted_post_to_a_page_keeps_that_page_address(app, org_chart, draft):
    draft.status = SkpStatus.APPROVED
    db.session.commit()
    iki = draft.rhks[0].indikators[0]
    client = app.test_client(user=org_chart.u_staff)
    r = client.post(
        f"/skp/{draft.id}/realisasi?periode=2",
        data={"indikator_id": iki.id, f"nilai-{iki.id}": "banyak"},
        headers=BOOSTED,
    )
    assert r.status_code == 422 and r.headers["HX-Push-Url"] == f"/skp/{draft.id}/realisasi?periode=2"
