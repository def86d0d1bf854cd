"""The SKP editor: saved RHK/IKI read as a table, one row opens as a form in place (click-to-edit, with or
without htmx), the atasan reviews the diff against the previous version and writes the ekspektasi khusus."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from kinerja_web.domain.skp import Aspek
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Indikator, Rhk, Skp, SkpDraft

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import make_skp

HX = {"HX-Request": "true"}


@pytest.fixture
def draft(org_chart, period, kasi_skp):
    return make_skp(org_chart.staff1, period, rhks=(("Surat teragenda", kasi_skp.rhks[0]),))


def _row(body: str, slot: str) -> str:
    return re.search(rf'<tr id="{slot}".*?</tr>', body, re.S).group(0)


def _drafts(skp_id: int) -> list[SkpDraft]:
    return list(db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp_id)))


def test_saved_rows_read_as_a_table_with_an_ubah_link_per_row(app, org_chart, draft):
    iki = draft.rhks[0].indikators[0]
    body = app.test_client(user=org_chart.u_staff).get(f"/skp/{draft.id}").get_data(as_text=True)
    row = _row(body, f"iki-{iki.id}")
    assert "<textarea" not in row and '<input type="text"' not in row and "<select" not in row
    assert f'<td class="indikator">{iki.indikator}' in row and ">Kuantitas<" in row and ">12 dokumen<" in row
    assert f'href="/skp/{draft.id}?ubah=iki-{iki.id}#iki-{iki.id}"' in row  # works without JavaScript
    assert f'hx-get="/skp/{draft.id}/baris/iki-{iki.id}?ubah=1"' in row
    assert "<textarea" not in _row(body, f"rhk-{draft.rhks[0].id}")


def test_ubah_opens_one_row_as_a_form_with_and_without_htmx(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    iki = draft.rhks[0].indikators[0]
    slot = f"iki-{iki.id}"
    r = client.get(f"/skp/{draft.id}/baris/{slot}?ubah=1", headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and body.strip().startswith(f'<tr id="{slot}" class="iki-row editing')
    assert "<html" not in body and f'name="{slot}-target" value="12"' in body
    assert 'name="simpan"' in body and 'name="batal"' in body
    # Without htmx the link leads to the page with that row open, and only that one.
    r = client.get(f"/skp/{draft.id}/baris/{slot}?ubah=1")
    assert r.status_code == 303 and r.location.endswith(f"/skp/{draft.id}?ubah={slot}#{slot}")
    page = client.get(f"/skp/{draft.id}?ubah={slot}").get_data(as_text=True)
    assert 'class="iki-row editing' in _row(page, slot) and "editing" not in _row(page, f"rhk-{draft.rhks[0].id}")


def test_simpan_saves_the_row_and_answers_with_it_closed(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    iki = draft.rhks[0].indikators[0]
    slot = f"iki-{iki.id}"
    form = client.get(f"/skp/{draft.id}/baris/{slot}?ubah=1", headers=HX).get_data(as_text=True)
    token = re.search(r'name="token" id="token-[^"]+" value="([0-9a-f]+)"', form).group(1)
    fields = {f"{slot}-aspek": "kuantitas", f"{slot}-indikator": "Jumlah surat diagendakan", f"{slot}-satuan": "surat"}
    r = client.post(
        f"/skp/{draft.id}/draf/{slot}",
        data={**fields, f"{slot}-target": "24", "token": token, "simpan": "1"},
        headers=HX,
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and body.strip().startswith(f'<tr id="{slot}" class="iki-row"')
    assert "Jumlah surat diagendakan" in body and "24 surat" in body and "<textarea" not in body
    db.session.refresh(iki)
    assert (iki.target, iki.satuan) == ("24", "surat")
    # Invalid input keeps the row open with the message and the input as typed.
    token = autosave_token(client, draft.id, slot)
    r = client.post(
        f"/skp/{draft.id}/draf/{slot}",
        data={**fields, f"{slot}-target": "dua", "token": token, "simpan": "1"},
        headers=HX,
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "editing" in body and 'value="dua"' in body and "Target harus berupa angka" in body
    db.session.refresh(iki)
    assert iki.target == "24"


def autosave_token(client, skp_id: int, slot: str) -> str:
    form = client.get(f"/skp/{skp_id}/baris/{slot}?ubah=1", headers=HX).get_data(as_text=True)
    return re.search(r'id="token-[^"]+" value="([0-9a-f]+)"', form).group(1)


def test_typing_in_an_open_row_is_a_draft_until_simpan_and_batal_drops_it(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    rhk = draft.rhks[0]
    slot = f"rhk-{rhk.id}"
    token = autosave_token(client, draft.id, slot)
    r = client.post(
        f"/skp/{draft.id}/draf/{slot}",
        data={f"{slot}-uraian": "Setengah diketik", "token": token, "draf": "1"},
        headers=HX,
    )
    assert r.status_code == 200 and "Draf tersimpan" in r.get_data(as_text=True)
    db.session.refresh(rhk)
    assert rhk.uraian == "Surat teragenda" and [d.slot for d in _drafts(draft.id)] == [slot]
    # A reload shows the row open with what was typed: nothing typed is hidden behind the saved text.
    page = client.get(f"/skp/{draft.id}").get_data(as_text=True)
    assert "Setengah diketik</textarea>" in _row(page, slot)
    # Batal (Esc): the row as saved, the draft gone.
    r = client.post(f"/skp/{draft.id}/draf/{slot}", data={"batal": "1", "token": token}, headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Surat teragenda" in body and "editing" not in body and "Setengah" not in body
    assert _drafts(draft.id) == []
    db.session.refresh(rhk)
    assert rhk.uraian == "Surat teragenda"
    # Without JavaScript Batal goes back to the page at the row.
    r = client.post(f"/skp/{draft.id}/draf/{slot}", data={"batal": "1"})
    assert r.status_code == 303 and r.location.endswith(f"/skp/{draft.id}#{slot}")


def test_only_the_owner_opens_a_row_for_editing(app, org_chart, draft):
    slot = f"rhk-{draft.rhks[0].id}"
    assert (
        app.test_client(user=org_chart.u_kasi).get(f"/skp/{draft.id}/baris/{slot}?ubah=1", headers=HX).status_code
        == 403
    )
    atasan_page = app.test_client(user=org_chart.u_kasi).get(f"/skp/{draft.id}?ubah={slot}").get_data(as_text=True)
    assert "editing" not in _row(atasan_page, slot)
    assert app.test_client(user=org_chart.u_other).get(
        f"/skp/{draft.id}/baris/{slot}?ubah=1", headers=HX
    ).status_code in (
        403,
        404,
    )
    assert app.test_client(user=org_chart.u_staff).get(f"/skp/{draft.id}/baris/rhk-baru", headers=HX).status_code == 404


def _revised_and_submitted(app, org_chart, period):
    """v1 approved with three RHK; v2 changes one, drops one, adds one and an indicator, and is submitted."""
    v1 = make_skp(
        org_chart.staff1,
        period,
        status=SkpStatus.APPROVED,
        rhks=(("Surat teragenda", None), ("Arsip tertata", None), ("Rapat terlaksana", None)),
        appraiser=org_chart.kasi,
    )
    staff = app.test_client(user=org_chart.u_staff)
    assert staff.post(f"/skp/{v1.id}/versi-baru", data={"reason": "Tugas baru dari kepala dinas"}).status_code == 303
    v2 = db.session.scalar(select(Skp).where(Skp.previous_id == v1.id))
    by_text = {r.uraian: r for r in v2.rhks}
    by_text["Surat teragenda"].uraian = "Surat teragenda secara elektronik"
    db.session.delete(by_text["Arsip tertata"])
    by_text["Rapat terlaksana"].indikators.append(
        Indikator(aspek=Aspek.WAKTU, indikator="Notulen terbit", target="3", satuan="hari")
    )
    v2.rhks.append(Rhk(kategori=by_text["Rapat terlaksana"].kategori, uraian="Aplikasi surat dipakai", position=9))
    v2.status, v2.appraiser_id = SkpStatus.SUBMITTED, org_chart.kasi.id
    db.session.commit()
    return v1, v2


def test_the_atasan_reviews_the_diff_against_the_previous_version(app, org_chart, period):
    v1, v2 = _revised_and_submitted(app, org_chart, period)
    body = app.test_client(user=org_chart.u_kasi).get(f"/skp/{v2.id}").get_data(as_text=True)
    assert "Dibanding versi 1" in body and "1 RHK baru, 2 RHK diubah, 1 RHK dihapus." in body
    rows = {r.uraian: r for r in db.session.get(Skp, v2.id).rhks}
    assert "diff-ubah" in _row(body, f"rhk-{rows['Surat teragenda secara elektronik'].id}")
    assert "Uraian: «Surat teragenda» → «Surat teragenda secara elektronik»" in body
    assert "diff-tambah" in _row(body, f"rhk-{rows['Aplikasi surat dipakai'].id}")
    new_iki = next(i for i in rows["Rapat terlaksana"].indikators if i.indikator == "Notulen terbit")
    assert "diff-tambah" in _row(body, f"iki-{new_iki.id}")
    unchanged_iki = next(i for i in rows["Rapat terlaksana"].indikators if i.indikator != "Notulen terbit")
    assert "diff-tambah" not in _row(body, f"iki-{unchanged_iki.id}")
    assert re.search(r'<li class="diff-hapus">.*<del>Arsip tertata</del>', body)
    # The pegawai's own page and a first version show no review diff.
    assert "Dibanding versi" not in app.test_client(user=org_chart.u_staff).get(f"/skp/{v2.id}").get_data(as_text=True)


def test_ekspektasi_khusus_are_written_by_the_atasan_not_the_pegawai(app, org_chart, draft):
    staff = app.test_client(user=org_chart.u_staff)
    atasan = app.test_client(user=org_chart.u_kasi)
    data = {"ekspektasi-0": "Melayani tamu dinas dengan ramah"}
    assert staff.post(f"/skp/{draft.id}/perilaku", data=data).status_code == 403
    assert app.test_client(user=org_chart.u_other).post(f"/skp/{draft.id}/perilaku", data=data).status_code in (
        403,
        404,
    )
    own = staff.get(f"/skp/{draft.id}").get_data(as_text=True)
    assert 'name="ekspektasi-0"' not in own and "diisi oleh pejabat penilai" in own
    page = atasan.get(f"/skp/{draft.id}").get_data(as_text=True)
    assert 'name="ekspektasi-0"' in page
    assert atasan.post(f"/skp/{draft.id}/perilaku", data=data).status_code == 303
    assert db.session.get(Skp, draft.id).perilaku[0].ekspektasi_khusus == "Melayani tamu dinas dengan ramah"
    # Also while the SKP waits for the atasan's decision; no longer once it is approved.
    draft.status, draft.appraiser_id = SkpStatus.SUBMITTED, org_chart.kasi.id
    db.session.commit()
    assert atasan.post(f"/skp/{draft.id}/perilaku", data=data).status_code == 303
    draft.status = SkpStatus.APPROVED
    db.session.commit()
    assert atasan.post(f"/skp/{draft.id}/perilaku", data=data).status_code == 403


def test_an_open_row_with_unsaved_typing_blocks_submitting(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    slot = f"rhk-{draft.rhks[0].id}"
    token = autosave_token(client, draft.id, slot)
    client.post(
        f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "Teks baru", "token": token, "draf": "1"}, headers=HX
    )
    r = client.post(f"/skp/{draft.id}/ajukan")
    assert r.status_code == 422 and "belum disimpan" in r.get_data(as_text=True)
    assert db.session.get(Skp, draft.id).status == SkpStatus.DRAFT
    # Simpan, then the SKP goes to the atasan with the new text.
    token = autosave_token(client, draft.id, slot)
    client.post(
        f"/skp/{draft.id}/draf/{slot}", data={f"{slot}-uraian": "Teks baru", "token": token, "simpan": "1"}, headers=HX
    )
    assert client.post(f"/skp/{draft.id}/ajukan").status_code == 303
    assert db.session.get(Rhk, draft.rhks[0].id).uraian == "Teks baru"
