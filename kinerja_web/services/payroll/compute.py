"""Computing a regular (or compensating) run: every employee's lines in one transaction, streamed to the
bulk writer; THR, gaji ke-13 and rapel runs go to `special`. A crash half-way leaves no half-written run."""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import delete, select

from ...domain import DomainError
from ...domain.payroll import (
    Bagian,
    EmployeeInputs,
    Line,
    LineKind,
    ResolvedRules,
    compute_monthly,
)
from ...extensions import db
from ...models import (
    PayrollLine,
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
    RunStatus,
    User,
    utcnow,
)
from .copy_writer import EMPLOYEE_COLUMNS, LINE_COLUMNS, CopyStream, bulk_insert, copy_field, gc_paused
from .corrections import compute_special_correction, is_special_correction
from .lines import line_hash_text
from .loading import build_inputs, inputs_json, line_inputs_json, load_month
from .months import PayrollRefused
from .rules import load_rules
from .runs import record_contributors
from .special import compute_special_run


@dataclass
class Computed:
    employee_rows: list[tuple]  # EMPLOYEE_COLUMNS
    line_rows: list[tuple] | list[str]  # LINE_COLUMNS tuples, or chunks of COPY text lines when `copy_text`
    lines_hash: str
    input_hash: str
    problems: list[str]
    totals: tuple[int, int] = (0, 0)  # penghasilan, potongan


_VALUE = {m: m.value for enum in (LineKind, Bagian) for m in enum}
STREAM_EVERY = 200  # employees per chunk of COPY text handed to the sink
PROGRESS_EVERY = 500  # employees between progress reports


class RenderedPart(NamedTuple):
    """One group of consecutive payslip lines rendered for writing (shared by every employee who has it)."""

    part: tuple[Line, ...]
    hash_text: bytes
    outs: tuple  # row tails for LINE_COLUMNS[2:], or COPY text lines without the run/employee prefix
    penghasilan: int
    potongan: int


def _render_part(part: tuple[Line, ...], offset: int, copy_text: bool, ij_cache: dict, esc: dict) -> RenderedPart:
    """One group of consecutive payslip lines starting at seq `offset`, rendered for writing."""
    texts, outs = [], []
    pen = pot = 0
    for seq, ln in enumerate(part, start=offset):
        ij = ij_cache.get(ln.inputs)
        if ij is None:
            ij = ij_cache[ln.inputs] = line_inputs_json(ln.inputs)
        kind, bagian, amount = _VALUE[ln.kind], _VALUE[ln.bagian], ln.amount
        code, label, citation, rv = ln.code, ln.label, ln.citation, ln.rule_version
        texts.append(line_hash_text(seq, code, amount, kind, bagian, rv, ij))
        if copy_text:  # texts repeat across parts: escape each distinct one once
            e = [esc.get(t) or esc.setdefault(t, copy_field(t)) for t in (code, label, citation, rv, ij)]
            outs.append(f"{seq}\t{e[0]}\t{e[1]}\t{amount}\t{kind}\t{bagian}\t{e[2]}\t{e[3]}\t{e[4]}\n")
        else:
            outs.append((seq, code, label, amount, kind, bagian, citation, rv, ij))
        if kind == "penghasilan":
            pen += amount
        elif kind == "potongan":
            pot += amount
    return RenderedPart(part, "".join(texts).encode(), tuple(outs), pen, pot)


