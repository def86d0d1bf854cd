"""Penghargaan: proposals from top results, HR selection, and the SK Penghargaan through the documents service."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from kinerja_web.domain.awards import AwardSource, AwardStatus
from kinerja_web.domain.documents import DocType
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import AwardProposal, IssuedDocument, Letterhead, NumberRegister, SignerConfig

from ..pembinaan_fixtures import *  # noqa: F403
from ..pembinaan_fixtures import TODAY, final_rating


@pytest.fixture
def sk_setup(org_chart):
    """Kop surat, signer and number register of the OPD for the SK Penghargaan."""
    opd = org_chart.opd
    db.session.add(
        Letterhead(
            unit_id=opd.id,
            pemda_name="Pemerintah Kabupaten Lampung Utara",
            opd_name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            address="Jalan Jenderal Sudirman Nomor 1, Kotabumi",
        )
    )
    db.session.add(
        SignerConfig(
            unit_id=opd.id,
            doc_type=DocType.SK_PENGHARGAAN,
            jabatan="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            name="Dr. H. Ahmad Fauzi, S.H., M.Si.",
            nip="197005051995031001",
            pangkat="Pembina Utama Muda",
            place="Kotabumi",
        )
    )
    db.session.add(
        NumberRegister(
            unit_id=opd.id,
            doc_type=DocType.SK_PENGHARGAAN,
            year=TODAY.year,
            pattern="800.1.13/{nomor}/{kode_unit}/{tahun}",
            kode_unit="BKPSDM",
        )
    )
    db.session.commit()
    return org_chart


def proposals():
    return list(db.session.scalars(select(AwardProposal).order_by(AwardProposal.id)))


def test_atasan_sees_the_top_result_of_a_subordinate_and_proposes(app, org_chart, period, top_rating):
    client = app.test_client(user=org_chart.u_kasi)
    page = client.get("/penghargaan/").get_data(as_text=True)
    assert "Staf Dua" in page and "Predikat kinerja Sangat Baik" in page
    r = client.post(f"/penghargaan/usul/{period.id}/{org_chart.staff2.id}", data={"note": "Inovasi layanan."})
    assert r.status_code == 303
    (p,) = proposals()
    assert p.source == AwardSource.ATASAN and p.note == "Inovasi layanan."
    assert p.reason.startswith("Predikat kinerja Sangat Baik") and "Di Atas Ekspektasi" in p.reason


def test_result_below_sangat_baik_cannot_be_proposed(app, org_chart, period):
    final_rating(org_chart.staff2, period, Ekspektasi.SESUAI, Ekspektasi.SESUAI, Predikat.BAIK)
    client = app.test_client(user=org_chart.u_kasi)
    r = client.post(f"/penghargaan/usul/{period.id}/{org_chart.staff2.id}", follow_redirects=True)
    assert proposals() == []
    assert "belum memenuhi syarat usulan penghargaan" in r.get_data(as_text=True)


def test_double_proposal_creates_one(app, org_chart, period, top_rating):
    client = app.test_client(user=org_chart.u_kasi)
    client.post(f"/penghargaan/usul/{period.id}/{org_chart.staff2.id}")
    client.post(f"/penghargaan/usul/{period.id}/{org_chart.staff2.id}")
    assert len(proposals()) == 1


def test_hr_generates_suggestions_once(app, org_chart, period, top_rating):
    client = app.test_client(user=org_chart.u_hr)
    client.post(f"/penghargaan/kelola/{period.id}/saran")
    client.post(f"/penghargaan/kelola/{period.id}/saran")
    (p,) = proposals()
    assert p.source == AwardSource.SUGGESTION and p.employee_id == org_chart.staff2.id


def test_box_nine_qualifies_when_potensial_is_known(app, org_chart, period):
    from kinerja_web.services.awards import proposals as services

    final_rating(org_chart.staff2, period, Ekspektasi.DI_ATAS, Ekspektasi.SESUAI, Predikat.BAIK)
    assert services.generate_suggestions(period, org_chart.u_hr) == 0
    assert services.generate_suggestions(period, org_chart.u_hr, {org_chart.staff2.id: 9}) == 1
    assert proposals()[0].kotak == 9 and "Kotak talenta 9" in proposals()[0].reason


def test_rejection_needs_a_reason(app, org_chart, period, top_rating):
    client = app.test_client(user=org_chart.u_hr)
    client.post(f"/penghargaan/kelola/{period.id}/saran")
    p = proposals()[0]
    r = client.post(f"/penghargaan/usulan/{p.id}/tolak", data={"reason": ""})
    assert r.status_code == 422 and "Alasan penolakan wajib diisi." in r.get_data(as_text=True)
    r = client.post(f"/penghargaan/usulan/{p.id}/tolak", data={"reason": "Kuota tahun ini sudah penuh."})
    assert r.status_code == 303
    db.session.expire_all()
    assert proposals()[0].status == AwardStatus.REJECTED
    assert proposals()[0].decision_reason == "Kuota tahun ini sudah penuh."


def _selected(app, org_chart, period, *employees):
    client = app.test_client(user=org_chart.u_hr)
    client.post(f"/penghargaan/kelola/{period.id}/saran")
    for p in proposals():
        client.post(f"/penghargaan/usulan/{p.id}/pilih")
    db.session.expire_all()
    return client


def issue_data(ids, mode="lampiran"):
    return {
        "proposal_id": [str(i) for i in ids],
        "unit_id": "",
        "award_name": "Pegawai Berprestasi",
        "issued_on": TODAY.isoformat(),
        "mode": mode,
    }


def test_hr_issues_one_sk_with_lampiran_for_the_selected(app, sk_setup, period):
    org = sk_setup
    final_rating(org.staff1, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)
    final_rating(org.staff2, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)
    client = _selected(app, org, period)
    ids = [p.id for p in proposals()]
    r = client.post(f"/penghargaan/kelola/{period.id}/terbitkan", data={**issue_data(ids), "unit_id": str(org.opd.id)})
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    docs = list(db.session.scalars(select(IssuedDocument)))
    assert len(docs) == 1 and docs[0].number == f"800.1.13/1/BKPSDM/{TODAY.year}"
    text = "\n".join(pg.extract_text() for pg in PdfReader(io.BytesIO(docs[0].pdf)).pages)
    assert "DAFTAR PEGAWAI PENERIMA PENGHARGAAN" in text and "Staf Satu" in text and "Staf Dua" in text
    db.session.expire_all()
    assert {(p.status, p.document_id, p.award_name) for p in proposals()} == {
        (AwardStatus.ISSUED, docs[0].id, "Pegawai Berprestasi")
    }


def test_one_sk_per_person_gives_each_their_own_number(app, sk_setup, period):
    org = sk_setup
    final_rating(org.staff1, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)
    final_rating(org.staff2, period, Ekspektasi.DI_ATAS, Ekspektasi.DI_ATAS, Predikat.SANGAT_BAIK)
    client = _selected(app, org, period)
    ids = [p.id for p in proposals()]
    data = {**issue_data(ids, "per_orang"), "unit_id": str(org.opd.id)}
    assert client.post(f"/penghargaan/kelola/{period.id}/terbitkan", data=data).status_code == 303
    numbers = sorted(db.session.scalars(select(IssuedDocument.number)))
    assert numbers == [f"800.1.13/1/BKPSDM/{TODAY.year}", f"800.1.13/2/BKPSDM/{TODAY.year}"]


def test_double_submitted_issue_issues_once(app, sk_setup, period, top_rating):
    org = sk_setup
    client = _selected(app, org, period)
    data = {**issue_data([p.id for p in proposals()]), "unit_id": str(org.opd.id)}
    client.post(f"/penghargaan/kelola/{period.id}/terbitkan", data=data)
    again = client.post(f"/penghargaan/kelola/{period.id}/terbitkan", data=data)
    assert again.status_code == 303
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 1


def test_missing_register_is_explained_and_nothing_is_issued(app, org_chart, period, top_rating):
    db.session.add(Letterhead(unit_id=org_chart.opd.id, pemda_name="Pemkab", opd_name="BKPSDM", address="Kotabumi"))
    db.session.commit()
    client = _selected(app, org_chart, period)
    data = {**issue_data([p.id for p in proposals()]), "unit_id": str(org_chart.opd.id)}
    r = client.post(f"/penghargaan/kelola/{period.id}/terbitkan", data=data)
    assert r.status_code == 422 and "belum diatur" in r.get_data(as_text=True)
    db.session.expire_all()
    assert proposals()[0].status == AwardStatus.SELECTED
    assert db.session.scalar(select(func.count(IssuedDocument.id))) == 0


def test_employee_sees_the_award_and_downloads_the_sk(app, sk_setup, period, top_rating, u_staff2):
    org = sk_setup
    client = _selected(app, org, period)
    client.post(
        f"/penghargaan/kelola/{period.id}/terbitkan",
        data={**issue_data([p.id for p in proposals()]), "unit_id": str(org.opd.id)},
    )
    me = app.test_client(user=u_staff2)
    page = me.get("/penghargaan/").get_data(as_text=True)
    assert "Pegawai Berprestasi" in page and f"800.1.13/1/BKPSDM/{TODAY.year}" in page
    pdf = me.get(f"/penghargaan/{proposals()[0].id}/sk")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_employee_does_not_see_a_proposal_under_discussion(app, org_chart, period, top_rating, u_staff2):
    app.test_client(user=org_chart.u_kasi).post(f"/penghargaan/usul/{period.id}/{org_chart.staff2.id}")
    page = app.test_client(user=u_staff2).get("/penghargaan/").get_data(as_text=True)
    assert "Belum ada penghargaan yang ditetapkan untuk Anda." in page


def test_hr_todo_counts_proposals_waiting_for_a_decision(app, org_chart, period, top_rating):
    from kinerja_web.todos import todos_for

    app.test_client(user=org_chart.u_kasi).post(f"/penghargaan/usul/{period.id}/{org_chart.staff2.id}")
    assert "1 usulan penghargaan menunggu keputusan" in [t.message for t in todos_for(org_chart.u_hr)]
    assert not any("penghargaan" in t.message for t in todos_for(org_chart.u_kasi))


def test_a_refused_proposal_shows_again_with_the_note_the_atasan_wrote(app, org_chart, period, top_rating):
    """Issue 19 item 8: a note over the limit was dropped with a flash; it now stays in its field."""
    from ..helpers import assert_form_kept

    url = f"/penghargaan/usul/{period.id}/{org_chart.staff2.id}"
    sent = {"note": "Inovasi layanan. " * 80}  # over 1000 characters
    r = app.test_client(user=org_chart.u_kasi).post(url, data=sent)
    assert r.status_code == 422 and "Maksimal 1000 karakter." in r.get_data(as_text=True)
    assert_form_kept(r.get_data(as_text=True), url, sent)
    assert proposals() == []
