"""A selection world: a vacant pengawas post, a pansel of three employees with accounts, four internal candidates
with two years of final predikat and a competency assessment, and the BKPSDM letterhead for the documents."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain.competency import NATIONAL_CODES
from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.selection import STAGE_ORDER, MemberRole, Pendidikan, SelectionKind, StageKind
from kinerja_web.domain.skp import Frequency, PeriodStatus
from kinerja_web.extensions import db
from kinerja_web.models import (
    ANNUAL,
    Letterhead,
    PerformanceRating,
    Period,
    PositionKind,
    RatingStatus,
    Role,
    User,
)
from kinerja_web.services.selection import setup
from kinerja_web.timeutil import today_wib

from ..competency.fixtures import assess

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


def period_of(year: int) -> Period:
    p = db.session.query(Period).filter_by(year=year).one_or_none()
    if p is None:
        p = Period(
            year=year,
            frequency=Frequency.TRIWULAN,
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 31),
            status=PeriodStatus.CLOSED,
        )
        db.session.add(p)
        db.session.flush()
    return p


def rate(emp, year: int, predikat: Predikat) -> None:
    e = Ekspektasi.DI_ATAS if predikat == Predikat.SANGAT_BAIK else Ekspektasi.SESUAI
    db.session.add(
        PerformanceRating(
            employee_id=emp.id,
            period_id=period_of(year).id,
            window_no=ANNUAL,
            hasil_kerja=e,
            perilaku_kerja=e,
            predikat=predikat,
            status=RatingStatus.FINAL,
        )
    )


def account(username: str, emp) -> User:
    u = User(username=username, employee=emp, session_token="tok", password_hash="x")
    u.set_roles({Role.PEGAWAI})
    db.session.add(u)
    return u


@pytest.fixture
def sel_world(org_chart, make_position, make_employee, make_user):
    ns = org_chart
    today = today_wib()
    ns.today = today
    ns.p_target = make_position("Kepala Subbidang Mutasi", unit=ns.opd, parent=ns.p_kabid, kind=PositionKind.PENGAWAS)
    ns.extra1 = make_employee("Calon Tiga", golongan="III/c")
    ns.extra2 = make_employee("Calon Empat", golongan="III/b")
    ns.u_head = make_user("kepala1", employee=ns.head)
    ns.u_kabid = make_user("kabid1", employee=ns.kabid)
    ns.u_staff2 = make_user("pegawai2", employee=ns.staff2)
    for emp in (ns.staff1, ns.staff2, ns.extra1, ns.extra2):
        emp.golongan = "III/c" if emp is not ns.extra2 else "III/b"
    for emp, (a, b) in {
        ns.staff1: (Predikat.SANGAT_BAIK, Predikat.BAIK),
        ns.staff2: (Predikat.BAIK, Predikat.BAIK),
        ns.extra1: (Predikat.BAIK, Predikat.SANGAT_BAIK),
        ns.extra2: (Predikat.BAIK, Predikat.BAIK),
    }.items():
        rate(emp, today.year - 1, a)
        rate(emp, today.year - 2, b)
    db.session.add(
        Letterhead(
            unit_id=ns.opd.id,
            pemda_name="Pemerintah Kabupaten Lampung Utara",
            opd_name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            address="Jalan Jenderal Sudirman Nomor 1, Kotabumi",
            contact="Telepon (0724) 21000",
        )
    )
    db.session.commit()
    assess(ns.staff1, "2")
    assess(ns.staff2, {**{c: "2" for c in NATIONAL_CODES}, NATIONAL_CODES[2]: "1"})
    assess(ns.extra1, "2,5")
    sel = setup.open_selection(
        setup.SelectionInput(
            position_id=ns.p_target.id,
            unit_id=ns.opd.id,
            kind=SelectionKind.TERBUKA,
            title="Seleksi Terbuka Kepala Subbidang Mutasi",
            registration_opens=date(today.year, 1, 1),
            registration_closes=date(today.year, 12, 31),
            weights=dict(WEIGHTS),
            pass_marks=dict(MARKS),
            min_golongan="III/c",
            min_pendidikan=Pendidikan.D4_S1,
        ),
        ns.u_hr,
    )
    setup.add_member(sel, nip=ns.kabid.nip, name=None, institution=None, role=MemberRole.KETUA)
    setup.add_member(sel, nip=ns.kasi.nip, name=None, institution=None, role=MemberRole.ANGGOTA)
    setup.add_member(sel, nip=ns.head.nip, name=None, institution=None, role=MemberRole.ANGGOTA)
    ns.c1 = setup.register_employee(sel, ns.staff1, Pendidikan.D4_S1, ns.u_hr)
    ns.c2 = setup.register_employee(sel, ns.staff2, Pendidikan.S2, ns.u_hr)
    ns.c3 = setup.register_employee(sel, ns.extra1, Pendidikan.D4_S1, ns.u_hr)
    ns.c4 = setup.register_employee(sel, ns.extra2, Pendidikan.D4_S1, ns.u_hr)  # golongan III/b: fails
    db.session.commit()
    ns.sel = sel
    ns.stage = {s.kind: s for s in sel.stages}
    ns.members = {m.employee_id: m for m in sel.members}
    assert [s.kind for s in sel.stages] == list(STAGE_ORDER)
    return ns
