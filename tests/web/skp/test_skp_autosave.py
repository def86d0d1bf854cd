"""Autosave of RHK and IKI drafts while typing: saved, kept as typed when invalid, conflicts, refusals."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Rhk, SkpDraft
from kinerja_web.services.skp import autosave

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp

HX = {"HX-Request": "true"}


@pytest.fixture
def draft(org_chart, period, kasi_skp):
    return make_skp(org_chart.staff1, period, rhks=(("Surat teragenda", kasi_skp.rhks[0]),))


def _token(client, skp_id: int, slot: str) -> str:
    """The state token of a saved row's form: the row is a form once opened with "Ubah" (click-to-edit)."""
    page = client.get(f"/skp/{skp_id}?ubah={slot}").get_data(as_text=True)
    return re.search(rf'id="token-{slot}" value="([0-9a-f]+)"', page).group(1)


def _drafts(skp_id: int) -> dict[str, SkpDraft]:
    return {d.slot: d for d in db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp_id))}


def test_typed_rhk_text_is_saved_to_the_row_with_a_time_stamp(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    rhk = draft.rhks[0]
    slot = f"rhk-{rhk.id}"
    r = client.post(
        f"/skp/{draft.id}/draf/{slot}",
        data={f"{slot}-uraian": "Surat masuk teragenda tepat waktu", "token": _token(client, draft.id, slot)},
        headers=HX,
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Tersimpan otomatis pukul" in body and "<html" not in body
    assert f'id="token-{slot}"' in body and 'hx-swap-oob="true"' in body  # the form's next token
    db.session.refresh(rhk)
    assert rhk.uraian == "Surat masuk teragenda tepat waktu"
    assert _drafts(draft.id) == {}


def test_a_second_autosave_from_the_same_tab_uses_the_returned_token(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    slot = f"rhk-{draft.rhks[0].id}"
    first = client.post(
        f"/skp/{draft.id}/draf/{slot}",
        data={f"{slot}-uraian": "Versi satu", "token": _token(client, draft.id, slot)},
        headers=HX,
    )
    token = re.search(rf'id="token-{slot}" value="([0-9a-f]+)"', first.get_data(as_text=True)).group(1)
    r = client.post(f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "Versi dua", "token": token}, headers=HX)
    assert r.status_code == 200 and "Tersimpan otomatis" in r.get_data(as_text=True)
    assert db.session.get(Rhk, draft.rhks[0].id).uraian == "Versi dua"


def test_non_numeric_target_is_kept_as_typed_with_its_message(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    iki = draft.rhks[0].indikators[0]
    slot = f"iki-{iki.id}"
    data = {
        f"{slot}-aspek": "kuantitas",
        f"{slot}-indikator": "Jumlah surat teragenda",
        f"{slot}-target": "dua belas",
        f"{slot}-satuan": "surat",
        "token": _token(client, draft.id, slot),
    }
    r = client.post(f"/skp/{draft.id}/draf/{slot}", data=data, headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Belum valid" in body
    assert f'id="err-{slot}-target"' in body and "Target harus berupa angka" in body
    db.session.refresh(iki)
    assert iki.target == "12" and iki.indikator == "Jumlah Surat teragenda"  # the row is untouched
    kept = _drafts(draft.id)[slot]
    assert kept.data["target"] == "dua belas" and kept.data["indikator"] == "Jumlah surat teragenda"
    # A reload shows the input as typed, with the message next to the field.
    page = client.get(f"/skp/{draft.id}").get_data(as_text=True)
    assert f'id="{slot}-target" name="{slot}-target" value="dua belas"' in page
    assert "Target harus berupa angka" in page


def test_fixing_an_invalid_draft_saves_the_row_and_forgets_the_draft(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    iki = draft.rhks[0].indikators[0]
    slot = f"iki-{iki.id}"
    base = {f"{slot}-aspek": "kuantitas", f"{slot}-indikator": "Jumlah surat", f"{slot}-satuan": "surat"}
    bad = client.post(
        f"/skp/{draft.id}/draf/{slot}",
        data={**base, f"{slot}-target": "abc", "token": _token(client, draft.id, slot)},
        headers=HX,
    )
    token = re.search(rf'id="token-{slot}" value="([0-9a-f]+)"', bad.get_data(as_text=True)).group(1)
    good = client.post(
        f"/skp/{draft.id}/draf/{slot}", data={**base, f"{slot}-target": "24", "token": token}, headers=HX
    )
    assert good.status_code == 200 and "Tersimpan otomatis" in good.get_data(as_text=True)
    db.session.refresh(iki)
    assert (iki.target, iki.indikator) == ("24", "Jumlah surat")
    assert _drafts(draft.id) == {}


def test_submitting_with_an_invalid_draft_is_refused(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    slot = f"rhk-{draft.rhks[0].id}"
    client.post(
        f"/skp/{draft.id}/draf/{slot}",
        data={f"{slot}-uraian": "  ", "token": _token(client, draft.id, slot)},
        headers=HX,
    )
    r = client.post(f"/skp/{draft.id}/ajukan")
    assert r.status_code == 422 and "belum valid" in r.get_data(as_text=True)
    db.session.refresh(draft)
    assert draft.status == SkpStatus.DRAFT


def test_second_tab_autosave_is_told_about_the_conflict_and_nothing_is_overwritten(app, org_chart, draft):
    tab1 = app.test_client(user=org_chart.u_staff)
    tab2 = app.test_client(user=org_chart.u_staff)
    slot = f"rhk-{draft.rhks[0].id}"
    opened = _token(tab2, draft.id, slot)
    tab1.post(f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "Tab pertama", "token": opened}, headers=HX)
    r = tab2.post(f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "Tab kedua", "token": opened}, headers=HX)
    assert r.status_code == 409 and "telah diubah di tab atau perangkat lain" in r.get_data(as_text=True)
    assert db.session.get(Rhk, draft.rhks[0].id).uraian == "Tab pertama"
    # Without JavaScript the page comes back with the second tab's input and the message.
    page = tab2.post(f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "Tab kedua", "token": opened})
    body = page.get_data(as_text=True)
    assert page.status_code == 422 and "Tab kedua</textarea>" in body and "telah diubah di tab" in body


def test_new_rhk_typed_but_not_added_is_kept_as_a_draft_and_shown_after_reload(app, org_chart, draft, kasi_skp):
    client = app.test_client(user=org_chart.u_staff)
    data = {
        "kategori": "utama",
        "parent_rhk_id": kasi_skp.rhks[1].id,
        "uraian": "Laporan bulanan tersusun",
        "token": _token(client, draft.id, "rhk-baru"),
    }
    r = client.post(f"/skp/{draft.id}/draf/rhk-baru", data=data, headers=HX)
    assert r.status_code == 200 and "belum ditambahkan" in r.get_data(as_text=True)
    assert len(db.session.scalars(select(Rhk).where(Rhk.skp_id == draft.id)).all()) == 1  # no row yet
    page = client.get(f"/skp/{draft.id}").get_data(as_text=True)
    assert "Laporan bulanan tersusun</textarea>" in page
    # Adding the RHK forgets the draft.
    client.post(f"/skp/{draft.id}/rhk", data={k: v for k, v in data.items() if k != "token"})
    assert "rhk-baru" not in _drafts(draft.id)


def test_autosave_on_a_submitted_skp_is_refused(app, org_chart, period, kasi_skp):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    client = app.test_client(user=org_chart.u_staff)
    slot = f"rhk-{skp.rhks[0].id}"
    token = autosave.state_token({"uraian": skp.rhks[0].uraian})
    r = client.post(f"/skp/{skp.id}/draf/{slot}", data={f"{slot}-uraian": "Diam-diam", "token": token}, headers=HX)
    assert r.status_code == 409 and "tidak dapat diubah" in r.get_data(as_text=True)
    assert client.post(f"/skp/{skp.id}/draf/{slot}", data={f"{slot}-uraian": "x", "token": token}).status_code == 403
    assert db.session.get(Rhk, skp.rhks[0].id).uraian == "RHK uji"
    assert _drafts(skp.id) == {}


def test_autosave_on_another_persons_skp_is_404(app, org_chart, period, draft, u_staff2):
    slot = f"rhk-{draft.rhks[0].id}"
    r = app.test_client(user=u_staff2).post(
        f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "Bukan milik saya", "token": "x"}, headers=HX
    )
    assert r.status_code == 404
    assert db.session.get(Rhk, draft.rhks[0].id).uraian == "Surat teragenda"


def test_slot_of_a_row_in_another_skp_is_404(app, org_chart, period, draft, kasi_skp):
    slot = f"rhk-{kasi_skp.rhks[0].id}"  # exists, but not in this SKP
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "x", "token": "x"}
    )
    assert r.status_code == 404


def test_two_tabs_starting_the_same_new_rhk_at_once_get_a_conflict_not_an_error(app, org_chart, draft, monkeypatch):
    client = app.test_client(user=org_chart.u_staff)
    empty = _token(client, draft.id, "rhk-baru")
    db.session.add(SkpDraft(skp_id=draft.id, slot="rhk-baru", data={"uraian": "Tab pertama"}, errors={}))
    db.session.commit()
    # The second request read "no draft yet" just before the first one's row arrived.
    monkeypatch.setattr(autosave, "_draft", lambda skp, slot: None)
    r = client.post(
        f"/skp/{draft.id}/draf/rhk-baru",
        data={"kategori": "utama", "parent_rhk_id": "", "uraian": "Tab kedua", "token": empty},
        headers=HX,
    )
    assert r.status_code == 409 and "telah diubah di tab atau perangkat lain" in r.get_data(as_text=True)
    assert _drafts(draft.id)["rhk-baru"].data["uraian"] == "Tab pertama"