def compute_lines(
    run_id: int,
    employees: list[tuple],
    inputs_of,
    rules: ResolvedRules,
    month: date,
    progress=None,
    copy_text: bool = False,
    sink=None,
) -> Computed:
    """Call the pure domain core per employee and build the rows to insert; collect every refusal.

    Repetition is exploited at three levels, each keyed by exact values or object identity, so the rows are
    the same as computing and rendering every line of every employee: employees with identical inputs share
    one result; `compute_monthly` memoises its parts (gaji by golongan/MKG/family, TPP by kelas/predikat/
    attendance, …) in `slip_memo`; and each part (a shared tuple of lines) is rendered once per position.
    The SHA-256 covers, per employee in id order, "E<id>" then every line in order (see `stored_lines_hash`).

    `copy_text`: lines as PostgreSQL COPY text (chunks of whole lines) instead of LINE_COLUMNS tuples.
    `sink`: with `copy_text`, a callable receiving those chunks as they are produced (so the database can
    ingest them while the rest is computed) instead of collecting them in `line_rows`.
    The caller should hold `gc_paused()` around this call and the use of its result.
    """
    problems: list[str] = []
    emp_rows: list[tuple] = []
    line_rows: list = []
    chunk: list[str] = []
    lh, ih = hashlib.sha256(), hashlib.sha256()
    memo: dict[EmployeeInputs, tuple] = {}
    slip_memo: dict = {}
    rendered: dict[tuple[int, int], RenderedPart] = {}  # (id(part), offset) → _render_part(…); keeps the part alive
    ij_cache: dict[tuple, str] = {}
    esc: dict[str, str] = {}
    total = len(employees)
    tot_pen = tot_pot = 0
    with gc_paused():
        for n, row in enumerate(employees, start=1):
            eid = row.id
            inputs = inputs_of(row)
            hit = memo.get(inputs)
            if hit is None:
                try:
                    slip = compute_monthly(inputs, rules, month, slip_memo)
                except DomainError as e:
                    problems.append(f"{row.name} (NIP {row.nip}): {e.message}")
                    continue
                blobs, outs = [], []
                pen = pot = offset = 0
                for part in slip.parts or (slip.lines,):
                    r = rendered.get((id(part), offset))
                    if r is None or r.part is not part:
                        r = rendered[(id(part), offset)] = _render_part(part, offset, copy_text, ij_cache, esc)
                    blobs.append(r.hash_text)
                    outs += r.outs
                    pen += r.penghasilan
                    pot += r.potongan
                    offset += len(part)
                hit = memo[inputs] = (
                    inputs_json(inputs),
                    b"".join(blobs),
                    outs,
                    pen,
                    pot,
                    slip.bruto_pph,
                    slip.pph21,
                    slip.iuran_pensiun,
                )
            ij_emp, blob, outs, pen, pot, bruto, pph, iuran = hit
            ih.update(f"{eid}|{ij_emp}\n".encode())
            lh.update(f"E{eid}\n".encode())
            lh.update(blob)
            if copy_text:
                prefix = f"{run_id}\t{eid}\t"
                chunk.append(prefix + prefix.join(outs))
                if len(chunk) >= STREAM_EVERY:
                    if sink is not None:
                        sink("".join(chunk))
                    else:
                        line_rows.append("".join(chunk))
                    chunk = []
            else:
                line_rows += [(run_id, eid, *t) for t in outs]
            emp_rows.append((run_id, eid, row.opd_id, ij_emp, pen, pot, pen - pot, bruto, pph, iuran))
            tot_pen += pen
            tot_pot += pot
            if progress is not None and n % PROGRESS_EVERY == 0:
                progress(n, total)
        if chunk:
            if sink is not None:
                sink("".join(chunk))
            else:
                line_rows.append("".join(chunk))
    ih.update(json.dumps(sorted(rules.version_ids)).encode())
    return Computed(emp_rows, line_rows, lh.hexdigest(), ih.hexdigest(), problems, (tot_pen, tot_pot))


