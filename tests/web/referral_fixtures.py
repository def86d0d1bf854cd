"""Fixtures shared by the referral tests (import with `from .referral_fixtures import *`)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from kinerja_web.domain.development import ProgrammeBentuk
from kinerja_web.domain.documents import DocType
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.extensions import db
from kinerja_web.models import (
    Letterhead,
    NumberRegister,
    PerformanceRating,
    PositionKind,
    Programme,
    RatingStatus,
    Role,
    SignerConfig,
)
from kinerja_web.services.development import rules as referral_rules
from kinerja_web.services.development import suggestions as generation
from kinerja_web.timeutil import today_wib
from tests import upload_files

from .skp_fixtures import *  # noqa: F403

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = upload_files.png()  # a real image: uploads are decoded
DOCX_LIKE = b"PK\x03\x04" + b"\x00" * 40


def rate(employee, period, predikat: Predikat, status=RatingStatus.FINAL) -> PerformanceRating:
    r = PerformanceRating(
        employee_id=employee.id,
        period_id=period.id,
        hasil_kerja=Ekspektasi.SESUAI,
        perilaku_kerja=Ekspektasi.SESUAI,
        predikat=predikat,
        status=status,
    )
    db.session.add(r)
    db.session.flush()
    return r


@pytest.fixture
def dev_world(org_chart, period, make_user):
    """org_chart + a catalogue, version-1 rules and final annual ratings: staff1 Kurang, staff2 Sangat Baik."""
    ns = org_chart
    ns.period = period
    ns.u_kabid = make_user("kabid1", {Role.PEGAWAI}, ns.kabid)
    ns.u_staff2 = make_user("pegawai2", {Role.PEGAWAI}, ns.staff2)
    today = today_wib()
    ns.pembinaan = Programme(
        code="PK-01", name="Pembinaan Kinerja", bentuk=ProgrammeBentuk.PEMBINAAN_KINERJA, jp=20, provider="BKPSDM"
    )
    ns.bimtek = Programme(
        code="BT-01",
        name="Bimtek SKP",
        bentuk=ProgrammeBentuk.BIMTEK,
        jp=16,
        provider="BKPSDM",
        start_date=today + timedelta(days=10),
        end_date=today + timedelta(days=11),
        capacity=2,
    )
    ns.seminar = Programme(
        code="SM-01",
        name="Seminar Pelayanan",
        bentuk=ProgrammeBentuk.SEMINAR,
        jp=8,
        provider="Ombudsman",
        start_date=today + timedelta(days=11),
        end_date=today + timedelta(days=11),
    )
    ns.manajerial = Programme(
        code="PM-01",
        name="Pelatihan Manajerial",
        bentuk=ProgrammeBentuk.PELATIHAN_MANAJERIAL,
        jp=40,
        provider="BPSDM",
        start_date=today + timedelta(days=30),
        end_date=today + timedelta(days=34),
        eligible_kinds=[PositionKind.ADMINISTRATOR.value, PositionKind.PENGAWAS.value],
        min_golongan="III/b",
    )
    ns.elearning = Programme(
        code="EL-01", name="MOOC Literasi Digital", bentuk=ProgrammeBentuk.E_LEARNING, jp=20, provider="LAN"
    )
    db.session.add_all([ns.pembinaan, ns.bimtek, ns.seminar, ns.manajerial, ns.elearning])
    db.session.flush()
    referral_rules.seed_default_rules(date(2026, 1, 1))
    ns.r_low = rate(ns.staff1, period, Predikat.KURANG_MISCONDUCT)
    ns.r_high = rate(ns.staff2, period, Predikat.SANGAT_BAIK)
    ns.r_draft = rate(ns.kasi, period, Predikat.SANGAT_KURANG, RatingStatus.DRAFT)
    db.session.commit()
    return ns


@pytest.fixture
def docs_setup(dev_world):
    ns = dev_world
    db.session.add(
        Letterhead(
            unit_id=ns.opd.id,
            pemda_name="Pemerintah Kabupaten Lampung Utara",
            opd_name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            address="Jalan Jenderal Sudirman Nomor 1, Kotabumi, Lampung Utara 34511",
            contact="Telepon (0724) 21000",
        )
    )
    for t in (DocType.SURAT_TUGAS, DocType.DAFTAR_PESERTA):
        db.session.add(
            SignerConfig(
                unit_id=ns.opd.id,
                doc_type=t,
                jabatan="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
                name="Dr. H. Ahmad Fauzi, S.H., M.Si.",
                nip="197005051995031001",
                pangkat="Pembina Utama Muda",
                place="Kotabumi",
            )
        )
    db.session.add(
        NumberRegister(
            unit_id=ns.opd.id,
            doc_type=DocType.SURAT_TUGAS,
            year=today_wib().year,
            pattern="800.1.13/{nomor}/BKPSDM/{tahun}",
            kode_unit="BKPSDM",
        )
    )
    db.session.commit()
    return ns


def suggestions(ns, today=date(2026, 10, 1)) -> SimpleNamespace:
    """Generate and return the suggestions per employee (staff1: pembinaan, staff2: predikat tinggi)."""
    from sqlalchemy import select

    from kinerja_web.models import Referral

    generation.generate_suggestions(ns.period, today)
    db.session.commit()
    refs = db.session.scalars(select(Referral).order_by(Referral.id)).all()
    return SimpleNamespace(all=refs, by_key={r.source_key: r for r in refs})
