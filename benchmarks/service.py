"""Public-service benchmark: a service log of 1,000,000 transactions across 40 units, on SQLite and PostgreSQL.

    python -m benchmarks.service [--transactions 1000000] [--units 40] [--import-rows 200000] [--skip-postgresql]

Per backend: the demo regency, 40 service units with three services each (standar pelayanan in working days or
hours), the example holiday calendar, then the log written in bulk (COPY on PostgreSQL, executemany on SQLite)
and its monthly aggregates built. Then, timed: a 200,000-row CSV for one unit (190,000 new requests and 10,000
updates of stored ones) read and previewed (`import_preview_s`, target < 20 s) and committed with the refresh of
the months' aggregates (`import_commit_s`, target < 60 s); the unit dashboard page over 12 months as HR
(`dashboard_ms`, median of warm requests, target < 150 ms) and the penilai's evidence panel for an officer
(`evidence_panel_ms`, built and rendered), each with its SQL statement count for two different subjects (it must
not grow with the data). PostgreSQL: PG_BENCH_URL (default database kinerja_bench; dropped and re-created).
The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from flask import render_template
from flask_login import FlaskLoginClient
from sqlalchemy import event, select, text

from benchmarks import fresh_pg_database
from kinerja_web import create_app
from kinerja_web.domain.public_service import CompletionUnit, TransactionStatus, month_start, next_month
from kinerja_web.extensions import db
from kinerja_web.models import Employee, Position, PublicService, Role, ServiceStandard, ServiceTransaction, Unit, User
from kinerja_web.services.payroll.copy_writer import bulk_insert, gc_paused
from kinerja_web.services.public_service import calendar, evidence, files, log_import, stats
from kinerja_web.services.seed import org
from kinerja_web.services.seed.public_service import HOLIDAYS

TODAY = date(2026, 11, 27)
START = date(2025, 12, 1)  # twelve months up to November 2026
PG_URL = os.environ.get("PG_BENCH_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/kinerja_bench")
SERVICES = (
    ("A", 5, CompletionUnit.WORKING_DAYS),
    ("B", 3, CompletionUnit.WORKING_DAYS),
    ("C", 24, CompletionUnit.HOURS),
)


def _received(rng: random.Random, working: list[date]) -> datetime:
    return datetime.combine(rng.choice(working), dtime(rng.randint(7, 14), rng.randrange(0, 60, 5)))


def _times(rng: random.Random, cal, received: datetime, limit: int, unit: CompletionUnit) -> datetime:
    if unit is CompletionUnit.WORKING_DAYS:
        day = cal.add_working_days(received.date(), max(0, round(limit * rng.uniform(0.2, 1.6))))
        return max(datetime.combine(day, dtime(rng.randint(9, 15))), received + timedelta(minutes=20))
    return received + timedelta(hours=limit * rng.uniform(0.1, 1.8))


def setup(transactions: int, n_units: int, rng: random.Random) -> dict:
    """The regency, the service units and the bulk-written log with its aggregates."""
    org.build_regency(400, today=TODAY, plant_problems=False)
    calendar.import_holidays(HOLIDAYS.name, HOLIDAYS.read_bytes())
    cal = calendar.calendar()
    hr = User(username="bench-hr", password_hash="-", session_token="t")
    hr.set_roles({Role.ADMIN_KEPEGAWAIAN})
    db.session.add(hr)
    by_unit: dict[int, list[int]] = {}
    for eid, uid in db.session.execute(
        select(Employee.id, Position.unit_id).join(Position, Position.id == Employee.position_id)
    ):
        by_unit.setdefault(uid, []).append(eid)
    units = sorted(by_unit, key=lambda u: -len(by_unit[u]))[:n_units]
    services: dict[int, list[tuple[int, int, CompletionUnit]]] = {}
    for uid in units:
        for code, limit, unit_of_time in SERVICES:
            svc = PublicService(unit_id=uid, code=code, name=f"Layanan {code}")
            svc.standards = [ServiceStandard(valid_from=date(2020, 1, 1), completion_time=limit,
                                             completion_unit=unit_of_time)]  # fmt: skip
            db.session.add(svc)
            db.session.flush()
            services.setdefault(uid, []).append((svc.id, limit, unit_of_time))
    db.session.commit()
    months, m = [], START
    while m <= TODAY:
        days = [m + timedelta(d) for d in range(31) if (m + timedelta(d)).month == m.month]
        months.append([d for d in days if cal.is_working_day(d) and d < TODAY])
        m = next_month(m)
    now = datetime.now(UTC)
    as_row = log_import.row_converter(db.engine.dialect.name, now)
    per_unit = transactions // len(units)
    t0 = time.perf_counter()
    with gc_paused():
        for uid in units:
            rows = []
            officers = by_unit[uid]
            for i in range(per_unit):
                sid, limit, unit_of_time = rng.choice(services[uid])
                received = _received(rng, rng.choice(months))
                completed = _times(rng, cal, received, limit, unit_of_time)
                done = completed <= datetime.combine(TODAY, dtime.min) and rng.random() > 0.02
                spent = cal.elapsed(received, completed) if done else None
                rows.append(as_row({
                    "unit_id": uid, "service_id": sid, "identifier": f"U{uid}-{i:07d}", "received_at": received,
                    "completed_at": completed if done else None, "officer_id": rng.choice(officers), "channel": "loket",
                    "status": TransactionStatus.DONE if done else TransactionStatus.IN_PROGRESS,
                    "elapsed_days": spent.days if spent else None, "elapsed_hours": spent.hours if spent else None,
                    "within_standard": spent.value_in(unit_of_time) <= limit if spent else None,
                }))  # fmt: skip
            bulk_insert(ServiceTransaction.__table__, log_import.INSERT_COLUMNS, rows)
        write_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        for uid in units:
            stats.refresh(uid, [month_start(d[0]) for d in months if d] or [START])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"units": units, "services": services, "officers": by_unit, "hr_id": hr.id, "months": months,
            "write_s": round(write_s, 1), "aggregate_s": round(time.perf_counter() - t0, 1)}  # fmt: skip


def import_file(ctx: dict, rows: int, rng: random.Random) -> bytes:
    """A CSV for the first unit: new requests, plus updates (completed later) of the first stored ones."""
    uid = ctx["units"][0]
    codes = {sid: code for code, (sid, _, _) in zip("ABC", ctx["services"][uid], strict=True)}
    nips = dict(
        db.session.execute(select(Employee.id, Employee.nip).where(Employee.id.in_(ctx["officers"][uid]))).all()
    )
    cal = calendar.calendar()
    out = io.StringIO()
    out.write(";".join(c.header for c in log_import.COLUMNS) + "\n")
    updates = min(rows // 20, 10_000)
    stored = db.session.execute(
        select(ServiceTransaction.identifier, ServiceTransaction.service_id, ServiceTransaction.received_at)
        .where(ServiceTransaction.unit_id == uid).order_by(ServiceTransaction.id).limit(updates)
    ).all()  # fmt: skip
    for ident, sid, received in stored:
        completed = min(received + timedelta(days=3, hours=2), datetime.combine(TODAY, dtime(6)))
        out.write(f"{codes[sid]};{ident};{received:%d-%m-%Y %H:%M};{completed:%d-%m-%Y %H:%M};"
                  f"{rng.choice(list(nips.values()))};daring;selesai\n")  # fmt: skip
    for i in range(rows - len(stored)):
        sid, limit, unit_of_time = rng.choice(ctx["services"][uid])
        received = _received(rng, rng.choice(ctx["months"]))
        completed = _times(rng, cal, received, limit, unit_of_time)
        done = completed <= datetime.combine(TODAY, dtime.min)
        out.write(f"{codes[sid]};IMP-{i:07d};{received:%Y-%m-%d %H:%M};{f'{completed:%Y-%m-%d %H:%M}' if done else ''};"
                  f"{rng.choice(list(nips.values()))};loket;{'selesai' if done else 'proses'}\n")  # fmt: skip
    return out.getvalue().encode("utf-8")


class Counter:
    def __init__(self):
        self.n = 0
        self.statements: list[str] = []

    def __call__(self, _conn, _cursor, statement, *_args):
        self.n += 1
        if os.environ.get("BENCH_SHOW_SQL"):
            print("   SQL", statement[:110].replace("\n", " "))


def _timed(fn, runs: int) -> tuple[float, int]:
    """Median milliseconds of `runs` warm calls of `fn`, and the SQL statements of one call."""
    counter = Counter()
    event.listen(db.engine, "before_cursor_execute", counter)
    timings, counts = [], []
    try:
        for i in range(runs + 3):
            db.session.expunge_all()  # each request starts with an empty session, as in production
            counter.n = 0
            t0 = time.perf_counter()
            fn()
            elapsed = (time.perf_counter() - t0) * 1000
            counts.append(counter.n)
            if i >= 3:
                timings.append(elapsed)
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return round(statistics.median(timings), 1), counts[-1]


def run_backend(url: str, args) -> dict:
    tmp = tempfile.mkdtemp(prefix="kinerja-bench-service-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True, "HUEY_IMMEDIATE": True,
                      "IMPORT_UPLOAD_DIR": os.path.join(tmp, "uploads")})  # fmt: skip
    app.test_client_class = FlaskLoginClient
    rng = random.Random(2212)
    out: dict = {}
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        ctx = setup(args.transactions, args.units, rng)
        total = db.session.scalar(select(db.func.count(ServiceTransaction.id)))
        print(f"{url.split(':')[0]}: {total} transaksi di {len(ctx['units'])} unit, disiapkan dalam "
              f"{time.perf_counter() - t0:.0f} s (tulis {ctx['write_s']} s, agregat {ctx['aggregate_s']} s)", flush=True)  # fmt: skip
        data = import_file(ctx, args.import_rows, rng)
        unit = db.session.get(Unit, ctx["units"][0])
        db.session.commit()
        t0, c0 = time.perf_counter(), time.process_time()
        table = files.read_table("bench.csv", data)
        preview = log_import.build_preview(unit, table, today=TODAY)
        out["import_preview_s"] = round(time.perf_counter() - t0, 2)
        out["import_preview_cpu_s"] = round(time.process_time() - c0, 2)  # this process only: the machine is shared
        print(f"  pratinjau {args.import_rows} baris: {out['import_preview_s']} s {preview.counts}", flush=True)
        for bad in preview.bad_rows[:5]:
            print("  baris salah", bad.line, bad.errors, flush=True)
        t0, c0 = time.perf_counter(), time.process_time()
        counts = log_import.apply_preview(preview, skip_invalid=False, now=datetime.now(UTC))
        db.session.commit()
        out["import_commit_s"] = round(time.perf_counter() - t0, 2)
        out["import_commit_cpu_s"] = round(time.process_time() - c0, 2)
        print(f"  simpan: {out['import_commit_s']} s {counts}", flush=True)
        hr = db.session.get(User, ctx["hr_id"])
        client = app.test_client(user=hr)
        query = "?dari=2025-12&sampai=2026-11"

        def dashboard(uid):
            def call():
                r = client.get(f"/layanan/unit/{uid}{query}")
                assert r.status_code == 200, r.status_code

            return call

        out["dashboard_ms"], q1 = _timed(dashboard(ctx["units"][0]), args.runs)
        _, q2 = _timed(dashboard(ctx["units"][-1]), 2)
        out["dashboard_queries"] = [q1, q2]

        def panel(employee_id):
            def call():
                with app.test_request_context("/"):
                    ev = evidence.evidence_for(employee_id, date(2026, 1, 1), date(2026, 12, 31))
                    render_template("public_service/_evidence_panel.html", ps_evidence=ev)

            return call

        officer_a, officer_b = ctx["officers"][ctx["units"][0]][0], ctx["officers"][ctx["units"][-1]][0]
        out["evidence_panel_ms"], q1 = _timed(panel(officer_a), args.runs)
        _, q2 = _timed(panel(officer_b), 2)
        out["evidence_panel_queries"] = [q1, q2]
        out["transactions"] = total + counts["baru"]
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--import-rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-postgresql", action="store_true")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="kinerja-bench-service-")
    lite = run_backend("sqlite:///" + os.path.join(tmp, "bench.sqlite3"), args)
    print("sqlite", json.dumps(lite), flush=True)
    result = dict(lite)
    if not args.skip_postgresql and fresh_pg_database(PG_URL):
        pg = run_backend(PG_URL, args)
        print("postgresql", json.dumps(pg), flush=True)
        result.update({f"pg_{k}": v for k, v in pg.items()})
    else:
        result.update({"pg_dashboard_ms": None, "pg_evidence_panel_ms": None})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
