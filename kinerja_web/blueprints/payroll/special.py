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

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ...domain import DomainError
from ...domain.labels import bulan
from ...domain.org import StatusAsn
from ...domain.payroll import (
    AttendanceEvent,
    Bagian,
    EmployeeInputs,
    JenisTunjanganJabatan,
    LineKind,
    RuleTable,
    RuleVersion,
    YtdValues,
    compute_monthly,
)
from ...domain.payroll.codec import decode, encode
from ...domain.payroll.special import (
    KOMPONEN_TPP,
    SPECIAL_RULE_CODE,
    SPECIAL_RULE_LABEL,
    Dibayar,
    JenisKhusus,
    MasaBayar,
    RapelInputs,
    RapelMonth,
    SpecialInputs,
    ThrGaji13Config,
    compute_rapel,
    compute_thr_gaji13,
    default_special_table,
    rapel_per_bulan,
    special_table_problems,
    tidak_berhak,
)
from ...domain.predikat import Predikat
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
from . import services
from .services import PayrollRefused

SPECIAL_KINDS = frozenset({RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL})
PAID_KINDS = (RunKind.REGULAR, RunKind.COMPENSATING)  # the runs whose snapshot and lines make a month's pay


# -------------------------------------------------------------------------------------------- rules


def special_rule_table(extra=()) -> RuleTable[ThrGaji13Config]:
    rows = list(db.session.scalars(select(PayrollRuleVersion).where(PayrollRuleVersion.code == SPECIAL_RULE_CODE))) + [
        r for r in extra if r.code == SPECIAL_RULE_CODE
    ]
    versions = tuple(
        sorted(
            (
                RuleVersion(
                    r.version_id, r.berlaku_mulai, r.citation, decode(ThrGaji13Config, r.data), r.berlaku_sampai
                )
                for r in rows
            ),
            key=lambda v: v.berlaku_mulai,
        )
    )
    return RuleTable(SPECIAL_RULE_CODE, SPECIAL_RULE_LABEL, versions)


def seed_special_rules(actor_id: int | None = None) -> int:
    have = set(db.session.scalars(select(PayrollRuleVersion.version_id)))
    added = 0
    for v in default_special_table().versions:
        if v.version_id in have:
            continue
        db.session.add(
            PayrollRuleVersion(
                code=SPECIAL_RULE_CODE,
                version_id=v.version_id,
                berlaku_mulai=v.berlaku_mulai,
                berlaku_sampai=v.berlaku_sampai,
                citation=v.citation,
                data=encode(v.data),
                created_by_id=actor_id,
            )
        )
        added += 1
    db.session.flush()
    return added


def check_special_draft(draft) -> list[str]:
    """Problems of the THR/gaji ke-13 table with a candidate version added (for `add_rule_version`)."""
    decode(ThrGaji13Config, draft.data)
    return special_table_problems(special_rule_table([draft]))


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
        raise DomainError(f"Jenis run {kind.label} tidak dibuat di sini.", "kind")
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
    _, opds = services.opd_map()
    whole = opd_ids is None
    chosen = sorted(opds) if whole else sorted(set(opd_ids))
    if not chosen:
        raise DomainError("Pilih minimal satu OPD.", "opd_ids")
    if any(i not in opds for i in chosen):
        raise DomainError("OPD yang dipilih tidak dikenal.", "opd_ids")
    slot_month = _slot_month(kind, month)
    services._lock_runs()
    taken = db.session.execute(
        select(PayrollRunScope.opd_id).where(
            PayrollRunScope.month == slot_month, PayrollRunScope.slot == kind.value, PayrollRunScope.opd_id.in_(chosen)
        )
    ).all()
    refused = (
        f"Sudah ada run {kind.label} {_period_text(kind, month)} untuk: {{names}}. Run kedua untuk periode dan "
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
    run.scope_rows = [PayrollRunScope(month=slot_month, opd_id=o, slot=kind.value) for o in chosen]
    db.session.add(run)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as e:
        raise DomainError(refused.format(names="sebagian OPD yang dipilih"), "opd_ids") from e
    return run


# ------------------------------------------------------------------------------------------ loading


def _months(start: date, end: date) -> list[date]:
    out, m = [], start
    while m <= end:
        out.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def _unfinished_opds(run: PayrollRun, month: date) -> list[str]:
    """Names of the run's OPD without a FINAL regular run for `month`."""
    scope = set(services.scope_opd_ids(run))
    final = set(
        db.session.scalars(
            select(PayrollRunScope.opd_id)
            .join(PayrollRun, PayrollRun.id == PayrollRunScope.run_id)
            .where(
                PayrollRunScope.month == month,
                PayrollRunScope.slot == RunKind.REGULAR.value,
                PayrollRun.status == RunStatus.FINAL,
            )
        )
    )
    _, opds = services.opd_map()
    return sorted(opds[o].name for o in scope - final)


def _paid_employees(run: PayrollRun, month: date) -> dict[int, tuple[str, int | None, list[int]]]:
    """employee id → (snapshot JSON of the latest final regular/compensating run, OPD, run ids) for `month`,
    limited to the run's OPD."""
    scope = set(services.scope_opd_ids(run))
    out: dict[int, tuple[str, int | None, list[int]]] = {}
    for eid, inputs, opd, rid in db.session.execute(
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs, PayrollRunEmployee.opd_id, PayrollRun.id)
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(PayrollRun.month == month, PayrollRun.status == RunStatus.FINAL, PayrollRun.kind.in_(PAID_KINDS))
        .order_by(PayrollRunEmployee.employee_id, PayrollRun.id)
    ):
        if opd not in scope:
            continue
        ids = out[eid][2] if eid in out else []
        out[eid] = (inputs, opd, [*ids, rid])  # the later run (a compensation) carries the corrected inputs
    return out


