"""Special payroll runs: THR, gaji ke-13 and rapel (issue 7 item 9; domain reference §4.5, §5).

Same workflow and outputs as the monthly run (draft → dihitung → diverifikasi → disetujui → final, daftar,
bank CSV, slips, `flask payroll verify`); only creating, computing and verifying differ, and live here.
Services flush, never commit.

* THR / gaji ke-13: one run per kind, year and OPD (the scope row's month is 1 January of the year, so the
  unique (month, opd, slot) index refuses a second one). Paid from the payment month's recorded gaji
  inputs; the payment month's regular gaji must be final (its gross and PPh are the base of the combined
  masa tax, PMK 168/2023 Pasal 5).
* Rapel: for each already-final month of a period, recompute with the rule versions in force now and pay
  the difference against everything paid for that month (regular, compensating and earlier final rapel).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...domain import DomainError
from ...domain.labels import bulan
from ...domain.org import StatusAsn
from ...domain.payroll import (
    EmployeeInputs,
    RuleVersion,
    compute_monthly,
)
from ...domain.payroll.codec import decode
from ...domain.payroll.special import (
    SPECIAL_RULE_CODE,
    SPECIAL_RULE_LABEL,
    JenisKhusus,
    MasaBayar,
    RapelInputs,
    RapelMonth,
    SpecialInputs,
    ThrGaji13Config,
    compute_rapel,
    compute_thr_gaji13,
    rapel_per_bulan,
    special_table_problems,
    tidak_berhak,
)
from ...extensions import db
from ...models import (
    Employee,
    PayrollLine,
    PayrollRuleVersion,
    PayrollRun,
    PayrollRunEmployee,
    PayrollRunScope,
    RunKind,
    RunStatus,
    User,
    utcnow,
)
from ..org.units import opd_map
from .copy_writer import EMPLOYEE_COLUMNS, LINE_COLUMNS, bulk_insert
from .lines import VerifyResult, line_from_row, stored_lines_hash
from .loading import inputs_json
from .months import PayrollRefused
from .rapel_jabatan import posts_by_month, refreshed
from .rules import load_rules, resolved_from_ids, special_rule_table
from .runs import lock_runs, scope_opd_ids
from .special_history import (
    SPECIAL_KINDS,
    dump_json,
    masa_of,
    months_of_period,
    paid_employees,
    rapel_from,
    rapel_json,
    rapel_paid,
    rows_from_slip,
    snapshot_inputs,
    tpp_sebulan,
    unfinished_opds,
)
from .workflow import assign_number

# -------------------------------------------------------------------------------------------- create


def _slot_month(kind: RunKind, month: date) -> date:
    """THR and gaji ke-13 are once a year: their scope rows hold 1 January, so the unique index is per year."""
    return date(month.year, 1, 1) if kind in (RunKind.THR, RunKind.GAJI_13) else month


def _period_text(kind: RunKind, month: date) -> str:
    return f"tahun {month.year}" if kind in (RunKind.THR, RunKind.GAJI_13) else f"bulan {bulan(month)}"


def create_special_run(
    kind: RunKind,
    month: date,
    opd_ids: list[int] | None,
    actor: User,
    period_start: date | None = None,
    period_end: date | None = None,
) -> PayrollRun:
    """A draft THR, gaji ke-13 or rapel run paid in `month`. A second run of the same kind for the same year
    (THR/gaji ke-13) or payment month (rapel) and an overlapping population is refused."""
    if kind not in SPECIAL_KINDS:
        raise DomainError(f"Jenis penggajian {kind.label} tidak dibuat di sini.", "kind")
    month = month.replace(day=1)
    if kind is RunKind.RAPEL:
        if period_start is None or period_end is None:
            raise DomainError("Isi bulan awal dan bulan akhir rapel.", "period_start")
        period_start, period_end = period_start.replace(day=1), period_end.replace(day=1)
        if period_end < period_start:
            raise DomainError("Bulan akhir rapel tidak boleh sebelum bulan awal.", "period_end")
        if period_end > month:
            raise DomainError(
                "Rapel hanya untuk bulan yang sudah dibayar (paling akhir bulan pembayaran).", "period_end"
            )
    else:
        period_start = period_end = None
    _, opds = opd_map()
    whole = opd_ids is None
    chosen = sorted(opds) if whole else sorted(set(opd_ids))
    if not chosen:
        raise DomainError("Pilih minimal satu OPD.", "opd_ids")
    if any(i not in opds for i in chosen):
        raise DomainError("OPD yang dipilih tidak dikenal.", "opd_ids")
    slot_month = _slot_month(kind, month)
    lock_runs()
    taken = db.session.execute(
        select(PayrollRunScope.opd_id).where(
            PayrollRunScope.month == slot_month, PayrollRunScope.slot == kind.value, PayrollRunScope.opd_id.in_(chosen)
        )
    ).all()
    refused = (
        f"Sudah ada proses {kind.label} {_period_text(kind, month)} untuk: {{names}}. Proses kedua untuk periode dan "
        f"pegawai yang sama ditolak."
    )
    if taken:
        raise DomainError(refused.format(names=", ".join(sorted({opds[o].name for (o,) in taken}))), "opd_ids")
    run = PayrollRun(
        month=month,
        kind=kind,
        whole_pemda=whole,
        prepared_by_id=actor.id,
        status=RunStatus.DRAFT,
        period_start=period_start,
        period_end=period_end,
    )
    assign_number(run)
    run.scope_rows = [PayrollRunScope(month=slot_month, opd_id=o, slot=kind.value) for o in chosen]
    db.session.add(run)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as e:
        raise DomainError(refused.format(names="sebagian OPD yang dipilih"), "opd_ids") from e
    return run


# ------------------------------------------------------------------------------------------ compute


def thr_population(run: PayrollRun) -> tuple[list[tuple], list[tuple[str, str, str]]]:
    """(eligible: (employee id, nip, name, opd, SpecialInputs), excluded: (nip, name, reason)) of a THR or
    gaji ke-13 run, from the payment month's final gaji."""
    kind = JenisKhusus(run.kind.value)
    config = special_rule_table().in_force(run.month)
    ket = config.data.for_kind(kind)
    paid = paid_employees(run, run.month)
    ids = set(paid)
    masa, tpp = masa_of(run.month, ids, corrected_runs(run)), tpp_sebulan(run.month, ids)
    people = {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(ids)))} if ids else {}
    eligible, excluded = [], []
    for eid in sorted(ids):
        snap, opd, _ = paid[eid]
        pegawai = snapshot_inputs(snap)
        emp = people[eid]
        why = tidak_berhak(ket, StatusAsn(pegawai.status), emp.tmt_cpns)
        if why:
            excluded.append((emp.nip, emp.name, why))
            continue
        inputs = SpecialInputs(pegawai, emp.tmt_cpns, tpp.get(eid, 0), masa.get(eid, MasaBayar()))
        eligible.append((eid, emp.nip, emp.name, opd, inputs))
    return eligible, excluded


