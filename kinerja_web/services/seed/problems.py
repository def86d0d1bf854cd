"""One real example of each data-quality problem for the HR queue, plus one valid Plt."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from ...extensions import db
from ...models import AssignmentKind, Employee, Position, PositionAssignment, PositionKind, Unit
from .people import Gen, make_employee


def plant(
    gen: Gen, plt_head: Position, vacant_kasi: Position, opd_units: dict[str, Unit], seksi_posts: list, today: date
) -> None:
    """One real example of each data-quality problem, plus one valid Plt (acting head)."""
    rng = gen.rng
    # A valid Plt: the OPD's Sekretaris acts as head until three months from now.
    sec = db.session.scalars(
        select(Position).where(Position.parent_id == plt_head.id, Position.name.like("Sekretaris%"))
    ).first()
    sec_holder = db.session.scalars(select(Employee).where(Employee.position_id == sec.id)).first()
    db.session.add(
        PositionAssignment(
            employee=sec_holder,
            position=plt_head,
            kind=AssignmentKind.PLT,
            start_date=today - timedelta(days=60),
            end_date=today + timedelta(days=90),
            sk_number="800.1.3.3/045/BKPSDM/2026",
        )
    )
    # Plt past its end date: a bidang head post in DINSOS left vacant after the Plt expired.
    kabid = db.session.scalars(
        select(Position).join(Unit).where(Unit.code == "DINSOS-B2", Position.is_leader.is_(True))
    ).first()
    holder = db.session.scalars(select(Employee).where(Employee.position_id == kabid.id)).first()
    if holder:
        for a in holder.assignments:
            a.end_date = today - timedelta(days=120)
        other = db.session.scalars(
            select(Position).join(Unit).where(Unit.code == "DINSOS-B1", Position.is_leader.is_(True))
        ).first()
        holder.position, holder.unit = other, other.unit
        holder.assignments.append(
            PositionAssignment(position=other, kind=AssignmentKind.DEFINITIF, start_date=today - timedelta(days=119))
        )
        old_kabid = db.session.scalars(
            select(Employee).where(Employee.position_id == other.id, Employee.id != holder.id)
        ).first()
        if old_kabid:
            for a in old_kabid.assignments:
                if a.end_date is None:
                    a.end_date = today - timedelta(days=120)
            plt = db.session.scalars(
                select(Employee).where(
                    Employee.position_id.in_(select(Position.id).where(Position.parent_id == kabid.id))
                )
            ).first()
            db.session.add(
                PositionAssignment(
                    employee=plt or old_kabid,
                    position=kabid,
                    kind=AssignmentKind.PLT,
                    start_date=today - timedelta(days=119),
                    end_date=today - timedelta(days=14),
                    sk_number="800.1.3.3/019/BKPSDM/2026",
                )
            )
            old_kabid.position = kabid  # keeps a stale post but no running riwayat row
    # Cycle: two posts in DISTAN that name each other as atasan.
    bu = opd_units["DISTAN"]
    a = Position(
        unit=bu, name="Analis Ketahanan Pangan", kind=PositionKind.FUNGSIONAL, jenjang="Ahli Muda", kelas_jabatan=9
    )
    b = Position(
        unit=bu,
        name="Koordinator Ketahanan Pangan",
        kind=PositionKind.FUNGSIONAL,
        jenjang="Ahli Madya",
        kelas_jabatan=11,
        parent=a,
    )
    db.session.add_all([a, b])
    db.session.flush()
    a.parent = b
    make_employee(gen, a, bu)
    make_employee(gen, b, bu)
    # Atasan in another OPD without a reason: a DISTAN staff post reporting to a BAPPEDA seksi head.
    bappeda_kasi = next(p for p, u in seksi_posts if u.opd.code == "BAPPEDA")
    cross = Position(
        unit=opd_units["DISTAN"],
        name="Pengolah Data Perencanaan",
        kind=PositionKind.PELAKSANA,
        kelas_jabatan=6,
        parent=bappeda_kasi,
    )
    db.session.add(cross)
    make_employee(gen, cross, opd_units["DISTAN"])
    # An employee without a post (and so without an atasan).
    lost = make_employee(gen, cross, opd_units["DINSOS"])
    lost.position = None
    lost.assignments.clear()
    # An orphan post with no atasan at all.
    orphan = Position(
        unit=opd_units["DPUPR"], name="Pengawas Lapangan Jalan", kind=PositionKind.PELAKSANA, kelas_jabatan=6
    )
    db.session.add(orphan)
    make_employee(gen, orphan, opd_units["DPUPR"])
    # An NIP that disagrees with the birth date on record (typed wrongly during data entry).
    some = db.session.scalars(
        select(Employee).where(Employee.position_id.is_not(None)).order_by(Employee.id).offset(50)
    ).first()
    some.birth_date = some.birth_date + timedelta(days=3)
    # A likely duplicate: the same person entered twice under two NIPs.
    twin_src = db.session.scalars(select(Employee).order_by(Employee.id).offset(80)).first()
    twin = make_employee(gen, twin_src.position, twin_src.unit)
    twin.name, twin.birth_date, twin.gender = twin_src.name, twin_src.birth_date, twin_src.gender
    twin.nip = gen.nip(twin_src.birth_date, twin.tmt_cpns, twin.gender)
    db.session.flush()
    _ = rng