def compute_run(run: PayrollRun, actor: User, progress=None, timings: dict | None = None) -> PayrollRun:
    """Compute (or recompute, before verification) every line of the run in the current transaction.

    Refuses — `PayrollRefused` with the full Indonesian list, nothing written — when rule tables overlap
    or have a gap, a golongan has no gaji row for the MKG, an employee lacks a PTKP status, attendance has
    unknown codes, a predikat is missing, …
    `timings` (optional dict) receives the seconds spent in load / compute / write.

    PostgreSQL: the lines stream into a COPY while they are computed (inside a savepoint, so a refusal found
    at the end leaves nothing behind); other databases: one executemany after computing.
    """
    if run.kind in (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL):
        compute_special_run(run, actor, progress)
    elif is_special_correction(run):
        compute_special_correction(run, actor, compensate_rows, progress)
    else:
        with gc_paused():
            _compute_run(run, progress, timings if timings is not None else {})
    record_contributors(run, actor)
    return run


def _compute_run(run: PayrollRun, progress, timings: dict) -> PayrollRun:
    t0 = time.perf_counter()
    if run.status not in (RunStatus.DRAFT, RunStatus.DIHITUNG):
        raise DomainError(
            f"Proses penggajian berstatus {run.status.label}; hanya draf atau hasil hitung yang dapat dihitung ulang."
        )
    rules = load_rules()
    problems = rules.problems()
    resolved = None
    if not problems:
        try:
            resolved = rules.resolve(run.month)
        except DomainError as e:
            problems.append(e.message)
    if problems:
        raise PayrollRefused(problems)
    loaded = load_month(run, resolved)
    if not loaded.employees:
        raise PayrollRefused(["Tidak ada pegawai aktif dalam cakupan proses penggajian ini."])
    if run.kind is not RunKind.REGULAR and run.kind is not RunKind.COMPENSATING:
        raise PayrollRefused([f"Proses {run.kind.label} belum didukung."])
    t1 = time.perf_counter()

    def inputs_of(row: tuple) -> EmployeeInputs:
        return build_inputs(row, loaded)

    def clear() -> None:
        db.session.execute(delete(PayrollLine).where(PayrollLine.run_id == run.id))
        db.session.execute(delete(PayrollRunEmployee).where(PayrollRunEmployee.run_id == run.id))

    if db.session.get_bind().dialect.name == "postgresql" and run.kind is RunKind.REGULAR:
        stream = CopyStream(PayrollLine.__table__, LINE_COLUMNS)

        def report(done: int, total: int) -> None:
            stream.pause()  # the progress update may use this same connection
            progress(done, total)

        with db.session.begin_nested():
            clear()
            with stream:
                computed = compute_lines(
                    run.id, loaded.employees, inputs_of, resolved, run.month, progress and report, True, stream.write
                )
                t2 = time.perf_counter()  # the COPY's tail (ending it below) counts as writing
                if computed.problems:
                    raise PayrollRefused(computed.problems)
            bulk_insert(PayrollRunEmployee.__table__, EMPLOYEE_COLUMNS, computed.employee_rows)
    else:
        computed = compute_lines(run.id, loaded.employees, inputs_of, resolved, run.month, progress)
        if computed.problems:
            raise PayrollRefused(computed.problems)
        if run.kind is RunKind.COMPENSATING:
            computed = apply_compensation(computed, run.original_run_id)
        t2 = time.perf_counter()
        clear()
        bulk_insert(PayrollRunEmployee.__table__, EMPLOYEE_COLUMNS, computed.employee_rows)
        bulk_insert(PayrollLine.__table__, LINE_COLUMNS, computed.line_rows)
    run.rule_versions = dict(resolved.version_ids)
    run.input_hash, run.lines_hash = computed.input_hash, computed.lines_hash
    run.employee_count = len(computed.employee_rows)
    run.total_penghasilan, run.total_potongan = computed.totals
    del computed
    run.total_netto = run.total_penghasilan - run.total_potongan
    run.status, run.computed_at = RunStatus.DIHITUNG, utcnow()
    db.session.flush()
    timings.update(load=t1 - t0, compute=t2 - t1, write=time.perf_counter() - t2)
    return run


def by_code(code: str, inputs: str):
    """A line's component for compensation: its code (a monthly run has one line per code)."""
    return code


