"""Results page and calibration view for a unit of 60 employees with 8 raters each, on the scale data.

The regency scale data (default 7,500 employees, every one with a final annual rating) plus one OPD of 60
employees whose 360 cycle is closed with all answers submitted (8 raters per staff member), final ratings
and an organisation predikat (so the kurva check runs). Both pages are requested as HR through the Flask
test client (warm; median of `--runs`), on SQLite and, when reachable, on PostgreSQL.

    python -m benchmarks.evaluation [--employees 7500] [--unit 60] [--runs 20]

BENCH_DATABASE_URL overrides the SQLite file; BENCH_PG_URL the PostgreSQL database (default: the local
kinerja_bench database; skipped when it cannot be reached). The PostgreSQL run drops and re-creates the tables.
The last line is one JSON object: results_ms, calibration_ms, results_queries, calibration_queries (SQLite),
and the same keys prefixed pg_ when PostgreSQL ran.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from datetime import date

from flask_login import FlaskLoginClient
from sqlalchemy import event, func, insert, select, text

from benchmarks import fresh_pg_database
from kinerja_web import create_app
from kinerja_web.domain.predikat import Ekspektasi, PredikatOrganisasi, predikat
from kinerja_web.domain.skp import Frequency, PeriodStatus
from kinerja_web.extensions import db
from kinerja_web.models import (
    ANNUAL,
    Employee,
    Evaluatee,
    EvaluationCycle,
    PerformanceRating,
    Period,
    RatingStatus,
    Role,
    UnitPredikat,
    User,
    utcnow,
)

from .evaluation360 import build_unit

TODAY = date(2026, 11, 1)
LEVELS = (Ekspektasi.DI_ATAS, Ekspektasi.SESUAI, Ekspektasi.SESUAI, Ekspektasi.SESUAI, Ekspektasi.DI_BAWAH)


def rate_all(period: Period, employee_ids: list[int]) -> None:
    """Final annual ratings for the given employees (a plausible mix of predikat), in bulk inserts."""
    now = utcnow()
    rows = []
    for n, emp_id in enumerate(employee_ids):
        hasil, perilaku = LEVELS[n % 5], LEVELS[(n // 5 + n) % 5]
        rows.append(
            {
                "employee_id": emp_id,
                "period_id": period.id,
                "window_no": ANNUAL,
                "hasil_kerja": hasil,
                "perilaku_kerja": perilaku,
                "predikat": predikat(hasil, perilaku),
                "status": RatingStatus.FINAL,
                "hasil_from_unit": False,
                "finalised_at": now,
                "created_at": now,
                "updated_at": now,
            }
        )
    for i in range(0, len(rows), 1000):
        db.session.execute(insert(PerformanceRating), rows[i : i + 1000])


def build_rated_unit(employees: int, period: Period, *, code: str = "EVAL", nip_base: int = 90000) -> EvaluationCycle:
    """`build_unit` (closed 360 cycle, all answers in) plus final ratings and the unit's organisation predikat."""
    cycle = build_unit(employees, code=code, nip_base=nip_base, today=TODAY)
    opd = cycle.units[0]
    ids = list(db.session.scalars(select(Employee.id).where(Employee.unit_id == opd.id)))
    rate_all(period, ids)
    db.session.add(UnitPredikat(unit_id=opd.id, period_id=period.id, predikat=PredikatOrganisasi.BAIK))
    db.session.flush()
    return cycle


def make_period() -> Period:
    period = Period(
        year=TODAY.year,
        frequency=Frequency.TRIWULAN,
        start_date=date(TODAY.year, 1, 1),
        end_date=date(TODAY.year, 12, 31),
        status=PeriodStatus.OPEN,
    )
    db.session.add(period)
    db.session.flush()
    return period


def prepare(regency: int, unit: int) -> tuple[int, dict[str, str], dict]:
    from kinerja_web.services.seed.org import build_regency

    if regency:
        build_regency(regency, today=TODAY, plant_problems=False)
    period = make_period()
    rate_all(period, list(db.session.scalars(select(Employee.id))))
    cycle = build_rated_unit(unit, period)
    hr = User(username="hr-bench-eval", session_token="bench", password_hash="x")
    hr.set_roles({Role.ADMIN_KEPEGAWAIAN})
    db.session.add(hr)
    db.session.commit()
    staff_ev = db.session.scalars(
        select(Evaluatee).where(Evaluatee.cycle_id == cycle.id).order_by(Evaluatee.id).offset(1)
    ).first()
    info = {
        "employees": db.session.scalar(select(func.count(Employee.id))),
        "unit_employees": unit,
        "raters_per_staff": len(staff_ev.assignments),
        "final_ratings": db.session.scalar(select(func.count(PerformanceRating.id))),
    }
    urls = {
        "results": f"/penilaian-360/peserta/{staff_ev.id}/hasil",
        "calibration": f"/penilaian-kinerja/{period.id}/unit/{cycle.units[0].id}",
    }
    return hr.id, urls, info


def measure(app, user_id: int, path: str, runs: int) -> tuple[float, int]:
    """Median milliseconds of `runs` warm requests, and the SQL statements of one request."""
    with app.app_context():
        client = app.test_client(user=db.session.get(User, user_id))
        counts: list[int] = []

        def count(*_args):
            counts[-1] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        timings = []
        try:
            for i in range(runs + 3):
                counts.append(0)
                t0 = time.perf_counter()
                r = client.get(path)
                elapsed = (time.perf_counter() - t0) * 1000
                assert r.status_code == 200, (path, r.status_code)
                if i >= 3:  # warm-up requests are not timed
                    timings.append(elapsed)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return round(statistics.median(timings), 1), counts[-1]


def run(url: str, regency: int, unit: int, runs: int) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True, "HUEY_IMMEDIATE": True})
    app.test_client_class = FlaskLoginClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        user_id, urls, out = prepare(regency, unit)
        if url.startswith("postgresql"):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        print(f"{url.split(':')[0]}: {out} prepared in {time.perf_counter() - t0:.1f} s", flush=True)
    for key, path in urls.items():
        out[f"{key}_ms"], out[f"{key}_queries"] = measure(app, user_id, path, runs)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=7500, help="scale data (0: only the unit)")
    parser.add_argument("--unit", type=int, default=60)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    sqlite_url = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/kinerja_bench_evaluation.sqlite3")
    out = run(sqlite_url, args.employees, args.unit, args.runs)
    out["database"] = sqlite_url.split(":")[0]
    pg_url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/kinerja_bench")
    if fresh_pg_database(pg_url):
        pg = run(pg_url, args.employees, args.unit, args.runs)
        out.update(
            {f"pg_{k}": pg[k] for k in ("results_ms", "calibration_ms", "results_queries", "calibration_queries")}
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
