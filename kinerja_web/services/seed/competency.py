"""Demo competency data: the dictionary and a few teknis competencies, a standar kompetensi for every demo post,
one assessment-centre event with ~40 participants and a realistic assessor meeting (three assessors, their
levels, consensus levels with reasons where they differ from the mean), BKPSDM's signer for the report PDF, and
the gap suggestions in HR's referral queue. Deterministic (its own random seed). Flushes only."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from ...domain.competency import NATIONAL_CODES, JpmRule, to_x2
from ...domain.documents import DocType
from ...extensions import db
from ...models import (
    AssessmentAssessor,
    AssessmentEvent,
    AssessmentParticipant,
    AssessmentResult,
    AssessorRating,
    CompetencyStandard,
    CompetencyStandardItem,
    Employee,
    Position,
    PositionKind,
    SignerConfig,
    Unit,
    User,
    utcnow,
)

TEKNIS = (
    ("TK-SDM", "Manajemen Sumber Daya Manusia Aparatur"),
    ("TK-KEU", "Pengelolaan Keuangan Daerah"),
    ("TK-SI", "Pengelolaan Sistem Informasi Pemerintahan"),
    ("TK-ADM", "Administrasi Perkantoran dan Kearsipan"),
    ("TK-YAN", "Penyelenggaraan Pelayanan Publik"),
)
DASAR = "Peraturan Bupati Lampung Utara tentang Standar Kompetensi Jabatan (contoh data demo)"
PENDIDIKAN = {
    PositionKind.JPT: "Paling rendah S-2 (Magister)",
    PositionKind.ADMINISTRATOR: "Paling rendah S-1/D-IV",
    PositionKind.PENGAWAS: "Paling rendah S-1/D-IV",
    PositionKind.FUNGSIONAL: "Paling rendah S-1/D-IV sesuai bidang",
    PositionKind.PELAKSANA: "Paling rendah SLTA/D-III",
}
PELATIHAN = {
    PositionKind.JPT: "Pelatihan Kepemimpinan Nasional Tingkat II",
    PositionKind.ADMINISTRATOR: "Pelatihan Kepemimpinan Administrator",
    PositionKind.PENGAWAS: "Pelatihan Kepemimpinan Pengawas",
    PositionKind.FUNGSIONAL: "Pelatihan fungsional sesuai jabatan",
    PositionKind.PELAKSANA: "Pelatihan teknis sesuai bidang tugas",
}
STRENGTHS = (
    "Konsisten menjaga integritas dan mampu bekerja sama lintas bidang.",
    "Komunikasi lisan dan tertulis runtut; orientasi pada hasil tinggi.",
    "Pelayanan kepada masyarakat ramah dan sesuai standar; tenang mengambil keputusan rutin.",
    "Cepat beradaptasi dengan perubahan aplikasi dan prosedur kerja baru.",
)
RECOMMENDATIONS = (
    "Coaching oleh atasan langsung pada pengembangan diri dan orang lain; penugasan membimbing staf baru.",
    "Pelatihan pengambilan keputusan berbasis data; rotasi ke tugas lintas bidang.",
    "Mentoring dalam mengelola perubahan; keterlibatan dalam tim inovasi pelayanan.",
    "Bimbingan teknis sesuai bidang tugas dan pelatihan komunikasi publik.",
)
REASONS = (
    "Bukti perilaku pada simulasi in-tray dan diskusi kelompok menguatkan level ini.",
    "Wawancara berbasis kompetensi tidak menunjukkan perilaku level yang lebih tinggi secara konsisten.",
    "Presentasi kasus menunjukkan indikator level ini secara utuh.",
)


def _half(x: float) -> Decimal:
    return Decimal(max(1.0, min(5.0, round(x * 2) / 2))).quantize(Decimal("0.1"))


def seed_competency(today: date) -> dict[str, int]:
    from ..competency import dictionary  # lazy, as the other seeds: `flask` start-up does not import services
    from ..competency.jpm import refresh_snapshot
    from ..competency.standards import competency_map
    from ..development.suggestions import suggest_for_gaps

    rnd = random.Random(3817)
    dictionary.ensure_national_competencies()
    comps = competency_map()
    for code, name in TEKNIS:
        if code not in comps:
            comps[code] = dictionary.add_teknis(code, name, levels={lvl: f"{name}: level {lvl}" for lvl in range(1, 6)})
    rule = JpmRule()
    positions = list(db.session.scalars(select(Position).order_by(Position.id)))
    have = set(db.session.scalars(select(CompetencyStandard.position_id)))
    made = {"standards": 0, "participants": 0, "suggestions": 0}
    teknis_codes = [c for c, _ in TEKNIS]
    for p in positions:
        if p.id in have:
            continue
        base = rule.default_level(p.kind.value, p.jenjang)
        std = CompetencyStandard(
            position_id=p.id,
            version=1,
            berlaku_mulai=date(today.year, 1, 1),
            dasar_hukum=DASAR,
            kode_jabatan=f"J-{p.id:04d}",
            kelompok_jabatan=p.kind.label,
            urusan="Pemerintahan umum",
            ikhtisar=f"Melaksanakan tugas {p.full_name} pada {p.unit.name}.",
            pendidikan=PENDIDIKAN[p.kind],
            pelatihan=PELATIHAN[p.kind],
            pengalaman="Paling singkat 2 tahun pada bidang tugas terkait" if base > 1 else None,
            note="Data demo",
        )
        for code in NATIONAL_CODES:  # the Pemda raises a few levels above the default (overrides)
            level = min(5, base + 1) if code in ("INT", "PP") and base < 3 and rnd.random() < 0.3 else base
            std.items.append(CompetencyStandardItem(competency=comps[code], required_level=level))
        std.items.append(
            CompetencyStandardItem(competency=comps[rnd.choice(teknis_codes)], required_level=max(1, min(5, base + 1)))
        )
        db.session.add(std)
        made["standards"] += 1
    db.session.flush()
    if db.session.scalar(select(AssessmentEvent.id).limit(1)) is None:
        made["participants"] = _event(today, rnd, comps)
        db.session.flush()
        for p in db.session.scalars(select(AssessmentParticipant)):
            refresh_snapshot(p)
    _signer(today)
    db.session.flush()
    made["suggestions"] = suggest_for_gaps(today)
    return made


def _participants(today: date, rnd: random.Random) -> list[Employee]:
    """The demo accounts' employees first (so `pegawai`, `atasan` and `kabid` see a profile), then pengawas,
    administrator and a few pelaksana/fungsional staff: about forty people."""
    named = [
        u.employee
        for u in db.session.scalars(select(User).where(User.username.in_(["pegawai", "atasan", "kabid"])))
        if u.employee is not None
    ]
    rest = list(
        db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Employee.active.is_(True), Position.kind.in_([PositionKind.PENGAWAS, PositionKind.ADMINISTRATOR]))
            .order_by(Employee.id)
        )
    )
    staff = list(
        db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Employee.active.is_(True), Position.kind.in_([PositionKind.PELAKSANA, PositionKind.FUNGSIONAL]))
            .order_by(Employee.id)
        )
    )
    chosen = list(dict.fromkeys(named + rest[:30] + rnd.sample(staff, min(10, len(staff)))))
    return chosen[:42]


def _event(today: date, rnd: random.Random, comps) -> int:
    event = AssessmentEvent(
        name=f"Asesmen Kompetensi Pejabat Pengawas dan Administrator {today.year}",
        method="assessment_center",
        held_on=today - timedelta(days=45),
        provider="UPT Penilaian Kompetensi BKPSDM Provinsi Lampung",
        location="Kotabumi",
        note="Alat ukur: in-tray, analisis kasus, diskusi kelompok, presentasi, wawancara berbasis kompetensi.",
    )
    for name, inst in (
        ("Dr. Rina Marlina, M.Psi., Psikolog", "UPT Penilaian Kompetensi Provinsi Lampung"),
        ("Hendra Saputra, S.Psi., M.M.", "UPT Penilaian Kompetensi Provinsi Lampung"),
        ("Yuliana Sari, S.Sos., M.Si.", "BKPSDM Kabupaten Lampung Utara"),
    ):
        event.assessors.append(AssessmentAssessor(name=name, institution=inst))
    db.session.add(event)
    db.session.flush()
    rule = JpmRule()
    people = _participants(today, rnd)
    now = utcnow()
    for emp in people:
        p = AssessmentParticipant(
            event=event,
            employee_id=emp.id,
            position_id=emp.position_id,
            strengths=rnd.choice(STRENGTHS),
            recommendations=rnd.choice(RECOMMENDATIONS),
            finalised_at=now,
        )
        db.session.add(p)
        pos = emp.position
        target = rule.default_level(pos.kind.value, pos.jenjang) if pos else 2
        talent = rnd.gauss(0, 0.55)
        for code in NATIONAL_CODES:
            true_level = target + talent + rnd.gauss(0, 0.45) - (0.6 if code in ("PDOL", "MP", "PK") else 0)
            ratings = [_half(true_level + rnd.gauss(0, 0.35)) for _ in event.assessors]
            for a, lvl in zip(event.assessors, ratings, strict=True):
                p.ratings.append(AssessorRating(assessor=a, competency=comps[code], level_x2=to_x2(lvl)))
            mean = sum(ratings, Decimal(0)) / len(ratings)
            consensus = _half(float(mean))
            reason = rnd.choice(REASONS) if consensus != mean.quantize(Decimal("0.01")) else None
            p.results.append(AssessmentResult(competency=comps[code], level_x2=to_x2(consensus), reason=reason))
    return len(people)


def _signer(today: date) -> None:
    bkpsdm = db.session.scalar(select(Unit).where(Unit.code == "BKPSDM"))
    if bkpsdm is None:
        return
    exists = db.session.scalar(
        select(SignerConfig.id).where(
            SignerConfig.unit_id == bkpsdm.id, SignerConfig.doc_type == DocType.LAPORAN_KOMPETENSI
        )
    )
    head = db.session.scalar(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.unit_id == bkpsdm.id, Position.is_leader.is_(True))
    )
    if exists is None and head is not None:
        db.session.add(
            SignerConfig(
                unit_id=bkpsdm.id,
                doc_type=DocType.LAPORAN_KOMPETENSI,
                jabatan=f"Kepala {bkpsdm.name}",
                name=head.full_name,
                nip=head.nip,
                pangkat=head.pangkat or head.golongan,
                place="Kotabumi",
                employee_id=head.id,
            )
        )