def _compute_thr(run: PayrollRun, rules, problems: list[str]):
    kind = JenisKhusus(run.kind.value)
    try:
        config = special_rule_table().in_force(run.month)
    except DomainError:
        raise PayrollRefused(
            [
                f"Belum ada ketentuan {SPECIAL_RULE_LABEL} untuk tahun {run.month.year}: THR dan gaji ke-13 "
                f"ditetapkan setiap tahun dengan PP. Tambahkan versi aturan '{SPECIAL_RULE_CODE}' tahun itu "
                f"(menu Aturan gaji) dengan dasar hukumnya."
            ]
        ) from None
    resolved = rules.resolve(run.month)
    eligible, _ = thr_population(run)
    if not eligible:
        raise PayrollRefused([f"Tidak ada pegawai yang berhak {kind.label} dalam cakupan proses penggajian ini."])
    emp_rows, line_rows = [], []
    lh, ih = hashlib.sha256(), hashlib.sha256()
    for eid, nip, name, opd, inputs in eligible:
        try:
            slip = compute_thr_gaji13(kind, config, inputs, resolved, run.month)
        except DomainError as e:
            problems.append(f"{name} (NIP {nip}): {e.message}")
            continue
        emp, lines = rows_from_slip(run.id, eid, opd, dump_json(inputs), slip, lh, ih)
        emp_rows.append(emp)
        line_rows += lines
    versions = {**dict(resolved.version_ids), SPECIAL_RULE_CODE: config.version_id}
    ih.update(json.dumps(sorted(versions.items())).encode())
    return emp_rows, line_rows, lh.hexdigest(), ih.hexdigest(), versions, []