def _masa(month: date, ids: set[int]) -> dict[int, MasaBayar]:
    """What every final run of the payment month (any kind) holds per employee."""
    rows = db.session.execute(
        select(
            PayrollRunEmployee.employee_id,
            func.sum(PayrollRunEmployee.bruto_pph),
            func.sum(PayrollRunEmployee.pph21),
            func.sum(PayrollRunEmployee.iuran_pensiun),
        )
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(PayrollRun.month == month, PayrollRun.status == RunStatus.FINAL)
        .group_by(PayrollRunEmployee.employee_id)
    )
    return {eid: MasaBayar(int(b or 0), int(p or 0), int(i or 0)) for eid, b, p, i in rows if eid in ids}


def _tpp_sebulan(month: date, ids: set[int]) -> dict[int, int]:
    """TPP received for `month` (TPP_KINERJA + TPP_DISIPLIN of the final regular and compensating runs)."""
    rows = db.session.execute(
        select(PayrollLine.employee_id, func.sum(PayrollLine.amount))
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(
            PayrollRun.month == month,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.kind.in_(PAID_KINDS),
            PayrollLine.code.in_(KOMPONEN_TPP),
        )
        .group_by(PayrollLine.employee_id)
    )
    return {eid: int(a or 0) for eid, a in rows if eid in ids}


def _snapshot(text: str) -> EmployeeInputs:
    """`EmployeeInputs` from a run's canonical snapshot JSON; equal to `codec.decode(EmployeeInputs, …)` (a test
    keeps the two equal) but written out because a rapel reads one per employee and month."""
    return _inputs_from(json.loads(text))


def _inputs_from(d: dict) -> EmployeeInputs:
    jenis, pred, ytd = d["jenis_tunjangan_jabatan"], d["predikat"], d["ytd"]
    return EmployeeInputs(
        status=StatusAsn(d["status"]),
        golongan=d["golongan"],
        mkg=d["mkg"],
        status_ptkp=d["status_ptkp"],
        suami_istri_ditanggung=d["suami_istri_ditanggung"],
        jumlah_anak_ditanggung=d["jumlah_anak_ditanggung"],
        tunjangan_jabatan=d["tunjangan_jabatan"],
        jenis_tunjangan_jabatan=JenisTunjanganJabatan(jenis) if jenis else None,
        dasar_tunjangan_jabatan=d["dasar_tunjangan_jabatan"],
        kelas_jabatan=d["kelas_jabatan"],
        predikat=Predikat(pred) if pred else None,
        attendance=tuple(
            AttendanceEvent(
                date.fromisoformat(a["tanggal"]), a["terlambat_menit"], a["pulang_cepat_menit"], a["kode_absen"]
            )
            for a in d["attendance"]
        ),
        status_tpp=tuple(d["status_tpp"]),
        masa_pajak_terakhir=d["masa_pajak_terakhir"],
        ytd=YtdValues(ytd["bruto"], ytd["pph21"], ytd["iuran_pensiun"], ytd["bulan_bekerja"]),
    )


