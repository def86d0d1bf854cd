"""Competency at regency scale: the OPD competency map and the talent view, and the provider import preview.

The 7,500-employee scale data (every employee with a final annual rating) plus one assessment event whose
results for 3,000 employees are imported through the provider XLSX path itself (read → preview → apply), so
the JPM snapshots and gap snapshots are the ones the app writes. Then, as HR through the Flask test client
(warm, median of `--runs`): the competency map of the largest OPD (`/kompetensi/opd?opd=…`) and the 9-box of
the same OPD (`/talenta/?periode=…&opd=…`), on SQLite and, when reachable, PostgreSQL; the query count of each
is printed beside it and checked to be the same with a small OPD (constant query count). The import preview
of a 3,000 × 9 XLSX is timed on SQLite (read + check, no write).

    python -m benchmarks.competency [--employees 7500] [--assessed 3000] [--runs 15]

BENCH_DATABASE_URL overrides the SQLite file; BENCH_PG_URL the PostgreSQL database (default: the local
kinerja_bench database; skipped when unreachable; its tables are dropped and re-created). The last line is one
JSON object with opd_view_ms, talent_view_ms, pg_opd_view_ms, pg_talent_view_ms and import_preview_s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import time

from flask_login import FlaskLoginClient
from openpyxl import Workbook
from sqlalchemy import func, select, text

from benchmarks import fresh_pg_database
from kinerja_web import create_app
from kinerja_web.domain.competency import NATIONAL_CODES
from kinerja_web.extensions import db
from kinerja_web.models import AssessmentParticipant, Employee, Role, Unit, UnitKind, User

from .evaluation import TODAY, make_period, measure, rate_all


def provider_xlsx(nips: list[str], seed: int = 21) -> bytes:
    """The provider's result file: NIP, nine levels in half steps, strengths and recommendations."""
    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Hasil")
    ws.append(["NIP", "NAMA", *NATIONAL_CODES, "KEKUATAN", "REKOMENDASI"])
    for nip in nips:
        base = rnd.choice((1.5, 2, 2.5, 3, 3.5))
        levels = [max(1.0, min(5.0, base + rnd.choice((-0.5, 0, 0, 0.5)))) for _ in NATIONAL_CODES]
        ws.append([nip, "", *[str(v).replace(".", ",") for v in levels], "Tekun dan teliti", "Coaching"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def prepare(regency: int, assessed: int) -> tuple[int, dict[str, str], dict, bytes]:
    from kinerja_web.services.competency import assessments, dictionary, results_import
    from kinerja_web.services.seed.org import build_regency

    build_regency(regency, today=TODAY, plant_problems=False)
    period = make_period()
    rate_all(period, list(db.session.scalars(select(Employee.id))))
    dictionary.ensure_national_competencies()
    hr = User(username="hr-bench-kompetensi", session_token="bench", password_hash="x")
    hr.set_roles({Role.ADMIN_KEPEGAWAIAN})
    db.session.add(hr)
    event = assessments.create_event("Asesmen skala", "assessment_center", TODAY, "UPT PK", None, assessors=["A"])
    nips = list(db.session.scalars(select(Employee.nip).where(Employee.active.is_(True)).order_by(Employee.id)))
    data = provider_xlsx(random.Random(5).sample(nips, min(assessed, len(nips))))
    preview = results_import.build_preview(event, results_import.read_file("hasil.xlsx", data))
    assert preview.ok, (preview.column_errors, preview.bad_rows[:3])
    results_import.apply(event, preview)
    db.session.commit()
    sizes = dict(
        db.session.execute(
            select(Employee.unit_id, func.count()).where(Employee.active.is_(True)).group_by(Employee.unit_id)
        ).all()
    )
    opds = list(db.session.scalars(select(Unit).where(Unit.kind == UnitKind.OPD)))
    from kinerja_web.services.org.units import subtree_ids

    size = {u.id: sum(sizes.get(i, 0) for i in subtree_ids(u)) for u in opds}
    big = max(opds, key=lambda u: size[u.id])
    small = min(opds, key=lambda u: size[u.id])
    info = {
        "employees": db.session.scalar(select(func.count(Employee.id))),
        "assessed": db.session.scalar(select(func.count(AssessmentParticipant.id))),
        "opd": big.name,
        "opd_employees": size[big.id],
    }
    urls = {
        "opd_view": f"/kompetensi/opd?opd={big.id}",
        "talent_view": f"/talenta/?periode={period.id}&opd={big.id}",
        "small_opd_view": f"/kompetensi/opd?opd={small.id}",
        "small_talent_view": f"/talenta/?periode={period.id}&opd={small.id}",
    }
    return hr.id, urls, info, data


def time_preview(data: bytes) -> float:
    """Seconds to read and check the 3,000 × 9 file against the data (nothing written)."""
    from kinerja_web.models import AssessmentEvent
    from kinerja_web.services.competency import results_import

    event = db.session.scalar(select(AssessmentEvent))
    t0 = time.perf_counter()
    preview = results_import.build_preview(event, results_import.read_file("hasil.xlsx", data))
    elapsed = time.perf_counter() - t0
    assert preview.ok and preview.counts["same"] == len(preview.rows)
    return round(elapsed, 2)


def run(url: str, regency: int, assessed: int, runs: int, with_preview: bool) -> dict:
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True, "HUEY_IMMEDIATE": True})
    app.test_client_class = FlaskLoginClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        t0 = time.perf_counter()
        user_id, urls, out, data = prepare(regency, assessed)
        if url.startswith("postgresql"):
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        print(f"{url.split(':')[0]}: {out} prepared in {time.perf_counter() - t0:.1f} s", flush=True)
        if with_preview:
            out["import_preview_s"] = time_preview(data)
    for key, path in urls.items():
        out[f"{key}_ms"], out[f"{key}_queries"] = measure(app, user_id, path, runs)
    for key in ("opd_view", "talent_view"):
        assert out[f"{key}_queries"] == out[f"small_{key}_queries"], (key, out)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=7500)
    parser.add_argument("--assessed", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    sqlite_url = os.environ.get("BENCH_DATABASE_URL", "sqlite:////tmp/kinerja_bench_competency.sqlite3")
    out = run(sqlite_url, args.employees, args.assessed, args.runs, with_preview=True)
    pg_url = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/kinerja_bench")
    if fresh_pg_database(pg_url):
        pg = run(pg_url, args.employees, args.assessed, args.runs, with_preview=False)
        out.update(
            {f"pg_{k}": pg[k] for k in ("opd_view_ms", "talent_view_ms", "opd_view_queries", "talent_view_queries")}
        )
    print(json.dumps(out))


if __name__ == "__main__":
    main()