def rapel_refusals(run: PayrollRun) -> list[str]:
    """Months of the period (and the payment month) that are not final yet, and other unfinished rapel."""
    problems = []
    for m in [
        *months_of_period(run.period_start, run.period_end),
        *([run.month] if run.month > run.period_end else []),
    ]:
        names = unfinished_opds(run, m)
        if names:
            problems.append(
                f"Gaji bulan {bulan(m)} belum final untuk: {', '.join(names)}. Rapel hanya dihitung untuk bulan "
                f"yang sudah final, dan PPh 21-nya digabung dengan bruto masa pembayaran (PMK 168/2023 Pasal 5)."
            )
    other = db.session.scalars(
        select(PayrollRun).where(
            PayrollRun.kind == RunKind.RAPEL,
            PayrollRun.id != run.id,
            PayrollRun.status != RunStatus.FINAL,
            PayrollRun.period_start <= run.period_end,
            PayrollRun.period_end >= run.period_start,
        )
    ).all()
    scope = set(scope_opd_ids(run))
    for o in other:
        if scope & set(scope_opd_ids(o)):
            problems.append(
                f"Proses penggajian {o.title} untuk bulan yang sama belum final; finalkan atau hapus dahulu agar tidak dibayar dua kali."
            )
    return problems


RAPEL_CHUNK = 1000  # employees whose paid lines are loaded at once


