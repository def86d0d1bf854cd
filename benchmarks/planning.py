"""SKP page and appraiser inbox: milliseconds and SQL statements with the 7,500-employee scale data.

Run: python -m benchmarks.planning [--employees 7500] [--runs 30]
Uses BENCH_DATABASE_URL (default: a fresh SQLite file in /tmp). The last line is one JSON object with
skp_page_ms, inbox_ms (medians of warm requests), skp_page_queries and inbox_queries.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date

from flask_login import FlaskLoginClient
from sqlalchemy import event, func, select

from kinerja_web import create_app
from kinerja_web.domain.berakhlak import BERAKHLAK
from kinerja_web.domain.skp import Aspek, Frequency, PeriodStatus, RhkKategori, SkpJenis
from kinerja_web.domain.workflow import SkpStatus
from kinerja_web.extensions import db
from kinerja_web.models import (
    AssignmentKind,
    Employee,
    Gender,
    Indikator,
    PerilakuExpectation,
    Period,
    Position,
    PositionAssignment,
    PositionKind,
    Rhk,
    Role,
    Skp,
    StatusAsn,
    User,
)
from kinerja_web.services.seed.org import build_regency

TODAY = date(2026, 6, 15)


def _skp(employee: Employee, period: Period, n_rhk: int, status: SkpStatus, appraiser_id: int | None, parents=()):
    skp = Skp(
        employee=employee,
        period=period,
        jenis=SkpJenis.KUANTITATIF,
        status=status,
        version=1,
        appraiser_id=appraiser_id,
    )
    skp.perilaku = [
        PerilakuExpectation(nilai=v, position=i, ekspektasi_khusus="Tepat waktu") for i, v in enumerate(BERAKHLAK)
    ]
    for i in range(n_rhk):
        rhk = Rhk(
            kategori=RhkKategori.UTAMA if i < n_rhk - 2 else RhkKategori.TAMBAHAN,
            position=i,
            uraian=f"Rencana hasil kerja nomor {i + 1} yang cukup panjang untuk realistis",
            parent_rhk_id=parents[i % len(parents)] if parents else None,
        )
        rhk.indikators = [
            Indikator(aspek=a, indikator=f"Indikator {a.label} RHK {i + 1}", target="12", satuan="dokumen", position=j)
            for j, a in enumerate((Aspek.KUANTITAS, Aspek.KUALITAS, Aspek.WAKTU))
        ]
        skp.rhks.append(rhk)
    db.session.add(skp)
    return skp


def prepare(employees: int) -> tuple[int, int, int]:
    """Scale data plus: an atasan with 40 subordinates who all submitted, and one SKP with 30 RHK/90 IKI."""
    build_regency(employees, today=TODAY, plant_problems=False)
    period = Period(
        year=2026,
        frequency=Frequency.TRIWULAN,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        status=PeriodStatus.OPEN,
    )
    db.session.add(period)
    boss_pos = db.session.scalars(
        select(Position)
        .where(Position.kind == PositionKind.PENGAWAS, Position.is_leader.is_(True))
        .order_by(Position.id)
    ).first()
    boss = db.session.scalars(select(Employee).where(Employee.position_id == boss_pos.id)).first()
    staff = list(db.session.scalars(select(Employee).join(Position).where(Position.parent_id == boss_pos.id)))
    for i in range(len(staff), 40):
        pos = Position(
            unit_id=boss_pos.unit_id,
            parent=boss_pos,
            name=f"Pelaksana Uji {i}",
            kind=PositionKind.PELAKSANA,
            kelas_jabatan=6,
        )
        emp = Employee(
            nip=f"1990010120200{i:03d}1{i:03d}"[:18],
            name=f"Bawahan Uji {i}",
            status_asn=StatusAsn.PNS,
            golongan="III/a",
            gender=Gender.L,
            birth_date=date(1990, 1, 1),
            position=pos,
            unit_id=boss_pos.unit_id,
        )
        emp.assignments.append(
            PositionAssignment(position=pos, kind=AssignmentKind.DEFINITIF, start_date=date(2020, 1, 1))
        )
        db.session.add(emp)
        staff.append(emp)
    boss_skp = _skp(boss, period, 10, SkpStatus.APPROVED, None)
    db.session.flush()
    parents = [r.id for r in boss_skp.rhks]
    big = _skp(staff[0], period, 30, SkpStatus.DRAFT, None, parents)
    for emp in staff[1:40]:
        _skp(emp, period, 3, SkpStatus.SUBMITTED, boss.id, parents)
    big.status, big.appraiser_id = SkpStatus.SUBMITTED, boss.id  # 40 waiting in the inbox
    users = []
    for emp in (boss, staff[0]):
        u = db.session.scalars(select(User).where(User.employee_id == emp.id)).first()
        if u is None:
            u = User(username=f"bench{emp.id}", employee=emp, session_token="bench", password_hash="x")
            u.set_roles({Role.PEGAWAI})
            db.session.add(u)
        users.append(u)
    db.session.commit()
    return users[0].id, users[1].id, big.id


def measure(app, user_id: int, path: str, runs: int) -> tuple[float, int]:
    with app.app_context():
        user = db.session.get(User, user_id)
        client = app.test_client(user=user)
    timings, counts = [], []

    def count(conn, cursor, statement, params, context, executemany):
        counts[-1] += 1

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
    for i in range(runs + 3):
        counts.append(0)
        t0 = time.perf_counter()
        r = client.get(path)
        elapsed = (time.perf_counter() - t0) * 1000
        assert r.status_code == 200, (path, r.status_code)
        if i >= 3:  # warm-up requests are not counted
            timings.append(elapsed)
    with app.app_context():
        event.remove(db.engine, "before_cursor_execute", count)
    return round(statistics.median(timings), 1), counts[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=7500)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/kinerja_bench_planning.sqlite3")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "SERVER_NAME": "bench.local"})
    app.test_client_class = FlaskLoginClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        boss_id, staff_id, skp_id = prepare(args.employees)
        n_emp = db.session.scalar(select(func.count(Employee.id)))
        n_rhk = db.session.scalar(select(func.count(Rhk.id)).where(Rhk.skp_id == skp_id))
        print(f"data: {n_emp} pegawai, SKP {skp_id} with {n_rhk} RHK, prepared in {time.perf_counter() - t0:.1f} s")
    skp_ms, skp_q = measure(app, boss_id, f"/skp/{skp_id}", args.runs)
    inbox_ms, inbox_q = measure(app, boss_id, "/skp/persetujuan", args.runs)
    own_ms, own_q = measure(app, staff_id, f"/skp/{skp_id}", args.runs)
    print(f"owner view of the same SKP: {own_ms} ms, {own_q} queries")
    print(
        json.dumps(
            {
                "skp_page_ms": skp_ms,
                "inbox_ms": inbox_ms,
                "skp_page_queries": skp_q,
                "inbox_queries": inbox_q,
                "employees": n_emp,
                "database": url.split(":")[0],
            }
        )
    )


if __name__ == "__main__":
    main()