def apply_compensation(computed: Computed, original_run_id: int, key=by_code) -> Computed:
    """A compensating run pays only the difference against its (final) original: per employee and component,
    recomputed amount − original amount; components that disappeared come back negated. Employees whose pay
    did not change keep a row with zero net pay and no lines. `key(code, inputs JSON)`: what makes a component
    (a rapel has one line per code and month, `corrections.by_code_and_month`)."""
    original: dict[int, dict] = defaultdict(dict)
    for eid, code, label, amount, kind, bagian, inputs in db.session.execute(
        select(
            PayrollLine.employee_id,
            PayrollLine.code,
            PayrollLine.label,
            PayrollLine.amount,
            PayrollLine.kind,
            PayrollLine.bagian,
            PayrollLine.inputs,
        ).where(PayrollLine.run_id == original_run_id)
    ):
        original[eid][key(code, inputs)] = (code, label, int(amount), kind, bagian, inputs)
    orig_emp = {
        eid: (int(b), int(p), int(i))
        for eid, b, p, i in db.session.execute(
            select(
                PayrollRunEmployee.employee_id,
                PayrollRunEmployee.bruto_pph,
                PayrollRunEmployee.pph21,
                PayrollRunEmployee.iuran_pensiun,
            ).where(PayrollRunEmployee.run_id == original_run_id)
        )
    }
    by_emp: dict[int, list[tuple]] = defaultdict(list)
    for row in computed.line_rows:
        by_emp[row[1]].append(row)
    lh = hashlib.sha256()
    lines: list[tuple] = []
    emps: list[tuple] = []
    tot_pen = tot_pot = 0
    for erow in computed.employee_rows:
        run_id, eid = erow[0], erow[1]
        before = dict(original.get(eid, {}))
        out = []
        for r in by_emp.get(eid, ()):
            old = before.pop(key(r[3], r[10]), None)
            delta = r[5] - (old[2] if old else 0)
            if delta:
                out.append((*r[:5], delta, *r[6:]))
        note = f"Pembalikan komponen proses penggajian #{original_run_id}"
        for code, label, amount, kind, bagian, inputs in before.values():
            if amount:
                kept = "[]" if key is by_code else inputs  # a rapel's reversal keeps the month it was for
                out.append((run_id, eid, 0, code, label, -amount, kind, bagian, note, f"run#{original_run_id}", kept))
        out = [(*r[:2], seq, *r[3:]) for seq, r in enumerate(out)]
        pen = sum(r[5] for r in out if r[6] == "penghasilan")
        pot = sum(r[5] for r in out if r[6] == "potongan")
        b, p, i = orig_emp.get(eid, (0, 0, 0))
        emps.append((run_id, eid, erow[2], erow[3], pen, pot, pen - pot, erow[7] - b, erow[8] - p, erow[9] - i))
        if out:  # the stored-lines hash only sees employees that have lines
            lh.update(f"E{eid}\n".encode())
        for r in out:
            lh.update(line_hash_text(r[2], r[3], r[5], r[6], r[7], r[9], r[10]).encode())
        lines += out
        tot_pen += pen
        tot_pot += pot
    return Computed(emps, lines, lh.hexdigest(), computed.input_hash, [], (tot_pen, tot_pot))


def compensate_rows(
    emp_rows: list, line_rows: list, lines_hash: str, input_hash: str, original_run_id: int, key=by_code
) -> Computed:
    """`apply_compensation` on rows computed elsewhere (a THR/gaji ke-13/rapel correction, `corrections.py`)."""
    return apply_compensation(Computed(emp_rows, line_rows, lines_hash, input_hash, []), original_run_id, key)


INLINE_MAX = 1500  # bigger populations compute as a background job with progress


def compute_job(job, progress) -> dict:
    run = db.session.get(PayrollRun, job.params["run_id"])
    actor = db.session.get(User, job.created_by_id)
    compute_run(run, actor, progress=progress)
    db.session.commit()
    return {"run_id": run.id, "employees": run.employee_count}
