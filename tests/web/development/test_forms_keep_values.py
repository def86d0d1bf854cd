"""A refused development form shows again with every value the user sent (issue 19 item 8): JP from another
source and a catalogue programme (new and edited)."""

from __future__ import annotations

from kinerja_web.domain.development import ProgrammeBentuk
from kinerja_web.extensions import db
from kinerja_web.models import Programme

from ..helpers import assert_form_kept, assert_refusal_keeps, form_values


def test_refused_jp_from_another_source_keeps_every_field(app, org_chart):
    url = f"/pengembangan/pegawai/{org_chart.staff1.id}"
    hr = app.test_client(user=org_chart.u_hr)
    changes = {"title": "Seminar kearsipan", "jp": "dua", "on_date": "2026-09-14", "provider": "ANRI"}
    assert_refusal_keeps(hr, url, url, changes)


PROGRAMME = {
    "code": "PKA-01",
    "name": "Pelatihan Kearsipan Dasar",
    "bentuk": "bimtek",
    "jp": "",  # required: refused
    "provider": "BKPSDM",
    "location": "Aula BKPSDM",
    "start_date": "2027-02-01",
    "end_date": "2027-02-05",
    "capacity": "30",
    "cost": "1500000",
    "competencies": "Pengelolaan arsip dinamis",
    "min_golongan": "II/a",
    "max_golongan": "III/d",
    "description": "Uraian program.",
}


def test_a_refused_new_programme_keeps_every_field(app, org_chart):
    hr = app.test_client(user=org_chart.u_hr)
    url = "/pengembangan/katalog/baru"
    assert_refusal_keeps(hr, url, url, PROGRAMME)


def test_a_refused_programme_edit_keeps_every_field_including_the_unticked_active_box(app, org_chart):
    p = Programme(code="PKA-02", name="Lama", bentuk=ProgrammeBentuk.KURSUS, jp=20, provider="BKPSDM")
    db.session.add(p)
    db.session.commit()
    hr = app.test_client(user=org_chart.u_hr)
    url = f"/pengembangan/katalog/{p.id}/ubah"
    sent = {**form_values(hr.get(url).get_data(as_text=True), url), **PROGRAMME, "code": "PKA-02"}
    assert sent.pop("active") == "y"  # stored active; the user unticks it
    r = hr.post(url, data=sent)
    assert r.status_code == 422
    assert_form_kept(r.get_data(as_text=True), url, sent)
    assert "active" not in form_values(r.get_data(as_text=True), url)  # still unticked