def _compute_rapel(run: PayrollRun, rules, problems: list[str], progress=None):
    months = months_of_period(run.period_start, run.period_end)
    refusals = rapel_refusals(run)
    if refusals:
        raise PayrollRefused(refusals)
    resolved_by_month = {}
    for m in months:
        try:
            resolved_by_month[m] = rules.resolve(m)
        except DomainError as e:
            problems.append(e.message)
    payment_rules = rules.resolve(run.month)
    if problems:
        raise PayrollRefused(problems)
    per_month = {m: paid_employees(run, m) for m in months}
    ids = set().union(*per_month.values())
    pay_month = paid_employees(run, run.month)
    masa = masa_of(run.month, ids, corrected_runs(run))
    names = (
        dict(
            (
                (eid, (nip, name))
                for eid, nip, name in db.session.execute(
                    select(Employee.id, Employee.nip, Employee.name).where(Employee.id.in_(ids))
                )
            )
        )
        if ids
        else {}
    )
    emp_rows, line_rows, sources = [], [], set()
    lh, ih = hashlib.sha256(), hashlib.sha256()
    memo: dict[tuple[EmployeeInputs, date], object] = {}

    def slip_of(pegawai, rules_, month):  # pure: equal inputs and month (rules fixed per month) → equal slip
        key = (pegawai, month)
        if key not in memo:
            memo[key] = compute_monthly(pegawai, rules_, month)
        return memo[key]

    ordered = sorted(ids)
    paid: dict = {}
    posts: dict = {}
    for n, eid in enumerate(ordered):
        if n % RAPEL_CHUNK == 0:
            paid = rapel_paid(months, ordered[n : n + RAPEL_CHUNK], corrected_runs(run))
            posts = posts_by_month(months, ordered[n : n + RAPEL_CHUNK])
            if progress is not None and n:
                progress(n, len(ordered))
        rms, raw = [], []
        last_snap = last_opd = None
        for m in months:
            if eid not in per_month[m]:
                continue
            snap, opd, run_ids = per_month[m][eid]
            dibayar = paid.get((eid, m), {})
            pegawai = snapshot_inputs(snap)
            fresh = refreshed(pegawai, posts.get((eid, m)), resolved_by_month[m].tunjangan_jabatan)
            if fresh is not pegawai:  # a back-dated tunjangan jabatan (rapel_jabatan.py): snapshot what is used
                pegawai, snap = fresh, inputs_json(fresh)
            rms.append(RapelMonth(m, pegawai, dibayar, tuple(run_ids)))
            raw.append((m, snap, dibayar, run_ids))
            last_snap, last_opd = snap, opd
            sources.update(run_ids)
        bayar = pay_month.get(eid)
        bayar_snap = bayar[0] if bayar else last_snap
        inputs = RapelInputs(tuple(rms), snapshot_inputs(bayar_snap), masa.get(eid, MasaBayar()))
        try:
            slip = compute_rapel(
                list(inputs.months),
                resolved_by_month,
                payment_rules,
                inputs.pegawai_bayar,
                inputs.masa,
                run.month,
                slip_of,
            )
        except DomainError as e:
            nip, name = names[eid]
            problems.append(f"{name} (NIP {nip}): {e.message}")
            continue
        if not slip.lines:
            continue
        snapshot = rapel_json(raw, bayar_snap, inputs.masa)
        emp, lines = rows_from_slip(run.id, eid, bayar[1] if bayar else last_opd, snapshot, slip, lh, ih)
        emp_rows.append(emp)
        line_rows += lines
    if not problems and not emp_rows:
        raise PayrollRefused(
            [
                f"Tidak ada selisih: gaji {bulan(months[0])} s.d. {bulan(months[-1])} yang sudah dibayar sama dengan "
                f"hasil aturan yang berlaku sekarang, jadi rapel tidak diperlukan."
            ]
        )
    versions = {f"{code}@{m:%Y-%m}": vid for m, r in resolved_by_month.items() for code, vid in r.version_ids}
    versions.update({f"{code}@bayar": vid for code, vid in payment_rules.version_ids})
    ih.update(json.dumps(sorted(versions.items())).encode())
    return emp_rows, line_rows, lh.hexdigest(), ih.hexdigest(), versions, sorted(sources)


def compute_special_run(run: PayrollRun, actor: User, progress=None) -> PayrollRun:
    """Compute a THR, gaji ke-13 or rapel run in the current transaction; `PayrollRefused` (nothing written)
    when rules, months or data are missing."""
    if run.status not in (RunStatus.DRAFT, RunStatus.DIHITUNG):
        raise DomainError(
            f"Proses penggajian berstatus {run.status.label}; hanya draf atau hasil hitung yang dapat dihitung ulang."
        )
    rules = load_rules()
    problems = rules.problems() + special_table_problems(special_rule_table())
    if problems:
        raise PayrollRefused(problems)
    if run.kind is not RunKind.RAPEL:
        names = unfinished_opds(run, run.month)
        if names:
            raise PayrollRefused(
                [
                    f"Gaji bulan {bulan(run.month)} belum final untuk: {', '.join(names)}. {run.kind.label} dibayar "
                    f"dari penghasilan bulan pembayaran dan PPh 21-nya digabung dengan bruto masa pajak itu "
                    f"(PMK 168/2023 Pasal 5); finalkan gaji bulan itu lebih dahulu."
                ]
            )
        try:
            rules.resolve(run.month)
        except DomainError as e:
            raise PayrollRefused([e.message]) from None
        result = _compute_thr(run, rules, problems)
    else:
        result = _compute_rapel(run, rules, problems, progress)
    if problems:
        raise PayrollRefused(problems)
    emp_rows, line_rows, lines_hash, input_hash, versions, sources = result
    db.session.execute(PayrollLine.__table__.delete().where(PayrollLine.run_id == run.id))
    db.session.execute(PayrollRunEmployee.__table__.delete().where(PayrollRunEmployee.run_id == run.id))
    bulk_insert(PayrollRunEmployee.__table__, EMPLOYEE_COLUMNS, emp_rows)
    bulk_insert(PayrollLine.__table__, LINE_COLUMNS, line_rows)
    run.rule_versions = versions
    run.source_run_ids = sources or None
    run.input_hash, run.lines_hash = input_hash, lines_hash
    run.employee_count = len(emp_rows)
    run.total_penghasilan = sum(r[4] for r in emp_rows)
    run.total_potongan = sum(r[5] for r in emp_rows)
    run.total_netto = run.total_penghasilan - run.total_potongan
    run.status, run.computed_at = RunStatus.DIHITUNG, utcnow()
    db.session.flush()
    if progress is not None:
        progress(len(emp_rows), len(emp_rows))
    return run


