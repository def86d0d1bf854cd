"""Benchmark: THR and rapel runs on top of already-final monthly runs (SQLite, temp file).

    python -m benchmarks.payroll_special [--employees 7500] [--months 3]

Data: `build_regency(N, today=2026-11-01, seed=7500)`, predikat for each month, final regular runs for the
last `--months` months up to October 2026 (status set directly: the workflow is not what is measured),
then a THR run paid in October and, after a gaji pokok table raised 8% retroactive to January, a rapel
run over those months. Timed: compute (load → compute → write) and verify of each. Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date
from decimal import Decimal

from sqlalchemy import func, insert, select, update

from benchmarks.payroll import repair_mkg
from kinerja_web import create_app
from kinerja_web.domain.payroll.codec import encode
from kinerja_web.domain.payroll.special import default_special_table
from kinerja_web.domain.payroll.tables import GajiPokokRow, GajiPokokTable
from kinerja_web.extensions import db
from kinerja_web.models import Employee, PayrollLine, PayrollPredikat, PayrollRun, RunKind, RunStatus, User
from kinerja_web.services.payroll import compute, rules, runs, special, verification
from kinerja_web.services.seed.org import build_regency

TODAY = date(2026, 11, 1)
PAY = date(2026, 10, 1)


CPU: dict[str, float] = {}  # process time per step: the machine may be shared, wall time then overstates


def timed(fn, name: str = ""):
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    if name:
        CPU[name] = round(time.process_time() - c, 2)
    return out, round(time.perf_counter() - t, 2)


def main(employees: int, months: int) -> dict:
    tmp = tempfile.mkdtemp()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3", "TESTING": True})
    with app.app_context():
        db.create_all()
        build_regency(employees, today=TODAY, seed=7500)
        repair_mkg()
        user = User(username="bench-operator", password_hash="-")
        db.session.add(user)
        db.session.flush()
        rules.seed_rules(user.id)
        period = [date(2026, m, 1) for m in range(11 - months, 11)]
        ids = list(db.session.scalars(select(Employee.id).where(Employee.active.is_(True))))
        for m in period:
            db.session.execute(
                insert(PayrollPredikat),
                [{"employee_id": i, "month": m, "predikat": "baik", "source": "benchmark"} for i in ids],
            )
        regular_s = []
        for m in period:
            run = runs.create_run(m, None, user)
            _, s = timed(lambda run=run: compute.compute_run(run, user))
            db.session.execute(update(PayrollRun).where(PayrollRun.id == run.id).values(status=RunStatus.FINAL))
            db.session.commit()
            regular_s.append(s)
        data = encode(default_special_table().versions[-1].data)
        data["thr"]["tmt_paling_lambat"] = "2026-03-01"
        rules.add_rule_version(
            rules.RuleVersionDraft(
                "thr_gaji13", "thr_gaji13@2026", date(2026, 1, 1), date(2026, 12, 31), "benchmark", data
            ),
            user,
        )
        thr = special.create_special_run(RunKind.THR, PAY, None, user)
        _, thr_s = timed(lambda: compute.compute_run(thr, user), "thr_compute_cpu_s")
        db.session.commit()
        thr_ok, thr_verify_s = timed(lambda: verification.verify_run(thr).ok, "thr_verify_cpu_s")
        db.session.execute(update(PayrollRun).where(PayrollRun.id == thr.id).values(status=RunStatus.FINAL))
        old = rules.load_rules().gaji_pokok_pns.versions[0].data
        raised = GajiPokokTable(
            tuple(GajiPokokRow(r.golongan, r.mkg, int(r.gaji_pokok * Decimal("1.08"))) for r in old.rows)
        )
        rules.add_rule_version(
            rules.RuleVersionDraft(
                "gaji_pokok_pns", "gaji_pokok_pns@2026-01-01", date(2026, 1, 1), None, "benchmark", encode(raised)
            ),
            user,
        )
        db.session.commit()
        rapel = special.create_special_run(RunKind.RAPEL, PAY, None, user, period[0], period[-1])
        _, rapel_s = timed(lambda: compute.compute_run(rapel, user), "rapel_compute_cpu_s")
        db.session.commit()
        rapel_ok, rapel_verify_s = timed(lambda: verification.verify_run(rapel).ok, "rapel_verify_cpu_s")
        rapel_lines = db.session.scalar(select(func.count(PayrollLine.id)).where(PayrollLine.run_id == rapel.id))
        out = {
            "employees": len(ids),
            "months": months,
            "regular_compute_s": regular_s,
            "thr_compute_s": thr_s,
            "thr_verify_s": thr_verify_s,
            "thr_identical": thr_ok,
            "rapel_compute_s": rapel_s,
            "rapel_verify_s": rapel_verify_s,
            "rapel_identical": rapel_ok,
            "rapel_employees": rapel.employee_count,
            "rapel_lines": rapel_lines,
            **CPU,
        }
        db.session.remove()
        db.engine.dispose()
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--employees", type=int, default=7500)
    p.add_argument("--months", type=int, default=3)
    a = p.parse_args()
    print(json.dumps(main(a.employees, a.months)))
