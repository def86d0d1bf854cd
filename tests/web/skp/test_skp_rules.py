"""SKP rules through the web layer: bad input, immutability, versions, cascading links, pohon kinerja."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from kinerja_web.domain import DomainError
from kinerja_web.domain.skp import SkpJenis
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Evidence, Notification, Realisasi, Rhk, Skp
from kinerja_web.services.skp import cascade, planning, progress, workflow
from tests import upload_files

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import PDF_BYTES, PNG_BYTES, iki_data, make_skp


@pytest.fixture
def draft(org_chart, period, kasi_skp):
    return make_skp(org_chart.staff1, period, rhks=(("Surat teragenda", kasi_skp.rhks[0]),))


# --- bad input ---------------------------------------------------------------------------------------------


def test_empty_rhk_is_refused_with_a_message_next_to_the_field(app, org_chart, draft, kasi_skp):
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{draft.id}/rhk", data={"kategori": "utama", "uraian": "   ", "parent_rhk_id": kasi_skp.rhks[0].id}
    )
    assert r.status_code == 422
    assert "Uraian RHK wajib diisi." in r.get_data(as_text=True)
    assert len(db.session.scalars(select(Rhk).where(Rhk.skp_id == draft.id)).all()) == 1


def test_non_numeric_target_on_a_quantitative_skp_is_refused(app, org_chart, draft):
    rhk = draft.rhks[0]
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{draft.id}/rhk/{rhk.id}/iki",
        data=iki_data(rhk.id, "Jumlah surat", "dua belas", "surat"),
    )
    assert r.status_code == 422
    body = r.get_data(as_text=True)
    assert "Target harus berupa angka" in body and 'value="dua belas"' in body  # input kept
    assert len(rhk.indikators) == 1


def test_negative_target_is_refused(app, org_chart, draft):
    with pytest.raises(DomainError, match="negatif"):
        planning.add_indikator(draft.rhks[0], "kuantitas", "Jumlah", "-5", "surat")


def test_qualitative_skp_accepts_a_described_target(app, org_chart, period):
    skp = make_skp(org_chart.staff2, period, jenis=SkpJenis.KUALITATIF, rhks=(("Layanan prima", None),))
    iki = planning.add_indikator(skp.rhks[0], "kualitas", "Kepuasan pengguna", "Tidak ada keluhan tertulis", "")
    assert iki.target == "Tidak ada keluhan tertulis"


def test_linking_to_an_rhk_of_someone_who_is_not_the_atasan_is_refused(app, org_chart, period, draft):
    stranger = make_skp(org_chart.other, period, rhks=(("RHK orang lain", None),))
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{draft.id}/rhk",
        data={"kategori": "utama", "uraian": "RHK saya", "parent_rhk_id": stranger.rhks[0].id},
    )
    assert r.status_code == 422
    assert "Pilihan tidak sah" in r.get_data(as_text=True) or "bukan RHK pejabat penilai" in r.get_data(as_text=True)


def test_inline_validation_returns_the_field_with_its_error(app, org_chart, draft):
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{draft.id}/validasi",
        data=iki_data(draft.rhks[0].id, "x", "abc", "surat"),
        headers={"HX-Request": "true", "HX-Trigger-Name": f"r{draft.rhks[0].id}-target"},
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and f'id="field-r{draft.rhks[0].id}-target"' in body and "harus berupa angka" in body
    assert "<html" not in body


def test_adding_an_rhk_with_htmx_returns_the_table_fragment(app, org_chart, draft, kasi_skp):
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{draft.id}/rhk",
        data={"kategori": "utama", "uraian": "Arsip tertata", "parent_rhk_id": kasi_skp.rhks[1].id},
        headers={"HX-Request": "true"},
    )
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Arsip tertata" in body and 'id="hasil-kerja-body"' in body
    assert "<html" not in body and "HX-Request" in r.headers.get("Vary", "")


def _approved(org_chart, period, kasi_skp):
    return make_skp(
        org_chart.staff1,
        period,
        status=SkpStatus.APPROVED,
        appraiser=org_chart.kasi,
        rhks=(("Surat teragenda", kasi_skp.rhks[0]),),
    )


def _upload(client, skp, data: bytes, name: str):
    iki = skp.rhks[0].indikators[0]
    return client.post(
        f"/skp/{skp.id}/realisasi?periode=1",
        data={"indikator_id": iki.id, f"nilai-{iki.id}": "5", f"bukti-{iki.id}": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_an_executable_renamed_pdf_is_refused_as_evidence(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    r = _upload(app.test_client(user=org_chart.u_staff), skp, b"MZ\x90\x00" + b"\x00" * 100, "laporan.pdf")
    assert r.status_code == 422
    assert "Bukti dukung harus berkas PDF, PNG, JPEG, atau dokumen Office" in r.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Realisasi.id))) == 0


def test_a_too_large_evidence_file_is_refused(app, org_chart, period, kasi_skp, monkeypatch):
    monkeypatch.setattr(progress, "EVIDENCE_MAX_BYTES", 1024)
    skp = _approved(org_chart, period, kasi_skp)
    r = _upload(app.test_client(user=org_chart.u_staff), skp, PDF_BYTES + b"0" * 2048, "besar.pdf")
    assert r.status_code == 422 and "melebihi batas" in r.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Evidence.id))) == 0


def test_a_png_image_is_accepted_as_evidence(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    assert _upload(app.test_client(user=org_chart.u_staff), skp, PNG_BYTES, "foto.png").status_code == 303
    assert db.session.scalar(select(Evidence.content_type)) == "image/png"


def test_non_numeric_realisasi_is_refused_and_the_input_kept(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    iki = skp.rhks[0].indikators[0]
    r = app.test_client(user=org_chart.u_staff).post(
        f"/skp/{skp.id}/realisasi?periode=1", data={"indikator_id": iki.id, f"nilai-{iki.id}": "banyak"}
    )
    assert r.status_code == 422 and 'value="banyak"' in r.get_data(as_text=True)


# --- workflow ----------------------------------------------------------------------------------------------


def test_approved_skp_cannot_be_edited(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    client = app.test_client(user=org_chart.u_staff)
    assert client.post(f"/skp/{skp.id}/rhk", data={"kategori": "tambahan", "uraian": "X"}).status_code == 403
    rhk = skp.rhks[0]
    assert client.post(f"/skp/{skp.id}/rhk/{rhk.id}/hapus").status_code == 403
    with pytest.raises(DomainError):
        planning.update_rhk(rhk, "utama", "diam-diam diubah", None, period.start_date)


def test_submitting_twice_changes_nothing_the_second_time(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    assert client.post(f"/skp/{draft.id}/ajukan").status_code == 303
    r = client.post(f"/skp/{draft.id}/ajukan")
    assert r.status_code == 422 and "sudah diajukan" in r.get_data(as_text=True)
    assert (
        db.session.scalar(select(db.func.count(Notification.id)).where(Notification.user_id == org_chart.u_kasi.id))
        == 1
    )


def test_double_click_on_approve_approves_once(app, org_chart, period, kasi_skp):
    skp = make_skp(
        org_chart.staff1,
        period,
        status=SkpStatus.SUBMITTED,
        appraiser=org_chart.kasi,
        rhks=(("Surat teragenda", kasi_skp.rhks[0]),),
    )
    client = app.test_client(user=org_chart.u_kasi)
    assert client.post(f"/skp/{skp.id}/setujui").status_code == 303
    r = client.post(f"/skp/{skp.id}/setujui", follow_redirects=True)
    assert "sudah diproses" in r.get_data(as_text=True)
    assert (
        db.session.scalar(
            select(db.func.count(Notification.id)).where(
                Notification.user_id == org_chart.u_staff.id, Notification.kind == "skp_disetujui"
            )
        )
        == 1
    )


def test_guarded_update_refuses_when_the_row_was_already_approved(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    # Another request approved it behind this session's back: the in-memory object still says "diajukan".
    db.session.execute(
        Skp.__table__.update().where(Skp.__table__.c.id == skp.id).values(status=SkpStatus.APPROVED.value)
    )
    with app.test_request_context(), pytest.raises(DomainError, match="sudah diproses"):
        workflow.approve_skp(skp, org_chart.u_kasi, period.start_date)


def test_returning_needs_at_least_one_comment(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    r = app.test_client(user=org_chart.u_kasi).post(f"/skp/{skp.id}/kembalikan", data={})
    assert r.status_code == 422 and "sekurang-kurangnya satu catatan" in r.get_data(as_text=True)


def test_new_version_needs_a_reason_and_shows_a_diff_after_changes(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    staff = app.test_client(user=org_chart.u_staff)
    r = staff.post(f"/skp/{skp.id}/versi-baru", data={"reason": ""})
    assert r.status_code == 422 and "Alasan perubahan wajib diisi." in r.get_data(as_text=True)
    r = staff.post(f"/skp/{skp.id}/versi-baru", data={"reason": "Mutasi tugas"})
    assert r.status_code == 303
    v2 = db.session.scalars(select(Skp).where(Skp.previous_id == skp.id)).one()
    assert v2.version == 2 and v2.status == SkpStatus.DRAFT and v2.rhks[0].parent_rhk_id == kasi_skp.rhks[0].id
    assert db.session.get(Skp, skp.id).status == SkpStatus.APPROVED  # still in force until v2 is approved
    staff.post(
        f"/skp/{v2.id}/rhk/{v2.rhks[0].id}/ubah",
        data={"kategori": "utama", "uraian": "Surat teragenda elektronik", "parent_rhk_id": kasi_skp.rhks[0].id},
    )
    staff.post(f"/skp/{v2.id}/rhk", data={"kategori": "tambahan", "uraian": "Panitia HUT"})
    history = staff.get(f"/skp/{v2.id}/riwayat").get_data(as_text=True)
    assert "Surat teragenda elektronik" in history and "RHK ditambah" in history and "Mutasi tugas" in history

    panitia = db.session.scalars(select(Rhk).where(Rhk.skp_id == v2.id, Rhk.uraian == "Panitia HUT")).one()
    staff.post(
        f"/skp/{v2.id}/rhk/{panitia.id}/iki",
        data=iki_data(panitia.id, "Jumlah kegiatan", "1", "kegiatan"),
    )
    r = staff.post(f"/skp/{v2.id}/ajukan")
    assert r.status_code == 303
    assert app.test_client(user=org_chart.u_kasi).post(f"/skp/{v2.id}/setujui").status_code == 303
    assert db.session.get(Skp, skp.id).status == SkpStatus.REPLACED
    assert db.session.get(Skp, v2.id).status == SkpStatus.APPROVED


# --- cascading ---------------------------------------------------------------------------------------------


def test_staff_drafting_before_the_atasan_links_provisionally_and_is_told_when_it_is_approved(
    app, org_chart, period, u_kabid
):
    kasi_draft = make_skp(org_chart.kasi, period, rhks=(("Layanan administrasi", None),))
    staff_skp = make_skp(org_chart.staff1, period, rhks=())
    with app.test_request_context():
        rhk = planning.add_rhk(staff_skp, "utama", "Surat teragenda", kasi_draft.rhks[0].id, period.start_date)
        assert rhk.provisional
        kasi_draft.status = SkpStatus.SUBMITTED
        kasi_draft.appraiser_id = org_chart.kabid.id
        db.session.flush()
        workflow.approve_skp(kasi_draft, u_kabid, period.start_date)
    db.session.refresh(rhk)
    assert not rhk.provisional and rhk.parent_rhk_id == kasi_draft.rhks[0].id
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == org_chart.u_staff.id)) == (
        "rhk_atasan_ditetapkan"
    )


def test_staff_without_any_atasan_rhk_gets_a_pending_link(app, org_chart, period):
    staff_skp = make_skp(org_chart.staff1, period, rhks=())
    with app.test_request_context():
        rhk = planning.add_rhk(staff_skp, "utama", "Surat teragenda", None, period.start_date)
    assert rhk.provisional and rhk.parent_rhk_id is None


def test_removing_an_atasan_rhk_flags_and_notifies_the_linked_staff(app, org_chart, period):
    kasi_draft = make_skp(org_chart.kasi, period, rhks=(("Layanan administrasi", None),))
    staff_skp = make_skp(org_chart.staff1, period, rhks=(("Surat teragenda", kasi_draft.rhks[0]),), provisional=True)
    with app.test_request_context():
        planning.delete_rhk(kasi_draft.rhks[0])
    child = staff_skp.rhks[0]
    db.session.refresh(child)
    assert child.link_broken and child.parent_rhk_id is None
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == org_chart.u_staff.id)) == (
        "rhk_atasan_dihapus"
    )
    with app.test_request_context(), pytest.raises(DomainError, match="pilih ulang"):
        workflow.submit_skp(staff_skp, org_chart.u_staff, period.start_date)


def test_changing_an_atasan_rhk_text_notifies_the_linked_staff(app, org_chart, period):
    kasi_draft = make_skp(org_chart.kasi, period, rhks=(("Layanan administrasi", None),))
    make_skp(org_chart.staff1, period, rhks=(("Surat teragenda", kasi_draft.rhks[0]),), provisional=True)
    with app.test_request_context():
        planning.update_rhk(kasi_draft.rhks[0], "utama", "Layanan administrasi digital", None, period.start_date)
    msg = db.session.scalar(select(Notification.message).where(Notification.user_id == org_chart.u_staff.id))
    assert "Layanan administrasi digital" in msg


def test_pohon_kinerja_counts_coverage_orphans_and_unsupported_rhk(app, org_chart, period):
    head = make_skp(org_chart.head, period, rhks=(("Meningkatnya kinerja dinas", None),))
    kabid = make_skp(org_chart.kabid, period, rhks=(("Program bidang", head.rhks[0]), ("Program dua", head.rhks[0])))
    kasi = make_skp(org_chart.kasi, period, rhks=(("Kegiatan seksi", kabid.rhks[0]), ("Kegiatan lain", None)))
    make_skp(org_chart.staff1, period, rhks=(("Surat teragenda", kasi.rhks[0]),))
    make_skp(org_chart.staff2, period, rhks=(("Data terolah", None),))
    tree = cascade.pohon_kinerja(org_chart.opd, period)
    # staff RHK utama (everyone below the head): kabid 2 linked, kasi 1 of 2, staff1 1, staff2 0 → 4 of 6
    assert (tree.linked, tree.total) == (4, 6)
    assert str(tree.coverage) == "66.7"
    assert {r.uraian for r in tree.orphans} == {"Kegiatan lain", "Data terolah"}
    assert {r.uraian for r in tree.unsupported} == {"Program dua", "Kegiatan lain"}
    assert [n.rhk.uraian for n in tree.roots] == ["Meningkatnya kinerja dinas"]
    page = app.test_client(user=org_chart.u_hr).get(f"/skp/pohon?unit={org_chart.opd.id}&periode={period.id}")
    assert "66,7%" in page.get_data(as_text=True)


def test_second_tab_saving_an_rhk_is_told_about_the_conflict_and_keeps_its_input(app, org_chart, draft, kasi_skp):
    client = app.test_client(user=org_chart.u_staff)
    rhk = draft.rhks[0]
    stale = str(draft.lock_version)
    data = {"kategori": "utama", "parent_rhk_id": kasi_skp.rhks[0].id, "lock_version": stale}
    assert client.post(f"/skp/{draft.id}/rhk/{rhk.id}/ubah", data={**data, "uraian": "Tab pertama"}).status_code == 303
    r = client.post(f"/skp/{draft.id}/rhk/{rhk.id}/ubah", data={**data, "uraian": "Tab kedua"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and "telah diubah di tab atau perangkat lain" in body and "Tab kedua" in body
    db.session.refresh(rhk)
    assert rhk.uraian == "Tab pertama"


def test_render_skp_context_is_plain_data_for_the_pdf(app, org_chart, period, kasi_skp):
    from kinerja_web.services.skp.records import render_skp_context

    with app.test_request_context():
        doc = render_skp_context(kasi_skp, period.start_date)
    assert doc["pegawai"]["nama"] == "Kasi Uji" and doc["penilai"]["nama"] == "Kabid Uji"
    assert [g["kode"] for g in doc["hasil_kerja"]] == ["A", "B"]
    assert doc["hasil_kerja"][0]["rhk"][0]["indikator"][0] == {
        "aspek": "Kuantitas",
        "indikator": "Jumlah Terlaksananya layanan administrasi",
        "target": "12 dokumen",
    }
    assert len(doc["perilaku"]) == 7 and len(doc["perilaku"][0]["panduan"]) == 3
    assert set(doc["lampiran"]) == {"dukungan_sumber_daya", "skema_pertanggungjawaban", "konsekuensi"}


def test_inbox_lists_realisasi_entered_since_the_last_feedback(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    staff, atasan = app.test_client(user=org_chart.u_staff), app.test_client(user=org_chart.u_kasi)
    assert _upload(staff, skp, PDF_BYTES, "a.pdf").status_code == 303
    assert "Lihat realisasi" in atasan.get("/skp/persetujuan").get_data(as_text=True)
    atasan.post(f"/skp/{skp.id}/umpan-balik", data={"target": f"rhk-{skp.rhks[0].id}", "body": "Baik."})
    assert "Tidak ada realisasi baru" in atasan.get("/skp/persetujuan").get_data(as_text=True)


def test_approval_freezes_an_acting_appraiser_with_the_plt_prefix(app, org_chart, period, make_employee):
    from datetime import date as _date

    from kinerja_web.models import AssignmentKind, PositionAssignment

    acting = make_employee("Pejabat Plt", org_chart.p_kabid, with_history=False)
    db.session.add(
        PositionAssignment(
            employee=acting, position=org_chart.p_kasi, kind=AssignmentKind.PLT, start_date=_date(2026, 1, 1)
        )
    )
    db.session.commit()
    from kinerja_web.models import Role, User

    u_acting = User(username="plt1", employee=acting, session_token="tok", password_hash="x")
    u_acting.set_roles({Role.PEGAWAI})
    db.session.add(u_acting)
    db.session.commit()
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=acting)
    assert app.test_client(user=org_chart.u_kasi).post(f"/skp/{skp.id}/setujui").status_code == 403
    assert app.test_client(user=u_acting).post(f"/skp/{skp.id}/setujui").status_code == 303
    db.session.refresh(skp)
    assert skp.penilai_nama == "Pejabat Plt" and skp.penilai_jabatan == "Plt. Kepala Seksi Uji"


def test_evidence_with_a_non_ascii_name_downloads(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    client = app.test_client(user=org_chart.u_staff)
    assert _upload(client, skp, PDF_BYTES, "laporan triwulan—Ⅰ.pdf").status_code == 303
    ev = db.session.scalars(select(Evidence)).one()
    r = client.get(f"/skp/bukti/{ev.id}")
    assert r.status_code == 200 and r.headers["X-Content-Type-Options"] == "nosniff"
    assert "filename*=UTF-8''laporan" in r.headers["Content-Disposition"]


def test_lampiran_autosaves_with_htmx_and_saves_with_a_plain_post(app, org_chart, draft):
    client = app.test_client(user=org_chart.u_staff)
    data = {"dukungan_sumber_daya": "Laptop", "skema_pertanggungjawaban": "Laporan bulanan", "konsekuensi": ""}
    r = client.post(f"/skp/{draft.id}/lampiran", data=data, headers={"HX-Request": "true"})
    assert r.status_code == 200 and "Tersimpan otomatis" in r.get_data(as_text=True)
    assert db.session.get(Skp, draft.id).dukungan_sumber_daya == "Laptop"
    assert client.post(f"/skp/{draft.id}/lampiran", data=data).status_code == 303
    # Ekspektasi khusus are the pejabat penilai's (test_skp_editor.py): the atasan autosaves them the same way.
    r = app.test_client(user=org_chart.u_kasi).post(
        f"/skp/{draft.id}/perilaku", data={"ekspektasi-1": "Lapor tepat waktu"}, headers={"HX-Request": "true"}
    )
    assert "Tersimpan otomatis" in r.get_data(as_text=True)


def test_moving_an_rhk_up_reorders_it_with_and_without_htmx(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period, rhks=(("Pertama", None), ("Kedua", None), ("Ketiga", None)))
    client = app.test_client(user=org_chart.u_staff)
    third = next(r for r in skp.rhks if r.uraian == "Ketiga")
    assert client.post(f"/skp/{skp.id}/rhk/{third.id}/pindah", data={"arah": "naik"}).status_code == 303
    r = client.post(f"/skp/{skp.id}/rhk/{third.id}/pindah", data={"arah": "naik"}, headers={"HX-Request": "true"})
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and body.index("Ketiga") < body.index("Pertama") < body.index("Kedua")


def test_bulk_approve_takes_only_unchanged_resubmissions(app, org_chart, period, kasi_skp, u_staff2):

    def resubmitted(employee, change: bool) -> Skp:
        v1 = make_skp(
            employee,
            period,
            status=SkpStatus.APPROVED,
            appraiser=org_chart.kasi,
            rhks=(("Surat teragenda", kasi_skp.rhks[0]),),
        )
        with app.test_request_context():
            v2 = planning.revise_skp(v1, "Penyesuaian")
            if change:
                v2.rhks[0].uraian = "Surat teragenda elektronik"
            v2.status, v2.appraiser_id = SkpStatus.SUBMITTED, org_chart.kasi.id
        db.session.commit()
        return v2

    same = resubmitted(org_chart.staff1, change=False)
    changed = resubmitted(org_chart.staff2, change=True)
    client = app.test_client(user=org_chart.u_kasi)
    assert "tanpa beda" in client.get("/skp/persetujuan").get_data(as_text=True)
    r = client.post("/skp/persetujuan/massal", data={"skp_id": [str(same.id), str(changed.id)]})
    assert r.status_code == 303
    assert db.session.get(Skp, same.id).status == SkpStatus.APPROVED
    assert db.session.get(Skp, changed.id).status == SkpStatus.SUBMITTED


def test_a_docx_holding_a_program_is_refused_at_its_field_and_the_input_is_kept(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    iki = skp.rhks[0].indikators[0]
    trojan = upload_files.docx({"word/media/setup.exe": b"MZ\x90\x00" + b"\x00" * 100})
    r = _upload(app.test_client(user=org_chart.u_staff), skp, trojan, "laporan.docx")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and f'id="err-bukti-{iki.id}"' in body
    assert "Dokumen Office memuat berkas program “setup.exe” yang tidak diizinkan." in body
    assert f'name="nilai-{iki.id}"' in body and 'value="5"' in body
    assert db.session.scalar(select(db.func.count(Evidence.id))) == 0


def test_evidence_is_stored_without_anything_appended_and_served_as_a_download(app, org_chart, period, kasi_skp):
    skp = _approved(org_chart, period, kasi_skp)
    client = app.test_client(user=org_chart.u_staff)
    assert _upload(client, skp, PNG_BYTES + upload_files.HTML, "foto.png").status_code == 303
    ev = db.session.scalars(select(Evidence)).one()
    assert (ev.data, ev.size) == (PNG_BYTES, len(PNG_BYTES))
    r = client.get(f"/skp/bukti/{ev.id}")
    assert r.data == PNG_BYTES and r.mimetype == "image/png"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Content-Disposition"] == "attachment; filename=foto.png"