def _rapel_from(text: str) -> RapelInputs:
    """Inverse of `_rapel_json` (equal to `codec.decode(RapelInputs, …)`, a test keeps them equal)."""
    d = json.loads(text)
    months = tuple(
        RapelMonth(
            date.fromisoformat(m["month"]),
            _inputs_from(m["pegawai"]),
            {
                code: Dibayar(p["label"], p["amount"], LineKind(p["kind"]), Bagian(p["bagian"]))
                for code, p in m["dibayar"].items()
            },
            tuple(m["run_ids"]),
        )
        for m in d["months"]
    )
    masa = d["masa"]
    return RapelInputs(
        months, _inputs_from(d["pegawai_bayar"]), MasaBayar(masa["bruto"], masa["pph21"], masa["iuran_pensiun"])
    )


def _rapel_json(months: list[tuple[date, str, dict[str, Dibayar], list[int]]], bayar: str, masa: MasaBayar) -> str:
    """The rapel snapshot (`RapelInputs`) as JSON, splicing the months' stored snapshot texts in unchanged
    (decoding them is `codec.decode(RapelInputs, …)`; re-encoding them all would dominate a big rapel)."""
    parts = []
    for m, snap, paid, run_ids in months:
        dibayar = {
            code: {"amount": d.amount, "bagian": d.bagian.value, "kind": d.kind.value, "label": d.label}
            for code, d in paid.items()
        }
        parts.append(
            f'{{"dibayar":{json.dumps(dibayar, ensure_ascii=False, sort_keys=True)},"month":"{m.isoformat()}",'
            f'"pegawai":{snap},"run_ids":{json.dumps(run_ids)}}}'
        )
    masa_json = json.dumps({"bruto": masa.bruto, "iuran_pensiun": masa.iuran_pensiun, "pph21": masa.pph21})
    return f'{{"masa":{masa_json},"months":[{",".join(parts)}],"pegawai_bayar":{bayar}}}'


def _dump(value) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# ------------------------------------------------------------------------------------------ compute


def thr_population(run: PayrollRun) -> tuple[list[tuple], list[tuple[str, str, str]]]:
    """(eligible: (employee id, nip, name, opd, SpecialInputs), excluded: (nip, name, reason)) of a THR or
    gaji ke-13 run, from the payment month's final gaji."""
    kind = JenisKhusus(run.kind.value)
    config = special_rule_table().in_force(run.month)
    ket = config.data.for_kind(kind)
    paid = _paid_employees(run, run.month)
    ids = set(paid)
    masa, tpp = _masa(run.month, ids), _tpp_sebulan(run.month, ids)
    people = {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(ids)))} if ids else {}
    eligible, excluded = [], []
    for eid in sorted(ids):
        snap, opd, _ = paid[eid]
        pegawai = _snapshot(snap)
        emp = people[eid]
        why = tidak_berhak(ket, StatusAsn(pegawai.status), emp.tmt_cpns)
        if why:
            excluded.append((emp.nip, emp.name, why))
            continue
        inputs = SpecialInputs(pegawai, emp.tmt_cpns, tpp.get(eid, 0), masa.get(eid, MasaBayar()))
        eligible.append((eid, emp.nip, emp.name, opd, inputs))
    return eligible, excluded


def _rows_from_slip(run_id: int, eid: int, opd, snapshot: str, slip, lh, ih) -> tuple[tuple, list[tuple]]:
    lines, pen, pot = [], 0, 0
    lh.update(f"E{eid}\n".encode())
    ih.update(f"{eid}|{snapshot}\n".encode())
    for seq, ln in enumerate(slip.lines):
        ij = services.line_inputs_json(ln.inputs)
        kind, bagian = ln.kind.value, ln.bagian.value
        pen += ln.amount if ln.kind is LineKind.PENGHASILAN else 0
        pot += ln.amount if ln.kind is LineKind.POTONGAN else 0
        lines.append((run_id, eid, seq, ln.code, ln.label, ln.amount, kind, bagian, ln.citation, ln.rule_version, ij))
        lh.update(services.line_hash_text(seq, ln.code, ln.amount, kind, bagian, ln.rule_version, ij).encode())
    emp = (run_id, eid, opd, snapshot, pen, pot, pen - pot, slip.bruto_pph, slip.pph21, slip.iuran_pensiun)
    return emp, lines


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
        raise PayrollRefused([f"Tidak ada pegawai yang berhak {kind.label} dalam cakupan run ini."])
    emp_rows, line_rows = [], []
    lh, ih = hashlib.sha256(), hashlib.sha256()
    for eid, nip, name, opd, inputs in eligible:
        try:
            slip = compute_thr_gaji13(kind, config, inputs, resolved, run.month)
        except DomainError as e:
            problems.append(f"{name} (NIP {nip}): {e.message}")
            continue
        emp, lines = _rows_from_slip(run.id, eid, opd, _dump(inputs), slip, lh, ih)
        emp_rows.append(emp)
        line_rows += lines
    versions = {**dict(resolved.version_ids), SPECIAL_RULE_CODE: config.version_id}
    ih.update(json.dumps(sorted(versions.items())).encode())
    return emp_rows, line_rows, lh.hexdigest(), ih.hexdigest(), versions, []


