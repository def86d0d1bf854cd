"""Employee import benchmark: a 5,000-row CSV against the demo regency in a temporary SQLite database.

Times the preview (read + validate, what the upload page waits for) and the confirmation (upsert of
every row with riwayat jabatan and audit rows, then commit), and counts the SQL statements of the
preview to show the lookups are set-wise. Run: `python -m benchmarks.imports [--rows 5000]`.
The last line is one JSON object: preview_s, confirm_s, rows, ...
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import tempfile
import time
from datetime import date, timedelta

from sqlalchemy import event, select

from kinerja_web import create_app
from kinerja_web.extensions import db
from kinerja_web.models import Employee, Position, PositionKind, Unit
from kinerja_web.services.employees import import_files, importer
from kinerja_web.services.seed import org

TODAY = date(2026, 11, 27)


def _existing_row(emp: Employee, unit_code: str, rng: random.Random) -> list[str]:
    golongan = emp.golongan
    if rng.random() < 0.3 and emp.status_asn.value != "pppk":
        golongan = {"III/a": "III/b", "III/b": "III/c", "II/c": "II/d"}.get(golongan, golongan)
    return [
        emp.nip, emp.name, emp.gelar_depan or "", emp.gelar_belakang or "", emp.status_asn.value.upper(),
        emp.gender.value, emp.birth_place or "", emp.birth_date.strftime("%d-%m-%Y"),
        emp.tmt_cpns.isoformat() if emp.tmt_cpns else "", golongan,
        emp.tmt_golongan.isoformat() if emp.tmt_golongan else "", str(emp.mkg_years), str(emp.mkg_months),
        unit_code, emp.position.full_name if emp.position else "", emp.ptkp_status or "", emp.bank_name or "",
        emp.bank_account or "", emp.email or "", emp.phone or "",
    ]  # fmt: skip


def build_csv(rows: int, rng: random.Random) -> str:
    """Every demo employee (about a third with a new golongan), then new PNS on pelaksana/fungsional posts."""
    headers = [c.header for c in import_files.COLUMNS if c.header not in ("ID_JABATAN", "TMT_JABATAN")]
    out = io.StringIO()
    w = csv.writer(out, delimiter=";")
    w.writerow(headers)
    codes = dict(db.session.execute(select(Unit.id, Unit.code)).all())
    employees = list(db.session.scalars(select(Employee).where(Employee.position_id.is_not(None))))
    written = 0
    for emp in employees[:rows]:
        w.writerow(_existing_row(emp, codes[emp.position.unit_id], rng))
        written += 1
    posts = list(
        db.session.execute(
            select(Position.unit_id, Position.name).where(
                Position.kind.in_([PositionKind.PELAKSANA, PositionKind.FUNGSIONAL])
            )
        ).all()
    )
    taken = {e.nip for e in employees}
    while written < rows:
        birth = date(1970, 1, 1) + timedelta(days=rng.randint(0, 365 * 30))
        tmt = date(birth.year + rng.randint(22, 30), rng.randint(1, 12), 1)
        female = rng.random() < 0.5
        nip = f"{birth:%Y%m%d}{tmt:%Y%m}{2 if female else 1}{rng.randint(1, 999):03d}"
        if nip in taken:
            continue
        taken.add(nip)
        unit_id, post = rng.choice(posts)
        w.writerow(
            [
                nip, f"Pegawai Baru {written}", "", "S.Kom.", "PNS", "P" if female else "L", "Kotabumi",
                birth.isoformat(), tmt.isoformat(), rng.choice(["II/c", "III/a", "III/b"]), tmt.isoformat(), "2", "0",
                codes[unit_id], post, "TK/0", "Bank Lampung", f"38{written:08d}", f"baru{written}@contoh.go.id", "0812",
            ]
        )  # fmt: skip
        written += 1
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="kinerja-bench-import-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(tmp, "bench.sqlite3"),
            "HUEY_IMMEDIATE": True,
            "IMPORT_UPLOAD_DIR": os.path.join(tmp, "uploads"),
            "SECRET_KEY": "bench",
        }
    )
    with app.app_context():
        db.create_all()
        org.build_regency(400, today=TODAY)
        db.session.commit()
        data = build_csv(args.rows, random.Random(2026)).encode("utf-8")
        db.session.remove()
        print(f"CSV: {args.rows} baris, {len(data) / 1e6:.2f} MB")

        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        t0 = time.perf_counter()
        table = import_files.read_upload("bench.csv", data)
        t_read = time.perf_counter() - t0
        preview = importer.build_preview(table, today=TODAY)
        preview_s = time.perf_counter() - t0
        preview_queries = len(statements)
        counts = preview.counts
        print(f"preview: {preview_s:.2f} s (baca {t_read:.2f} s), {preview_queries} SQL, {counts}")
        for r in preview.bad_rows[:5]:
            print("  baris salah", r.line, r.errors)

        t0 = time.perf_counter()
        result = importer.apply_preview(preview, skip_invalid=True, today=TODAY)  # the demo plants a bad NIP
        db.session.commit()
        confirm_s = time.perf_counter() - t0
        print(f"confirm: {confirm_s:.2f} s, {result}")
        db.session.remove()

        t0 = time.perf_counter()
        again = importer.build_preview(import_files.read_upload("bench.csv", data), today=TODAY)
        repeat_preview_s = time.perf_counter() - t0
        print(f"re-import preview: {repeat_preview_s:.2f} s, {again.counts}")

    print(
        json.dumps(
            {
                "rows": args.rows,
                "preview_s": round(preview_s, 3),
                "confirm_s": round(confirm_s, 3),
                "preview_queries": preview_queries,
                "new": counts["new"],
                "changed": counts["changed"],
                "unchanged": counts["unchanged"],
                "invalid": counts["invalid"],
                "repeat_preview_s": round(repeat_preview_s, 3),
                "repeat_unchanged": again.counts["unchanged"],
            }
        )
    )


if __name__ == "__main__":
    main()
