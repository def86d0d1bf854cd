"""Throughput of the pages people hit most, against a bare Flask page, both served by gunicorn on loopback.

    python -m benchmarks.pages [--employees 7500] [--workers N] [--connections 32] [--duration 5] [--rounds 3]
                               [--db PATH]

Builds the scale regency (`flask seed scale` logic) in a temp SQLite file (or reuses `--db` if it exists),
adds an employee's SKP and two final payroll months (benchmarks/page_data.py, through the services; added
to a reused `--db` that lacks them), serves the app and benchmarks/bare_app.py with gunicorn (both with
gunicorn.conf.py, the production settings, and the same worker count: cores + 1 unless --workers), and
loads with wrk (Debian package):
  - the dashboard `/`, as the HR demo account (the heaviest dashboard: HR sees the data-quality to-do)
  - the directory active search `/pegawai/?q=...` with `HX-Request: true` (what the search box sends), as HR
  - the SKP page `/skp/<id>` of the `pegawai` demo account, as that employee: 10 RHK / 30 indikator,
    approved, realisasi in every window so far
  - that employee's own "Mengapa gaji saya sebesar ini?" for last month `/gaji/run/<id>/pegawai/<id>`
  - the bare 50-row Jinja table.
Runs are interleaved (dashboard, search, SKP, explanation, bare) for `--rounds` rounds and the median per
target is kept, so background load on the machine hits all alike.
The last line is one JSON object. `req_per_s` is the *slower* of the dashboard and the directory search and
`p99_ms` the *worse* p99, so the headline never flatters us; `skp_cpu_ms`, `skp_p99_ms`,
`explanation_cpu_ms` and `explanation_p99_ms` give the two heavier pages; per-page figures are in `pages`.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USERNAME, PASSWORD = "kepegawaian", "demo12345"
EMPLOYEE_USERNAME = "pegawai"  # the employee whose own SKP and payroll explanation are loaded
# Every request carries the same User-Agent, as a browser's do: Flask-Login ties the session to address and
# User-Agent, and a mismatch (wrk sends none) rewrites the session cookie on every request.
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) kinerja-benchmark"
SEARCH_QUERY = "setiawan"  # a common surname: a full first page of 25 results, like a real search


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(path: Path, employees: int) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench"}
    code = (
        "from kinerja_web import create_app\n"
        "from kinerja_web.extensions import db\n"
        "from kinerja_web.services.seed import accounts, org\n"
        "from kinerja_web.timeutil import today_wib\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        f"    org.build_regency({employees}, today=today_wib(), seed=7500)\n"
        "    accounts.create_demo_accounts(today_wib())\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)


def page_data(path: Path) -> dict[str, int]:
    """The employee's SKP and final payroll months (benchmarks/page_data.py), added if the database lacks them;
    their ids."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "bench", "HUEY_IMMEDIATE": "1"}
    code = (
        "import json\n"
        "from kinerja_web import create_app\n"
        "from kinerja_web.timeutil import today_wib\n"
        "from benchmarks import page_data\n"
        "app = create_app({'SERVER_NAME': 'bench.local'})\n"
        "with app.app_context(), app.test_request_context():\n"
        "    print(json.dumps(page_data.ensure(today_wib())))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def start_gunicorn(target: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    cmd = [gunicorn, "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning", target]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"gunicorn {target} exited with {proc.returncode}") from None
            time.sleep(0.1)
    proc.terminate()
    raise SystemExit(f"gunicorn {target} did not start")


def log_in(base: str, username: str = USERNAME) -> str:
    """Log in through the real form (CSRF token included); returns the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    html = opener.open(base + "/masuk").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "username": username, "password": PASSWORD}).encode()
    opener.open(base + "/masuk", data=form)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    check = urllib.request.Request(base + "/", headers={"Cookie": cookie, "User-Agent": USER_AGENT})
    with urllib.request.urlopen(check) as r:
        body = r.read().decode()
        if r.status != 200 or "Selamat datang" not in body:
            raise SystemExit("login failed: the dashboard did not render")
    return cookie


def check_page(url: str, headers: dict[str, str], must_contain: str) -> None:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
        body = r.read().decode()
    if r.status != 200 or must_contain not in body:
        raise SystemExit(f"{url} did not return the expected page")


def cpu_seconds(master: subprocess.Popen) -> float:
    """User+system CPU of gunicorn's workers so far (Linux /proc): a per-request cost that background load
    on a shared machine does not distort the way it distorts req/s."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    try:
        children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def wrk(url: str, headers: dict[str, str], connections: int, duration: int) -> dict:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "req_per_s": round(rps, 1),
        "p99_ms": round(p99_ms, 1),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


def settle(url: str, headers: dict[str, str]) -> None:
    """Wait until the server has drained requests wrk left queued, so the next run starts clean."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        urllib.request.urlopen(urllib.request.Request(url, headers=headers)).read()
        if time.perf_counter() - t0 < 0.5:
            return


def median_run(runs: list[dict]) -> dict:
    ordered = sorted(runs, key=lambda r: r["req_per_s"])
    mid = ordered[len(ordered) // 2]
    cpu = sorted(r["cpu_ms_per_req"] for r in runs if r.get("cpu_ms_per_req"))
    return {
        **mid,
        "p99_ms": sorted(r["p99_ms"] for r in runs)[len(runs) // 2],
        "cpu_ms_per_req": cpu[len(cpu) // 2] if cpu else None,
        "rounds": [r["req_per_s"] for r in runs],
    }


def cpu_ratio(bare: dict, pages: dict[str, dict]) -> float | None:
    ours = [r["cpu_ms_per_req"] for r in pages.values()]
    if not bare["cpu_ms_per_req"] or not all(ours):
        return None
    return round(bare["cpu_ms_per_req"] / max(ours), 3)


def parse_args(doc: str) -> argparse.Namespace:
    """The options every served-page benchmark takes (this one and benchmarks.page_floor)."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--employees", type=int, default=7500)
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1, help="default: as gunicorn.conf.py")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    ap.add_argument("--db", help="SQLite file to reuse (built if missing)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk")
    return args


