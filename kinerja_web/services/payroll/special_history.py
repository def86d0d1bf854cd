"""What THR, gaji ke-13 and rapel runs read: the final regular runs of a month, their paid lines,
snapshots and masa, and the JSON a rapel run stores (its inputs snapshot)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ...domain.org import StatusAsn
from ...domain.payroll import (
    PTKP_JSON_KEY,
    AttendanceEvent,
    Bagian,
    EmployeeInputs,
    JenisTunjanganJabatan,
    LineKind,
    YtdValues,
)
from ...domain.payroll.codec import decode, encode
from ...domain.payroll.deductions import PotonganTetap
from ...domain.payroll.special import (
    KOMPONEN_TPP,
    Dibayar,
    MasaBayar,
    RapelInputs,
    RapelMonth,
)
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    PayrollLine,
    PayrollRun,
    PayrollRunEmployee,
    PayrollRunScope,
    RunKind,
    RunStatus,
)
from ..org.units import opd_map
from .lines import line_hash_text
from .loading import line_inputs_json
from .manual import manual_from
from .runs import paying, scope_opd_ids

SPECIAL_KINDS = frozenset({RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL})


# ------------------------------------------------------------------------------------------ loading


def months_of_period(start: date, end: date) -> list[date]:
    out, m = [], start
    while m <= end:
        out.append(m)
        m = date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def unfinished_opds(run: PayrollRun, month: date) -> list[str]:
    """Names of the run's OPD without a FINAL regular run for `month`."""
    scope = set(scope_opd_ids(run))
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
    _, opds = opd_map()
    return sorted(opds[o].name for o in scope - final)


def paid_employees(run: PayrollRun, month: date) -> dict[int, tuple[str, int | None, list[int]]]:
    """employee id → (snapshot JSON of the latest final regular/compensating run, OPD, run ids) for `month`,
    limited to the run's OPD."""
    scope = set(scope_opd_ids(run))
    out: dict[int, tuple[str, int | None, list[int]]] = {}
    for eid, inputs, opd, rid in db.session.execute(
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs, PayrollRunEmployee.opd_id, PayrollRun.id)
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(paying(month))
        .order_by(PayrollRunEmployee.employee_id, PayrollRun.id)
    ):
        if opd not in scope:
            continue
        ids = out[eid][2] if eid in out else []
        out[eid] = (inputs, opd, [*ids, rid])  # the later run (a compensation) carries the corrected inputs
    return out


def masa_of(month: date, ids: set[int], exclude: Collection[int] = ()) -> dict[int, MasaBayar]:
    """What every final run of the payment month (any kind) holds per employee; `exclude`: runs a correction
    recomputes (the run it corrects and that run's earlier corrections)."""
    rows = db.session.execute(
        select(
            PayrollRunEmployee.employee_id,
            func.sum(PayrollRunEmployee.bruto_pph),
            func.sum(PayrollRunEmployee.pph21),
            func.sum(PayrollRunEmployee.iuran_pensiun),
        )
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(PayrollRun.month == month, PayrollRun.status == RunStatus.FINAL, PayrollRun.id.not_in(list(exclude)))
        .group_by(PayrollRunEmployee.employee_id)
    )
    return {eid: MasaBayar(int(b or 0), int(p or 0), int(i or 0)) for eid, b, p, i in rows if eid in ids}


def tpp_sebulan(month: date, ids: set[int]) -> dict[int, int]:
    """TPP received for `month` (TPP_KINERJA + TPP_DISIPLIN of the final regular and compensating runs)."""
    rows = db.session.execute(
        select(PayrollLine.employee_id, func.sum(PayrollLine.amount))
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(paying(month), PayrollLine.code.in_(KOMPONEN_TPP))
        .group_by(PayrollLine.employee_id)
    )
    return {eid: int(a or 0) for eid, a in rows if eid in ids}


