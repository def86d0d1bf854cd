"""The issue's "done when" path, through the HTTP layer, as a new user would walk it."""

from __future__ import annotations

import io

from sqlalchemy import select

from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import Evidence, Feedback, Notification, Realisasi, ReviewComment, Rhk, Skp

from ..skp_fixtures import *  # noqa: F403
from ..skp_fixtures import PDF_BYTES, iki_data, make_skp


def _new_skp(client, period) -> Skp:
    r = client.post("/skp/baru", data={"period_id": period.id, "jenis": "kuantitatif", "source": "kosong"})
    assert r.status_code == 303, r.get_data(as_text=True)
    return db.session.scalars(select(Skp).order_by(Skp.id.desc())).first()


def test_employee_drafts_submits_fixes_and_gets_approval_then_reports_and_receives_feedback(
    app, org_chart, period, kasi_skp
):
    staff = app.test_client(user=org_chart.u_staff)
    atasan = app.test_client(user=org_chart.u_kasi)
    parent = kasi_skp.rhks[0]

    skp = _new_skp(staff, period)
    assert skp.status == SkpStatus.DRAFT and len(skp.perilaku) == 7
    page = staff.get(f"/skp/{skp.id}").get_data(as_text=True)
    assert "Terlaksananya layanan administrasi" in page  # the atasan's RHK is offered

    r = staff.post(
        f"/skp/{skp.id}/rhk", data={"kategori": "utama", "uraian": "Surat masuk teragenda", "parent_rhk_id": parent.id}
    )
    assert r.status_code == 303
    rhk = db.session.scalars(select(Rhk).where(Rhk.skp_id == skp.id)).one()
    assert rhk.parent_rhk_id == parent.id and not rhk.provisional
    r = staff.post(
        f"/skp/{skp.id}/rhk/{rhk.id}/iki",
        data=iki_data(rhk.id, "Jumlah surat diagendakan", "1.200", "surat"),
    )
    assert r.status_code == 303
    assert rhk.indikators[0].target == "1200"

    assert staff.post(f"/skp/{skp.id}/ajukan").status_code == 303
    db.session.refresh(skp)
    assert skp.status == SkpStatus.SUBMITTED and skp.appraiser_id == org_chart.kasi.id
    assert db.session.scalar(select(Notification).where(Notification.user_id == org_chart.u_kasi.id))

    inbox = atasan.get("/skp/persetujuan").get_data(as_text=True)
    assert "Staf Satu" in inbox
    r = atasan.post(f"/skp/{skp.id}/kembalikan", data={f"komentar-{rhk.id}": "Target terlalu rendah."})
    assert r.status_code == 303
    db.session.refresh(skp)
    assert skp.status == SkpStatus.RETURNED
    assert "Target terlalu rendah." in staff.get(f"/skp/{skp.id}").get_data(as_text=True)

    iki = rhk.indikators[0]
    r = staff.post(
        f"/skp/{skp.id}/iki/{iki.id}/ubah",
        data={"aspek": "kuantitas", "indikator": "Jumlah surat diagendakan", "target": "1500", "satuan": "surat"},
    )
    assert r.status_code == 303
    assert staff.post(f"/skp/{skp.id}/ajukan").status_code == 303
    assert db.session.scalar(select(ReviewComment.resolved).where(ReviewComment.skp_id == skp.id)) is True

    assert atasan.post(f"/skp/{skp.id}/setujui").status_code == 303
    db.session.refresh(skp)
    assert skp.status == SkpStatus.APPROVED
    assert skp.pegawai_nama == "Staf Satu" and skp.penilai_nama == "Kasi Uji"
    assert skp.penilai_jabatan == "Kepala Seksi Uji"

    r = staff.post(
        f"/skp/{skp.id}/realisasi?periode=1",
        data={
            "indikator_id": iki.id,
            f"nilai-{iki.id}": "410",
            f"keterangan-{iki.id}": "Triwulan I",
            f"bukti-{iki.id}": (io.BytesIO(PDF_BYTES), "agenda.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert r.status_code == 303, r.get_data(as_text=True)
    real = db.session.scalars(select(Realisasi).where(Realisasi.indikator_id == iki.id)).one()
    ev = db.session.scalars(select(Evidence).where(Evidence.realisasi_id == real.id)).one()
    assert ev.content_type == "application/pdf"
    assert atasan.get(f"/skp/bukti/{ev.id}").data == PDF_BYTES

    r = atasan.post(f"/skp/{skp.id}/umpan-balik", data={"target": f"rhk-{rhk.id}", "body": "Bagus, pertahankan."})
    assert r.status_code == 303
    r = staff.post(f"/skp/{skp.id}/umpan-balik", data={"target": "nilai-Akuntabel", "body": "Terima kasih."})
    assert r.status_code == 303
    assert db.session.scalar(select(db.func.count(Feedback.id)).where(Feedback.skp_id == skp.id)) == 2
    page = staff.get(f"/skp/{skp.id}/umpan-balik").get_data(as_text=True)
    assert "Bagus, pertahankan." in page and "Terima kasih." in page


def test_print_view_shows_the_frozen_people_and_the_berakhlak_guides(app, org_chart, period, kasi_skp):
    r = app.test_client(user=org_chart.u_kasi).get(f"/skp/{kasi_skp.id}/cetak")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "SASARAN KINERJA PEGAWAI" in body and "Melakukan perbaikan tiada henti" in body
    assert "Terlaksananya layanan administrasi" in body


def test_returning_without_any_note_says_so_next_to_the_note_field(app, org_chart, period):
    skp = make_skp(org_chart.staff1, period, status=SkpStatus.SUBMITTED, appraiser=org_chart.kasi)
    r = app.test_client(user=org_chart.u_kasi).post(f"/skp/{skp.id}/kembalikan", data={"note": "  "})
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="err-note"' in body and "sekurang-kurangnya satu catatan" in body
    assert db.session.get(Skp, skp.id).status == SkpStatus.SUBMITTED