def _rapel_paid(months: list[date], ids: list[int]) -> dict[tuple[int, date], dict[str, Dibayar]]:
    """Per (employee, month): every component paid so far — final regular and compensating runs of the month,
    plus final rapel lines that were for that month (their `bulan` input). Called per chunk of employees so a
    whole-year rapel of the whole Pemda never holds every line of the year in memory."""
    paid: dict[tuple[int, date], dict[str, Dibayar]] = defaultdict(dict)

    def add(eid, m, code, label, amount, kind, bagian):
        cur = paid[(eid, m)].get(code)
        if cur is None:
            paid[(eid, m)][code] = Dibayar(label, int(amount), LineKind(kind), Bagian(bagian))
        else:
            paid[(eid, m)][code] = Dibayar(cur.label, cur.amount + int(amount), cur.kind, cur.bagian)

    cols = (
        PayrollLine.employee_id,
        PayrollRun.month,
        PayrollLine.code,
        PayrollLine.label,
        PayrollLine.amount,
        PayrollLine.kind,
        PayrollLine.bagian,
    )
    for eid, m, code, label, amount, kind, bagian in db.session.execute(
        select(*cols)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(
            PayrollRun.month.in_(months),
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.kind.in_(PAID_KINDS),
            PayrollLine.employee_id.in_(ids),
        )
        .order_by(PayrollLine.run_id, PayrollLine.employee_id, PayrollLine.seq)
    ):
        add(eid, m, code, label, amount, kind, bagian)
    wanted = {m.isoformat() for m in months}
    for eid, _m, code, label, amount, kind, bagian, inputs in db.session.execute(
        select(*cols, PayrollLine.inputs)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(
            PayrollRun.kind == RunKind.RAPEL,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.period_start <= months[-1],
            PayrollRun.period_end >= months[0],
            PayrollLine.employee_id.in_(ids),
        )
        .order_by(PayrollLine.run_id, PayrollLine.employee_id, PayrollLine.seq)
    ):
        for_month = dict(json.loads(inputs)).get("bulan")
        if for_month in wanted:
            add(eid, date.fromisoformat(for_month), code, label.removeprefix("Rapel "), amount, kind, bagian)
    return paid


def rapel_refusals(run: PayrollRun) -> list[str]:
    """Months of the period (and the payment month) that are not final yet, and other unfinished rapel."""
    problems = []
    for m in [*_months(run.period_start, run.period_end), *([run.month] if run.month > run.period_end else [])]:
        names = _unfinished_opds(run, m)
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
    scope = set(services.scope_opd_ids(run))
    for o in other:
        if scope & set(services.scope_opd_ids(o)):
            problems.append(
                f"Run {o.title} untuk bulan yang sama belum final; finalkan atau hapus dahulu agar tidak dibayar dua kali."
            )
    return problems


RAPEL_CHUNK = 1000  # employees whose paid lines are loaded at once