# ------------------------------------------------------------------------------------------- verify


def _config_version(vid: str) -> RuleVersion[ThrGaji13Config]:
    r = db.session.scalar(select(PayrollRuleVersion).where(PayrollRuleVersion.version_id == vid))
    if r is None:
        raise DomainError(f"Versi aturan '{vid}' yang dipakai proses penggajian ini tidak ditemukan lagi.")
    return RuleVersion(r.version_id, r.berlaku_mulai, r.citation, decode(ThrGaji13Config, r.data), r.berlaku_sampai)


def corrected_runs(run) -> tuple[int, ...]:
    """The final runs a correction recomputes (`corrections.AsCorrected`); () for a THR/gaji ke-13/rapel run."""
    return getattr(run, "corrected_run_ids", ())


def recompute_hash(run: PayrollRun) -> str:
    """SHA-256 of the lines recomputed from the run's recorded rule versions and input snapshots only."""
    return recompute_rows(run)[2]


def recompute_rows(run: PayrollRun) -> tuple[list[tuple], list[tuple], str]:
    """(employee rows, line rows, SHA-256) recomputed from the run's recorded rule versions and snapshots."""
    versions = dict(run.rule_versions or {})
    snaps = db.session.execute(
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs, PayrollRunEmployee.opd_id)
        .where(PayrollRunEmployee.run_id == run.id)
        .order_by(PayrollRunEmployee.employee_id)
    ).all()
    lh, ih = hashlib.sha256(), hashlib.sha256()
    emp_rows: list[tuple] = []
    line_rows: list[tuple] = []

    def collect(rows: tuple[tuple, list[tuple]]) -> None:
        emp_rows.append(rows[0])
        line_rows.extend(rows[1])

    if run.kind is RunKind.RAPEL:
        grouped: dict[str, dict[str, str]] = defaultdict(dict)
        for key, vid in versions.items():
            code, _, when = key.rpartition("@")
            grouped[when][code] = vid
        resolved = {w: resolved_from_ids(ids) for w, ids in grouped.items()}
        by_month = {date.fromisoformat(f"{w}-01"): r for w, r in resolved.items() if w != "bayar"}
        memo: dict = {}

        def slip_of(pegawai, rules_, month):
            key = (pegawai, month)
            if key not in memo:
                memo[key] = compute_monthly(pegawai, rules_, month)
            return memo[key]

        for eid, text, opd in snaps:
            inputs = rapel_from(text)
            slip = compute_rapel(
                list(inputs.months), by_month, resolved["bayar"], inputs.pegawai_bayar, inputs.masa, run.month, slip_of
            )
            collect(rows_from_slip(run.id, eid, opd, text, slip, lh, ih))
        return emp_rows, line_rows, lh.hexdigest()
    config = _config_version(versions.pop(SPECIAL_RULE_CODE))
    resolved = resolved_from_ids(versions)
    kind = JenisKhusus(run.kind.value)
    for eid, text, opd in snaps:
        slip = compute_thr_gaji13(kind, config, decode(SpecialInputs, json.loads(text)), resolved, run.month)
        collect(rows_from_slip(run.id, eid, opd, text, slip, lh, ih))
    return emp_rows, line_rows, lh.hexdigest()


