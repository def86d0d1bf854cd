"""Locking a rating period: Dokumen Evaluasi Kinerja Pegawai per employee, Dokumen Penetapan Predikat per unit."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlalchemy import func, select

from kinerja_web.domain.documents import DocStatus, DocType
from kinerja_web.extensions import db
from kinerja_web.models import IssuedDocument, Job, Notification, RatingLock
from kinerja_web.services.rating import documents, locking, organisation

from ..evaluation_fixtures import *  # noqa: F403
from ..evaluation_fixtures import GIVEN_ON
from ..skp_fixtures import make_skp


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def docs_of(doc_type):
    return db.session.scalars(select(IssuedDocument).where(IssuedDocument.doc_type == doc_type)).all()


def lock_url(ns, suffix=""):
    return f"/penilaian-kinerja/{ns.period.id}/kunci{suffix}"


def test_lock_refuses_while_ratings_are_unfinished_and_says_which(app, rated):
    from kinerja_web.domain.workflow import SkpStatus

    make_skp(rated.staff2, rated.period, status=SkpStatus.APPROVED, appraiser=rated.kasi)
    r = app.test_client(user=rated.u_hr).post(lock_url(rated))
    text = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "belum dapat dikunci" in text and "Staf Dua" in text and "belum dinilai" in text and "Kasi Uji" in text
    assert db.session.scalar(select(func.count(RatingLock.id))) == 0
    assert docs_of(DocType.EVALUASI_KINERJA) == []


def test_lock_issues_one_evaluation_per_rating_and_one_penetapan_per_unit(app, rated):
    r = app.test_client(user=rated.u_hr).post(lock_url(rated))
    assert r.status_code == 303 and "/penilaian-kinerja/kunci/" in r.headers["Location"]
    (evaluasi,) = docs_of(DocType.EVALUASI_KINERJA)
    (penetapan,) = docs_of(DocType.PENETAPAN_PREDIKAT)
    assert evaluasi.is_valid and evaluasi.employee_id == rated.staff1.id
    assert penetapan.is_valid and penetapan.context["body"]["unit"] == "Dinas Uji"
    db.session.refresh(rated.rating)
    assert rated.rating.result_given_on == evaluasi.issued_on
    job = db.session.scalars(select(Job).where(Job.kind == locking.JOB_KIND)).one()
    assert job.finished and job.result["issued"] == 2 and job.result["failures"] == []
    note = db.session.scalars(
        select(Notification).where(Notification.user_id == rated.u_staff.id, Notification.message.like("%Keberatan%"))
    ).one()
    assert "paling lambat" in note.message


def test_locking_twice_or_double_clicking_issues_once(app, rated):
    hr = app.test_client(user=rated.u_hr)
    first = hr.post(lock_url(rated))
    second = hr.post(lock_url(rated))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert len(docs_of(DocType.EVALUASI_KINERJA)) == 1 and len(docs_of(DocType.PENETAPAN_PREDIKAT)) == 1
    assert db.session.scalar(select(func.count(RatingLock.id))) == 1
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == locking.JOB_KIND)) == 1


def test_rerunning_the_job_issues_nothing_twice(app, locked):
    from kinerja_web.jobs import runner as jobs

    job = db.session.scalars(select(Job).where(Job.kind == locking.JOB_KIND)).one()
    again = jobs.Job(kind=locking.JOB_KIND, title="ulang", params=dict(job.params), total=0)
    db.session.add(again)
    db.session.commit()
    jobs.execute(again.id)
    assert len(docs_of(DocType.EVALUASI_KINERJA)) == 1 and len(docs_of(DocType.PENETAPAN_PREDIKAT)) == 1


def test_lock_page_offers_the_issued_documents_as_one_pdf_and_a_zip(app, locked):
    import zipfile

    job = db.session.scalars(select(Job).where(Job.kind == locking.JOB_KIND)).one()
    hr = app.test_client(user=locked.u_hr)
    page = hr.get(f"/penilaian-kinerja/kunci/{job.id}").get_data(as_text=True)
    assert f"/penilaian-kinerja/kunci/{job.id}/pdf" in page and f"/penilaian-kinerja/kunci/{job.id}/zip" in page
    merged = PdfReader(io.BytesIO(hr.get(f"/penilaian-kinerja/kunci/{job.id}/pdf").data))
    issued = db.session.scalars(select(IssuedDocument).where(IssuedDocument.job_id == job.id)).all()
    assert len(merged.pages) == sum(d.page_count for d in issued) and len(issued) == 2
    names = zipfile.ZipFile(io.BytesIO(hr.get(f"/penilaian-kinerja/kunci/{job.id}/zip").data)).namelist()
    # one file per document, named by number or (the evaluasi has none) its verification code: no "None-…" twice
    assert len(set(names)) == 2 and {n.split("-")[0] for n in names} == {d.verification_code for d in issued}


def test_evaluation_document_verifies_and_prints_the_evaluation(app, locked):
    doc = locked.doc
    page = app.test_client().get(f"/verifikasi/{doc.verification_code}").get_data(as_text=True)
    assert "Dokumen Evaluasi Kinerja Pegawai" in page and "Staf Satu" in page
    text = pdf_text(db.session.get(IssuedDocument, doc.id).pdf)
    for expected in (
        "EVALUASI KINERJA PEGAWAI",
        "PEGAWAI YANG DINILAI",
        "PEJABAT PENILAI KINERJA",
        "ATASAN PEJABAT PENILAI KINERJA",
        "Kasi Uji",
        "Kabid Uji",
        "CAPAIAN KINERJA ORGANISASI",
        "RATING HASIL KERJA",
        "RATING PERILAKU KERJA",
        "PREDIKAT KINERJA PEGAWAI",
        "BAIK",
        "Berorientasi Pelayanan",
        "RHK uji",
    ):
        assert expected in text, expected
    assert doc.signer_name == "Kasi Uji" and doc.signer_title == "Pejabat Penilai Kinerja"


def test_penetapan_document_lists_employees_with_predikat_and_curve_numbers(app, locked):
    (doc,) = docs_of(DocType.PENETAPAN_PREDIKAT)
    body = doc.context["body"]
    assert [r["nama"] for r in body["rows"]] == ["Staf Satu"] and body["rows"][0]["predikat"] == "Baik"
    assert body["organisasi"] == "Baik" and body["total"] == 1
    assert {d["predikat"]: d["jumlah"] for d in body["distribusi"]}["Baik"] == 1
    text = pdf_text(db.session.get(IssuedDocument, doc.id).pdf)
    assert "PENETAPAN PREDIKAT KINERJA PEGAWAI" in text and "Staf Satu" in text and "Jumlah" in text
    assert doc.signer_name == "Kepala Uji"  # the unit's leader signs


def test_penetapan_carries_the_kop_surat_when_the_opd_has_one(app, rated):
    from kinerja_web.models import Letterhead

    kop = {"pemda_name": "Pemkab Uji", "opd_name": "Dinas Uji", "address": "Jalan Uji 1", "contact": "Telepon 0724-1"}
    db.session.add(Letterhead(unit_id=rated.opd.id, **kop))
    db.session.commit()
    app.test_client(user=rated.u_hr).post(lock_url(rated))
    (doc,) = docs_of(DocType.PENETAPAN_PREDIKAT)
    text = pdf_text(db.session.get(IssuedDocument, doc.id).pdf)
    for expected in (kop["pemda_name"].upper(), kop["opd_name"].upper(), kop["address"], kop["contact"]):
        assert expected in text, expected


def test_employee_downloads_own_evaluation_document_from_the_rating_page(app, locked):
    own = app.test_client(user=locked.u_staff)
    page = own.get(f"/penilaian-kinerja/{locked.period.id}/pegawai/{locked.staff1.id}").get_data(as_text=True)
    url = f"/penilaian-kinerja/{locked.period.id}/pegawai/{locked.staff1.id}/dokumen-evaluasi"
    assert url in page
    r = own.get(url)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.data == db.session.get(IssuedDocument, locked.doc.id).pdf
    assert app.test_client(user=locked.u_other).get(url).status_code == 404
    staff2_url = f"/penilaian-kinerja/{locked.period.id}/pegawai/{locked.staff2.id}/dokumen-evaluasi"
    assert app.test_client(user=locked.u_staff).get(staff2_url).status_code == 404


def test_lock_progress_is_a_fragment_for_htmx_and_a_page_without(app, locked):
    job = db.session.scalars(select(Job).where(Job.kind == locking.JOB_KIND)).one()
    hr = app.test_client(user=locked.u_hr)
    full = hr.get(f"/penilaian-kinerja/kunci/{job.id}").get_data(as_text=True)
    frag = hr.get(f"/penilaian-kinerja/kunci/{job.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" in full and "Dokumen Evaluasi Kinerja Pegawai" in full
    assert "<html" not in frag and "<progress" in frag


def test_a_locked_window_cannot_be_recalibrated(app, locked):
    url = f"/penilaian-kinerja/{locked.period.id}/unit/{locked.opd.id}/kalibrasi/{locked.rating.id}"
    r = app.test_client(user=locked.u_hr).post(
        url, data={"hasil_kerja": "di_bawah", "perilaku_kerja": "sesuai", "alasan": "Perubahan setelah dikunci."}
    )
    assert r.status_code == 422 and "sudah dikunci" in r.get_data(as_text=True)
    db.session.refresh(locked.rating)
    assert locked.rating.predikat.value == "baik"
    assert locked.doc.status == DocStatus.VALID


def test_documents_and_keberatan_leave_360_anonymity_intact(app, open360):
    """The evaluation document and the keberatan page carry the appraiser's ratings only: no rater names,
    no 360 comments (the 360 aggregate stays an input on the appraiser's screen)."""
    import json
    from datetime import timedelta

    from kinerja_web.domain.predikat import PredikatOrganisasi
    from kinerja_web.domain.workflow import SkpStatus
    from kinerja_web.models import ANNUAL, RaterAssignment, utcnow
    from kinerja_web.services.evaluation360 import cycles
    from kinerja_web.services.rating import keberatan

    from ..evaluation360.test_evaluation360 import full_answers
    from ..evaluation_fixtures import rate_final

    oc = open360.oc
    sent = 0
    for a in db.session.scalars(
        select(RaterAssignment).where(RaterAssignment.evaluatee.has(employee_id=oc.staff1.id))
    ).all():
        user = {oc.staff2.id: oc.u_staff2, oc.staff3.id: oc.u_staff3, oc.staff4.id: oc.u_staff4}.get(a.rater_id)
        if user is not None:
            r = app.test_client(user=user).post(
                f"/penilaian-360/tugas/{a.id}",
                data={**full_answers("4"), "komentar_umum": "Kalimat rahasia dari rekan", "action": "kirim"},
            )
            assert r.status_code in (302, 303), r.status_code
            sent += 1
    assert sent >= 3
    cycles.close_cycle(open360.cycle, utcnow())
    db.session.commit()
    from kinerja_web.domain.skp import Frequency, PeriodStatus
    from kinerja_web.models import Period

    year = open360.cycle.year
    p = Period(year=year, frequency=Frequency.TRIWULAN, start_date=open360.cycle.start_date,
               end_date=open360.cycle.end_date, status=PeriodStatus.OPEN)  # fmt: skip
    db.session.add(p)
    db.session.commit()
    make_skp(oc.staff1, p, status=SkpStatus.APPROVED, appraiser=oc.kasi)
    rating = rate_final(oc.staff1, p, oc.u_kasi)
    organisation.set_unit_predikat(oc.opd, p, ANNUAL, PredikatOrganisasi.BAIK, oc.u_hr)
    db.session.commit()
    with app.test_request_context():
        locking.lock(p, ANNUAL, oc.u_hr, GIVEN_ON, "http://kinerja.test")
    doc = documents.valid_evaluation_document(rating)
    dumped = json.dumps(doc.context) + pdf_text(db.session.get(IssuedDocument, doc.id).pdf)
    for secret in ("rahasia", "Staf Dua", "Staf Tiga", "Staf Empat"):
        assert secret not in dumped
    keb = keberatan.file(
        rating, oc.u_staff, "Alasan keberatan yang cukup panjang untuk ditulis.", GIVEN_ON + timedelta(1)
    )
    db.session.commit()
    page = app.test_client(user=oc.u_kabid).get(f"/penilaian-kinerja/keberatan/{keb.id}").get_data(as_text=True)
    assert "rahasia" not in page and "Staf Tiga" not in page


def _lock_with_a_failure(app, rated) -> Job:
    """Staf Dua is rated but has no unit kerja: locking issues the rest and reports Staf Dua."""
    from kinerja_web.domain.predikat import Ekspektasi
    from kinerja_web.domain.workflow import SkpStatus

    from ..evaluation_fixtures import rate_final

    make_skp(rated.staff2, rated.period, status=SkpStatus.APPROVED, appraiser=rated.kasi)
    rate_final(rated.staff2, rated.period, rated.u_kasi, Ekspektasi.DI_ATAS, Ekspektasi.SESUAI)
    rated.staff2.unit = None  # incomplete record: no unit kerja
    db.session.commit()
    app.test_client(user=rated.u_hr).post(lock_url(rated))
    return db.session.scalars(select(Job).where(Job.kind == locking.JOB_KIND)).one()


def test_a_failed_employee_is_reported_and_issued_on_rerun_after_the_data_is_fixed(app, rated):
    unit = rated.staff2.unit
    job = _lock_with_a_failure(app, rated)
    hr = app.test_client(user=rated.u_hr)
    assert [f["name"] for f in job.result["failures"]] == ["Staf Dua"]
    assert "Unit kerja Staf Dua belum diisi" in job.result["failures"][0]["reason"]
    page = hr.get(f"/penilaian-kinerja/kunci/{job.id}").get_data(as_text=True)
    assert "Unit kerja Staf Dua belum diisi" in page and "Jalankan ulang" in page
    rated.staff2.unit = unit
    db.session.commit()
    r = hr.post(f"/penilaian-kinerja/kunci/{job.id}/ulang")
    assert r.status_code == 303
    evaluations = docs_of(DocType.EVALUASI_KINERJA)
    assert sorted(d.subject_name for d in evaluations) == ["Staf Dua", "Staf Satu"]  # Staf Satu not twice
    old, new = sorted(docs_of(DocType.PENETAPAN_PREDIKAT), key=lambda d: d.id)
    assert old.status == DocStatus.REVOKED and old.replaced_by_id == new.id
    assert [r["nama"] for r in new.context["body"]["rows"]] == ["Staf Dua", "Staf Satu"]


def test_the_same_rerun_form_sent_twice_starts_one_job_also_when_both_arrive_at_once(app, rated, monkeypatch):
    import re

    from kinerja_web.services import jobs

    job = _lock_with_a_failure(app, rated)
    hr = app.test_client(user=rated.u_hr)
    page = hr.get(f"/penilaian-kinerja/kunci/{job.id}").get_data(as_text=True)
    form = {"idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)}
    first = hr.post(f"/penilaian-kinerja/kunci/{job.id}/ulang", data=form)
    assert (
        hr.post(f"/penilaian-kinerja/kunci/{job.id}/ulang", data=form).headers["Location"] == first.headers["Location"]
    )
    # The third did not see the rerun job yet (a simultaneous click): the unique key stops it at the insert.
    real, calls = jobs.job_with_key, []

    def misses_first(key):
        calls.append(key)
        return None if len(calls) == 1 else real(key)

    monkeypatch.setattr(jobs, "job_with_key", misses_first)
    third = hr.post(f"/penilaian-kinerja/kunci/{job.id}/ulang", data=form)
    assert third.headers["Location"] == first.headers["Location"] and len(calls) == 2
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == locking.JOB_KIND)) == 2


