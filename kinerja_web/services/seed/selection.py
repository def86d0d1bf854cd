"""Demo seleksi and succession: one open selection for a pengawas post in BKPSDM with six candidates at the uji
kompetensi stage (administrasi closed, its Pengumuman issued), and a talent pool (boxes 7–9) of pengawas and
administrator officials so the succession list of key posts has candidates. Flushes; the caller commits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ...domain import golongan as gol
from ...domain.org import StatusAsn
from ...domain.predikat import Ekspektasi
from ...domain.selection import MemberRole, Pendidikan, SelectionKind, StageKind
from ...domain.talent import Potensial
from ...extensions import db
from ...models import Employee, Letterhead, Position, PositionKind, Selection, TalentPotensial, Unit, User
from ..competency.jpm import latest_snapshots
from ..org import appraisers
from ..selection import documents, setup, stages
from . import rating

TITLE = "Seleksi Internal Kepala Subbidang BKPSDM"
WEIGHTS = {
    StageKind.ADMINISTRASI: Decimal(0),
    StageKind.UJI_KOMPETENSI: Decimal(40),
    StageKind.REKAM_JEJAK: Decimal(20),
    StageKind.WAWANCARA: Decimal(40),
}
MARKS = {
    StageKind.ADMINISTRASI: Decimal(0),
    StageKind.UJI_KOMPETENSI: Decimal(70),
    StageKind.REKAM_JEJAK: Decimal(60),
    StageKind.WAWANCARA: Decimal(65),
}
CANDIDATES = 6
POOL = 14  # pengawas and administrator officials placed in boxes 7–9


def _users(names: list[str]) -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(names)))}


def seed_selection_demo(today: date) -> dict[str, int]:
    """The demo selection and talent pool (nothing when the selection exists already)."""
    if db.session.scalar(select(Selection.id).where(Selection.title == TITLE)) is not None:
        return {"selections": 0, "pool": 0}
    users = _users(["kabid", "atasan", "pegawai", "kepegawaian"])
    bkpsdm = db.session.scalar(select(Unit).where(Unit.code == "BKPSDM"))
    if bkpsdm is None or "kabid" not in users or "kepegawaian" not in users:
        return {"selections": 0, "pool": 0}
    hr = users["kepegawaian"]
    target = db.session.scalars(
        select(Position)
        .join(Unit, Unit.id == Position.unit_id)
        .where(
            Unit.code.like("BKPSDM%"),
            Position.kind == PositionKind.PENGAWAS,
            Position.id != users["atasan"].employee.position_id,
        )
        .order_by(Position.id)
    ).first()
    sel = setup.open_selection(
        setup.SelectionInput(
            position_id=target.id,
            unit_id=bkpsdm.id,
            kind=SelectionKind.INTERNAL,
            title=TITLE,
            registration_opens=date(today.year, 1, 2),
            registration_closes=today,
            weights=dict(WEIGHTS),
            pass_marks=dict(MARKS),
            min_golongan="III/a",
            min_pendidikan=Pendidikan.D4_S1,
            min_predikat=None,
            notes="Uji kompetensi dengan assessment center; wawancara oleh panitia seleksi (CONTOH DATA DEMO).",
        ),
        hr,
    )
    head = db.session.scalar(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.unit_id == bkpsdm.id, Position.is_leader.is_(True))
    )
    setup.add_member(sel, nip=users["kabid"].employee.nip, name=None, institution=None, role=MemberRole.KETUA)
    setup.add_member(sel, nip=users["atasan"].employee.nip, name=None, institution=None, role=MemberRole.ANGGOTA)
    if head is not None:
        setup.add_member(sel, nip=head.nip, name=None, institution=None, role=MemberRole.ANGGOTA)
    else:
        setup.add_member(
            sel, nip=None, name="Dr. Pakar Manajemen SDM", institution="Universitas Lampung", role=MemberRole.ANGGOTA
        )
    taken = {m.employee_id for m in sel.members} | {
        e.id for e in db.session.scalars(select(Employee).where(Employee.position_id == target.id))
    }
    pool = [
        e
        for e in db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(
                Position.kind.in_([PositionKind.PELAKSANA, PositionKind.FUNGSIONAL]),
                Employee.status_asn == StatusAsn.PNS,
                Employee.active.is_(True),
            )
            .order_by(Employee.unit_id, Employee.id)
        )
        if e.id not in taken
    ]
    # Candidates with a competency assessment first, so "Hitung dari data Kinerja" at uji kompetensi reads their JPM.
    assessed = set(latest_snapshots([e.id for e in pool], today))
    eligible = sorted(
        (e for e in pool if gol.rank(e.golongan) >= gol.rank("III/a")), key=lambda e: (e.id not in assessed, e.id)
    )
    pegawai = users.get("pegawai")
    chosen = [pegawai.employee] if pegawai and pegawai.employee in eligible else []
    chosen += [e for e in eligible if e not in chosen][: CANDIDATES - len(chosen)]
    short = next((e for e in pool if gol.rank(e.golongan) < gol.rank("III/a")), None)
    for i, e in enumerate(chosen):
        setup.register_employee(sel, e, Pendidikan.S2 if i % 3 == 0 else Pendidikan.D4_S1, hr)
    if short is not None:  # one applicant below the golongan requirement: shown as not passing administrasi
        setup.register_employee(sel, short, Pendidikan.D4_S1, hr)
    setup.start(sel, hr)
    adm = sel.stages[0]
    stages.compute(adm, today, hr)
    passed = {c.id for c in sel.candidates if stages.eligible(adm, stages.results_of(adm).get(c.id))}
    stages.close_stage(adm, passed, hr)
    if db.session.scalar(select(Letterhead.id).where(Letterhead.unit_id == bkpsdm.id)) is not None:
        documents.issue_pengumuman(adm, today, hr, None)
    return {"selections": 1, "pool": seed_talent_pool(today)}


def seed_talent_pool(today: date) -> int:
    """Last year's final predikat and potensial for pengawas and administrator officials in boxes 7–9, so the
    succession list of key posts shows candidates (existing ratings and potensial are kept)."""
    period = rating.closed_period(today.year - 1)
    officials = list(
        db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(
                Position.kind.in_([PositionKind.PENGAWAS, PositionKind.ADMINISTRATOR]),
                Employee.active.is_(True),
            )
            .order_by(Employee.id)
        )
    )[: POOL * 3 : 3]
    have = set(db.session.scalars(select(TalentPotensial.employee_id).where(TalentPotensial.period_id == period.id)))
    made = 0
    plan = [
        (Ekspektasi.DI_ATAS, Potensial.TINGGI),  # box 9
        (Ekspektasi.SESUAI, Potensial.TINGGI),  # box 8
        (Ekspektasi.DI_ATAS, Potensial.MENENGAH),  # box 7
    ]
    for i, e in enumerate(officials):
        if e.id in have:
            continue
        kinerja, potensial = plan[i % len(plan)]
        found = appraisers.appraiser_of(e, today)
        r = rating.final_annual_rating(period, e, found.employee if found else e, kinerja, kinerja, today)
        if r.predikat is None:
            continue
        db.session.add(
            TalentPotensial(
                employee_id=e.id,
                period_id=period.id,
                potensial=potensial,
                dasar="Asesmen kompetensi (CONTOH DATA DEMO)",
            )
        )
        made += 1
    db.session.flush()
    return made
