"""The pengembangan kompetensi catalogue, referral rules v1 and BKPSDM's documents set-up."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ...domain.development import ProgrammeBentuk as B
from ...domain.documents import DocType
from ...extensions import db
from ...models import Employee, Letterhead, NumberRegister, Position, PositionKind, Programme, SignerConfig, Unit


def seed_development(today: date) -> int:
    """Demo catalogue of pengembangan kompetensi, version 1 of the referral rules, and BKPSDM's kop surat,
    signer and register for surat tugas / daftar peserta, so the referral queue works out of the box.
    Returns the number of programmes created."""
    from ..development.rules import seed_default_rules  # lazy, as before: importing services at app start

    def d(days: int) -> date:
        return today + timedelta(days=days)

    adm = [PositionKind.ADMINISTRATOR.value, PositionKind.PENGAWAS.value, PositionKind.FUNGSIONAL.value]
    catalogue = [
        (
            "PK-01",
            "Pembinaan Kinerja dan Rencana Perbaikan 6 Bulan",
            B.PEMBINAAN_KINERJA,
            20,
            "BKPSDM Kab. Lampung Utara",
            None,
            None,
            None,
            [],
            [],
            None,
            0,
            "Dialog kinerja bulanan dengan atasan langsung dan pendamping BKPSDM.",
        ),
        (
            "CO-01",
            "Coaching Nilai BerAKHLAK di Tempat Kerja",
            B.COACHING,
            12,
            "BKPSDM Kab. Lampung Utara",
            None,
            None,
            None,
            ["berorientasi_pelayanan", "akuntabel", "kompeten", "harmonis", "loyal", "adaptif", "kolaboratif"],
            [],
            None,
            0,
            "Coaching 6 sesi oleh coach bersertifikat.",
        ),
        (
            "CO-02",
            "Coaching Kolaborasi dan Harmoni Tim",
            B.COACHING,
            8,
            "BKPSDM Kab. Lampung Utara",
            d(21),
            d(22),
            25,
            ["kolaboratif", "harmonis"],
            [],
            None,
            1_500_000,
            "Lokakarya dua hari.",
        ),
        (
            "PM-01",
            "Pelatihan Manajerial Calon Pemimpin (Talent Pool)",
            B.PELATIHAN_MANAJERIAL,
            40,
            "BPSDM Provinsi Lampung",
            d(35),
            d(39),
            20,
            [],
            adm,
            "III/b",
            4_500_000,
            "Kepemimpinan, manajemen perubahan, pengambilan keputusan.",
        ),
        (
            "EL-01",
            "MOOC ASN Pembelajar: Literasi Digital",
            B.E_LEARNING,
            20,
            "Lembaga Administrasi Negara",
            None,
            None,
            None,
            ["adaptif"],
            [],
            None,
            0,
            "E-learning mandiri di portal LAN.",
        ),
        (
            "BT-01",
            "Bimbingan Teknis Penyusunan SKP dan Dialog Kinerja",
            B.BIMTEK,
            16,
            "BKPSDM Kab. Lampung Utara",
            d(14),
            d(15),
            40,
            ["akuntabel"],
            [],
            None,
            750_000,
            "Praktik menyusun RHK, IKI dan bukti dukung.",
        ),
        (
            "SM-01",
            "Seminar Pelayanan Publik Prima",
            B.SEMINAR,
            8,
            "Ombudsman RI Perwakilan Lampung",
            d(28),
            d(28),
            100,
            ["berorientasi_pelayanan"],
            [],
            None,
            0,
            "Standar pelayanan dan pengelolaan pengaduan.",
        ),
        (
            "MG-01",
            "Magang Pengelolaan Arsip Kepegawaian",
            B.MAGANG,
            40,
            "Kantor Regional V BKN",
            d(49),
            d(53),
            5,
            [],
            [PositionKind.PELAKSANA.value],
            None,
            2_000_000,
            "Praktik kerja di bidang arsip.",
        ),
    ]
    for code, name, bentuk, jp, provider, start, end, cap, values, kinds, min_gol, cost, desc in catalogue:
        db.session.add(
            Programme(
                code=code,
                name=name,
                bentuk=bentuk,
                jp=jp,
                provider=provider,
                start_date=start,
                end_date=end,
                capacity=cap,
                berakhlak_values=values,
                eligible_kinds=kinds,
                min_golongan=min_gol,
                cost=cost,
                description=desc,
                location="Kotabumi" if start else None,
                active=True,
            )
        )
    db.session.flush()
    seed_default_rules(date(today.year, 1, 1))

    bkpsdm = db.session.scalar(select(Unit).where(Unit.code == "BKPSDM"))
    if bkpsdm is not None and db.session.scalar(select(Letterhead.id).where(Letterhead.unit_id == bkpsdm.id)) is None:
        db.session.add(
            Letterhead(
                unit_id=bkpsdm.id,
                pemda_name="Pemerintah Kabupaten Lampung Utara",
                opd_name=bkpsdm.name,
                address="Jalan Jenderal Sudirman Nomor 1, Kotabumi, Lampung Utara 34511",
                contact="Telepon (0724) 21000 · Pos-el bkpsdm@lampungutarakab.go.id",
                city="Kotabumi",
            )
        )
        head = db.session.scalar(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.unit_id == bkpsdm.id, Position.is_leader.is_(True))
        )
        # Demo-only signers and registers so that every document of the demo can be issued at once; the
        # classification codes after 800 (kepegawaian) are examples — each Pemda sets its own (Dokumen › Register).
        for doc_type in (DocType.SURAT_TUGAS, DocType.DAFTAR_PESERTA, DocType.SK_PENGHARGAAN, DocType.KARTU_PEGAWAI):
            if head is not None:
                db.session.add(
                    SignerConfig(
                        unit_id=bkpsdm.id,
                        doc_type=doc_type,
                        jabatan=f"Kepala {bkpsdm.name}",
                        name=head.full_name,
                        nip=head.nip,
                        pangkat=head.pangkat or head.golongan,
                        place="Kotabumi",
                        employee_id=head.id,
                    )
                )
        for doc_type, pattern in (
            (DocType.SURAT_TUGAS, "800.1.13/{nomor}/BKPSDM/{tahun}"),
            (DocType.SK_PENGHARGAAN, "800.1.12.4/{nomor}/BKPSDM/{tahun}"),
            (DocType.KARTU_PEGAWAI, "800.1.2/{nomor}/BKPSDM/{tahun}"),
        ):
            db.session.add(
                NumberRegister(
                    unit_id=bkpsdm.id, doc_type=doc_type, year=today.year, pattern=pattern, kode_unit="BKPSDM"
                )
            )
    db.session.flush()
    return len(catalogue)
