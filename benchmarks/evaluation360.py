"""Penilaian 360 at unit scale: 60 employees with 8 raters each, everybody submitted, cycle closed.

Measures the results page of one evaluatee and the HR progress dashboard (warm, median of 20 runs) and
prints, as its last line, one JSON object: {"results_ms", "progress_ms", "results_queries", ...}.

    python -m benchmarks.evaluation360 [--employees 60]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date

from sqlalchemy import event, select

from kinerja_web.extensions import db
from kinerja_web.models import (
    AssignmentStatus,
    Employee,
    Evaluatee,
    EvaluationCycle,
    Gender,
    Position,
    PositionKind,
    RaterAssignment,
    Response,
    Role,
    StatusAsn,
    Unit,
    UnitKind,
    User,
    utcnow,
)


def build_unit(employees: int, *, code: str = "B360", nip_base: int = 0, today: date | None = None) -> EvaluationCycle:
    """A flat unit (one head, the rest staff under the head), a cycle opened on it, all answers submitted.

    Staff get self + atasan + 6 peers = 8 raters each (the suggestion cap), the head self + subordinates.
    """
    from kinerja_web.domain import berakhlak
    from kinerja_web.services.evaluation360 import cycles

    today = today or date(2026, 11, 1)
    opd = Unit(code=code, name=f"Dinas Uji {code}", kind=UnitKind.OPD)
    head_post = Position(name="Kepala Dinas", unit=opd, kind=PositionKind.JPT, kelas_jabatan=14, is_leader=True)
    db.session.add_all([opd, head_post])
    people = []
    for i in range(employees):
        post = (
            head_post if i == 0 else Position(name=f"Staf {i}", unit=opd, parent=head_post, kind=PositionKind.PELAKSANA)
        )
        people.append(
            Employee(
                nip=f"1990010120150{nip_base + i:05d}",
                name=f"Pegawai {code} {i:03d}",
                status_asn=StatusAsn.PNS,
                golongan="III/a",
                gender=Gender.L,
                birth_date=date(1990, 1, 1),
                position=post,
                unit=opd,
            )
        )
    db.session.add_all(people)
    db.session.flush()
    cycle = EvaluationCycle(
        name=f"Penilaian 360 {code}",
        year=today.year,
        period_label=f"Tahunan {today.year}",
        start_date=date(today.year, 1, 1),
        end_date=date(today.year, 12, 31),
        deadline=date(today.year, 12, 31),
    )
    cycle.units = [opd]
    db.session.add(cycle)
    db.session.flush()
    cycles.open_cycle(cycle, today, utcnow())
    codes = berakhlak.value_codes()
    rows = db.session.scalars(select(RaterAssignment).join(Evaluatee).where(Evaluatee.cycle_id == cycle.id)).all()
    now = utcnow()
    for n, a in enumerate(rows):
        a.status, a.submitted_at, a.overall_comment = AssignmentStatus.SUBMITTED, now, f"Komentar umum {n}"
        for k, c in enumerate(codes):
            score = None if (n + k) % 11 == 0 else 1 + (n * 7 + k * 3) % 5
            db.session.add(Response(assignment=a, value_code=c, score=score, comment=f"Catatan {n}-{k}"))
    cycles.close_cycle(cycle, now)
    db.session.flush()
    return cycle


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    from flask_login import FlaskLoginClient

    from kinerja_web import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", "sqlite:////tmp/bench360.sqlite3"),
            "SECRET_KEY": "bench",
            "TESTING": True,
            "HUEY_IMMEDIATE": True,
        }
    )
    app.test_client_class = FlaskLoginClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        cycle = build_unit(args.employees)
        hr = User(username="hr-bench", session_token="t", password_hash="x")
        hr.set_roles({Role.ADMIN_KEPEGAWAIAN})
        db.session.add(hr)
        db.session.commit()
        staff_ev = db.session.scalars(
            select(Evaluatee).where(Evaluatee.cycle_id == cycle.id).order_by(Evaluatee.id).offset(1)
        ).first()
        raters = len(staff_ev.assignments)
        urls = {
            "results": f"/penilaian-360/peserta/{staff_ev.id}/hasil",
            "progress": f"/penilaian-360/siklus/{cycle.id}",
        }
        out: dict = {"employees": args.employees, "raters_per_staff": raters}
        for key, url in urls.items():
            client = app.test_client(user=hr)
            assert client.get(url).status_code == 200
            queries: list[str] = []

            def count(*a, _q=queries):
                _q.append(a[2])

            event.listen(db.engine, "before_cursor_execute", count)
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                r = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert r.status_code == 200
            event.remove(db.engine, "before_cursor_execute", count)
            out[f"{key}_ms"] = round(statistics.median(times), 1)
            out[f"{key}_queries"] = len(queries) // args.runs
        db.session.remove()
        db.drop_all()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
