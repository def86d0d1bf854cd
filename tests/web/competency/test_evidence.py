"""Competency as evidence for other areas: the report PDF (documents service, /verifikasi), gap → development
referral (HR queue, effectiveness), and the 9-box potensial from the latest assessment with HR's override."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from kinerja_web.domain.competency import NATIONAL_CODES
from kinerja_web.domain.development import OutcomeStatus, ReasonKind, ReferralStatus
from kinerja_web.domain.documents import DocType
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.talent import Potensial
from kinerja_web.extensions import db
from kinerja_web.models import (
    ANNUAL,
    IssuedDocument,
    Letterhead,
    PerformanceRating,
    RatingStatus,
    Referral,
    SignerConfig,
    TalentPotensial,
)
from kinerja_web.services.development import outcomes
from kinerja_web.services.development.rules import seed_default_rules
from kinerja_web.services.development.suggestions import suggest_for_gaps
from kinerja_web.services.talent import boxes, grid

from ..skp_fixtures import make_period
from .fixtures import assess


def _issuer(unit):
    db.session.add(
        Letterhead(
            unit_id=unit.id,
            pemda_name="Pemerintah Kabupaten Lampung Utara",
            opd_name=unit.name,
            address="Jalan Jenderal Sudirman Nomor 1, Kotabumi",
            contact="Telepon (0724) 21000",
        )
    )
    db.session.add(
        SignerConfig(
            unit_id=unit.id,
            doc_type=DocType.LAPORAN_KOMPETENSI,
            jabatan="Kepala BKPSDM",
            name="Dr. H. Ahmad Fauzi, S.H., M.Si.",
            nip="197005051995031001",
            pangkat="Pembina Utama Muda",
            place="Kotabumi",
        )
    )
    db.session.commit()


def test_report_pdf_is_issued_once_verifies_and_the_assessee_may_download_it(app, org_chart):
    _issuer(org_chart.opd)
    assess(org_chart.staff1, {**{c: "1" for c in NATIONAL_CODES}, "PB": "1,5"})
    hr = app.test_client(user=org_chart.u_hr)
    r = hr.post(f"/kompetensi/pegawai/{org_chart.staff1.id}/laporan", data={"idempotency_key": "a" * 32})
    assert r.status_code == 303 and "/dokumen/" in r.headers["Location"]
    doc = db.session.scalar(select(IssuedDocument))
    assert doc.doc_type == DocType.LAPORAN_KOMPETENSI and doc.employee_id == org_chart.staff1.id
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(doc.pdf)).pages)
    assert "LAPORAN HASIL PENILAIAN KOMPETENSI" in text and "Job Person Match" in text
    # the same form again: no second document
    hr.post(f"/kompetensi/pegawai/{org_chart.staff1.id}/laporan", data={"idempotency_key": "a" * 32})
    assert len(db.session.scalars(select(IssuedDocument)).all()) == 1
    assert "SAH" in app.test_client().get(f"/verifikasi/{doc.verification_code}").get_data(as_text=True)
    profile = app.test_client(user=org_chart.u_staff).get(f"/kompetensi/pegawai/{org_chart.staff1.id}")
    assert f"/dokumen/{doc.id}/unduh" in profile.get_data(as_text=True)
    own = app.test_client(user=org_chart.u_staff).get(f"/dokumen/{doc.id}/unduh")
    assert own.status_code == 200 and own.data.startswith(b"%PDF")
    assert app.test_client(user=org_chart.u_other).get(f"/dokumen/{doc.id}/unduh").status_code in (403, 404)


def test_gap_suggests_the_matching_development_form_once_and_the_outcome_reads_the_next_assessment(app, org_chart):
    seed_default_rules(date(2026, 1, 1))
    first = assess(org_chart.kasi, {**{c: "2" for c in NATIONAL_CODES}, "PDOL": "1"}, held_on=date(2026, 2, 1))
    assert suggest_for_gaps(date(2026, 3, 1)) == 1
    assert suggest_for_gaps(date(2026, 3, 1)) == 0  # idempotent
    ref = db.session.scalar(select(Referral).where(Referral.reason_kind == ReasonKind.GAP_KOMPETENSI))
    assert ref.competency_code == "PDOL" and ref.assessment_participant_id == first.id
    assert (
        ref.suggested_bentuk.value == "coaching"
        and "Pengembangan Diri dan Orang Lain level 1 dari 2" in ref.reason_text
    )
    queue = app.test_client(user=org_chart.u_hr).get("/pengembangan/antrean").get_data(as_text=True)
    assert "Pengembangan Diri dan Orang Lain" in queue
    ref.status, ref.finished_on = ReferralStatus.SELESAI, date(2026, 4, 1)
    db.session.commit()
    assert outcomes.outcome_of_referral(ref).status == OutcomeStatus.BELUM_ADA_DATA
    assess(org_chart.kasi, "2", held_on=date(2026, 9, 1))
    outcome = outcomes.outcome_of_referral(ref)
    assert outcome.status == OutcomeStatus.MEMBAIK and "kesenjangan tertutup" in outcome.detail
    rows = outcomes.effectiveness(None, None)
    assert any(r.measure == outcomes.KOMPETENSI and r.improved == 1 for r in rows)


def _final(emp, period, predikat=Predikat.SANGAT_BAIK):
    db.session.add(
        PerformanceRating(
            employee_id=emp.id,
            period_id=period.id,
            window_no=ANNUAL,
            hasil_kerja=Ekspektasi.DI_ATAS,
            perilaku_kerja=Ekspektasi.DI_ATAS,
            predikat=predikat,
            status=RatingStatus.FINAL,
        )
    )
    db.session.commit()


def test_potensial_comes_from_the_latest_assessment_unless_hr_overrides_it_with_a_reason(app, org_chart):
    period = make_period()
    _final(org_chart.staff1, period)
    assess(org_chart.staff1, "1")  # pelaksana: 100 % JPM, optimal → tinggi
    box = boxes.talent_box(org_chart.staff1.id, period.id)
    assert box.nomor == 9
    row = next(r for r in grid.talent_rows(period, org_chart.opd) if r.employee.id == org_chart.staff1.id)
    assert row.potensial.source == boxes.ASESMEN and "JPM 100,00 %" in row.potensial.text
    db.session.add(
        TalentPotensial(
            employee_id=org_chart.staff1.id, period_id=period.id, potensial=Potensial.RENDAH, dasar="Hasil TPK"
        )
    )
    db.session.commit()
    row = next(r for r in grid.talent_rows(period, org_chart.opd) if r.employee.id == org_chart.staff1.id)
    assert row.potensial.manual and row.potensial.potensial == Potensial.RENDAH and "Hasil TPK" in row.potensial.text
    page = app.test_client(user=org_chart.u_hr).get(f"/talenta/?periode={period.id}&kotak=4").get_data(as_text=True)
    assert "Ditetapkan manual oleh BKPSDM" in page