def prepare(args: argparse.Namespace) -> tuple[Path, Path, dict]:
    """A temp folder, the scale database (reused from --db, else built) and the servers' environment."""
    tmp = Path(tempfile.mkdtemp(prefix="kinerja-bench-"))
    db_path = Path(args.db) if args.db else tmp / "kinerja.sqlite3"
    if not db_path.exists():
        t0 = time.perf_counter()
        build_database(db_path, args.employees)
        print(f"scale data: {args.employees} employees in {time.perf_counter() - t0:.1f} s", flush=True)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db_path}",
        "SECRET_KEY": "bench-" + os.urandom(8).hex(),
        "HUEY_SQLITE_PATH": str(tmp / "huey.sqlite3"),
    }
    return tmp, db_path, env


def measure(url: str, headers: dict[str, str], server: subprocess.Popen, connections: int, duration: int) -> dict:
    """One wrk run, then the server's CPU per request over it (from /proc)."""
    cpu0 = cpu_seconds(server)
    run = wrk(url, headers, connections, duration)
    settle(url, headers)
    done = run["req_per_s"] * duration
    run["cpu_ms_per_req"] = round((cpu_seconds(server) - cpu0) * 1000 / done, 3) if done else None
    return run


def stop(procs: list[subprocess.Popen], tmp: Path) -> None:
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait(timeout=10)
    shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    args = parse_args(__doc__)
    tmp, db_path, env = prepare(args)
    ids = page_data(db_path)
    procs: list[subprocess.Popen] = []
    try:
        ours_port, bare_port = free_port(), free_port()
        procs.append(start_gunicorn("wsgi:app", ours_port, args.workers, env))
        procs.append(start_gunicorn("benchmarks.bare_app:app", bare_port, args.workers, env))
        ours, bare = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{bare_port}"
        auth = {"Cookie": log_in(ours), "User-Agent": USER_AGENT}
        own = {"Cookie": log_in(ours, EMPLOYEE_USERNAME), "User-Agent": USER_AGENT}
        search = {**auth, "HX-Request": "true"}
        targets = {
            "dashboard": (ours + "/", auth, "Selamat datang"),
            "directory_search": (f"{ours}/pegawai/?q={SEARCH_QUERY}", search, "<table"),
            "skp": (f"{ours}/skp/{ids['skp']}", own, "Rencana hasil kerja nomor 10"),
            "explanation": (f"{ours}/gaji/run/{ids['run']}/pegawai/{ids['employee']}", own, 'id="perbandingan"'),
            "bare": (bare + "/", {"User-Agent": USER_AGENT}, "Pegawai Contoh 50"),
        }
        # one warm-up pass per worker so that first-request costs (imports, template compile) are not measured
        for _ in range(args.workers * 4):
            for url, headers, must in targets.values():
                check_page(url, headers, must)
        # Interleaved rounds, median per target: other load on the machine hits all alike.
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (url, headers, _) in targets.items():
                server = procs[1] if name == "bare" else procs[0]
                runs[name].append(measure(url, headers, server, args.connections, args.duration))
        pages = {name: median_run(r) for name, r in runs.items() if name != "bare"}
        bare_result = median_run(runs["bare"])
    finally:
        stop(procs, tmp)

    for name, r in [*pages.items(), ("bare", bare_result)]:
        print(
            f"{name:18s} {r['req_per_s']:8.1f} req/s   p99 {r['p99_ms']:7.1f} ms   "
            f"CPU {r['cpu_ms_per_req']} ms/req   non-2xx {r['non_2xx']}"
        )
    main_pages = {name: pages[name] for name in ("dashboard", "directory_search")}
    worst = min(main_pages.values(), key=lambda r: r["req_per_s"])
    result = {
        "req_per_s": worst["req_per_s"],
        "bare_req_per_s": bare_result["req_per_s"],
        "ratio": round(worst["req_per_s"] / bare_result["req_per_s"], 3),
        "p99_ms": max(r["p99_ms"] for r in main_pages.values()),
        "bare_p99_ms": bare_result["p99_ms"],
        # Server CPU per request, bare / ours (costlier page): the same ratio, without the noise of other
        # processes competing for the cores.
        "cpu_ratio": cpu_ratio(bare_result, main_pages),
        "skp_cpu_ms": pages["skp"]["cpu_ms_per_req"],
        "skp_p99_ms": pages["skp"]["p99_ms"],
        "explanation_cpu_ms": pages["explanation"]["cpu_ms_per_req"],
        "explanation_p99_ms": pages["explanation"]["p99_ms"],
        "employees": args.employees,
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "rounds": args.rounds,
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "pages": pages,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
