"""`flask seed scale` data at a tiny size: the bulk rows read back like the ORM's, and they hang together."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from kinerja_web.domain.berakhlak import BERAKHLAK
from kinerja_web.extensions import db
from kinerja_web.models import (
    ANNUAL,
    Attendance,
    Employee,
    Evaluatee,
    FamilyMember,
    PayrollPredikat,
    PayrollRun,
    PerformanceRating,
    Period,
    Position,
    PositionAssignment,
    RaterAssignment,
    Realisasi,
    Response,
    RunStatus,
    Skp,
    StatusAsn,
    User,
)
from kinerja_web.models.evaluation360 import AssignmentStatus, RaterGroup
from kinerja_web.services.seed import org, scale
from tests.transactions import rolled_back

TODAY = date(2026, 11, 20)
SIZE = 300


def _people() -> list[tuple]:
    return list(
        db.session.execute(
            select(Employee.nip, Employee.name, Employee.golongan, Employee.status_asn, Position.name, Position.kind)
            .join(Position, Position.id == Employee.position_id)
            .order_by(Employee.nip)
        )
    )


def test_bulk_staff_are_the_people_the_orm_makes(_app):
    with _app.app_context():
        with rolled_back():
            org.build_regency(SIZE, today=TODAY, seed=7500)
            orm = _people()
            orm_family = db.session.scalar(select(func.count(FamilyMember.id)))
        with rolled_back():
            org.build_regency(SIZE, today=TODAY, seed=7500, bulk=True)
            assert _people() == orm
            assert db.session.scalar(select(func.count(FamilyMember.id))) == orm_family
            # ids continue after the bulk rows (PostgreSQL's sequences were moved on)
            post = db.session.scalars(select(Position).where(Position.kind == "pelaksana")).first()
            values = {"nip": "199001012015011999", "name": "Pegawai Baru", "golongan": "III/a"}
            late = Employee(**values, status_asn=StatusAsn.PNS, gender="L", birth_date=date(1990, 1, 1), position=post)
            db.session.add(late)
            db.session.flush()
            assert late.id > db.session.scalar(select(func.max(Employee.id)).where(Employee.id != late.id))


def test_scale_data_hangs_together(_app):
    with _app.app_context(), rolled_back():
        result = scale.scale(SIZE, TODAY)
        assert result.employees >= SIZE  # plus the planted data-quality examples
        ids = set(db.session.scalars(select(Employee.id).where(Employee.active.is_(True))))
        # every staff member (the bulk rows): a first assignment to the post they hold
        held = set(db.session.execute(select(PositionAssignment.employee_id, PositionAssignment.position_id)))
        staff = select(Employee.id, Employee.position_id).join(Position, Position.id == Employee.position_id)
        posts = set(db.session.execute(staff.where(Position.kind.in_(["pelaksana", "fungsional"]))))
        assert len(posts) > SIZE / 3 and posts <= held
        # everyone: an approved SKP with realisasi
        this_year = db.session.scalar(select(Period).where(Period.year == TODAY.year))
        finished = [w.index for w in this_year.windows if w.end < TODAY]
        assert finished == [1, 2, 3]
        assert set(db.session.scalars(select(Skp.employee_id).where(Skp.period_id == this_year.id))) == ids
        assert db.session.scalar(select(func.count(Realisasi.id))) == len(ids) * 2 * len(finished)
        # final ratings: last year's annual one and one per finished window, each by the holder of the parent post
        per_window = dict(
            db.session.execute(
                select(PerformanceRating.window_no, func.count()).group_by(PerformanceRating.window_no)
            ).all()
        )
        assert per_window == {ANNUAL: len(ids), 1: len(ids), 2: len(ids), 3: len(ids)}
        rating = db.session.scalars(
            select(PerformanceRating).where(PerformanceRating.appraiser_id.is_not(None))
        ).first()
        emp, boss = db.session.get(Employee, rating.employee_id), db.session.get(Employee, rating.appraiser_id)
        assert boss.position_id == emp.position.parent_id
        assert rating.predikat is not None and rating.rule_version
        # last year's 360: everyone evaluated by themself and their atasan (among others), answers for every
        # value of each submitted form
        assert set(db.session.scalars(select(Evaluatee.employee_id))) == ids
        atasan = db.session.execute(
            select(Evaluatee.appraiser_id, RaterAssignment.rater_id)
            .join(RaterAssignment, RaterAssignment.evaluatee_id == Evaluatee.id)
            .where(RaterAssignment.group == RaterGroup.ATASAN)
        ).all()
        assert atasan and all(a == r for a, r in atasan)
        submitted = select(func.count(RaterAssignment.id)).where(RaterAssignment.status == AssignmentStatus.SUBMITTED)
        answers = db.session.scalar(select(func.count(Response.id)))
        assert answers == db.session.scalar(submitted) * len(BERAKHLAK) > 0
        # attendance on past working days of this year only; last month's payroll predikat for everyone
        first, last = db.session.execute(select(func.min(Attendance.tanggal), func.max(Attendance.tanggal))).one()
        assert first >= date(TODAY.year, 1, 1) and last < TODAY.replace(day=1) and last.weekday() < 5
        month = date(TODAY.year, TODAY.month - 1, 1)
        assert set(db.session.scalars(select(PayrollPredikat.employee_id).where(PayrollPredikat.month == month))) == ids
        # a payroll history: the month before last paid to everyone, final
        paid = db.session.scalars(select(PayrollRun)).one()
        assert (paid.month, paid.status) == (date(TODAY.year, TODAY.month - 2, 1), RunStatus.FINAL)
        assert paid.employee_count == len(ids)
        assert db.session.scalar(select(User.id).where(User.username == "kepegawaian"))