def snapshot_inputs(text: str) -> EmployeeInputs:
    """`EmployeeInputs` from a run's canonical snapshot JSON; equal to `codec.decode(EmployeeInputs, …)` (a test
    keeps the two equal) but written out because a rapel reads one per employee and month."""
    return _inputs_from(json.loads(text))


def _inputs_from(d: dict) -> EmployeeInputs:
    jenis, pred, ytd = d["jenis_tunjangan_jabatan"], d["predikat"], d["ytd"]
    return EmployeeInputs(
        status=StatusAsn(d["status"]),
        golongan=d["golongan"],
        mkg=d["mkg"],
        ptkp_status=d[PTKP_JSON_KEY],
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
        ytd=YtdValues(ytd["bruto"], ytd["pph21"], ytd["iuran_pensiun"], ytd["bulan_bekerja"], ytd.get("zakat", 0)),
        manual=manual_from(d.get("manual", ())),
        # voluntary deductions (issue 20); absent in snapshots stored before them
        potongan_lain=tuple(decode(PotonganTetap, p) for p in d.get("potongan_lain", ())),
    )


def rapel_from(text: str) -> RapelInputs:
    """Inverse of `rapel_json` (equal to `codec.decode(RapelInputs, …)`, a test keeps them equal)."""
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


def rapel_json(months: list[tuple[date, str, dict[str, Dibayar], list[int]]], bayar: str, masa: MasaBayar) -> str:
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


def dump_json(value) -> str:
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def rows_from_slip(run_id: int, eid: int, opd, snapshot: str, slip, lh, ih) -> tuple[tuple, list[tuple]]:
    lines, pen, pot = [], 0, 0
    lh.update(f"E{eid}\n".encode())
    ih.update(f"{eid}|{snapshot}\n".encode())
    for seq, ln in enumerate(slip.lines):
        ij = line_inputs_json(ln.inputs)
        kind, bagian = ln.kind.value, ln.bagian.value
        pen += ln.amount if ln.kind is LineKind.PENGHASILAN else 0
        pot += ln.amount if ln.kind is LineKind.POTONGAN else 0
        lines.append((run_id, eid, seq, ln.code, ln.label, ln.amount, kind, bagian, ln.citation, ln.rule_version, ij))
        lh.update(line_hash_text(seq, ln.code, ln.amount, kind, bagian, ln.rule_version, ij).encode())
    emp = (run_id, eid, opd, snapshot, pen, pot, pen - pot, slip.bruto_pph, slip.pph21, slip.iuran_pensiun)
    return emp, lines


def rapel_paid(
    months: list[date], ids: list[int], exclude: Collection[int] = ()
) -> dict[tuple[int, date], dict[str, Dibayar]]:
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
        .where(paying(*months), PayrollLine.employee_id.in_(ids))
        .order_by(PayrollLine.run_id, PayrollLine.employee_id, PayrollLine.seq)
    ):
        add(eid, m, code, label, amount, kind, bagian)
    wanted = {m.isoformat() for m in months}
    rapel = aliased(PayrollRun)  # a rapel's corrections count as paid for its months too (corrections.py)
    for eid, _m, code, label, amount, kind, bagian, inputs in db.session.execute(
        select(*cols, PayrollLine.inputs)
        .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
        .where(
            or_(
                PayrollRun.kind == RunKind.RAPEL,
                PayrollRun.original_run_id.in_(select(rapel.id).where(rapel.kind == RunKind.RAPEL)),
            ),
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.period_start <= months[-1],
            PayrollRun.period_end >= months[0],
            PayrollRun.id.not_in(list(exclude)),
            PayrollLine.employee_id.in_(ids),
        )
        .order_by(PayrollLine.run_id, PayrollLine.employee_id, PayrollLine.seq)
    ):
        for_month = dict(json.loads(inputs)).get("bulan")
        if for_month in wanted:
            add(eid, date.fromisoformat(for_month), code, label.removeprefix("Rapel "), amount, kind, bagian)
    return paid
