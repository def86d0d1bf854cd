"""Several hosts (issue 23 item 4): two web hosts (gunicorn) and two worker hosts (`flask worker`), each with its
own instance folder, sharing one PostgreSQL database and one Redis.

Through web host A: HR issues a documents batch and the finance officers take a payroll month from computing to
final. Worker host A is killed in the middle of the batch: the job is handed on and worker host B finishes it
under its own id, with no number skipped or taken twice. Every page and output is then fetched from web host B,
which never ran a job and has none of the batch files on its disk.

The backup of that installation is then restored into a scratch database by scripts/restore_check.sh.
Runs in the PostgreSQL pass of the test command (it needs PostgreSQL and Redis; scripts/test.sh starts Redis).
"""

from __future__ import annotations

import html
import http.cookiejar
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from benchmarks.documents import children

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("TEST_DATABASE_URL", "")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
STALE_S = 4
DEADLINE_S = 240
PASSWORD = "demo12345"

pytestmark = [pytest.mark.multiprocess, pytest.mark.postgres_only]


def _redis_ready() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A signed-in user on one host; `on(host)` is the same session (cookie) on another host."""

    def __init__(self, base: str, jar: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.csrf = ""

    def on(self, base: str) -> Browser:
        other = Browser(base, self.jar)
        other.csrf = self.csrf
        return other

    def request(self, path: str, data: dict | None = None) -> tuple[int, bytes, dict]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrf_token": self.csrf, **data}, doseq=True).encode()
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=120) as resp:
                status, payload, headers = resp.status, resp.read(), dict(resp.headers)
        except urllib.error.HTTPError as e:
            status, payload, headers = e.code, e.read(), dict(e.headers)
        found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', payload)
        if found:
            self.csrf = html.unescape(found.group(1).decode())
        return status, payload, headers

    def get(self, path: str) -> tuple[int, bytes, dict]:
        return self.request(path)

    def post(self, path: str, data: dict) -> tuple[int, bytes, dict]:
        return self.request(path, data)

    def login(self, username: str) -> Browser:
        self.get("/masuk")
        status, _, headers = self.post("/masuk", {"username": username, "password": PASSWORD})
        assert status in (302, 303), f"login {username}: {status}"
        return self


@pytest.fixture
def hosts(tmp_path):
    if not PG.startswith("postgresql") or not _redis_ready():
        pytest.skip("needs PostgreSQL (TEST_DATABASE_URL) and Redis")
    base = make_url(PG)
    url = base.set(database=f"{base.database}_hosts")
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{url.database}"')
    admin.dispose()
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {
        **os.environ,
        "DATABASE_URL": url.render_as_string(hide_password=False),
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "kunci-bersama-semua-server-uji-" + "x" * 16,
        "KINERJA_JOB_STALE_SECONDS": str(STALE_S),
        "PUBLIC_BASE_URL": "http://kinerja.lan",
        "KINERJA_BATCH_PART_SIZE": "10",
        "FLASK_APP": "wsgi",
        "WEB_WORKERS": "1",
    }
    env.pop("TEST_DATABASE_URL", None)
    for cmd in (["db", "upgrade"], ["seed", "demo", "--employees", "200"]):
        done = subprocess.run([sys.executable, "-m", "flask", *cmd], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-2000:]
    procs: dict[str, subprocess.Popen] = {}
    ports = {}

    def start(name: str, args: list[str]) -> None:
        own = {**env, "KINERJA_INSTANCE_PATH": str(tmp_path / name[-1])}  # host a / b: its own folder
        procs[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env=own,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / f"{name}.log", "w"),  # noqa: SIM115 - closed with the process
            start_new_session=True,
        )

    for name in ("web_a", "web_b"):
        ports[name] = _free_port()
        start(name, [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{ports[name]}", "wsgi:app"])
    start("worker_a", [sys.executable, "-m", "flask", "worker", "--workers", "1", "--max-delay", "0.2"])
    for name in ("web_a", "web_b"):
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{ports[name]}/masuk", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
    engine = create_engine(url)

    class Hosts:
        a = f"http://127.0.0.1:{ports['web_a']}"
        b = f"http://127.0.0.1:{ports['web_b']}"
        db = engine
        path = tmp_path

        @staticmethod
        def start_worker_b() -> None:
            start("worker_b", [sys.executable, "-m", "flask", "worker", "--workers", "1", "--max-delay", "0.2"])

        @staticmethod
        def kill_worker_a() -> None:
            consumer = procs["worker_a"]
            for pid in [*children(consumer.pid), consumer.pid]:
                os.kill(pid, signal.SIGKILL)  # the whole host's worker: nothing restarts it
            consumer.wait()

        @staticmethod
        def scalar(sql: str, **params):
            with engine.connect() as conn:
                return conn.execute(text(sql), params).scalar()

        @staticmethod
        def logs() -> str:
            return "\n".join(f"--- {p.name}\n{p.read_text()[-1500:]}" for p in sorted(tmp_path.glob("*.log")))

    def stop_all() -> None:
        for p in procs.values():
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs.values():
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)

    Hosts.stop_all = staticmethod(stop_all)
    try:
        yield Hosts
    finally:
        stop_all()
        engine.dispose()


def _wait(hosts, what: str, until) -> None:
    started = time.monotonic()
    while not until():
        assert time.monotonic() - started < DEADLINE_S, f"{what}: timed out\n{hosts.logs()}"
        time.sleep(0.3)


def test_any_web_host_serves_what_any_worker_host_made(hosts):
    today = time.strftime("%Y-%m-%d")
    bkpsdm = hosts.scalar("SELECT id FROM unit WHERE name LIKE 'Badan Kepegawaian%'")
    hr_a = Browser(hosts.a).login("kepegawaian")
    hr_b = hr_a.on(hosts.b)  # the same signed-in session, served by the other host

    # --- a documents batch through web host A; worker host A dies in the middle of it ---------------------------
    hr_a.get("/dokumen/batch")
    form = {
        "unit_id": bkpsdm,
        "subject_unit_id": bkpsdm,  # the BKPSDM's own staff: a batch of a few dozen decrees
        "doc_type": "sk_penghargaan",
        "penghargaan": "Pegawai Teladan",
        "issued_on": today,
    }
    status, body, headers = hr_a.post("/dokumen/batch", form)
    assert status == 303, body[-800:]
    job = int(headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    _wait(
        hosts,
        "batch rendering on worker A",
        lambda: (hosts.scalar("SELECT progress FROM job WHERE id = :j AND status = 'running'", j=job) or 0) >= 3,
    )
    hosts.start_worker_b()
    hosts.kill_worker_a()

    def batch_done() -> bool:
        hr_b.get(f"/dokumen/batch/{job}")  # the page a user watches, on web host B (it hands the stopped job on)
        return hosts.scalar("SELECT status FROM job WHERE id = :j", j=job) in ("done", "failed")

    _wait(hosts, "batch finished by worker B", batch_done)
    assert hosts.scalar("SELECT status FROM job WHERE id = :j", j=job) == "done", hosts.logs()
    assert hosts.scalar("SELECT resumed FROM job WHERE id = :j", j=job) >= 1
    issued = hosts.scalar("SELECT count(*) FROM issued_document WHERE job_id = :j AND status = 'valid'", j=job)
    result = hosts.scalar("SELECT result FROM job WHERE id = :j", j=job)
    subjects = hosts.scalar(
        "WITH RECURSIVE sub(id) AS (SELECT CAST(:u AS integer) UNION ALL SELECT unit.id FROM unit JOIN sub ON unit.parent_id = sub.id) "
        "SELECT count(*) FROM employee WHERE active AND unit_id IN (SELECT id FROM sub)",
        u=bkpsdm,
    )
    assert result["issued"] == issued and issued + len(result["failures"]) == subjects > 10, (result, issued, subjects)
    # nothing of the batch issued twice (the demo data issues documents of its own, e.g. SKM reports)
    assert hosts.scalar("SELECT count(*) FROM issued_document WHERE job_id = :j", j=job) == issued
    with hosts.db.connect() as conn:
        seqs = [
            r[0]
            for r in conn.execute(
                text(
                    "SELECT e.seq FROM number_entry e JOIN number_register r ON r.id = e.register_id "
                    "WHERE r.doc_type = 'sk_penghargaan' ORDER BY e.seq"
                )
            )
        ]
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= issued, "a number skipped or taken twice"

    # every output, from web host B (and from A, whose disk never got the files either)
    from pypdf import PdfReader

    for host in (hr_b, hr_a):
        status, zipped, _ = host.get(f"/dokumen/batch/{job}/zip")
        singles = zipfile.ZipFile(io.BytesIO(zipped))
        assert status == 200 and len(singles.namelist()) == issued
        pages = 0
        for part in range(1, (issued + 9) // 10 + 1):  # parts of 10 documents (KINERJA_BATCH_PART_SIZE)
            status, pdf, _ = host.get(f"/dokumen/batch/{job}/pdf" + (f"/{part}" if part > 1 else ""))
            assert status == 200, (host.base, part)
            pages += len(PdfReader(io.BytesIO(pdf)).pages)
        assert pages == sum(len(PdfReader(io.BytesIO(singles.read(n))).pages) for n in singles.namelist())

    # --- a payroll month through web host A, computed by worker host B, read from web host B ---------------------
    month = time.strftime("%Y-%m")
    operator = Browser(hosts.a).login("operator")
    operator.get("/gaji/")
    status, body, headers = operator.post("/gaji/run", {"kind": "reguler", "month": month, "scope": "pemda"})
    assert status == 303, body[-800:]
    run = hosts.scalar("SELECT max(id) FROM payroll_run")
    operator.get(f"/gaji/run/{run}")
    status, body, _ = operator.post(f"/gaji/run/{run}/hitung", {})
    assert status == 303, body[-800:]
    _wait(
        hosts,
        "payroll computed",
        lambda: hosts.scalar("SELECT status FROM payroll_run WHERE id = :r", r=run) != "draft",
    )
    assert hosts.scalar("SELECT status FROM payroll_run WHERE id = :r", r=run) == "dihitung", hosts.logs()
    for user, host, step, after in (
        ("verifikator", hosts.b, "verifikasi", "diverifikasi"),
        ("pejabat", hosts.a, "setujui", "disetujui"),
        ("pejabat", hosts.b, "final", "final"),
    ):
        actor = Browser(host).login(user)
        actor.get(f"/gaji/run/{run}")
        status, body, _ = actor.post(f"/gaji/run/{run}/{step}", {})
        assert status == 303, (step, body[-800:])
        assert hosts.scalar("SELECT status FROM payroll_run WHERE id = :r", r=run) == after
    finance_b = operator.on(hosts.b)
    status, page, _ = finance_b.get(f"/gaji/run/{run}")
    assert status == 200 and "Final" in page.decode()
    status, xlsx, _ = finance_b.get(f"/gaji/run/{run}/daftar.xlsx")
    assert status == 200 and xlsx[:2] == b"PK"
    status, bank, _ = finance_b.get(f"/gaji/run/{run}/bank.csv")
    employees = hosts.scalar("SELECT employee_count FROM payroll_run WHERE id = :r", r=run)
    assert status == 200 and len(bank.decode("utf-8-sig").strip().splitlines()) >= employees

    # --- the backup of this installation restores with every row (README § Beberapa server) -----------------
    hosts.stop_all()  # a quiet database: nothing writes between the dump and the comparison
    url = hosts.db.url.set(drivername="postgresql").render_as_string(hide_password=False)
    done = subprocess.run(
        ["bash", "scripts/restore_check.sh", url], cwd=ROOT, capture_output=True, text=True, timeout=DEADLINE_S
    )
    assert done.returncode == 0, done.stdout[-1500:] + done.stderr[-1500:]
    assert "Restore verified." in done.stdout and "[OK  ] migrasi" in done.stdout
