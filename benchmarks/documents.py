"""Document rendering benchmark: `python -m benchmarks.documents [--count 1000]`.

Prints progress lines and, as the last line, one JSON object:
- render_ratio: bare `weasyprint.HTML(string=same_html).write_pdf()` time / our service time on the same
  one-page decree (same process, warm; >= 0.9 means the service is not slower);
- batch_speedup, pages_per_s: `--count` one-page decrees through the real path (Job → SqliteHuey →
  `flask worker --workers N` process workers → reserve numbers → render on all workers → merge) with
  2 workers vs 1 worker; pages_per_s is for 2 workers, from enqueue to finished job (incl. merge + ZIP);
- peak_rss_mb: the highest peak RSS (VmHWM) of any worker process during the 2-worker run;
- table_600_rss_mb / table_600_pages: peak RSS of a fresh process rendering a 600-row daftar table;
- lock_*: the rating lock job (`penilaian_kunci`) for `--lock-count` final ratings in OPDs of UNIT_SIZE (one
  2-page evaluation document each, one penetapan per OPD) through the same real path, 1 and 2 workers:
  lock_seconds_N (enqueue to finished), lock_cpu_s_N (CPU of the consumer and its worker processes),
  lock_load1_N (load average before/after: the machine may be shared), lock_speedup, lock_docs_per_s (2 workers);
  lock_cpu_speedup: 1 worker's CPU time over the busiest process's with 2 workers (what the speed-up would be
  with a free core per worker process, for a shared machine where wall-clock times are not fair).
`--only decree|lock` runs one part.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ISSUED_ON = date(2026, 11, 27)


def make_app(workdir: str, immediate: bool, database_url: str | None = None):
    """The app on a SQLite file in `workdir`, or on `database_url` (tables dropped and created by the seed)."""
    from kinerja_web import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{workdir}/bench.sqlite3",
            "SQLALCHEMY_ENGINE_OPTIONS": {} if database_url else {"connect_args": {"timeout": 60}},
            "HUEY_SQLITE_PATH": f"{workdir}/huey.sqlite3",
            "HUEY_IMMEDIATE": immediate,
            "PUBLIC_BASE_URL": "http://kinerja.lan",
            "DOCUMENT_BATCH_DIR": f"{workdir}/dokumen",  # merged PDF + ZIP: not the checkout's instance/
            "SECRET_KEY": "bench",
        }
    )


def seed(count: int) -> int:
    """Tables, kop, signer, register and `count` employees in one OPD; returns the OPD id."""
    from kinerja_web.domain.documents import DocType
    from kinerja_web.extensions import db
    from kinerja_web.models import (
        Letterhead,
        NumberRegister,
        Position,
        PositionKind,
        SignerConfig,
        Unit,
        UnitKind,
    )

    # WAL (persistent in the file): readers never wait for the writer, and a commit is one append.
    # Recommended for any SQLite install with a separate worker process.
    db.session.execute(db.text("PRAGMA journal_mode=WAL"))
    db.create_all()
    opd = Unit(code="BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM", kind=UnitKind.OPD)
    db.session.add(opd)
    db.session.flush()
    db.session.add(
        Letterhead(
            unit_id=opd.id,
            pemda_name="Pemerintah Kabupaten Lampung Utara",
            opd_name="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            address="Jalan Jenderal Sudirman Nomor 1, Kotabumi, Lampung Utara 34511",
            contact="Telepon (0724) 21000",
            logo=logo_png(),
            logo_mime="image/png",
        )
    )
    db.session.add(
        SignerConfig(
            unit_id=opd.id,
            doc_type=DocType.SK_PENGHARGAAN,
            jabatan="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            name="Dr. H. Ahmad Fauzi, S.H., M.Si.",
            nip="197005051995031001",
            pangkat="Pembina Utama Muda",
        )
    )
    db.session.add(
        NumberRegister(
            unit_id=opd.id,
            doc_type=DocType.SK_PENGHARGAAN,
            year=2026,
            pattern="800.1.13/{nomor}/BKPSDM/{tahun}",
            kode_unit="BKPSDM",
        )
    )
    pos = Position(
        unit_id=opd.id,
        name="Analis Sumber Daya Manusia Aparatur",
        kind=PositionKind.FUNGSIONAL,
        jenjang="Ahli Pertama",
        kelas_jabatan=8,
    )
    db.session.add(pos)
    db.session.flush()
    db.session.add_all(bench_employee(i, position_id=pos.id, unit_id=opd.id) for i in range(count))
    db.session.commit()
    return opd.id


def bench_employee(i: int, **where):
    """Employee number i of a benchmark (unique NIP), placed by `where` (position/unit or their ids)."""
    from kinerja_web.models import Employee, Gender, StatusAsn

    return Employee(
        nip=f"1990{1 + i % 12:02d}{1 + i % 28:02d}201503{1 + i // 1000}{i % 1000 + 1:03d}",
        name=f"Pegawai Bench {i:04d}",
        status_asn=StatusAsn.PNS,
        golongan="III/b",
        gender=Gender.L,
        birth_date=date(1990, 1 + i % 12, 1 + i % 28),
        **where,
    )


def batch_params(opd_id: int, batch_key: str, workers: int = 2) -> dict:
    """Job parameters of a `dokumen_batch` of SK Penghargaan for everyone in the seeded OPD."""
    return {
        "doc_type": "sk_penghargaan",
        "unit_id": opd_id,
        "subject_unit_id": opd_id,
        "issued_on": ISSUED_ON.isoformat(),
        "doc_params": {"penghargaan": "Pegawai Berprestasi"},
        "base_url": "http://kinerja.lan",
        "workers": workers,
        "batch_key": batch_key,
    }


def logo_png(size: int = 300) -> bytes:
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (size, size), "white")
    d = ImageDraw.Draw(img)
    d.polygon([(30, 30), (270, 30), (270, 180), (150, 285), (30, 180)], fill=(20, 90, 40), outline="black")
    d.ellipse((90, 75, 210, 195), fill=(230, 190, 30))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def vm_hwm_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "--ppid", str(pid), "-o", "pid="], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time each process has used so far (/proc/<pid>/stat utime + stime)."""
    out = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)
        except OSError:
            pass
    return out


