"""Cost growth from one regency to a province, on PostgreSQL: 7,500, 30,000 and 100,000 employees.

    python -m benchmarks.scale [--sizes 7500,30000,100000] [--duration 5] [--runs 5]

For each size: a fresh PostgreSQL database (SCALE_BENCH_PG_URL, default kinerja_bench_scale; dropped and
created, as `fresh_pg_database`), `create_all`, the `flask seed scale` data (`seed.scale`, bulk COPY), then
  - the monthly payroll run of last month: compute + persist + commit (`compute_run`);
  - referral suggestion generation from last year's final ratings (`generate_suggestions`);
  - the employee import preview of a CSV with one row per employee (a third with a new golongan);
  - served by gunicorn (gunicorn.conf.py, cores + 1 workers) as the HR demo account, wrk at 32 connections:
    the dashboard and the directory search (p99);
  - in-process (Flask test client, warm, median of --runs) with the SQL statements per request: the
    data-quality queue, the OPD predikat heat map, the SKP monitoring page and the 360 progress page (HR's
    monitoring pages), and the dashboard and search one request at a time (`single_*`).
Each size prints one JSON object on its own line; the last line is the summary: growth_payroll =
time(largest)/time(7,500) ÷ (largest/7,500) (≤ 1.0: no worse than linear), the same for the import, and
payroll_s and search_p99_ms at the largest size. Wall times sit next to CPU seconds of this process
(`*_cpu_s`) and the load average, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import shutil
import subprocess
import time
from datetime import timedelta

from flask_login import FlaskLoginClient
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from benchmarks import fresh_pg_database
from benchmarks.evaluation import measure as measure_in_process
from benchmarks.pages import USER_AGENT, free_port, log_in, measure, start_gunicorn, wrk
from kinerja_web import create_app, uploads
from kinerja_web.extensions import db
from kinerja_web.models import Employee, Period, Position, Unit, User
from kinerja_web.models.org import position_full_name
from kinerja_web.services.development.suggestions import generate_suggestions
from kinerja_web.services.employees import import_files, importer
from kinerja_web.services.payroll import compute, runs
from kinerja_web.services.seed import demo
from kinerja_web.timeutil import today_wib

PG_URL = os.environ.get("SCALE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/kinerja_bench_scale")
BASE = 7500
SEARCH_QUERY = "setiawan"
PAGES = {
    "data_quality": "/organisasi/kualitas-data",
    "heat_map": "/penilaian-kinerja/dasbor/",
    "skp_monitoring": "/skp/pemantauan",
    "progress_360": "/penilaian-kinerja/dasbor/360",
    # the two served pages once more, one request at a time: their own cost without the queue of 32 connections
    "dashboard": "/",
    "search": f"/pegawai/?q={SEARCH_QUERY}",
}


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Clock:
    """Wall and CPU seconds of a block: `with Clock() as c: ...`, then c.wall, c.cpu."""

    def __enter__(self) -> Clock:
        self.t0, self.c0 = time.perf_counter(), cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = round(time.perf_counter() - self.t0, 2), round(cpu() - self.c0, 2)


def import_csv(rng: random.Random) -> tuple[list[bytes], int]:
    """Every employee with a post as an import row (as benchmarks.imports, from one SQL query), in files of
    at most `uploads.MAX_ROWS` rows: an upload refuses more (HR splits a province's data the same way)."""
    headers = [c.header for c in import_files.COLUMNS if c.header not in ("ID_JABATAN", "TMT_JABATAN")]
    rows = db.session.execute(
        select(
            Employee.nip,
            Employee.name,
            Employee.gelar_depan,
            Employee.gelar_belakang,
            Employee.status_asn,
            Employee.gender,
            Employee.birth_place,
            Employee.birth_date,
            Employee.tmt_cpns,
            Employee.golongan,
            Employee.tmt_golongan,
            Employee.mkg_years,
            Employee.mkg_months,
            Unit.code,
            Position.name,
            Position.kind,
            Position.jenjang,
            Employee.ptkp_status,
            Employee.bank_name,
            Employee.bank_account,
            Employee.email,
            Employee.phone,
        )  # fmt: skip
        .join(Position, Position.id == Employee.position_id)
        .join(Unit, Unit.id == Position.unit_id)
        .order_by(Employee.id)
    ).all()
    files = []
    for start in range(0, len(rows), uploads.MAX_ROWS):
        out = io.StringIO()
        w = csv.writer(out, delimiter=";")
        w.writerow(headers)
        for r in rows[start : start + uploads.MAX_ROWS]:
            _write_row(w, r, rng)
        files.append(out.getvalue().encode())
    return files, len(rows)


def _write_row(w, r, rng: random.Random) -> None:
    """One import row of employee `r`; about a third of the PNS get the next golongan."""
    golongan = r.golongan
    if rng.random() < 0.3 and r.status_asn.value != "pppk":
        golongan = {"III/a": "III/b", "III/b": "III/c", "II/c": "II/d"}.get(golongan, golongan)
    w.writerow(
        [
            r.nip, r.name, r.gelar_depan or "", r.gelar_belakang or "", r.status_asn.value.upper(),
            r.gender.value, r.birth_place or "", r.birth_date.strftime("%d-%m-%Y"),
            r.tmt_cpns.isoformat() if r.tmt_cpns else "", golongan,
            r.tmt_golongan.isoformat() if r.tmt_golongan else "", str(r.mkg_years), str(r.mkg_months), r.code,
            position_full_name(r[14], r.kind, r.jenjang), r.ptkp_status or "", r.bank_name or "",
            r.bank_account or "", r.email or "", r.phone or "",
        ]
    )  # fmt: skip


def served(env: dict, duration: int, connections: int) -> dict:
    """Dashboard and directory search under wrk, against gunicorn with the production settings."""
    port = free_port()
    workers = (os.cpu_count() or 1) + 1
    proc = start_gunicorn("wsgi:app", port, workers, env)
    try:
        base = f"http://127.0.0.1:{port}"
        cookie = log_in(base)
        auth = {"Cookie": cookie, "User-Agent": USER_AGENT}
        targets = {
            "dashboard": (base + "/", auth),
            "search": (f"{base}/pegawai/?q={SEARCH_QUERY}", {**auth, "HX-Request": "true"}),
        }
        out = {}
        for name, (url, headers) in targets.items():
            wrk(url, headers, connections, 2)  # warm-up: every worker has imported and compiled
            out[name] = measure(url, headers, proc, connections, duration)
        return out
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def guarded(out: dict, name: str, step) -> None:
    """One measurement; a failure is reported in the figures (`<name>_error`) and the next one runs."""
    try:
        step()
    except Exception as e:  # noqa: BLE001 - whatever broke is the finding
        db.session.rollback()
        out[f"{name}_error"] = f"{type(e).__name__}: {str(e)[:300]}"
        print(f"{out['employees']}: {name} failed: {out[name + '_error']}", flush=True)


def payroll(size: int, today, out: dict) -> None:
    """Last month's run for the whole Pemda: compute + persist + commit."""
    operator = db.session.scalar(select(User).where(User.username == "kepegawaian"))
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    run = runs.create_run(month, None, operator)
    db.session.commit()
    timings: dict = {}
    with Clock() as c:
        compute.compute_run(run, operator, timings=timings)
        db.session.commit()
    out.update(payroll_s=c.wall, payroll_cpu_s=c.cpu, payroll_employees=run.employee_count)
    out["payroll_phases"] = {k: round(v, 2) for k, v in timings.items() if isinstance(v, float)}
    print(f"{size}: payroll {c.wall} s", flush=True)


def suggestions(size: int, today, out: dict) -> None:
    """Referral suggestions from last year's final ratings and 360 results."""
    period = db.session.scalar(select(Period).where(Period.year == today.year - 1))
    with Clock() as c:
        result = generate_suggestions(period, today, checkpoint=db.session.commit)
        db.session.commit()
    out.update(suggestions_s=c.wall, suggestions_cpu_s=c.cpu, suggestions=sum(result.created.values()))
    print(f"{size}: suggestions {c.wall} s", flush=True)


def import_preview(size: int, today, out: dict) -> None:
    """The preview of one import row per employee (files of at most 20,000 rows)."""
    files, rows = import_csv(random.Random(size))
    db.session.remove()
    counts: dict[str, int] = {}
    with Clock() as c:
        for n, data in enumerate(files):
            preview = importer.build_preview(import_files.read_upload(f"scale-{n}.csv", data), today=today)
            counts = {k: counts.get(k, 0) + v for k, v in preview.counts.items()}
            db.session.remove()
    out.update(import_rows=rows, import_files=len(files), import_preview_s=c.wall, import_preview_cpu_s=c.cpu)
    out["import_counts"] = counts
    print(f"{size}: import preview {c.wall} s {counts}", flush=True)


def run_size(size: int, args: argparse.Namespace) -> dict:
    url = make_url(PG_URL)
    url = url.set(database=f"{url.database}_{size}").render_as_string(hide_password=False)
    if not fresh_pg_database(url):
        raise SystemExit(f"PostgreSQL tidak dapat dihubungi ({url}).")
    today = today_wib()
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True, "HUEY_IMMEDIATE": True})
    app.test_client_class = FlaskLoginClient
    out: dict = {"employees": size, "loadavg_before": [round(x, 2) for x in os.getloadavg()]}
    with app.app_context():
        db.create_all()
        with Clock() as c:
            made = demo.scale(size, today)
            db.session.commit()
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        out.update(seed_s=c.wall, seed_cpu_s=c.cpu, employees_made=made.employees)
        print(f"{size}: seed {c.wall} s (CPU {c.cpu} s)", flush=True)

        for name, step in (("payroll", payroll), ("suggestions", suggestions), ("import_preview", import_preview)):
            guarded(out, name, lambda step=step: step(size, today, out))
        hr_id = db.session.scalar(select(User.id).where(User.username == "kepegawaian"))

    for name, path in PAGES.items():
        key = "single_" + name if name in ("dashboard", "search") else name
        runs_ = 1 if name == "progress_360" else args.runs  # seconds a request at 100,000 (see the figures)
        out[f"{key}_ms"], out[f"{key}_queries"] = measure_in_process(app, hr_id, path, runs_)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "HUEY_SQLITE_PATH": f"/tmp/kinerja-scale-huey-{os.getpid()}.sqlite3",
    }
    pages = served(env, args.duration, args.connections)
    out.update(
        dashboard_p99_ms=pages["dashboard"]["p99_ms"],
        dashboard_req_per_s=pages["dashboard"]["req_per_s"],
        search_p99_ms=pages["search"]["p99_ms"],
        search_req_per_s=pages["search"]["req_per_s"],
        # server CPU per request (gunicorn workers, /proc): what the load on a shared machine does not distort
        dashboard_cpu_ms_per_req=pages["dashboard"]["cpu_ms_per_req"],
        search_cpu_ms_per_req=pages["search"]["cpu_ms_per_req"],
        non_2xx=pages["dashboard"]["non_2xx"] + pages["search"]["non_2xx"],
        loadavg_after=[round(x, 2) for x in os.getloadavg()],
    )
    return out


def growth(results: dict[int, dict], key: str) -> float | None:
    """time(largest)/time(7,500) ÷ (largest/7,500): 1.0 is linear growth."""
    largest = max(results)
    if BASE not in results or largest == BASE or not results[BASE].get(key) or not results[largest].get(key):
        return None
    return round(results[largest][key] / results[BASE][key] / (largest / BASE), 3)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="7500,30000,100000")
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--runs", type=int, default=5, help="warm requests per in-process page (median)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results: dict[int, dict] = {}
    for size in sizes:
        results[size] = run_size(size, args)
        print(json.dumps(results[size]), flush=True)
    largest = results[max(sizes)]
    summary = {
        "sizes": sizes,
        "growth_payroll": growth(results, "payroll_s"),
        "growth_import": growth(results, "import_preview_s"),
        # the same from this process's CPU seconds (PostgreSQL's own work not counted): steadier on a busy machine
        "growth_payroll_cpu": growth(results, "payroll_cpu_s"),
        "growth_import_cpu": growth(results, "import_preview_cpu_s"),
        "payroll_s": largest.get("payroll_s"),
        "search_p99_ms": largest["search_p99_ms"],
        "dashboard_p99_ms": largest["dashboard_p99_ms"],
        "cpus": os.cpu_count(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