def test_penetapan_is_signed_by_a_plt_leader_as_plt(app, rated, make_position, make_employee):
    from kinerja_web.models import AssignmentKind, PositionAssignment

    sekretaris = make_employee("Sekretaris Uji", make_position("Sekretaris Dinas Uji", rated.opd, rated.p_head))
    db.session.add(
        PositionAssignment(employee=sekretaris, position=rated.p_head, kind=AssignmentKind.PLT, start_date=GIVEN_ON)
    )
    db.session.commit()
    with app.test_request_context():
        locking.lock(rated.period, 0, rated.u_hr, GIVEN_ON, "http://kinerja.test")
    (doc,) = docs_of(DocType.PENETAPAN_PREDIKAT)
    assert doc.signer_name == "Sekretaris Uji" and doc.signer_title == "Plt. Kepala Dinas Uji"
    assert "Plt. KEPALA DINAS UJI" in pdf_text(db.session.get(IssuedDocument, doc.id).pdf)


def test_calibration_page_links_the_units_penetapan_document(app, locked):
    (doc,) = docs_of(DocType.PENETAPAN_PREDIKAT)
    page = app.test_client(user=locked.u_hr).get(f"/penilaian-kinerja/{locked.period.id}/unit/{locked.opd.id}")
    assert f"/verifikasi/{doc.verification_code}" in page.get_data(as_text=True)


def test_organisation_predikat_of_a_locked_window_cannot_change(app, locked):
    r = app.test_client(user=locked.u_hr).post(
        f"/penilaian-kinerja/{locked.period.id}/unit/{locked.opd.id}/predikat", data={"predikat": "istimewa"}
    )
    assert r.status_code == 422 and "sudah dikunci" in r.get_data(as_text=True)

    assert organisation.unit_predikat(locked.opd.id, locked.period.id).predikat.value == "baik"
