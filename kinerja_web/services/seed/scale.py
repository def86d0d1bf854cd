"""The benchmark data (`flask seed scale`): the regency at any size, written in bulk, with a year of work on it.

On top of `org.build_regency(bulk=True)`, the demo accounts, the development catalogue and the referral rules,
as plain rows (`seed.bulk`, COPY on PostgreSQL): this year's period (triwulan) with an approved SKP for everyone
(two RHK, one indikator each, a realisasi per finished window) and final ratings for the finished windows; last
year's closed period with final annual ratings and a closed 360 cycle with its answers; attendance exceptions
(late, early leave, absences) on every past month of this year; a predikat per employee for the last two months
and the shipped payroll rules, with the month before last paid (a final run): last month's run computes at once.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import bindparam, select, text

from ...domain.predikat import Ekspektasi, predikat
from ...domain.skp import Aspek, Frequency, PeriodStatus, RhkKategori, SkpJenis
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import ANNUAL, Employee, Period, PositionKind, RatingStatus, User, utcnow
from .. import rating_rules
from ..payroll import rules as payroll_rules
from . import accounts, bulk, development, org
from .payroll_corrections import finalise

SEED = 7500
LEVELS = (Ekspektasi.DI_ATAS, Ekspektasi.SESUAI, Ekspektasi.SESUAI, Ekspektasi.SESUAI, Ekspektasi.DI_BAWAH)
PREDIKAT_MIX = (
    ["baik"] * 70 + ["sangat_baik"] * 15 + ["butuh_perbaikan"] * 10 + ["kurang_misconduct"] * 4 + ["sangat_kurang"]
)
ATTENDANCE_CODES = ("TK", "C", "S", "DL", "I", "APEL")


def scale(employees: int, today: date) -> org.SeedResult:
    """The scale regency with the demo accounts and a year of SKP, ratings, 360, attendance and payroll."""
    rating_rules.seed_rules()
    regency = org.build_regency(employees, today=today, seed=SEED, bulk=True)
    accounts.create_demo_accounts(today)
    development.seed_development(today)  # the referral rules and catalogue: suggestions can be generated
    rng = random.Random(SEED)
    staff = db.session.execute(
        select(Employee.id, Employee.position_id).where(Employee.active.is_(True)).order_by(Employee.id)
    ).all()
    appraiser = _appraisers()
    last_year = _period(today.year - 1, PeriodStatus.CLOSED)
    this_year = _period(today.year, PeriodStatus.OPEN)
    finished = [w.index for w in this_year.windows if w.end < today]
    _ratings(rng, staff, appraiser, [(last_year, ANNUAL)] + [(this_year, w) for w in finished], today)
    _skps(rng, staff, appraiser, this_year, finished)
    _evaluation360(rng, staff, appraiser, today)
    _attendance(rng, [e for e, _ in staff], today)
    _payroll_inputs(rng, [e for e, _ in staff], today)
    db.session.flush()
    return regency


def _period(year: int, status: PeriodStatus) -> Period:
    period = db.session.scalar(select(Period).where(Period.year == year))
    if period is None:
        period = Period(
            year=year, frequency=Frequency.TRIWULAN, start_date=date(year, 1, 1), end_date=date(year, 12, 31)
        )
        period.status = status
        db.session.add(period)
        db.session.flush()
    return period


def _appraisers() -> dict[int, int]:
    """Post id → the employee holding its parent post (the atasan), for every post that has one."""
    from ...models import Position

    holder = dict(db.session.execute(select(Employee.position_id, Employee.id).where(Employee.active.is_(True))).all())
    return {
        pid: holder[parent]
        for pid, parent in db.session.execute(select(Position.id, Position.parent_id)).all()
        if parent in holder
    }


def _ratings(rng: random.Random, staff, appraiser: dict[int, int], windows: list, today: date) -> None:
    """Final ratings of every employee for each (period, window): a plausible mix of predikat."""
    table = db.metadata.tables["performance_rating"]
    cols = ("employee_id", "period_id", "window_no", "hasil_kerja", "perilaku_kerja", "predikat", "status")
    cols += ("appraiser_id", "rated_on", "finalised_at", "rule_version", "hasil_from_unit")
    writer = bulk.Writer(table, cols)
    now = utcnow()
    for period, window_no in windows:
        version = rating_rules.matriks_for(period)
        rated_on = min(today, date(period.year + 1, 1, 15) if window_no == ANNUAL else today)
        for emp_id, post_id in staff:
            hasil, perilaku = rng.choice(LEVELS), rng.choice(LEVELS)
            writer.add(
                {
                    "employee_id": emp_id,
                    "period_id": period.id,
                    "window_no": window_no,
                    "hasil_kerja": hasil,
                    "perilaku_kerja": perilaku,
                    "predikat": predikat(hasil, perilaku, version.data),
                    "status": RatingStatus.FINAL,
                    "appraiser_id": appraiser.get(post_id),
                    "rated_on": rated_on,
                    "finalised_at": now,
                    "rule_version": version.version_id,
                    "hasil_from_unit": False,
                }
            )
            if len(writer.rows) >= bulk.CHUNK:
                writer.flush()
    writer.flush()


def _skps(rng: random.Random, staff, appraiser: dict[int, int], period: Period, finished: list[int]) -> None:
    """An approved SKP for everyone: two RHK (utama, tambahan), one indikator each, a realisasi per finished window."""
    from ...models import Position

    kinds = dict(db.session.execute(select(Position.id, Position.kind)).all())
    tables = {t: db.metadata.tables[t] for t in ("skp", "rhk", "indikator", "realisasi")}
    skp_id, rhk_id = bulk.next_id(tables["skp"]), bulk.next_id(tables["rhk"])
    ind_id = bulk.next_id(tables["indikator"])
    skps = bulk.Writer(tables["skp"], ("id", "employee_id", "period_id", "jenis", "status", "appraiser_id"))
    rhks = bulk.Writer(tables["rhk"], ("id", "skp_id", "kategori", "uraian", "position"))
    inds = bulk.Writer(tables["indikator"], ("id", "rhk_id", "aspek", "indikator", "target", "satuan", "position"))
    reals = bulk.Writer(tables["realisasi"], ("indikator_id", "window_no", "nilai", "keterangan"))
    for n, (emp_id, post_id) in enumerate(staff, start=1):
        jenis = SkpJenis.JPT if kinds.get(post_id) == PositionKind.JPT else SkpJenis.KUANTITATIF
        skps.add(
            {
                "id": skp_id,
                "employee_id": emp_id,
                "period_id": period.id,
                "jenis": jenis,
                "status": SkpStatus.APPROVED,
                "appraiser_id": appraiser.get(post_id),
            }
        )
        for pos, (kategori, uraian) in enumerate(
            ((RhkKategori.UTAMA, "Terlaksananya layanan administrasi unit"), (RhkKategori.TAMBAHAN, "Laporan kegiatan"))
        ):
            rhks.add({"id": rhk_id, "skp_id": skp_id, "kategori": kategori, "uraian": uraian, "position": pos})
            target = rng.choice((4, 12, 24, 100))
            inds.add(
                {
                    "id": ind_id,
                    "rhk_id": rhk_id,
                    "aspek": Aspek.KUANTITAS,
                    "indikator": f"Jumlah dokumen {uraian.lower()}",
                    "target": str(target),
                    "satuan": "dokumen",
                    "position": 0,
                }
            )
            for w in finished:
                reals.add(
                    {"indikator_id": ind_id, "window_no": w, "nilai": str(rng.randint(0, target)), "keterangan": ""}
                )
            rhk_id, ind_id = rhk_id + 1, ind_id + 1
        skp_id += 1
        if n % 5000 == 0:
            bulk.flush_all(skps, rhks, inds, reals)
    bulk.flush_all(skps, rhks, inds, reals)
    for t in ("skp", "rhk", "indikator"):
        bulk.reset_sequence(tables[t])


def _evaluation360(rng: random.Random, staff, appraiser: dict[int, int], today: date) -> None:
    """Last year's 360 cycle, closed, over every OPD: each employee rated by themself, their atasan and two
    colleagues under the same atasan; about 90% of the forms submitted, with a score for each BerAKHLAK value."""
    from ...domain.berakhlak import BERAKHLAK
    from ...models import EvaluationCycle, Position, Response, Unit, UnitKind
    from ...models.evaluation360 import AssignmentStatus, CycleStatus, RaterGroup, RaterSource

    year = today.year - 1
    cycle = EvaluationCycle(
        name=f"Penilaian 360 {year}",
        year=year,
        period_label=f"Tahunan {year}",
        start_date=date(year, 1, 1),
        end_date=date(year, 12, 31),
        deadline=date(year, 12, 31),
        status=CycleStatus.CLOSED,
        opened_at=utcnow(),
        closed_at=utcnow(),
    )
    cycle.units = list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD)))
    db.session.add(cycle)
    db.session.flush()
    units = dict(db.session.execute(select(Employee.id, Employee.unit_id)).all())
    parent = dict(db.session.execute(select(Position.id, Position.parent_id)).all())
    colleagues: dict[int | None, list[int]] = {}
    for emp_id, post_id in staff:
        colleagues.setdefault(parent.get(post_id), []).append(emp_id)
    place = {emp_id: i for group in colleagues.values() for i, emp_id in enumerate(group)}
    tables = {t: db.metadata.tables[t] for t in ("evaluatee", "rater_assignment")}
    evaluatee_id = bulk.next_id(tables["evaluatee"])
    evaluatees = bulk.Writer(tables["evaluatee"], ("id", "cycle_id", "employee_id", "unit_id", "appraiser_id"))
    assignments = bulk.Writer(
        tables["rater_assignment"], ("evaluatee_id", "rater_id", "group", "source", "status", "submitted_at")
    )
    submitted_at = utcnow()
    for n, (emp_id, post_id) in enumerate(staff, start=1):
        boss = appraiser.get(post_id)
        evaluatees.add(
            {"id": evaluatee_id, "cycle_id": cycle.id, "employee_id": emp_id, "unit_id": units[emp_id]}
            | {"appraiser_id": boss}
        )
        group, at = colleagues[parent.get(post_id)], place[emp_id]
        raters = {group[(at + k) % len(group)]: RaterGroup.REKAN for k in (2, 1)}  # one rater, one form
        if boss:
            raters[boss] = RaterGroup.ATASAN
        raters[emp_id] = RaterGroup.DIRI
        for rater_id, rater_group in raters.items():
            done = rng.random() < 0.9
            assignments.add(
                {
                    "evaluatee_id": evaluatee_id,
                    "rater_id": rater_id,
                    "group": rater_group,
                    "source": RaterSource.SUGGESTED,
                    "status": AssignmentStatus.SUBMITTED if done else AssignmentStatus.APPROVED,
                    "submitted_at": submitted_at if done else None,
                }
            )
        evaluatee_id += 1
        if n % bulk.CHUNK == 0:
            bulk.flush_all(evaluatees, assignments)
    bulk.flush_all(evaluatees, assignments)
    bulk.reset_sequence(tables["evaluatee"])
    # The answers, one per value of every submitted form, written by the database itself (millions at 100,000).
    values = " UNION ALL ".join(f"SELECT '{code}' AS code, {i} AS n" for i, code in enumerate(BERAKHLAK))
    answers = text(
        "INSERT INTO response_360 (assignment_id, value_code, score, saved_at) "
        f"SELECT a.id, v.code, 3 + (a.id + v.n) % 3, :at FROM rater_assignment a CROSS JOIN ({values}) v "
        "JOIN evaluatee e ON e.id = a.evaluatee_id WHERE e.cycle_id = :cycle AND a.status = :done"
    ).bindparams(bindparam("at", type_=Response.saved_at.type))
    db.session.execute(answers, {"at": submitted_at, "cycle": cycle.id, "done": AssignmentStatus.SUBMITTED.value})


def working_days(first: date) -> list[date]:
    d, out = first, []
    while d.month == first.month:
        if d.weekday() < 5:
            out.append(d)
        d += timedelta(days=1)
    return out


def attendance_rows(rng: random.Random, ids: list[int], days: list[date]):
    """A month's attendance exceptions (late, early leave, TK, cuti, sakit, DL...) for about 60% of `ids`, 1–4
    days each, as Attendance column values (also the payroll benchmark's month)."""
    for i in ids:
        if rng.random() < 0.4:
            continue
        for day in rng.sample(days, rng.randint(1, 4)):
            roll = rng.random()
            late = early = 0
            code = None
            if roll < 0.55:
                late = rng.choice((5, 12, 25, 40, 75, 100))
            elif roll < 0.75:
                early = rng.choice((10, 35, 65))
            else:
                code = rng.choice(ATTENDANCE_CODES)
            yield {
                "employee_id": i,
                "tanggal": day,
                "terlambat_menit": late,
                "pulang_cepat_menit": early,
                "kode_absen": code,
                "jenis_cuti": "Cuti tahunan" if code == "C" else None,
                "source": "import",
                "correction_reason": None,
            }


def _attendance(rng: random.Random, ids: list[int], today: date) -> None:
    """Attendance exceptions on the working days of every finished month of this year (a day without a row
    is a normal day)."""
    writer = bulk.Writer(
        db.metadata.tables["attendance"],
        ("employee_id", "tanggal", "terlambat_menit", "pulang_cepat_menit", "kode_absen", "jenis_cuti", "source"),
    )
    for month in range(1, today.month):
        for row in attendance_rows(rng, ids, working_days(date(today.year, month, 1))):
            writer.add(row)
            if len(writer.rows) >= bulk.CHUNK:
                writer.flush()
    writer.flush()


def _payroll_inputs(rng: random.Random, ids: list[int], today: date) -> None:
    """The shipped payroll rule tables and a predikat per employee for the last two months; the month before
    last is paid: its run is computed and taken through verification and approval to final (a payroll history),
    and last month's run is left to be made."""
    from ...models import PayrollRun
    from ..payroll import compute, runs

    users = {u.username: u for u in db.session.scalars(select(User))}
    payroll_rules.seed_rules(users["operator"].id)
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    before = (last - timedelta(days=1)).replace(day=1)
    writer = bulk.Writer(db.metadata.tables["payroll_predikat"], ("employee_id", "month", "predikat", "source"))
    for month in (before, last):
        for i in ids:
            writer.add({"employee_id": i, "month": month, "predikat": rng.choice(PREDIKAT_MIX), "source": "seed scale"})
        writer.flush()
    if db.session.scalar(select(PayrollRun.id).where(PayrollRun.month == before).limit(1)) is None:
        run = runs.create_run(before, None, users["operator"])
        compute.compute_run(run, users["operator"])
        finalise(run, users["verifikator"], users["pejabat"])
