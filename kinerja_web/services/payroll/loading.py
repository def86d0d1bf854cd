"""Loading a month set-wise: employees, positions, family, attendance, predikat and status periods in a
few queries, and the per-employee `EmployeeInputs` built from them (with their JSON snapshot)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from json.encoder import encode_basestring as _json_str
from typing import NamedTuple

from sqlalchemy import func, or_, select

from ...domain.org import StatusAsn
from ...domain.payroll import (
    PTKP_JSON_KEY,
    AttendanceEvent,
    EmployeeInputs,
    ResolvedRules,
    RuleVersion,
    YtdValues,
)
from ...domain.payroll.lines import JenisTunjanganJabatan
from ...domain.payroll.manual import ManualAmount
from ...domain.payroll.status import StatusPeriod, statuses_for_month
from ...domain.payroll.tables import TunjanganJabatanTable
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    Attendance,
    Employee,
    FamilyMember,
    FamilyRelation,
    PayrollRun,
    PayrollRunEmployee,
    PayrollStatusPeriod,
    Position,
    PositionKind,
    RunKind,
    RunStatus,
)
from ...models.org import position_full_name
from ..org.units import opd_map
from . import deductions, ptkp_years, ytd_import
from .manual import approved_manual, manual_json
from .months import month_end
from .predikat import predikat_for
from .runs import scope_opd_ids


class EmployeeRow(NamedTuple):
    """One employee of a run's population as loaded (the position's kind, name and jenjang go to `jabatan`)."""

    id: int
    nip: str
    name: str
    status_asn: object  # StatusAsn (or its value)
    golongan: str | None
    mkg_years: int | None
    ptkp_status: str | None
    unit_id: int
    kelas_jabatan: int | None
    opd_id: int | None


@dataclass
class LoadedMonth:
    """Everything a run needs, read set-wise (a handful of queries, not one per employee)."""

    employees: list[EmployeeRow]
    family: dict[int, tuple[bool, int]]  # employee id → (spouse tertunjang, anak tertunjang)
    attendance: dict[int, list[AttendanceEvent]]
    predikat: dict[int, tuple[Predikat, str]]
    ytd: dict[int, YtdValues]
    # employee id → TPP status codes of the month (cuti sebulan, tugas belajar, hukdis; CPNS is added later)
    status_tpp: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # employee id → (amount, jenis, dasar) of the tunjangan jabatan from the `tunjangan_jabatan` rule table
    jabatan: dict[int, tuple[int, JenisTunjanganJabatan, str]] = field(default_factory=dict)
    manual: dict[int, tuple[ManualAmount, ...]] = field(default_factory=dict)  # approved manual amounts
    # employee id → voluntary deductions and recovery of the month (`services.payroll.deductions`)
    potongan: dict[int, tuple] = field(default_factory=dict)


def tunjangan_jabatan_of(
    version: RuleVersion[TunjanganJabatanTable] | None, kind, name: str, jenjang: str | None
) -> tuple[int, JenisTunjanganJabatan, str] | None:
    """(amount, jenis, dasar) for a post from the table in force, or None (→ tunjangan umum).

    The dasar names the row, the citation and the version, and travels in the employee's snapshotted
    inputs, so the payslip line explains itself and `flask payroll verify` reproduces it."""
    if version is None or kind is None:
        return None
    kind_value = kind.value if hasattr(kind, "value") else str(kind)
    row = version.data.match(kind_value, name or "", jenjang)
    if row is None:
        return None
    jenis = JenisTunjanganJabatan.FUNGSIONAL if kind_value == "fungsional" else JenisTunjanganJabatan.STRUKTURAL
    # The dasar depends on the row only (not the post's own name), so posts sharing a row share one
    # memoised gaji part in `compute_monthly`.
    if row.eselon:
        what = f"{PositionKind(kind_value).label}, eselon {row.eselon}"
        if row.nama:
            what = f"{row.nama}, eselon {row.eselon}"
    else:
        what = position_full_name(row.nama or name or "", PositionKind(kind_value), row.jenjang or jenjang)
    note = f"; {row.keterangan}" if row.keterangan else ""
    dasar = f"{version.citation} — {what}{note} (versi {version.version_id})"
    return row.amount, jenis, dasar


def status_periods_in(month: date, employee_ids: Iterable[int] | None = None) -> dict[int, list[StatusPeriod]]:
    """Status periods touching `month`, per employee, in one query."""
    stmt = select(
        PayrollStatusPeriod.employee_id, PayrollStatusPeriod.kind, PayrollStatusPeriod.mulai, PayrollStatusPeriod.sampai
    ).where(
        PayrollStatusPeriod.mulai <= month_end(month),
        or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= month),
    )
    if employee_ids is not None:
        stmt = stmt.where(PayrollStatusPeriod.employee_id.in_(list(employee_ids)))
    out: dict[int, list[StatusPeriod]] = defaultdict(list)
    for eid, kind, mulai, sampai in db.session.execute(stmt):
        out[eid].append(StatusPeriod(kind, mulai, sampai))
    return dict(out)


def load_month(run: PayrollRun, resolved: ResolvedRules | None = None) -> LoadedMonth:
    month = run.month
    unit_opd, _ = opd_map()
    scope = set(scope_opd_ids(run))
    units = [u for u, o in unit_opd.items() if o in scope]
    rows = db.session.execute(
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.status_asn,
            Employee.golongan,
            Employee.mkg_years,
            Employee.ptkp_status,
            Employee.unit_id,
            Position.kelas_jabatan,
            Position.kind.label("position_kind"),
            Position.name.label("position_name"),
            Position.jenjang.label("position_jenjang"),
        )
        .outerjoin(Position, Position.id == Employee.position_id)
        .where(Employee.active.is_(True), Employee.unit_id.in_(units))
        .order_by(Employee.id)
    ).all()
    if run.kind is RunKind.COMPENSATING and run.original_run_id:
        orig = set(
            db.session.scalars(
                select(PayrollRunEmployee.employee_id).where(PayrollRunEmployee.run_id == run.original_run_id)
            )
        )
        rows = [r for r in rows if r.id in orig]
    employees = [EmployeeRow(*r[:9], unit_opd.get(r.unit_id)) for r in rows]
    ids = {r.id for r in employees}
    # PTKP status of the month's tax year (issue 20): the stored per-year row wins over the current field.
    per_year = ptkp_years.statuses(ids, month.year)
    if per_year:
        employees = [e._replace(ptkp_status=per_year.get(e.id, e.ptkp_status)) for e in employees]
    tj_version = resolved.tunjangan_jabatan if resolved is not None else None
    per_post: dict[tuple, tuple | None] = {}  # a few hundred distinct posts for thousands of employees
    jabatan = {}
    for r in rows:
        post = (r.position_kind, r.position_name, r.position_jenjang)
        if post not in per_post:
            per_post[post] = tunjangan_jabatan_of(tj_version, *post)
        if per_post[post] is not None:
            jabatan[r.id] = per_post[post]
    few = len(ids) < 1000  # IN lists for small runs; whole tables filtered in Python for big ones
    fam_stmt = select(FamilyMember.employee_id, FamilyMember.relation, func.count()).where(
        FamilyMember.receives_allowance.is_(True)
    )
    if few:
        fam_stmt = fam_stmt.where(FamilyMember.employee_id.in_(ids))
    family: dict[int, list] = {}
    for eid, rel, n in db.session.execute(fam_stmt.group_by(FamilyMember.employee_id, FamilyMember.relation)):
        if eid not in ids:
            continue
        spouse, kids = family.get(eid, (False, 0))
        if rel == FamilyRelation.ANAK:
            kids += n
        else:
            spouse = True
        family[eid] = (spouse, kids)
    att_stmt = select(
        Attendance.employee_id,
        Attendance.tanggal,
        Attendance.terlambat_menit,
        Attendance.pulang_cepat_menit,
        Attendance.kode_absen,
    ).where(Attendance.tanggal.between(month, month_end(month)))
    if few:
        att_stmt = att_stmt.where(Attendance.employee_id.in_(ids))
    attendance: dict[int, list[AttendanceEvent]] = defaultdict(list)
    for eid, day, late, early, code in db.session.execute(
        att_stmt.order_by(Attendance.employee_id, Attendance.tanggal)
    ):
        if eid in ids and (late or early or code):  # plain on-time days change nothing
            attendance[eid].append(AttendanceEvent(day, late or 0, early or 0, code))
    ytd: dict[int, YtdValues] = {}
    if month.month > 1:
        y = db.session.execute(
            select(
                PayrollRunEmployee.employee_id,
                func.sum(PayrollRunEmployee.bruto_pph),
                func.sum(PayrollRunEmployee.pph21),
                func.sum(PayrollRunEmployee.iuran_pensiun),
                func.count(func.distinct(PayrollRun.month)),
            )
            .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
            .where(
                PayrollRun.status == RunStatus.FINAL,
                PayrollRun.month >= month.replace(month=1),
                PayrollRun.month < month,
            )
            .group_by(PayrollRunEmployee.employee_id)
        )
        ytd = {eid: YtdValues(int(b), int(p), int(i), int(n)) for eid, b, p, i, n in y if eid in ids}
        ytd = ytd_import.add_imported(ytd, ids, month)  # months paid before Kinerja (mid-year go-live)
    potongan, zakat = deductions.month_inputs(run, ids)
    for eid, paid in zakat.items():
        ytd[eid] = replace(ytd.get(eid, YtdValues()), zakat=paid)
    periods = status_periods_in(month, ids if few else None)
    status_tpp = {}
    for eid, ps in periods.items():
        codes = statuses_for_month(ps, month)
        if eid in ids and codes:
            status_tpp[eid] = codes
    manual = approved_manual(month, ids)
    return LoadedMonth(
        employees, family, dict(attendance), predikat_for(ids, month), ytd, status_tpp, jabatan, manual, potongan
    )


def build_inputs(row: EmployeeRow, loaded: LoadedMonth) -> EmployeeInputs:
    eid, _nip, _name, status, golongan, mkg, ptkp, _unit, kelas, _opd = row
    spouse, kids = loaded.family.get(eid, (False, 0))
    pred = loaded.predikat.get(eid)
    tj = loaded.jabatan.get(eid)
    # an employee without a tunjangan jabatan row keeps EmployeeInputs' defaults (tunjangan umum applies)
    jabatan = (
        {}
        if tj is None
        else {"tunjangan_jabatan": tj[0], "jenis_tunjangan_jabatan": tj[1], "dasar_tunjangan_jabatan": tj[2]}
    )
    return EmployeeInputs(
        status=StatusAsn(status.value if hasattr(status, "value") else status),
        golongan=golongan,
        mkg=mkg or 0,
        ptkp_status=ptkp,
        suami_istri_ditanggung=spouse,
        jumlah_anak_ditanggung=kids,
        **jabatan,
        kelas_jabatan=kelas,
        predikat=pred[0] if pred else None,
        attendance=tuple(loaded.attendance.get(eid, ())),
        status_tpp=loaded.status_tpp.get(eid, ()),
        ytd=loaded.ytd.get(eid, YtdValues()),
        manual=loaded.manual.get(eid, ()),
        potongan_lain=loaded.potongan.get(eid, ()),
    )


def inputs_json(i: EmployeeInputs) -> str:
    """Canonical JSON of an employee's inputs; equal to `json.dumps(codec.encode(i), sort_keys=True)` (a unit
    test keeps the two equal) but written out by hand because it runs once per employee per run."""
    d = {
        "attendance": [
            {
                "kode_absen": e.kode_absen,
                "pulang_cepat_menit": e.pulang_cepat_menit,
                "tanggal": e.tanggal.isoformat(),
                "terlambat_menit": e.terlambat_menit,
            }
            for e in i.attendance
        ],
        "dasar_tunjangan_jabatan": i.dasar_tunjangan_jabatan,
        "golongan": i.golongan,
        "jenis_tunjangan_jabatan": i.jenis_tunjangan_jabatan.value if i.jenis_tunjangan_jabatan else None,
        "jumlah_anak_ditanggung": i.jumlah_anak_ditanggung,
        "kelas_jabatan": i.kelas_jabatan,
        "masa_pajak_terakhir": i.masa_pajak_terakhir,
        "mkg": i.mkg,
        "potongan_lain": [
            {
                "dasar": p.dasar,
                "jenis": p.jenis.value,
                "jumlah": p.jumlah,
                "penerima": p.penerima,
                "persen": None if p.persen is None else str(p.persen),
                "ref": p.ref,
                "sisa": p.sisa,
            }
            for p in i.potongan_lain
        ],
        "predikat": i.predikat.value if i.predikat else None,
        "status": i.status.value,
        PTKP_JSON_KEY: i.ptkp_status,  # the stored name (codec alias)
        "status_tpp": list(i.status_tpp),
        "suami_istri_ditanggung": i.suami_istri_ditanggung,
        "tunjangan_jabatan": i.tunjangan_jabatan,
        "ytd": {
            "bruto": i.ytd.bruto,
            "bulan_bekerja": i.ytd.bulan_bekerja,
            "iuran_pensiun": i.ytd.iuran_pensiun,
            "pph21": i.ytd.pph21,
            "zakat": i.ytd.zakat,
        },
        "manual": [manual_json(m) for m in i.manual],
    }
    return json.dumps(d, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def line_inputs_json(inputs: tuple) -> str:
    """`Line.inputs` as a JSON list of [code, value]; Decimal and date as strings (exact).

    Byte-identical to `json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), default=str)` (a unit
    test keeps them equal), written out for the value types lines carry because it runs ~40k times per run.
    """
    out = []
    for code, value in inputs:
        t = type(value)
        if t is str:
            v = _json_str(value)
        elif t is int:
            v = int.__repr__(value)
        elif t is bool:
            v = "true" if value else "false"
        elif t is Decimal or t is date:
            v = _json_str(str(value))
        elif value is None:
            v = "null"
        else:  # anything else: the general encoder
            return json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), default=str)
        if type(code) is not str:
            return json.dumps(inputs, ensure_ascii=False, separators=(",", ":"), default=str)
        out.append(f"[{_json_str(code)},{v}]")
    return "[" + ",".join(out) + "]"