def verify_special_run(run: PayrollRun) -> VerifyResult:
    if not run.rule_versions or not run.lines_hash:
        raise DomainError(f"Proses penggajian {run.title} belum dihitung; tidak ada yang dapat diverifikasi.")
    return VerifyResult(run, run.lines_hash, stored_lines_hash(run), recompute_hash(run))


# ------------------------------------------------------------------------------------------- pages


def rapel_months(run: PayrollRun, employee_id: int) -> list[dict]:
    """The month-by-month view of one employee's rapel: per month its component differences and net."""

    rows = db.session.scalars(
        select(PayrollLine)
        .where(PayrollLine.run_id == run.id, PayrollLine.employee_id == employee_id)
        .order_by(PayrollLine.seq)
    )
    lines = [line_from_row(r) for r in rows]
    out = []
    for m, month_lines, net in rapel_per_bulan(lines):
        out.append(
            {
                "month_label": bulan(m),
                "net": net,
                "rows": [
                    {
                        "label": ln.label.removeprefix("Rapel "),
                        "kind_label": ln.kind.label,
                        "bagian_label": ln.bagian.label,
                        "seharusnya": ln.input("seharusnya"),
                        "dibayar": ln.input("dibayar"),
                        "selisih": ln.amount,
                        "run_asal": ln.input("run_asal"),
                        "citation": ln.citation,
                        "rule_version": ln.rule_version,
                    }
                    for ln in month_lines
                ],
            }
        )
    return out


def describe_run(run: PayrollRun) -> str | None:
    """One Indonesian sentence saying what a special run pays (run page)."""
    if run.kind is RunKind.RAPEL and run.period_start:
        refs = ", ".join(f"#{i}" for i in run.source_run_ids or [])
        return (
            f"Rapel selisih gaji {bulan(run.period_start)} s.d. {bulan(run.period_end)} menurut aturan yang berlaku "
            f"sekarang, dibayar {bulan(run.month)}" + (f"; merujuk proses penggajian final {refs}." if refs else ".")
        )
    if run.kind in (RunKind.THR, RunKind.GAJI_13):
        return (
            f"{run.kind.label} tahun {run.month.year}, dibayar {bulan(run.month)} dari penghasilan bulan itu; tanpa "
            f"potongan IWP/BPJS, PPh 21 digabung dengan bruto masa pajak {bulan(run.month)}."
        )
    return None


def parse_kind(text: str) -> RunKind:
    """The run kind chosen on the form; an unknown or compensating kind is refused (compensation starts from
    a final run)."""
    try:
        kind = RunKind(text.strip())
    except ValueError:
        kind = None
    if kind is None or kind is RunKind.COMPENSATING:
        raise DomainError(
            f"Jenis penggajian '{text}' tidak dikenal; pilih Gaji bulanan, THR, Gaji ke-13, atau Rapel.",
            "kind",
        )
    return kind


def excluded_for_page(run: PayrollRun) -> list[tuple[str, str, str]]:
    """Employees of the payment month left out of a THR/gaji ke-13 run and why (before it is final)."""
    if run.kind not in (RunKind.THR, RunKind.GAJI_13) or run.status == RunStatus.FINAL:
        return []
    try:
        return thr_population(run)[1]
    except DomainError:
        return []


def bank_note(run: PayrollRun) -> str:
    if run.kind is RunKind.RAPEL and run.period_start:
        return f"Rapel gaji {bulan(run.period_start)} s.d. {bulan(run.period_end)}"
    return f"{run.kind.label} {run.month.year}"
