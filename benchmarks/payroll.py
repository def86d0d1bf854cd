"""Benchmark: a full monthly payroll run (compute and persist every line) for the 7,500-employee scale data.

    python -m benchmarks.payroll [--employees 7500] [--skip-postgresql]

Runs on SQLite (temp file) and PostgreSQL (PAYROLL_BENCH_PG_URL, default database kinerja_bench;
its tables are dropped and recreated). Data: `build_regency(7500, today=2026-11-01, seed=7500)`, plus
predikat rows, attendance events, TPP status periods (~2%) and standing orders (~20%: zakat, koperasi,
bank instalments; issue 20) for October 2026; JPT/administrator/
pengawas and listed JF posts get tunjangan jabatan from the shipped rule table. Timed: `compute_run` (load → compute → write) and
the commit. Floor: the same-run time of one SQL aggregate (SUM over the run's lines). Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from datetime import date

from sqlalchemy import func, insert, select, update

from benchmarks import fresh_pg_database
from kinerja_web import create_app
from kinerja_web.domain.payroll import default_rules
from kinerja_web.extensions import db
from kinerja_web.models import (
    Attendance,
    Employee,
    PayrollLine,
    PayrollPayee,
    PayrollPredikat,
    PayrollStandingOrder,
    PayrollStatusPeriod,
    StatusAsn,
    User,
)
from kinerja_web.services.payroll import compute, rules, runs, verification
from kinerja_web.services.seed.org import build_regency
from kinerja_web.services.seed.scale import PREDIKAT_MIX, attendance_rows, working_days

MONTH = date(2026, 10, 1)
TODAY = date(2026, 11, 1)
PG_URL = os.environ.get("PAYROLL_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/kinerja_bench")


def repair_mkg() -> int:
    """The seed gives some new PNS/PPPK an MKG below the first row of their golongan's gaji table; a run
    refuses such data (as it should). The benchmark lifts them to the first row, as HR would after checking
    the SK."""
    r = default_rules().resolve(MONTH)
    fixed = 0
    for eid, status, golongan, mkg in db.session.execute(
        select(Employee.id, Employee.status_asn, Employee.golongan, Employee.mkg_years)
    ):
        table = r.gaji_pokok_pppk.data if status == StatusAsn.PPPK else r.gaji_pokok_pns.data
        steps = table.steps(golongan)
        if steps and mkg < steps[0][0]:
            db.session.execute(update(Employee).where(Employee.id == eid).values(mkg_years=steps[0][0]))
            fixed += 1
    return fixed


def add_month_inputs(rng: random.Random, month: date = MONTH, standing: bool = True) -> tuple[int, int]:
    """Predikat for everyone and attendance events (late, early leave, TK, cuti, sakit, DL) for about 60% in
    `month`; with `standing` (once per database, not per month) also TPP status periods and standing orders."""
    ids = list(db.session.scalars(select(Employee.id).where(Employee.active.is_(True))))
    db.session.execute(
        insert(PayrollPredikat),
        [{"employee_id": i, "month": month, "predikat": rng.choice(PREDIKAT_MIX), "source": "benchmark"} for i in ids],
    )
    rows = list(attendance_rows(rng, ids, working_days(month)))
    db.session.execute(insert(Attendance), rows)
    if standing:
        add_status_periods(rng, ids)
        add_standing_orders(rng, ids)
    return len(ids), len(rows)


def add_status_periods(rng: random.Random, ids: list[int]) -> None:
    # TPP status periods for about 2% (tugas belajar, hukuman disiplin, leave covering the month or not).
    kinds = [
        ("TUGAS_BELAJAR", date(2026, 8, 1), None),
        ("HUKDIS_RINGAN", date(2026, 7, 1), date(2026, 12, 31)),
        ("HUKDIS_SEDANG", date(2026, 10, 15), date(2027, 3, 31)),
        ("CUTI_SEBULAN", date(2026, 9, 20), date(2026, 11, 10)),
        ("CUTI_SEBULAN", date(2026, 10, 6), date(2026, 11, 30)),
    ]
    periods = []
    for i in rng.sample(ids, len(ids) // 50):
        kind, start, end = rng.choice(kinds)
        periods.append(
            {"employee_id": i, "kind": kind, "mulai": start, "sampai": end, "dasar": "SK benchmark", "alasan": ""}
        )
    db.session.execute(insert(PayrollStatusPeriod), periods)


def add_standing_orders(rng: random.Random, ids: list[int]) -> int:
    """Potongan lain-lain (issue 20) for part of the employees: zakat through BAZNAS ~10%, koperasi ~6% (fixed
    or a percentage), bank instalments ~4% (some too large for the net-pay floor); a consent document each."""
    payees = {}
    for name, jenis in (("BAZNAS Kabupaten", "zakat"), ("KPRI Pemkab", "koperasi"), ("Bank Daerah", "bank")):
        payee = PayrollPayee(name=name, jenis=jenis, bank_name="Bank", bank_account="123", account_holder=name)
        db.session.add(payee)
        payees[jenis] = payee
    db.session.flush()
    doc = b"%PDF-1.4 benchmark consent"
    consent = {
        "consent_filename": "persetujuan.pdf",
        "consent_content_type": "application/pdf",
        "consent_size": len(doc),
        "consent_sha256": "0" * 64,
        "consent_data": doc,
    }
    orders = []
    for i in ids:
        roll = rng.random()
        base = {"employee_id": i, "mulai": date(2026, 1, 1), "sampai": None, "reference": "", "note": "", **consent}
        if roll < 0.10:
            orders.append({**base, "payee_id": payees["zakat"].id, "jenis": "zakat", "jumlah": None, "persen_bp": None})
        elif roll < 0.13:
            orders.append(
                {**base, "payee_id": payees["koperasi"].id, "jenis": "koperasi", "jumlah": 250_000, "persen_bp": None}
            )
        elif roll < 0.16:
            orders.append(
                {**base, "payee_id": payees["koperasi"].id, "jenis": "koperasi", "jumlah": None, "persen_bp": 500}
            )
        elif roll < 0.20:
            amount = rng.choice([750_000, 1_500_000, 3_000_000, 9_000_000])
            orders.append({**base, "payee_id": payees["bank"].id, "jenis": "bank", "jumlah": amount, "persen_bp": None})
    db.session.execute(insert(PayrollStandingOrder), orders)
    return len(orders)


def run_backend(url: str, employees: int) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "HUEY_IMMEDIATE": True, "TESTING": True})
    with app.app_context():
        db.drop_all()
        db.create_all()
        t = time.perf_counter()
        build_regency(employees, today=TODAY, seed=7500)
        repaired = repair_mkg()
        user = User(username="bench-operator", password_hash="-")
        db.session.add(user)
        db.session.flush()
        rules.seed_rules(user.id)
        n_emp, n_att = add_month_inputs(random.Random(7500))
        db.session.commit()
        setup_s = time.perf_counter() - t
        run = runs.create_run(MONTH, None, user)
        db.session.commit()
        run_id = run.id

        timings: dict = {}
        t0 = time.perf_counter()
        compute.compute_run(run, user, timings=timings)
        t1 = time.perf_counter()
        db.session.commit()
        total = time.perf_counter() - t0
        commit_s = time.perf_counter() - t1

        lines = db.session.scalar(select(func.count(PayrollLine.id)).where(PayrollLine.run_id == run_id))
        t = time.perf_counter()
        db.session.scalar(select(func.sum(PayrollLine.amount)).where(PayrollLine.run_id == run_id))
        floor = time.perf_counter() - t
        t = time.perf_counter()
        ok = verification.verify_run(db.session.get(type(run), run_id)).ok
        verify_s = time.perf_counter() - t
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    return {
        "employees_in_run": n_emp,
        "attendance_rows": n_att,
        "mkg_repaired": repaired,
        "lines": lines,
        "total_s": round(total, 3),
        "load_s": round(timings["load"], 3),
        "compute_s": round(timings["compute"], 3),
        "write_s": round(timings["write"], 3),
        "commit_s": round(commit_s, 3),
        "floor_s": round(floor, 4),
        "verify_s": round(verify_s, 3),
        "verify_identical": ok,
        "setup_s": round(setup_s, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=7500)
    parser.add_argument("--skip-postgresql", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = run_backend(f"sqlite:///{tmp}/payroll-bench.sqlite3", args.employees)
    print("sqlite", json.dumps(sqlite), flush=True)
    pg = None
    if not args.skip_postgresql:
        if not fresh_pg_database(PG_URL):
            raise SystemExit(f"PostgreSQL tidak dapat dihubungi ({PG_URL}); pakai --skip-postgresql.")
        pg = run_backend(PG_URL, args.employees)
        print("postgresql", json.dumps(pg), flush=True)
    result = {
        "employees": sqlite["employees_in_run"],
        "lines": sqlite["lines"],
        "sqlite_s": sqlite["total_s"],
        "postgresql_s": pg["total_s"] if pg else None,
        "sqlite_phases": {k: sqlite[k] for k in ("load_s", "compute_s", "write_s", "commit_s")},
        "postgresql_phases": {k: pg[k] for k in ("load_s", "compute_s", "write_s", "commit_s")} if pg else None,
        "floor_sqlite_s": sqlite["floor_s"],
        "floor_postgresql_s": pg["floor_s"] if pg else None,
        "verify_identical": sqlite["verify_identical"] and (pg is None or pg["verify_identical"]),
        "loadavg_before": [round(x, 2) for x in load_before],
        "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