def _compute_rapel(run: PayrollRun, rules, problems: list[str], progress=None):
    months = _months(run.period_start, run.period_end)
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
    per_month = {m: _paid_employees(run, m) for m in months}
    ids = set().union(*per_month.values())
    pay_month = _paid_employees(run, run.month)
    masa = _masa(run.month, ids)
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
    for n, eid in enumerate(ordered):
        if n % RAPEL_CHUNK == 0:
            paid = _rapel_paid(months, ordered[n : n + RAPEL_CHUNK])
            if progress is not None and n:
                progress(n, len(ordered))
        rms, raw = [], []
        last_snap = last_opd = None
        for m in months:
            if eid not in per_month[m]:
                continue
            snap, opd, run_ids = per_month[m][eid]
            dibayar = paid.get((eid, m), {})
            rms.append(RapelMonth(m, _snapshot(snap), dibayar, tuple(run_ids)))
            raw.append((m, snap, dibayar, run_ids))
            last_snap, last_opd = snap, opd
            sources.update(run_ids)
        bayar = pay_month.get(eid)
        bayar_snap = bayar[0] if bayar else last_snap
        inputs = RapelInputs(tuple(rms), _snapshot(bayar_snap), masa.get(eid, MasaBayar()))
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
        snapshot = _rapel_json(raw, bayar_snap, inputs.masa)
        emp, lines = _rows_from_slip(run.id, eid, bayar[1] if bayar else last_opd, snapshot, slip, lh, ih)
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
        raise DomainError(f"Run berstatus {run.status.label}; hanya draf atau hasil hitung yang dapat dihitung ulang.")
    rules = services.load_rules()
    problems = rules.problems() + special_table_problems(special_rule_table())
    if problems:
        raise PayrollRefused(problems)
    if run.kind is not RunKind.RAPEL:
        names = _unfinished_opds(run, run.month)
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
    services.bulk_insert(PayrollRunEmployee.__table__, services.EMPLOYEE_COLUMNS, emp_rows)
    services.bulk_insert(PayrollLine.__table__, services.LINE_COLUMNS, line_rows)
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
        raise DomainError(f"Versi aturan '{vid}' yang dipakai run ini tidak ditemukan lagi.")
    return RuleVersion(r.version_id, r.berlaku_mulai, r.citation, decode(ThrGaji13Config, r.data), r.berlaku_sampai)


def recompute_hash(run: PayrollRun) -> str:
    """SHA-256 of the lines recomputed from the run's recorded rule versions and input snapshots only."""
    versions = dict(run.rule_versions or {})
    snaps = db.session.execute(
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs, PayrollRunEmployee.opd_id)
        .where(PayrollRunEmployee.run_id == run.id)
        .order_by(PayrollRunEmployee.employee_id)
    ).all()
    lh, ih = hashlib.sha256(), hashlib.sha256()
    if run.kind is RunKind.RAPEL:
        grouped: dict[str, dict[str, str]] = defaultdict(dict)
        for key, vid in versions.items():
            code, _, when = key.rpartition("@")
            grouped[when][code] = vid
        resolved = {w: services.resolved_from_ids(ids) for w, ids in grouped.items()}
        by_month = {date.fromisoformat(f"{w}-01"): r for w, r in resolved.items() if w != "bayar"}
        memo: dict = {}

        def slip_of(pegawai, rules_, month):
            key = (pegawai, month)
            if key not in memo:
                memo[key] = compute_monthly(pegawai, rules_, month)
            return memo[key]

        for eid, text, opd in snaps:
            inputs = _rapel_from(text)
            slip = compute_rapel(
                list(inputs.months), by_month, resolved["bayar"], inputs.pegawai_bayar, inputs.masa, run.month, slip_of
            )
            _rows_from_slip(run.id, eid, opd, text, slip, lh, ih)
        return lh.hexdigest()
    config = _config_version(versions.pop(SPECIAL_RULE_CODE))
    resolved = services.resolved_from_ids(versions)
    kind = JenisKhusus(run.kind.value)
    for eid, text, opd in snaps:
        slip = compute_thr_gaji13(kind, config, decode(SpecialInputs, json.loads(text)), resolved, run.month)
        _rows_from_slip(run.id, eid, opd, text, slip, lh, ih)
    return lh.hexdigest()


def verify_special_run(run: PayrollRun) -> services.VerifyResult:
    if not run.rule_versions or not run.lines_hash:
        raise DomainError(f"Run {run.title} belum dihitung; tidak ada yang dapat diverifikasi.")
    return services.VerifyResult(run, run.lines_hash, services.stored_lines_hash(run), recompute_hash(run))


# ------------------------------------------------------------------------------------------- pages


def rapel_months(run: PayrollRun, employee_id: int) -> list[dict]:
    """The month-by-month view of one employee's rapel: per month its component differences and net."""
    from .services import _line_from_row

    rows = db.session.scalars(
        select(PayrollLine)
        .where(PayrollLine.run_id == run.id, PayrollLine.employee_id == employee_id)
        .order_by(PayrollLine.seq)
    )
    lines = [_line_from_row(r) for r in rows]
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
            f"sekarang, dibayar {bulan(run.month)}" + (f"; merujuk run final {refs}." if refs else ".")
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
            f"Jenis run '{text}' tidak dikenal; pilih Gaji bulanan, THR, Gaji ke-13, atau Rapel.",
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
