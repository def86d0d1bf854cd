"""The selection committee sees a candidate's competency assessment (domain reference §11.2), no one else's; other
employees never do."""

from __future__ import annotations

from .fixtures import *  # noqa: F403


def test_a_pansel_member_opens_a_candidates_assessment_but_not_a_non_candidates(app, sel_world):
    ns = sel_world
    head = app.test_client(user=ns.u_head)  # a pansel member, not the candidate's atasan
    page = head.get(f"/kompetensi/pegawai/{ns.staff1.id}")
    assert page.status_code == 200 and "JPM" in page.get_data(as_text=True)
    assert head.get(f"/kompetensi/pegawai/{ns.other.id}").status_code in (403, 404)
    assert app.test_client(user=ns.u_other).get(f"/kompetensi/pegawai/{ns.staff1.id}").status_code in (403, 404)
