"""Keberatan (PP 30/2019 Pasal 59): filing within 14 days, explanations from both sides, the atasan's final
decision, payroll re-fed and the evaluation document re-issued with the old one revoked and linked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kinerja_web.blueprints.rating import keberatan_views
from kinerja_web.domain.documents import DocStatus
from kinerja_web.domain.keberatan import KeberatanStatus, Putusan
from kinerja_web.domain.predikat import Predikat
from kinerja_web.extensions import db
from kinerja_web.models import AuditLog, IssuedDocument, Keberatan, Notification, PayrollPredikat
from kinerja_web.services.rating import keberatan as keberatan_services
from tests import upload_files

from ..evaluation_fixtures import *  # noqa: F403
from ..evaluation_fixtures import GIVEN_ON

ALASAN = "Realisasi saya melampaui target dan bukti dukung lengkap, tetapi dinilai sesuai ekspektasi saja."
PERTIMBANGAN = "Bukti dukung menunjukkan capaian di atas target pada tiga dari empat triwulan."


def file_url(ns):
    return f"/penilaian-kinerja/{ns.period.id}/pegawai/{ns.staff1.id}/keberatan"


def k_url(keb, suffix=""):
    return f"/penilaian-kinerja/keberatan/{keb.id}{suffix}"


@pytest.fixture
def on_day(monkeypatch):
    """Pretend today (WIB) is `GIVEN_ON + n` days in the keberatan views."""

    def set_day(n: int):
        monkeypatch.setattr(keberatan_views, "today_wib", lambda: GIVEN_ON + timedelta(days=n))

    return set_day


def file(app, ns, user=None, alasan=ALASAN, **extra):
    return app.test_client(user=user or ns.u_staff).post(file_url(ns), data={"alasan": alasan, **extra})


def the_keberatan():
    return db.session.scalars(select(Keberatan)).one_or_none()


@pytest.fixture
def examined(app, locked, on_day):
    """Filed on day 3, explanations asked by the kabid (atasan pejabat penilai) and given by both sides."""
    on_day(3)
    assert file(app, locked).status_code == 303
    keb = the_keberatan()
    assert app.test_client(user=locked.u_kabid).post(k_url(keb, "/minta-penjelasan")).status_code == 303
    for user, text in ((locked.u_staff, "Bukti terlampir di SKP."), (locked.u_kasi, "Penilaian sesuai catatan saya.")):
        assert app.test_client(user=user).post(k_url(keb, "/penjelasan"), data={"penjelasan": text}).status_code == 303
    locked.keb = keb
    return locked


def test_filing_on_day_14_is_accepted_and_the_atasan_is_notified(app, locked, on_day):
    on_day(14)
    r = file(app, locked)
    assert r.status_code == 303
    keb = the_keberatan()
    assert keb.status == KeberatanStatus.DIAJUKAN and keb.atasan_id == locked.kabid.id
    assert keb.penilai_id == locked.kasi.id and keb.predikat_lama == Predikat.BAIK
    note = db.session.scalars(select(Notification).where(Notification.user_id == locked.u_kabid.id)).one()
    assert "mengajukan keberatan" in note.message


def test_filing_on_day_15_is_refused_with_the_deadline(app, locked, on_day):
    on_day(15)
    r = file(app, locked)
    assert r.status_code == 422
    text = r.get_data(as_text=True)
    assert "Batas waktu keberatan sudah lewat" in text and "18 Januari 2027" in text
    assert ALASAN in text  # the user's input is kept
    assert the_keberatan() is None


def test_a_second_keberatan_on_the_same_rating_is_refused(app, locked, on_day):
    on_day(1)
    assert file(app, locked).status_code == 303
    r = file(app, locked, alasan=ALASAN + " Tambahan.")
    assert r.status_code == 422 and "hanya dapat diajukan satu kali" in r.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Keberatan.id))) == 1


def test_another_person_cannot_file(app, locked, on_day):
    on_day(1)
    refused = file(app, locked, user=locked.u_kasi)
    assert refused.status_code == 403
    assert "hanya dapat diajukan oleh pegawai yang dinilai sendiri" in refused.get_data(as_text=True)
    assert file(app, locked, user=locked.u_hr).status_code == 403
    assert file(app, locked, user=locked.u_other).status_code == 404
    assert the_keberatan() is None


def test_a_short_reason_is_refused_next_to_the_field(app, locked, on_day):
    on_day(1)
    r = file(app, locked, alasan="tidak setuju")
    assert r.status_code == 422 and "Alasan 20–4000 karakter." in r.get_data(as_text=True)
    assert the_keberatan() is None


def test_attachment_must_be_pdf_or_image(app, locked, on_day):
    import io

    on_day(1)
    bad = file(app, locked, lampiran=(io.BytesIO(b"MZ executable"), "virus.exe"))
    assert bad.status_code == 422 and "PDF, PNG, atau JPEG" in bad.get_data(as_text=True)
    ok = file(app, locked, lampiran=(io.BytesIO(b"%PDF-1.4 bukti"), "bukti.pdf"))
    assert ok.status_code == 303
    keb = the_keberatan()
    got = app.test_client(user=locked.u_kabid).get(k_url(keb, "/lampiran"))
    assert got.status_code == 200 and got.data == b"%PDF-1.4 bukti" and got.mimetype == "application/pdf"


def test_only_the_atasan_asks_and_decides(app, locked, on_day):
    on_day(2)
    file(app, locked)
    keb = the_keberatan()
    for user in (locked.u_kasi, locked.u_hr, locked.u_staff):
        assert app.test_client(user=user).post(k_url(keb, "/minta-penjelasan")).status_code == 403
    assert app.test_client(user=locked.u_other).post(k_url(keb, "/minta-penjelasan")).status_code == 404
    data = {"putusan": "ditolak", "pertimbangan": PERTIMBANGAN}
    for user in (locked.u_kasi, locked.u_hr, locked.u_staff):
        assert app.test_client(user=user).post(k_url(keb, "/putusan"), data=data).status_code == 403


def test_decision_waits_for_both_explanations(app, locked, on_day):
    on_day(2)
    file(app, locked)
    keb = the_keberatan()
    kabid = app.test_client(user=locked.u_kabid)
    kabid.post(k_url(keb, "/minta-penjelasan"))
    app.test_client(user=locked.u_staff).post(k_url(keb, "/penjelasan"), data={"penjelasan": "Bukti terlampir."})
    r = kabid.post(k_url(keb, "/putusan"), data={"putusan": "ditolak", "pertimbangan": PERTIMBANGAN})
    assert r.status_code == 422 and "pejabat penilai kinerja belum diterima" in r.get_data(as_text=True)
    db.session.refresh(keb)
    assert keb.status == KeberatanStatus.DIPERIKSA


def _accept(app, ns):
    return app.test_client(user=ns.u_kabid).post(
        k_url(ns.keb, "/putusan"),
        data={
            "putusan": "diterima",
            "hasil_kerja": "di_atas",
            "perilaku_kerja": "di_atas",
            "pertimbangan": PERTIMBANGAN,
        },
    )


def test_accepted_keberatan_changes_predikat_feeds_payroll_and_reissues_the_document(app, examined):
    ns = examined
    old_doc = ns.doc
    r = _accept(app, ns)
    assert r.status_code == 303
    db.session.refresh(ns.keb)
    db.session.refresh(ns.rating)
    assert ns.keb.status == KeberatanStatus.DITETAPKAN and ns.keb.putusan == Putusan.DITERIMA
    assert ns.rating.predikat == Predikat.SANGAT_BAIK == ns.keb.predikat_baru
    payroll = db.session.scalars(select(PayrollPredikat).where(PayrollPredikat.employee_id == ns.staff1.id)).all()
    assert {p.predikat for p in payroll} == {"sangat_baik"} and len(payroll) == 12
    log = db.session.scalars(select(AuditLog).where(AuditLog.action == "keberatan_decision")).one()
    assert PERTIMBANGAN in log.summary
    db.session.refresh(old_doc)
    new_doc = db.session.get(IssuedDocument, ns.keb.document_id)
    assert old_doc.status == DocStatus.REVOKED and old_doc.replaced_by_id == new_doc.id and new_doc.is_valid
    assert new_doc.context["body"]["predikat"] == "Sangat Baik"
    assert new_doc.context["body"]["keberatan"]["pertimbangan"] == PERTIMBANGAN
    assert new_doc.signer_name == "Kabid Uji"  # the atasan pejabat penilai set the final result
    page = app.test_client().get(f"/verifikasi/{old_doc.verification_code}").get_data(as_text=True)
    assert "DICABUT" in page and f"/verifikasi/{new_doc.verification_code}" in page
    for user in (ns.u_staff, ns.u_kasi):
        assert db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.message.like("Keputusan atas keberatan%")
            )
        )


def test_rejected_keberatan_keeps_predikat_and_still_reissues(app, examined):
    ns = examined
    r = app.test_client(user=ns.u_kabid).post(
        k_url(ns.keb, "/putusan"), data={"putusan": "ditolak", "pertimbangan": PERTIMBANGAN}
    )
    assert r.status_code == 303
    db.session.refresh(ns.rating)
    db.session.refresh(ns.doc)
    assert ns.rating.predikat == Predikat.BAIK
    assert ns.doc.status == DocStatus.REVOKED and ns.doc.replaced_by_id == the_keberatan().document_id
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "keberatan_ditolak")) == 1


def test_deciding_twice_decides_once(app, examined):
    ns = examined
    kabid = app.test_client(user=ns.u_kabid)
    data = {"putusan": "diterima", "hasil_kerja": "di_atas", "perilaku_kerja": "di_atas", "pertimbangan": PERTIMBANGAN}
    first = kabid.post(k_url(ns.keb, "/putusan"), data=data)
    second = kabid.post(k_url(ns.keb, "/putusan"), data={**data, "putusan": "ditolak"})
    assert first.status_code == second.status_code == 303
    db.session.refresh(ns.keb)
    assert ns.keb.putusan == Putusan.DITERIMA
    evaluations = db.session.scalar(
        select(func.count(IssuedDocument.id)).where(IssuedDocument.source_ref == f"evaluasi:{ns.rating.id}")
    )
    assert evaluations == 2  # the original and one replacement


def test_accepting_with_unchanged_ratings_is_refused(app, examined):
    r = app.test_client(user=examined.u_kabid).post(
        k_url(examined.keb, "/putusan"), data={"putusan": "diterima", "pertimbangan": PERTIMBANGAN}
    )
    assert r.status_code == 422 and "sama dengan rating semula" in r.get_data(as_text=True)


def test_the_atasan_cannot_change_a_final_predikat_outside_keberatan(app, locked):
    rate = f"/penilaian-kinerja/{locked.period.id}/pegawai/{locked.staff1.id}"
    data = {"hasil_kerja": "di_atas", "perilaku_kerja": "di_atas", "aksi": "simpan"}
    assert app.test_client(user=locked.u_kabid).post(rate, data=data).status_code == 403
    refused = app.test_client(user=locked.u_kasi).post(rate, data=data)
    assert refused.status_code == 422 and "sudah final" in refused.get_data(as_text=True)
    calibrate = f"/penilaian-kinerja/{locked.period.id}/unit/{locked.opd.id}/kalibrasi/{locked.rating.id}"
    r = app.test_client(user=locked.u_kabid).post(
        calibrate, data={"hasil_kerja": "di_atas", "perilaku_kerja": "di_atas", "alasan": "Menaikkan predikat saja."}
    )
    assert r.status_code == 422 and "hanya melalui keberatan" in r.get_data(as_text=True)
    db.session.refresh(locked.rating)
    assert locked.rating.predikat == Predikat.BAIK


def test_todos_for_the_decider_and_for_explanations(app, locked, on_day):
    from kinerja_web.todos import todos_for

    on_day(1)
    file(app, locked)
    keb = the_keberatan()
    assert any("menunggu keputusan Anda" in t.message for t in todos_for(locked.u_kabid))
    app.test_client(user=locked.u_kabid).post(k_url(keb, "/minta-penjelasan"))
    assert any("menunggu penjelasan Anda" in t.message for t in todos_for(locked.u_kasi))
    assert any("menunggu penjelasan Anda" in t.message for t in todos_for(locked.u_staff))


def test_a_plt_atasan_decides_on_the_day(app, locked, on_day, make_position, make_employee, make_user):
    """A Plt. in the kabid post on the filing day becomes the decider (Plt-aware); the kabid no longer is."""
    from kinerja_web.models import AssignmentKind, PositionAssignment, Role

    sekretaris = make_employee("Sekretaris Uji", make_position("Sekretaris Dinas Uji", locked.opd, locked.p_head))
    db.session.add(
        PositionAssignment(employee=sekretaris, position=locked.p_kabid, kind=AssignmentKind.PLT, start_date=GIVEN_ON)
    )
    db.session.commit()
    u_plt = make_user("plt1", {Role.PEGAWAI}, sekretaris)
    on_day(1)
    file(app, locked)
    keb = the_keberatan()
    assert keb.atasan_id == sekretaris.id
    assert keberatan_services.decider_of(keb, GIVEN_ON + timedelta(days=1)).id == sekretaris.id
    assert app.test_client(user=locked.u_kabid).post(k_url(keb, "/minta-penjelasan")).status_code == 403
    assert app.test_client(user=u_plt).post(k_url(keb, "/minta-penjelasan")).status_code == 303


def test_an_image_attachment_is_stored_without_anything_appended_and_served_as_a_download(app, locked, on_day):
    import io

    on_day(1)
    image = upload_files.png()
    assert file(app, locked, lampiran=(io.BytesIO(image + upload_files.HTML), "foto.png")).status_code == 303
    keb = the_keberatan()
    assert (keb.lampiran, keb.lampiran_mime) == (image, "image/png")
    got = app.test_client(user=locked.u_kabid).get(k_url(keb, "/lampiran"))
    assert got.data == image and got.mimetype == "image/png"
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"] == f"attachment; filename=lampiran-keberatan-{keb.id}.png"


def _penetapan_documents():
    from kinerja_web.domain.documents import DocType

    return db.session.scalars(
        select(IssuedDocument).where(IssuedDocument.doc_type == DocType.PENETAPAN_PREDIKAT).order_by(IssuedDocument.id)
    ).all()


def test_an_accepted_keberatan_reissues_the_unit_penetapan_and_revokes_the_old_with_a_link(app, examined):
    ns = examined
    (old,) = _penetapan_documents()
    assert [r["predikat"] for r in old.context["body"]["rows"] if r["nama"] == "Staf Satu"] == ["Baik"]
    assert _accept(app, ns).status_code == 303
    old, new = _penetapan_documents()
    assert old.status == DocStatus.REVOKED and old.replaced_by_id == new.id and new.is_valid
    assert "keberatan" in old.revoked_reason and "Staf Satu" in old.revoked_reason
    assert [r["predikat"] for r in new.context["body"]["rows"] if r["nama"] == "Staf Satu"] == ["Sangat Baik"]
    assert new.issued_on == GIVEN_ON + timedelta(days=3)
    page = app.test_client().get(f"/verifikasi/{old.verification_code}").get_data(as_text=True)
    assert "DICABUT" in page and f"/verifikasi/{new.verification_code}" in page
    assert (
        "nomor Tanpa nomor" not in page and f"tanpa nomor, kode verifikasi {new.code_display}" in page
    )  # an unnumbered replacement: named by its code


def test_a_rejected_keberatan_leaves_the_penetapan_valid(app, examined):
    ns = examined
    r = app.test_client(user=ns.u_kabid).post(
        k_url(ns.keb, "/putusan"), data={"putusan": "ditolak", "pertimbangan": PERTIMBANGAN}
    )
    assert r.status_code == 303
    (doc,) = _penetapan_documents()
    assert doc.is_valid


def test_the_rating_page_says_the_predikat_was_changed_by_the_keberatan_decision(app, examined):
    ns = examined
    assert _accept(app, ns).status_code == 303
    url = f"/penilaian-kinerja/{ns.period.id}/pegawai/{ns.staff1.id}"
    for user in (ns.u_staff, ns.u_kasi, ns.u_hr):
        page = app.test_client(user=user).get(url).get_data(as_text=True)
        assert "Diubah melalui keputusan atas keberatan" in page and "melalui kalibrasi. Alasan" not in page
