"""The set-wise compute/persist path of a monthly run: rendering, streaming into COPY, refusals, progress."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from kinerja_web.extensions import db
from kinerja_web.models import PayrollLine, PayrollPredikat, PayrollRunEmployee, RunStatus
from kinerja_web.services.payroll import attendance, compute, loading, months, rules, runs, verification

OCT = date(2026, 10, 1)


@pytest.fixture
def pay(org_chart):
    rules.seed_rules()
    ns = org_chart
    ns.people = sorted([ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other], key=lambda e: e.id)
    for e in ns.people:
        e.ptkp_status = "TK/0"
        db.session.add(PayrollPredikat(employee_id=e.id, month=OCT, predikat="baik", source="uji"))
    db.session.commit()
    attendance.correct_attendance(ns.staff1, date(2026, 10, 6), 25, 0, None, None, "Terlambat")
    db.session.commit()
    return ns


def stored_lines(run_id: int) -> list[tuple]:
    return db.session.execute(
        select(PayrollLine.employee_id, PayrollLine.seq, PayrollLine.code, PayrollLine.amount, PayrollLine.inputs)
        .where(PayrollLine.run_id == run_id)
        .order_by(PayrollLine.employee_id, PayrollLine.seq)
    ).all()


@pytest.mark.parametrize(
    "inputs",
    [
        (("status", "PNS"), ("mkg", 4), ("persen", Decimal("0.10")), ("aktif", True), ("tanggal", date(2026, 10, 5))),
        (("kejadian", 'tab\there "kutip" \\ garis\nbaru é ✓'), ("kosong", None), ("nol", False), ("negatif", -3)),
        (("pecahan", 0.5), ("waktu", datetime(2026, 10, 5, 7, 30))),  # types lines never carry: general encoder
        (),
    ],
)
def test_line_inputs_json_is_the_general_json_encoding(inputs):
    expected = json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), default=str)
    assert loading.line_inputs_json(inputs) == expected


def unescape_copy(field: str) -> str | None:
    if field == "\\N":
        return None
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\":
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}[field[i + 1]])
            i += 2
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def test_copy_text_and_tuple_rows_describe_the_same_lines_with_the_same_hash(app, pay):
    run = runs.create_run(OCT, None, pay.u_operator)
    loaded = loading.load_month(run)
    resolved = rules.load_rules().resolve(OCT)
    args = (run.id, loaded.employees, lambda r: loading.build_inputs(r, loaded), resolved, OCT)
    rows = compute.compute_lines(*args)
    chunks: list[str] = []
    streamed = compute.compute_lines(*args, copy_text=True, sink=chunks.append)
    assert streamed.line_rows == [] and chunks
    parsed = [
        tuple(unescape_copy(f) for f in line.split("\t")) for chunk in chunks for line in chunk.split("\n") if line
    ]
    as_text = [tuple(str(v) for v in r) for r in rows.line_rows]
    assert parsed == as_text and len(parsed) > 6 * 15
    assert (rows.lines_hash, rows.input_hash, rows.employee_rows) == (
        streamed.lines_hash,
        streamed.input_hash,
        streamed.employee_rows,
    )


def test_a_refusal_found_after_lines_were_written_keeps_the_previous_result(app, pay, monkeypatch):
    monkeypatch.setattr(compute, "STREAM_EVERY", 1)  # PostgreSQL: every employee's lines reach the COPY at once
    run = runs.create_run(OCT, None, pay.u_operator)
    compute.compute_run(run, pay.u_operator)
    db.session.commit()
    before = stored_lines(run.id)
    last = pay.people[-1]
    db.session.execute(PayrollPredikat.__table__.delete().where(PayrollPredikat.employee_id == last.id))
    with pytest.raises(months.PayrollRefused) as exc:
        compute.compute_run(run, pay.u_operator)
    assert any(last.name in p for p in exc.value.problems)
    assert stored_lines(run.id) == before  # the session is usable and nothing changed
    assert db.session.scalar(select(func.count()).where(PayrollRunEmployee.run_id == run.id)) == 6
    assert run.status == RunStatus.DIHITUNG


def test_progress_reports_in_the_same_session_while_lines_stream(app, pay, monkeypatch):
    monkeypatch.setattr(compute, "STREAM_EVERY", 1)
    monkeypatch.setattr(compute, "PROGRESS_EVERY", 2)
    seen = []

    def progress(done, total):  # like jobs.Progress in immediate mode: a statement on the request's session
        seen.append((done, total, db.session.execute(text("SELECT 1")).scalar()))

    run = runs.create_run(OCT, None, pay.u_operator)
    compute.compute_run(run, pay.u_operator, progress=progress)
    db.session.commit()
    assert seen == [(2, 6, 1), (4, 6, 1), (6, 6, 1)]
    assert {eid for eid, *_ in stored_lines(run.id)} == {e.id for e in pay.people}
    assert verification.verify_run(run).ok
