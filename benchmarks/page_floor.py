"""The floor under the page benchmark: how high can `benchmarks.pages`' ratio go with this stack at all?

    python -m benchmarks.page_floor [--db PATH] [--workers N] [--connections 32] [--duration 5] [--rounds 3]

Same set-up as benchmarks.pages (scale database, gunicorn with the production settings, wrk at 32
connections, the HR demo account), and the server CPU per request, measured from /proc, of:
  - `bare`: the 50-row Jinja table (benchmarks/bare_app.py), the yardstick;
  - `public`: an empty route of Kinerja without sign-in (Flask plus Kinerja's request hooks);
  - `signed_in`: an empty route behind `login_required` (benchmarks/floor_app.py): what every signed-in
    page pays before doing anything of its own;
  - `dashboard` and `directory_search`: the two pages benchmarks.pages loads.
Then the SQL each page sends is captured (one in-process request) and replayed on a raw sqlite3
connection, so its SQLite time is known without SQLAlchemy around it.

A page's floor is `signed_in` plus the SQLite time of the statements the empty route does not send: what
the page would cost if everything it does in Python (building and running its queries, shaping rows,
rendering the template) were free. `best_cpu_ratio` = bare / the higher floor is therefore an upper bound
of `cpu_ratio` in benchmarks.pages for pages that keep their queries; `floor_ratio` (per page, and the lower
of the two at the top) = floor / the page's CPU: how close the page is to its floor (1.0 = no Python of its
own). The last line is one JSON object.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import statistics
import subprocess
import time
from pathlib import Path

from . import pages

PAGES = {
    "dashboard": ("/", {}),
    "directory_search": (f"/pegawai/?q={pages.SEARCH_QUERY}", {"HX-Request": "true"}),
    "signed_in": ("/_floor/signed-in", {}),
}


def capture_sql(env: dict) -> dict[str, list[tuple[str, tuple]]]:
    """The statements (with their parameters) that one request of each page sends, in order, in an app
    configured like the served one (`env`)."""
    os.environ.update(env)
    from sqlalchemy import event

    from kinerja_web.extensions import db

    from .floor_app import app

    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = pages.USER_AGENT
    html = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    client.post("/masuk", data={"csrf_token": token, "username": pages.USERNAME, "password": pages.PASSWORD})
    sent: list[tuple[str, tuple]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        sent.append((statement, tuple(parameters or ())))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    captured = {}
    for name, (path, headers) in PAGES.items():
        if client.get(path, headers=headers).status_code != 200:
            raise SystemExit(f"{path} did not answer 200")
        sent.clear()
        client.get(path, headers=headers)
        captured[name] = list(sent)
    event.remove(engine, "before_cursor_execute", record)
    return captured


def sqlite_ms(db_path: Path, statements: list[tuple[str, tuple]], repeat: int = 400) -> float:
    """SQLite's own time for the statements (execute and fetch every row), median of 5 loops, in ms."""
    con = sqlite3.connect(db_path)
    try:
        for sql, params in statements:  # warm the page cache
            con.execute(sql, params).fetchall()
        loops = []
        for _ in range(5):
            t0 = time.perf_counter()
            for _ in range(repeat):
                for sql, params in statements:
                    con.execute(sql, params).fetchall()
            loops.append((time.perf_counter() - t0) * 1000 / repeat)
        return statistics.median(loops)
    finally:
        con.close()


def main() -> None:
    args = pages.parse_args(__doc__)
    tmp, db_path, env = pages.prepare(args)
    procs: list[subprocess.Popen] = []
    try:
        ours_port, bare_port = pages.free_port(), pages.free_port()
        procs.append(pages.start_gunicorn("benchmarks.floor_app:app", ours_port, args.workers, env))
        procs.append(pages.start_gunicorn("benchmarks.bare_app:app", bare_port, args.workers, env))
        ours, bare = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{bare_port}"
        auth = {"Cookie": pages.log_in(ours), "User-Agent": pages.USER_AGENT}
        targets = {
            "bare": (bare + "/", {"User-Agent": pages.USER_AGENT}, "Pegawai Contoh 50", procs[1]),
            "public": (ours + "/_floor/public", {"User-Agent": pages.USER_AGENT}, "ok", procs[0]),
            **{name: (ours + path, {**auth, **extra}, "", procs[0]) for name, (path, extra) in PAGES.items()},
        }
        for url, headers, must, _ in targets.values():
            for _ in range(args.workers * 4):  # warm every worker
                pages.check_page(url, headers, must)
        runs: dict[str, list[dict]] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (url, headers, _, server) in targets.items():
                runs[name].append(pages.measure(url, headers, server, args.connections, args.duration))
        served = {name: pages.median_run(r) for name, r in runs.items()}
        # Before `stop`: without --db the database lives in the temp folder that `stop` removes.
        captured = capture_sql(env)
        base = set(captured["signed_in"])
        own = {name: [s for s in captured[name] if s not in base] for name in ("dashboard", "directory_search")}
        own_ms = {name: sqlite_ms(db_path, statements) for name, statements in own.items()}
    finally:
        pages.stop(procs, tmp)

    cpu = {name: r["cpu_ms_per_req"] for name, r in served.items()}
    result: dict = {"cpu_ms_per_req": cpu, "pages": {}}
    for name, sql in own_ms.items():
        floor = cpu["signed_in"] + sql
        result["pages"][name] = {
            "statements": len(captured[name]),
            "own_statements": len(own[name]),
            "own_sqlite_ms": round(sql, 3),
            "floor_ms": round(floor, 3),
            "python_ms": round(cpu[name] - floor, 3),
            # floor / the page's CPU: 1.0 = the page costs no Python of its own; issue 23 asks ≥ 0.5.
            "floor_ratio": round(floor / cpu[name], 3),
        }
        print(
            f"{name:17s} CPU {cpu[name]:.3f} ms/req = signed-in {cpu['signed_in']:.3f} + own SQLite {sql:.3f}"
            f" + the page's Python {cpu[name] - floor:.3f}"
        )
    print(
        f"bare {cpu['bare']:.3f} ms/req, public empty route {cpu['public']:.3f}, signed-in empty route "
        f"{cpu['signed_in']:.3f} (its {len(captured['signed_in'])} statement(s) included)"
    )
    worst_floor = max(p["floor_ms"] for p in result["pages"].values())
    worst_now = max(cpu["dashboard"], cpu["directory_search"])
    result.update(
        cpu_ratio=round(cpu["bare"] / worst_now, 3),
        best_cpu_ratio=round(cpu["bare"] / worst_floor, 3),
        signed_in_ratio=round(cpu["bare"] / cpu["signed_in"], 3),
        floor_ratio=min(p["floor_ratio"] for p in result["pages"].values()),
        loadavg=[round(x, 2) for x in os.getloadavg()],
        workers=args.workers,
        connections=args.connections,
        duration_s=args.duration,
        rounds=args.rounds,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