def batch_run(count: int, workers: int, log_path: str | None = None, kind: str = "decree") -> dict:
    """Enqueue one batch job (`kind` decree: a `dokumen_batch` of SK Penghargaan; lock: the rating lock job
    `penilaian_kunci` of `count` final ratings) and run a real huey consumer with `workers` processes until it
    finishes. cpu_s is the CPU time the consumer and its worker processes used from enqueue to the end."""
    from kinerja_web.extensions import db
    from kinerja_web.models import Job
    from kinerja_web.services import jobs

    workdir = tempfile.mkdtemp(prefix=f"bench-docs-{kind}-{workers}-")
    app = make_app(workdir, immediate=False)
    with app.app_context():
        if kind == "lock":
            job_kind, title, params, user_id = seed_lock(count, workers)
        else:
            job_kind, title, params, user_id = (
                "dokumen_batch",
                "Benchmark",
                batch_params(seed(count), "bench", workers),
                None,
            )
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
            "HUEY_SQLITE_PATH": f"{workdir}/huey.sqlite3",
            "FLASK_APP": "wsgi",
            "PUBLIC_BASE_URL": "http://kinerja.lan",
            "KINERJA_BATCH_DIR": f"{workdir}/dokumen",
        }
        flask = os.path.join(os.path.dirname(sys.executable), "flask")
        log_fh = open(log_path, "a") if log_path else subprocess.DEVNULL  # noqa: SIM115 (closed below)
        consumer = subprocess.Popen(
            [flask, "worker", "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=log_fh,
            stderr=log_fh,
        )
        try:
            time.sleep(3)  # consumer start-up (imports) is not part of the batch
            deadline = time.monotonic() + 120
            while len(children(consumer.pid)) < workers and time.monotonic() < deadline:
                time.sleep(0.5)  # under load the worker processes start late: their CPU time counts from here
            procs = [consumer.pid, *children(consumer.pid)]
            cpu0, load0 = cpu_seconds(procs), os.getloadavg()[0]
            cpu_last = dict(cpu0)
            started = time.perf_counter()
            job = jobs.enqueue(job_kind, title, params, user_id)
            db.session.commit()
            peak = 0.0
            while True:
                time.sleep(0.1)  # the poll interval bounds the error of the measured time
                kids = children(consumer.pid)
                for pid in kids:
                    peak = max(peak, vm_hwm_mb(pid))
                cpu_last.update(cpu_seconds([consumer.pid, *kids]))  # a process that ends keeps its last figure
                db.session.rollback()  # end the read transaction: a SQLite snapshot would never see the worker
                j = db.session.get(Job, job.id)
                if j.finished:
                    break
            elapsed = time.perf_counter() - started
            cpu_last.update(cpu_seconds([consumer.pid, *children(consumer.pid)]))
            used = [cpu - cpu0.get(pid, 0.0) for pid, cpu in cpu_last.items()]
            result = {
                "status": j.status.value,
                "issued": (j.result or {}).get("issued", 0),
                "failures": len((j.result or {}).get("failures", [])),
                "message": j.message,
            }
        finally:
            consumer.terminate()
            consumer.wait(timeout=30)
            if log_path:
                log_fh.close()
    load = (load0, os.getloadavg()[0])
    # cpu_max_s: the busiest process's CPU time, what the run would take with a free core per worker process
    return {
        "workers": workers,
        "seconds": elapsed,
        "cpu_s": sum(used),
        "cpu_max_s": max(used),
        "load1": load,
        "peak_rss_mb": peak,
        **result,
    }


UNIT_SIZE = 50  # employees per OPD in the lock benchmark: one penetapan document (~2 pages) per OPD


def seed_lock(count: int, workers: int = 2) -> tuple[str, str, dict, int]:
    """`count` employees with a final annual rating, in OPDs of UNIT_SIZE (and a head who rated them; the OPD's
    organisation predikat set, a number register for both rating documents), the window locked by an HR user.
    Returns the lock job's (kind, title, params, user id) as `locking.start_job` would enqueue it."""
    from sqlalchemy import select, update

    from kinerja_web.domain.documents import DocType
    from kinerja_web.domain.predikat import PredikatOrganisasi
    from kinerja_web.extensions import db
    from kinerja_web.models import (
        ANNUAL,
        NumberRegister,
        PerformanceRating,
        Position,
        PositionKind,
        RatingLock,
        Role,
        Unit,
        UnitKind,
        UnitPredikat,
        User,
    )
    from kinerja_web.services.rating import locking

    from .evaluation import make_period, rate_all

    if db.engine.dialect.name == "sqlite":
        db.session.execute(db.text("PRAGMA journal_mode=WAL"))
    else:
        db.drop_all()
    db.create_all()
    hr = User(username="hr-bench-lock", session_token="bench", password_hash="x")
    hr.set_roles({Role.ADMIN_KEPEGAWAIAN})
    db.session.add(hr)
    period = make_period()
    for u in range((count + UNIT_SIZE - 1) // UNIT_SIZE):
        opd = Unit(code=f"OPD{u:03d}", name=f"Dinas Bench {u:03d}", kind=UnitKind.OPD)
        head_post = Position(name="Kepala Dinas", unit=opd, kind=PositionKind.JPT, kelas_jabatan=14, is_leader=True)
        staff_post = Position(name="Analis Kinerja", unit=opd, parent=head_post, kind=PositionKind.PELAKSANA)
        head = bench_employee(count + u, position=head_post, unit=opd)  # not rated here (rated by the bupati)
        head.name = f"Kepala Dinas Bench {u:03d}"
        staff = [
            bench_employee(i, position=staff_post, unit=opd)
            for i in range(u * UNIT_SIZE, min(count, (u + 1) * UNIT_SIZE))
        ]
        db.session.add_all([opd, head_post, staff_post, head, *staff])
        db.session.flush()
        for doc_type in (DocType.EVALUASI_KINERJA, DocType.PENETAPAN_PREDIKAT):
            pattern = "800.1.6/{nomor}/{kode_unit}/{tahun}"
            db.session.add(
                NumberRegister(unit_id=opd.id, doc_type=doc_type, year=2027, pattern=pattern, kode_unit=opd.code)
            )
        db.session.add(UnitPredikat(unit_id=opd.id, period_id=period.id, predikat=PredikatOrganisasi.BAIK))
        ids = [e.id for e in staff]
        rate_all(period, ids)
        rated = PerformanceRating.employee_id.in_(ids)
        db.session.execute(
            update(PerformanceRating).where(rated).values(appraiser_id=head.id, rated_on=date(2026, 12, 20))
        )
    lock = RatingLock(period_id=period.id, window_no=ANNUAL, issued_on=LOCKED_ON, locked_by_id=hr.id)
    db.session.add(lock)
    db.session.commit()
    assert db.session.scalar(select(db.func.count(PerformanceRating.id))) == count
    params = {
        "period_id": period.id,
        "window_no": ANNUAL,
        "issued_on": LOCKED_ON.isoformat(),
        "base_url": "http://kinerja.lan",
        "lock_id": lock.id,
        "workers": workers,
    }
    return locking.JOB_KIND, "Benchmark kunci penilaian", params, hr.id


LOCKED_ON = date(2027, 1, 4)


def render_ratio(rounds: int) -> tuple[float, float, float]:
    """Our renderer vs bare WeasyPrint on the same one-page decree HTML (print.css inlined for bare)."""
    import weasyprint

    from kinerja_web import pdf
    from kinerja_web.cli import freeze_startup_objects
    from kinerja_web.domain.documents import DocType
    from kinerja_web.services.documents import issuing as docs
    from kinerja_web.services.documents.specs import spec_for

    workdir = tempfile.mkdtemp(prefix="bench-docs-ratio-")
    app = make_app(workdir, immediate=True)
    with app.app_context(), app.test_request_context():
        seed(1)
        from kinerja_web.extensions import db
        from kinerja_web.models import Employee

        emp = db.session.scalars(db.select(Employee)).first()
        doc = docs.prepare(
            DocType.SK_PENGHARGAAN,
            unit_id=emp.unit_id,
            subjects=[emp],
            params={"penghargaan": "Pegawai Berprestasi"},
            issued_on=ISSUED_ON,
            user_id=None,
        )
        ctx = doc.context
        html = pdf.render_html(
            spec_for(DocType.SK_PENGHARGAAN).template,
            doc=ctx,
            body=ctx["body"],
            logo=docs.letterhead_logo(doc.unit_id),
            qr=pdf.data_uri(pdf.qr_png(ctx["verify_url"]), "image/png"),
            code_display=ctx["code"],
            issued_on=ISSUED_ON,
        )
        static = app.static_folder
        with open(os.path.join(static, pdf.PRINT_CSS)) as fh:
            css = fh.read().replace("url(../fonts/", f"url(file://{static}/fonts/")
        same_html = html.replace("</head>", f"<style>{css}</style></head>")
        r = pdf.renderer()
        data, pages = r.html_to_pdf(html)
        assert pages == 1, f"decree has {pages} pages"
        weasyprint.HTML(string=same_html).write_pdf()  # warm-up both
        # As in `flask worker`, whose processes render the batches: start-up objects frozen out of the collector.
        freeze_startup_objects()
        ours = bare = 0.0
        for _ in range(rounds):  # interleaved, so machine noise hits both alike
            t = time.perf_counter()
            r.html_to_pdf(html)
            ours += time.perf_counter() - t
            t = time.perf_counter()
            weasyprint.HTML(string=same_html).write_pdf()
            bare += time.perf_counter() - t
    return bare / ours, ours / rounds, bare / rounds


TABLE_SCRIPT = r"""
import os, sys
sys.path.insert(0, {root!r})
from kinerja_web import create_app, pdf
app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "b"}})
with app.app_context():
    rows = "".join(
        f"<tr><td class='num'>{{i}}</td><td>Pegawai Daftar {{i:04d}}<br>NIP. 19900101 201503 1 {{i % 1000:03d}}</td>"
        f"<td>Penata Muda Tingkat I (III/b)</td><td>Analis SDM Aparatur Ahli Pertama</td><td>Bidang {{i % 7}}</td>"
        f"<td class='nowrap'>Rp 4.512.300</td><td class='nowrap'>Rp 3.250.000</td></tr>"
        for i in range(1, 601)
    )
    html = ("<html><body><div class='vcode' data-kode='Daftar'></div><p class='title'>DAFTAR TPP</p><table class='data'><thead><tr>"
            "<th>No.</th><th>Nama / NIP</th><th>Pangkat/Gol.</th><th>Jabatan</th><th>Unit</th><th>Gaji</th><th>TPP</th>"
            "</tr></thead><tbody>" + rows + "</tbody></table></body></html>")
    data, pages = pdf.renderer().html_to_pdf(html)
    with open("/proc/self/status") as fh:
        hwm = [int(l.split()[1]) for l in fh if l.startswith("VmHWM:")][0] / 1024
    print(pages, round(hwm, 1))
"""


def table_600() -> tuple[int, float]:
    out = subprocess.run(
        [sys.executable, "-c", TABLE_SCRIPT.format(root=ROOT)], capture_output=True, text=True, cwd=ROOT
    )
    pages, hwm = out.stdout.split()[-2:]
    return int(pages), float(hwm)


def speedup_figures(prefix: str, one: dict, two: dict) -> dict:
    """A job's figures per worker count (wall and CPU seconds, issued), the 2-vs-1 speed-up, documents/s (2)."""
    return {
        f"{prefix}_seconds_1": round(one["seconds"], 2),
        f"{prefix}_seconds_2": round(two["seconds"], 2),
        f"{prefix}_cpu_s_1": round(one["cpu_s"], 2),
        f"{prefix}_cpu_s_2": round(two["cpu_s"], 2),
        f"{prefix}_load1_1": [round(x, 2) for x in one["load1"]],
        f"{prefix}_load1_2": [round(x, 2) for x in two["load1"]],
        f"{prefix}_issued_1": one["issued"],
        f"{prefix}_issued_2": two["issued"],
        f"{prefix}_speedup": round(one["seconds"] / two["seconds"], 3),
        # the speed-up by CPU time: 1 worker's CPU over the busiest process's with 2 (a free core each)
        f"{prefix}_cpu_speedup": round(one["cpu_s"] / two["cpu_max_s"], 3),
        f"{prefix}_cpu_max_s_2": round(two["cpu_max_s"], 2),
        f"{prefix}_docs_per_s": round(two["issued"] / two["seconds"], 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--lock-count", type=int, default=500, help="final ratings locked by the lock job")
    ap.add_argument("--only", choices=["all", "decree", "lock"], default="all")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--log", help="append the worker processes' log (phase timings per batch) to this file")
    args = ap.parse_args()
    out: dict = {}
    if args.only in ("all", "decree"):
        out.update(decree_figures(args))
    if args.only in ("all", "lock"):
        one = batch_run(args.lock_count, 1, args.log, kind="lock")
        print(f"lock job, 1 worker: {one}", flush=True)
        two = batch_run(args.lock_count, 2, args.log, kind="lock")
        print(f"lock job, 2 workers: {two}", flush=True)
        out["lock_count"] = args.lock_count
        out.update(speedup_figures("lock", one, two))
        out["lock_peak_rss_mb"] = round(max(one["peak_rss_mb"], two["peak_rss_mb"]), 1)
    print(json.dumps(out))


def decree_figures(args) -> dict:
    ratio, ours_s, bare_s = render_ratio(args.rounds)
    print(
        f"render: ours {ours_s * 1000:.0f} ms, bare {bare_s * 1000:.0f} ms per one-page decree → ratio {ratio:.2f}",
        flush=True,
    )
    pages600, rss600 = table_600()
    print(f"600-row table: {pages600} pages, peak RSS {rss600:.0f} MB", flush=True)
    one = batch_run(args.count, 1, args.log)
    print(f"1 worker: {one}", flush=True)
    two = batch_run(args.count, 2, args.log)
    print(f"2 workers: {two}", flush=True)
    return {
        "count": args.count,
        "render_ratio": round(ratio, 3),
        "render_ms_ours": round(ours_s * 1000, 1),
        "render_ms_bare": round(bare_s * 1000, 1),
        "batch_seconds_1": round(one["seconds"], 2),
        "batch_seconds_2": round(two["seconds"], 2),
        "batch_cpu_s_1": round(one["cpu_s"], 2),
        "batch_cpu_s_2": round(two["cpu_s"], 2),
        "issued_1": one["issued"],
        "issued_2": two["issued"],
        "batch_speedup": round(one["seconds"] / two["seconds"], 3),
        "batch_cpu_speedup": round(one["cpu_s"] / two["cpu_max_s"], 3),
        "pages_per_s": round(two["issued"] / two["seconds"], 2),
        "peak_rss_mb": round(max(one["peak_rss_mb"], two["peak_rss_mb"]), 1),
        "table_600_pages": pages600,
        "table_600_rss_mb": rss600,
    }


if __name__ == "__main__":
    main()
