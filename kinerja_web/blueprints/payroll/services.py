"""Payroll application layer: rules from rows, attendance and predikat inputs, set-wise runs, approval,
variance review, outputs and reproducibility checks (issue 7; domain reference §4–§6).

Services flush, never commit; the view (or job/CLI) commits once. A run is computed in ONE transaction:
a crash or kill half-way leaves no half-written run.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import time
from collections import defaultdict
from collections.abc import Iterable
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from json.encoder import encode_basestring as _json_str

from flask import current_app
from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ... import audit, exports, uploads
from ...domain import DomainError
from ...domain.labels import bulan, persen, rupiah, tanggal
from ...domain.payroll import (
    AttendanceEvent,
    Bagian,
    EmployeeInputs,
    Line,
    LineKind,
    PayrollRules,
    ResolvedRules,
    RuleVersion,
    StatusPegawai,
    YtdValues,
    compute_monthly,
    default_rules,
    describe_inputs,
    first_of_month,
)
from ...domain.payroll.codec import decode, encode, payload_types, rules_from_rows
from ...domain.payroll.lines import JenisTunjanganJabatan
from ...domain.payroll.separation import RunPart
from ...domain.payroll.separation import refusal as separation_refusal
from ...domain.payroll.status import STATUS_KINDS, StatusPeriod, check_period, counts_for_month, statuses_for_month
from ...domain.payroll.tables import TunjanganJabatanTable
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    Attendance,
    AttendanceSource,
    Employee,
    FamilyMember,
    FamilyRelation,
    PayrollLine,
    PayrollPredikat,
    PayrollRuleVersion,
    PayrollRun,
    PayrollRunContributor,
    PayrollRunEmployee,
    PayrollRunScope,
    PayrollStatusPeriod,
    Position,
    PositionKind,
    RunKind,
    RunStatus,
    Unit,
    UnitKind,
    User,
    utcnow,
)
from ...models.org import position_full_name


class PayrollRefused(DomainError):
    """The run refuses to compute: `problems` lists every reason (Indonesian); nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("Perhitungan ditolak: " + " ".join(problems[:20]) + (" …" if len(problems) > 20 else ""))
        self.problems = problems


# ------------------------------------------------------------------------------------------- months


def parse_month(text: str) -> date:
    """ "2026-10" → date(2026, 10, 1); `DomainError` otherwise."""
    try:
        year, month = text.strip().split("-")[:2]
        return date(int(year), int(month), 1)
    except (ValueError, AttributeError) as e:
        raise DomainError(f"Bulan '{text}' tidak sah; gunakan format TTTT-BB, misalnya 2026-10.", "month") from e


def month_end(month: date) -> date:
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def previous_month(month: date) -> date:
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)


# -------------------------------------------------------------------------------------------- rules


def rule_labels() -> dict[str, str]:
    from .special import SPECIAL_RULE_CODE, SPECIAL_RULE_LABEL

    return {**{t.code: t.label for t in default_rules().tables()}, SPECIAL_RULE_CODE: SPECIAL_RULE_LABEL}


def seed_rules(actor_id: int | None = None) -> int:
    """Store the shipped default versions that are not in the database yet (`flask payroll muat-aturan`)."""
    have = set(db.session.scalars(select(PayrollRuleVersion.version_id)))
    added = 0
    for table in default_rules().tables():
        for v in table.versions:
            if v.version_id in have:
                continue
            db.session.add(
                PayrollRuleVersion(
                    code=table.code,
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
    from .special import seed_special_rules

    return added + seed_special_rules(actor_id)


def load_rules(extra: Iterable = ()) -> PayrollRules:
    """All stored versions as `PayrollRules` (plus `extra` candidate rows, for validating an edit)."""
    rows = list(db.session.scalars(select(PayrollRuleVersion))) + list(extra)
    return rules_from_rows(rows, rule_labels())


@dataclass
class RuleVersionDraft:
    code: str
    version_id: str
    berlaku_mulai: date
    berlaku_sampai: date | None
    citation: str
    data: dict


def add_rule_version(draft: RuleVersionDraft, actor: User) -> PayrollRuleVersion:
    """Add a version after checking its payload and the table's effective dates (overlap, gap): the whole
    rule set must stay valid. `PayrollRefused` lists the problems (Indonesian)."""
    from .special import SPECIAL_RULE_CODE, check_special_draft

    if draft.code not in payload_types() and draft.code != SPECIAL_RULE_CODE:
        raise PayrollRefused([f"Tabel aturan '{draft.code}' tidak dikenal."])
    if db.session.scalar(select(PayrollRuleVersion.id).where(PayrollRuleVersion.version_id == draft.version_id)):
        raise PayrollRefused([f"Kode versi '{draft.version_id}' sudah dipakai."])
    if draft.code == SPECIAL_RULE_CODE:
        problems = check_special_draft(draft)
    else:
        decode(payload_types()[draft.code], draft.data)  # DomainError on a malformed payload
        rules = load_rules([draft])
        table = getattr(rules, draft.code)
        problems = table.problems()
        for v in table.versions:
            check = getattr(v.data, "problems", None)
            if check is not None:
                problems += [f"Versi '{v.version_id}': {p}" for p in check()]
    if problems:
        raise PayrollRefused(problems)
    row = PayrollRuleVersion(
        code=draft.code,
        version_id=draft.version_id,
        berlaku_mulai=draft.berlaku_mulai,
        berlaku_sampai=draft.berlaku_sampai,
        citation=draft.citation,
        data=draft.data,
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def resolved_from_ids(version_ids: dict[str, str]) -> ResolvedRules:
    """The exact rule versions a run recorded (for reproducing it), regardless of later edits."""
    types_ = payload_types()
    rows = {
        r.version_id: r
        for r in db.session.scalars(
            select(PayrollRuleVersion).where(PayrollRuleVersion.version_id.in_(list(version_ids.values())))
        )
    }
    out = {}
    for code, vid in version_ids.items():
        r = rows.get(vid)
        if r is None:
            raise DomainError(f"Versi aturan '{vid}' yang dipakai run ini tidak ditemukan lagi.")
        out[code] = RuleVersion(
            r.version_id, r.berlaku_mulai, r.citation, decode(types_[code], r.data), r.berlaku_sampai
        )
    return ResolvedRules(**out)


# ----------------------------------------------------------------------------------------- predikat


def predikat_for(employee_ids: Iterable[int], month: date) -> dict[int, tuple[Predikat, str]]:
    """Predikat kinerja per employee for the month's TPP, with its source text.

    THE SEAM for the evaluation feature: today it reads `PayrollPredikat` rows (entered/imported by HR
    or the finance operator); the evaluation feature will write those rows (or replace this function).
    """
    month = first_of_month(month)
    ids = list(employee_ids)
    stmt = select(PayrollPredikat.employee_id, PayrollPredikat.predikat, PayrollPredikat.source).where(
        PayrollPredikat.month == month
    )
    if len(ids) < 1000:
        stmt = stmt.where(PayrollPredikat.employee_id.in_(ids))
    wanted = set(ids)
    return {eid: (Predikat(p), src) for eid, p, src in db.session.execute(stmt) if eid in wanted}


def set_predikat(employee: Employee, month: date, predikat: Predikat, source: str, actor: User | None = None) -> bool:
    """Record the month's predikat (audited); True when it differs from the one recorded before. `actor` is
    recorded as a maker of the runs that use it."""
    month = first_of_month(month)
    row = db.session.scalar(
        select(PayrollPredikat).where(PayrollPredikat.employee_id == employee.id, PayrollPredikat.month == month)
    )
    if row is None:
        row = PayrollPredikat(employee_id=employee.id, month=month)
        db.session.add(row)
    changed = row.predikat != predikat.value
    row.predikat, row.source = predikat.value, source
    row.recorded_by_id = actor.id if actor else None
    db.session.flush()
    return changed


def runs_past_recompute(month: date, employee_ids: Iterable[int]) -> list[PayrollRun]:
    """The month's monthly runs (reguler, kompensasi) paying one of `employee_ids` that can no longer be
    recomputed (diverifikasi, disetujui, final): a changed input of theirs is paid only by a compensating run,
    which recomputes the month from the inputs recorded now (their own snapshot never changes)."""
    ids = list(employee_ids)
    if not ids:
        return []
    paying = select(PayrollRunEmployee.run_id).where(PayrollRunEmployee.employee_id.in_(ids))
    return list(
        db.session.scalars(
            select(PayrollRun)
            .where(
                PayrollRun.month == first_of_month(month),
                PayrollRun.kind.in_([RunKind.REGULAR, RunKind.COMPENSATING]),
                PayrollRun.status.in_([RunStatus.DIVERIFIKASI, RunStatus.DISETUJUI, RunStatus.FINAL]),
                PayrollRun.id.in_(paying),
            )
            .order_by(PayrollRun.id)
        )
    )


# --------------------------------------------------------------------------------------- attendance

ATTENDANCE_COLUMNS = ("nip", "tanggal", "terlambat_menit", "pulang_cepat_menit", "kode_absen", "jenis_cuti")
PREDIKAT_COLUMNS = ("nip", "predikat", "sumber")


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV (`,` or `;`) or XLSX upload with lower-cased headers; `DomainError` when unreadable."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        records = [["" if v is None else _cell(v) for v in row] for row in uploads.read_sheet(content, field="file")]
    elif name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise DomainError("Berkas CSV harus berenkode UTF-8.", "file") from e
        first = text.split("\n", 1)[0]
        try:
            records = uploads.read_csv(text, ";" if first.count(";") > first.count(",") else ",", field="file")
        except csv.Error as e:
            raise DomainError("Berkas CSV tidak dapat dibaca. Simpan ulang dari Excel sebagai CSV.", "file") from e
    else:
        raise DomainError("Berkas harus CSV atau XLSX.", "file")
    if not records:
        return []
    header = [h.strip().lower() for h in records[0]]
    return [
        {h: (rec[i] if i < len(rec) else "") for i, h in enumerate(header) if h}
        for rec in records[1:]
        if any(c.strip() for c in rec)
    ]


def _cell(v) -> str:
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _minutes(raw: str, label: str) -> tuple[int | None, str | None]:
    raw = (raw or "").strip()
    if raw == "":
        return 0, None
    try:
        value = int(raw)
    except ValueError:
        return None, f"{label} '{raw}' bukan bilangan bulat."
    if value < 0:
        return None, f"{label} tidak boleh negatif ({value})."
    return value, None


def known_attendance_codes(rules: PayrollRules, month: date) -> set[str]:
    conf = rules.tpp_potongan_disiplin.in_force(month).data
    return {c.upper() for c in conf.kode_tanpa_potongan} | {b.kode_absen.upper() for b in conf.bands if b.kode_absen}


def import_attendance(filename: str, content: bytes, month: date, actor: User) -> ImportResult:
    """All-or-nothing import of one month's attendance export; per-row Indonesian errors (row 2 = first data)."""
    month = first_of_month(month)
    res = ImportResult()
    try:
        rows = read_table(filename, content)
    except DomainError as e:
        res.errors.append((0, e.message))
        return res
    if not rows:
        res.errors.append((0, "Berkas tidak berisi baris data."))
        return res
    missing = [c for c in ATTENDANCE_COLUMNS[:2] if c not in rows[0]]
    if missing:
        res.errors.append((1, f"Kolom wajib tidak ada: {', '.join(missing)}. Kolom: {', '.join(ATTENDANCE_COLUMNS)}."))
        return res
    nips = {r.get("nip", "").replace(" ", "") for r in rows}
    emp_ids = dict(db.session.execute(select(Employee.nip, Employee.id).where(Employee.nip.in_(nips))).all())
    existing = set(
        db.session.execute(
            select(Attendance.employee_id, Attendance.tanggal).where(
                Attendance.tanggal.between(month, month_end(month)),
                Attendance.employee_id.in_(list(emp_ids.values())),
            )
        ).all()
    )
    try:
        codes = known_attendance_codes(load_rules(), month)
    except DomainError:
        codes = None
    seen: dict[tuple[int, date], int] = {}
    out = []
    for i, r in enumerate(rows, start=2):
        errs = []
        nip = r.get("nip", "").replace(" ", "")
        eid = emp_ids.get(nip)
        if eid is None:
            errs.append(f"NIP '{nip}' tidak dikenal." if nip else "NIP kosong.")
        day = None
        try:
            day = date.fromisoformat(r.get("tanggal", "").strip())
        except ValueError:
            errs.append(f"Tanggal '{r.get('tanggal', '')}' tidak sah (format TTTT-BB-HH).")
        if day is not None and (day.year, day.month) != (month.year, month.month):
            errs.append(f"Tanggal {tanggal(day)} di luar bulan {bulan(month)}.")
        late, e1 = _minutes(r.get("terlambat_menit", ""), "Menit terlambat")
        early, e2 = _minutes(r.get("pulang_cepat_menit", ""), "Menit pulang cepat")
        errs += [e for e in (e1, e2) if e]
        code = (r.get("kode_absen") or "").strip().upper() or None
        if code and codes is not None and code not in codes:
            errs.append(f"Kode absen '{code}' tidak dikenal dalam aturan potongan TPP.")
        if eid is not None and day is not None:
            if (eid, day) in seen:
                errs.append(f"Hari {tanggal(day)} untuk NIP {nip} ganda (sama dengan baris {seen[(eid, day)]}).")
            elif (eid, day) in existing:
                errs.append(f"Kehadiran NIP {nip} tanggal {tanggal(day)} sudah ada; gunakan koreksi manual.")
            seen.setdefault((eid, day), i)
        if errs:
            res.errors += [(i, e) for e in errs]
            continue
        out.append(
            {
                "employee_id": eid,
                "tanggal": day,
                "terlambat_menit": late,
                "pulang_cepat_menit": early,
                "kode_absen": code,
                "jenis_cuti": (r.get("jenis_cuti") or "").strip() or None,
                "source": AttendanceSource.IMPORT,
                "correction_reason": None,
                "recorded_by_id": actor.id,
            }
        )
    if res.errors:
        return res
    db.session.execute(insert(Attendance), out)
    audit.record(
        db.session,
        "import_attendance",
        "attendance",
        None,
        f"Impor kehadiran {bulan(month)}: {len(out)} baris dari {filename}",
    )
    res.rows = len(out)
    return res


def correct_attendance(
    employee: Employee,
    day: date,
    terlambat: int,
    pulang_cepat: int,
    kode_absen: str | None,
    jenis_cuti: str | None,
    reason: str,
    actor: User | None = None,
) -> Attendance:
    """Manual correction of one day (audited automatically: before/after and the reason); `actor` is
    recorded as a maker of the runs that use the day."""
    if not (reason or "").strip():
        raise DomainError("Alasan koreksi wajib diisi.", "reason")
    if terlambat < 0 or pulang_cepat < 0:
        raise DomainError("Menit terlambat/pulang cepat tidak boleh negatif.", "terlambat_menit")
    code = (kode_absen or "").strip().upper() or None
    if code and code not in known_attendance_codes(load_rules(), day):
        raise DomainError(f"Kode absen '{code}' tidak dikenal dalam aturan potongan TPP.", "kode_absen")
    row = db.session.scalar(select(Attendance).where(Attendance.employee_id == employee.id, Attendance.tanggal == day))
    if row is None:
        row = Attendance(employee_id=employee.id, tanggal=day)
        db.session.add(row)
    row.terlambat_menit, row.pulang_cepat_menit = terlambat, pulang_cepat
    row.kode_absen, row.jenis_cuti = code, (jenis_cuti or "").strip() or None
    row.source, row.correction_reason = AttendanceSource.MANUAL, reason.strip()
    row.recorded_by_id = actor.id if actor else None
    db.session.flush()
    return row


def attendance_of(employee_id: int, month: date) -> list[Attendance]:
    return list(
        db.session.scalars(
            select(Attendance)
            .where(Attendance.employee_id == employee_id, Attendance.tanggal.between(month, month_end(month)))
            .order_by(Attendance.tanggal)
        )
    )


# --------------------------------------------------------------------------------------------- runs


def opd_map() -> tuple[dict[int, int], dict[int, Unit]]:
    """unit id → id of its OPD (the Pemda for the top node), and the OPD/Pemda units by id."""
    units = {u.id: u for u in db.session.scalars(select(Unit))}
    parents = {u.id: u.parent_id for u in units.values()}
    out: dict[int, int] = {}
    for uid in units:
        node, seen = uid, set()
        while units[node].kind not in (UnitKind.OPD, UnitKind.PEMDA) and parents[node] and node not in seen:
            seen.add(node)
            node = parents[node]
        out[uid] = node
    opds = {i: u for i, u in units.items() if u.kind in (UnitKind.OPD, UnitKind.PEMDA)}
    return out, opds


def _lock_runs() -> None:
    """Serialise run creation (the overlap check, then the insert) between concurrent requests."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(func.pg_advisory_xact_lock(7007)))


def create_run(
    month: date,
    opd_ids: list[int] | None,
    actor: User,
    kind: RunKind = RunKind.REGULAR,
    original: PayrollRun | None = None,
    reason: str | None = None,
) -> PayrollRun:
    """A draft run for the whole Pemda (`opd_ids=None`) or the chosen OPD. A second run of the same kind for
    the same month and an overlapping population is refused (service check under a lock, plus the unique
    (month, opd, slot) rows as the database's backstop). Compensating runs reference a FINAL original."""
    month = first_of_month(month)
    _, opds = opd_map()
    if kind is RunKind.COMPENSATING:
        if original is None or original.status != RunStatus.FINAL:
            raise DomainError("Run koreksi harus merujuk run asli yang sudah final.", "original")
        if original.kind in (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL):
            raise DomainError(
                f"Run kompensasi hanya untuk gaji bulanan; run {original.kind.label} yang sudah final tidak "
                f"dikoreksi lewat run kompensasi.",
                "original",
            )
        if not (reason or "").strip():
            raise DomainError("Alasan koreksi wajib diisi.", "reason")
        month = original.month
        opd_ids = [s.opd_id for s in original.scope_rows]
    whole = opd_ids is None
    chosen = sorted(opds) if whole else sorted(set(opd_ids))
    if not chosen:
        raise DomainError("Pilih minimal satu OPD.", "opd_ids")
    unknown = [i for i in chosen if i not in opds]
    if unknown:
        raise DomainError("OPD yang dipilih tidak dikenal.", "opd_ids")
    run = PayrollRun(
        month=month,
        kind=kind,
        whole_pemda=whole,
        original_run_id=original.id if original else None,
        reason=reason,
        prepared_by_id=actor.id,
        status=RunStatus.DRAFT,
    )
    if kind is not RunKind.COMPENSATING:
        _lock_runs()
        taken = db.session.execute(
            select(PayrollRunScope.opd_id, PayrollRunScope.run_id).where(
                PayrollRunScope.month == month, PayrollRunScope.slot == kind.value, PayrollRunScope.opd_id.in_(chosen)
            )
        ).all()
        if taken:
            names = ", ".join(sorted({opds[o].name for o, _ in taken}))
            raise DomainError(
                f"Sudah ada run {kind.label} bulan {bulan(month)} untuk: {names}. Run kedua untuk bulan dan "
                f"pegawai yang sama ditolak; koreksi dilakukan lewat run kompensasi.",
                "opd_ids",
            )
        run.scope_rows = [PayrollRunScope(month=month, opd_id=o, slot=kind.value) for o in chosen]
    else:
        run.scope_rows = [PayrollRunScope(month=month, opd_id=o, slot=f"k{original.id}") for o in chosen]
    db.session.add(run)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as e:
        raise DomainError(
            f"Sudah ada run {kind.label} bulan {bulan(month)} untuk sebagian OPD yang dipilih; run kedua ditolak.",
            "opd_ids",
        ) from e
    return run


def scope_opd_ids(run: PayrollRun) -> list[int]:
    return [s.opd_id for s in run.scope_rows]


def population_count(run: PayrollRun) -> int:
    """How many active employees the run covers (decides inline compute vs background job)."""
    unit_opd, _ = opd_map()
    scope = set(scope_opd_ids(run))
    units = [u for u, o in unit_opd.items() if o in scope]
    return db.session.scalar(
        select(func.count(Employee.id)).where(Employee.active.is_(True), Employee.unit_id.in_(units))
    )


@dataclass
class LoadedMonth:
    """Everything a run needs, read set-wise (a handful of queries, not one per employee)."""

    employees: list[tuple]  # (id, nip, name, status, golongan, mkg, ptkp, unit_id, kelas_jabatan, opd_id)
    family: dict[int, tuple[bool, int]]  # employee id → (spouse tertunjang, anak tertunjang)
    attendance: dict[int, list[AttendanceEvent]]
    predikat: dict[int, tuple[Predikat, str]]
    ytd: dict[int, YtdValues]
    # employee id → TPP status codes of the month (cuti sebulan, tugas belajar, hukdis; CPNS is added later)
    status_tpp: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # employee id → (amount, jenis, dasar) of the tunjangan jabatan from the `tunjangan_jabatan` rule table
    jabatan: dict[int, tuple[int, JenisTunjanganJabatan, str]] = field(default_factory=dict)


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
            Position.kind,
            Position.name,
            Position.jenjang,
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
        rows = [r for r in rows if r[0] in orig]
    employees = [(*r[:9], unit_opd.get(r[7])) for r in rows]
    ids = {r[0] for r in employees}
    tj_version = resolved.tunjangan_jabatan if resolved is not None else None
    per_post: dict[tuple, tuple | None] = {}  # a few hundred distinct posts for thousands of employees
    jabatan = {}
    for r in rows:
        post = (r[9], r[10], r[11])
        if post not in per_post:
            per_post[post] = tunjangan_jabatan_of(tj_version, *post)
        if per_post[post] is not None:
            jabatan[r[0]] = per_post[post]
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
    periods = status_periods_in(month, ids if few else None)
    status_tpp = {}
    for eid, ps in periods.items():
        codes = statuses_for_month(ps, month)
        if eid in ids and codes:
            status_tpp[eid] = codes
    return LoadedMonth(employees, family, dict(attendance), predikat_for(ids, month), ytd, status_tpp, jabatan)


def build_inputs(row: tuple, loaded: LoadedMonth) -> EmployeeInputs:
    eid, _nip, _name, status, golongan, mkg, ptkp, _unit, kelas, _opd = row
    spouse, kids = loaded.family.get(eid, (False, 0))
    pred = loaded.predikat.get(eid)
    tj = loaded.jabatan.get(eid)
    if tj is not None:
        return EmployeeInputs(
            status=StatusPegawai(status.value if hasattr(status, "value") else status),
            golongan=golongan,
            mkg=mkg or 0,
            status_ptkp=ptkp,
            suami_istri_ditanggung=spouse,
            jumlah_anak_ditanggung=kids,
            tunjangan_jabatan=tj[0],
            jenis_tunjangan_jabatan=tj[1],
            dasar_tunjangan_jabatan=tj[2],
            kelas_jabatan=kelas,
            predikat=pred[0] if pred else None,
            attendance=tuple(loaded.attendance.get(eid, ())),
            status_tpp=loaded.status_tpp.get(eid, ()),
            ytd=loaded.ytd.get(eid, YtdValues()),
        )
    return EmployeeInputs(
        status=StatusPegawai(status.value if hasattr(status, "value") else status),
        golongan=golongan,
        mkg=mkg or 0,
        status_ptkp=ptkp,
        suami_istri_ditanggung=spouse,
        jumlah_anak_ditanggung=kids,
        kelas_jabatan=kelas,
        predikat=pred[0] if pred else None,
        attendance=tuple(loaded.attendance.get(eid, ())),
        status_tpp=loaded.status_tpp.get(eid, ()),
        ytd=loaded.ytd.get(eid, YtdValues()),
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
        "predikat": i.predikat.value if i.predikat else None,
        "status": i.status.value,
        "status_ptkp": i.status_ptkp,
        "status_tpp": list(i.status_tpp),
        "suami_istri_ditanggung": i.suami_istri_ditanggung,
        "tunjangan_jabatan": i.tunjangan_jabatan,
        "ytd": {
            "bruto": i.ytd.bruto,
            "bulan_bekerja": i.ytd.bulan_bekerja,
            "iuran_pensiun": i.ytd.iuran_pensiun,
            "pph21": i.ytd.pph21,
        },
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


LINE_COLUMNS = (
    "run_id",
    "employee_id",
    "seq",
    "code",
    "label",
    "amount",
    "kind",
    "bagian",
    "citation",
    "rule_version",
    "inputs",
)
EMPLOYEE_COLUMNS = (
    "run_id",
    "employee_id",
    "opd_id",
    "inputs",
    "penghasilan",
    "potongan",
    "netto",
    "bruto_pph",
    "pph21",
    "iuran_pensiun",
)


def copy_field(value) -> str:
    """One value in PostgreSQL COPY text format (backslash, tab, newline and CR escaped; None = \\N)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    text = value if isinstance(value, str) else str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def line_hash_text(seq: int, code: str, amount: int, kind: str, bagian: str, rv: str, inputs: str) -> str:
    return f"{seq}|{code}|{amount}|{kind}|{bagian}|{rv}|{inputs}\n"


@dataclass
class Computed:
    employee_rows: list[tuple]  # EMPLOYEE_COLUMNS
    line_rows: list[tuple] | list[str]  # LINE_COLUMNS tuples, or chunks of COPY text lines when `copy_text`
    lines_hash: str
    input_hash: str
    problems: list[str]
    totals: tuple[int, int] = (0, 0)  # penghasilan, potongan


@contextmanager
def gc_paused():
    """No cyclic garbage collection inside: a run builds ~200k acyclic tuples and strings, and each full
    collection would scan all of them (and the whole app) for nothing. Nests; restores the previous state."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_VALUE = {m: m.value for enum in (LineKind, Bagian) for m in enum}
STREAM_EVERY = 200  # employees per chunk of COPY text handed to the sink
PROGRESS_EVERY = 500  # employees between progress reports


def _render_part(part: tuple[Line, ...], offset: int, copy_text: bool, ij_cache: dict, esc: dict) -> tuple:
    """One group of consecutive payslip lines starting at seq `offset`, rendered for writing:
    (part, hash text bytes, row tails for LINE_COLUMNS[2:] or COPY text lines without the run/employee
    prefix, penghasilan, potongan)."""
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
    return part, "".join(texts).encode(), tuple(outs), pen, pot


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
    rendered: dict[tuple[int, int], tuple] = {}  # (id(part), offset) → _render_part(…); keeps the part alive
    ij_cache: dict[tuple, str] = {}
    esc: dict[str, str] = {}
    total = len(employees)
    tot_pen = tot_pot = 0
    with gc_paused():
        for n, row in enumerate(employees, start=1):
            eid = row[0]
            inputs = inputs_of(row)
            hit = memo.get(inputs)
            if hit is None:
                try:
                    slip = compute_monthly(inputs, rules, month, slip_memo)
                except DomainError as e:
                    problems.append(f"{row[2]} (NIP {row[1]}): {e.message}")
                    continue
                blobs, outs = [], []
                pen = pot = offset = 0
                for part in slip.parts or (slip.lines,):
                    r = rendered.get((id(part), offset))
                    if r is None or r[0] is not part:
                        r = rendered[(id(part), offset)] = _render_part(part, offset, copy_text, ij_cache, esc)
                    blobs.append(r[1])
                    outs += r[2]
                    pen += r[3]
                    pot += r[4]
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
            emp_rows.append((run_id, eid, row[9], ij_emp, pen, pot, pen - pot, bruto, pph, iuran))
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


def bulk_insert(table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows straight to the DBAPI in the session's transaction: COPY on PostgreSQL, executemany on SQLite.
    (One ORM object per line would cost seconds for ~150k lines.)"""
    if not rows:
        return
    conn = db.session.connection()
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as cp:
                if isinstance(rows[0], str):  # pre-rendered chunks of COPY text lines
                    for text in rows:
                        cp.write(text)
                else:
                    for r in rows:
                        cp.write_row(r)
        return
    if conn.dialect.name == "sqlite":
        marks = ", ".join("?" * len(columns))
        cur = raw.cursor()
        try:
            cur.executemany(f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows)
        finally:
            cur.close()
        return
    db.session.execute(insert(table), [dict(zip(columns, r, strict=True)) for r in rows])


class CopyStream:
    """`COPY … FROM STDIN` on the session's connection (same transaction), written to while the run is still
    computing, so PostgreSQL (another process, the other core) stores lines while Python computes the next.

    `pause()` ends the current COPY statement (needed before any other statement on this connection, such as
    a progress update in the request's session); the next `write` starts a new one. Leaving the `with` block
    on an exception aborts the COPY (the caller's savepoint then discards what was sent).
    """

    def __init__(self, table, columns: tuple[str, ...]):
        self.sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        self._open: ExitStack | None = None
        self._copy = None

    def write(self, text: str) -> None:
        if self._open is None:
            stack = ExitStack()
            cursor = stack.enter_context(db.session.connection().connection.driver_connection.cursor())
            self._copy = stack.enter_context(cursor.copy(self.sql))
            self._open = stack
        self._copy.write(text)

    def pause(self, exc: BaseException | None = None) -> None:
        """End the current COPY statement (abort it when `exc` is given)."""
        stack, self._open, self._copy = self._open, None, None
        if stack is not None:
            stack.__exit__(type(exc) if exc else None, exc, exc.__traceback__ if exc else None)

    def __enter__(self) -> CopyStream:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.pause(exc)


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
        from .special import compute_special_run

        compute_special_run(run, actor, progress)
    else:
        with gc_paused():
            _compute_run(run, progress, timings if timings is not None else {})
    record_contributors(run, actor)
    return run


def input_makers(run: PayrollRun) -> set[tuple[int, RunPart]]:
    """Who entered the month's inputs that the run's computation read, for the run's employees: attendance
    (imported or corrected), predikat and TPP status periods. THR, gaji ke-13 and rapel runs read only final
    runs, whose own makers were checked then."""
    if run.kind not in (RunKind.REGULAR, RunKind.COMPENSATING):
        return set()
    month = run.month
    in_run = select(PayrollRunEmployee.employee_id).where(PayrollRunEmployee.run_id == run.id)
    sources = (
        (
            RunPart.ATTENDANCE,
            Attendance.recorded_by_id,
            and_(Attendance.tanggal.between(month, month_end(month)), Attendance.employee_id.in_(in_run)),
        ),
        (
            RunPart.PREDIKAT,
            PayrollPredikat.recorded_by_id,
            and_(PayrollPredikat.month == month, PayrollPredikat.employee_id.in_(in_run)),
        ),
        (
            RunPart.STATUS_TPP,
            PayrollStatusPeriod.created_by_id,
            and_(
                PayrollStatusPeriod.mulai <= month_end(month),
                or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= month),
                PayrollStatusPeriod.employee_id.in_(in_run),
            ),
        ),
    )
    out: set[tuple[int, RunPart]] = set()
    for part, column, where in sources:
        out |= {(uid, part) for uid in db.session.scalars(select(column).where(where, column.is_not(None)).distinct())}
    return out


def record_contributors(run: PayrollRun, actor: User) -> None:
    """After a computation: the actor joins the run's computers (kept across recomputes) and the input makers
    are replaced by those of the inputs this computation used."""
    now = utcnow()
    wanted = input_makers(run) | {(actor.id, RunPart.COMPUTED)}
    current = {(c.user_id, c.part): c for c in run.contributors}
    for key, row in current.items():
        if row.part is not RunPart.COMPUTED and key not in wanted:
            run.contributors.remove(row)
    for user_id, part in sorted(wanted):
        row = current.get((user_id, part))
        if row is None:
            run.contributors.append(PayrollRunContributor(user_id=user_id, part=part, at=now))
        else:
            row.at = now
    db.session.flush()


def _compute_run(run: PayrollRun, progress, timings: dict) -> PayrollRun:
    t0 = time.perf_counter()
    if run.status not in (RunStatus.DRAFT, RunStatus.DIHITUNG):
        raise DomainError(f"Run berstatus {run.status.label}; hanya draf atau hasil hitung yang dapat dihitung ulang.")
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
        raise PayrollRefused(["Tidak ada pegawai aktif dalam cakupan run ini."])
    if run.kind is not RunKind.REGULAR and run.kind is not RunKind.COMPENSATING:
        raise PayrollRefused([f"Run {run.kind.label} belum didukung."])
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


def apply_compensation(computed: Computed, original_run_id: int) -> Computed:
    """A compensating run pays only the difference against its (final) original: per employee and component,
    recomputed amount − original amount; components that disappeared come back negated. Employees whose pay
    did not change keep a row with zero net pay and no lines."""
    original: dict[int, dict[str, tuple]] = defaultdict(dict)
    for eid, code, label, amount, kind, bagian in db.session.execute(
        select(
            PayrollLine.employee_id,
            PayrollLine.code,
            PayrollLine.label,
            PayrollLine.amount,
            PayrollLine.kind,
            PayrollLine.bagian,
        ).where(PayrollLine.run_id == original_run_id)
    ):
        original[eid][code] = (label, int(amount), kind, bagian)
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
            code, amount = r[3], r[5]
            old = before.pop(code, None)
            delta = amount - (old[1] if old else 0)
            if delta:
                out.append((*r[:5], delta, *r[6:]))
        note = f"Pembalikan komponen run #{original_run_id}"
        for code, (label, amount, kind, bagian) in before.items():
            if amount:
                out.append((run_id, eid, 0, code, label, -amount, kind, bagian, note, f"run#{original_run_id}", "[]"))
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


INLINE_MAX = 1500  # bigger populations compute as a background job with progress


def compute_job(job, progress) -> dict:
    run = db.session.get(PayrollRun, job.params["run_id"])
    actor = db.session.get(User, job.created_by_id)
    compute_run(run, actor, progress=progress)
    db.session.commit()
    return {"run_id": run.id, "employees": run.employee_count}


# ----------------------------------------------------------------------------------------- workflow

_NEXT = {
    "verify": (RunStatus.DIHITUNG, RunStatus.DIVERIFIKASI, "verified_by_id", "verified_at"),
    "approve": (RunStatus.DIVERIFIKASI, RunStatus.DISETUJUI, "approved_by_id", "approved_at"),
    "finalise": (RunStatus.DISETUJUI, RunStatus.FINAL, "finalised_by_id", "finalised_at"),
}
_DONE_MSG = {
    "verify": "Run ini sudah diverifikasi.",
    "approve": "Run ini sudah disetujui.",
    "finalise": "Run ini sudah final.",
}


def transition(run: PayrollRun, step: str, actor: User) -> bool:
    """Move the run one step with a conditional UPDATE … WHERE status = <expected>: a double click (or two
    officials at once) changes it exactly once. Returns False when it had already moved.

    Maker-checker-approver (`domain.payroll.separation.refusal`, the same rule the pages ask through
    `access`): checked with the run row locked (PostgreSQL), so no recompute slips in between."""
    src, dst, who_col, when_col = _NEXT[step]
    db.session.refresh(run, with_for_update=True)
    db.session.expire(run, ["contributors"])
    if run.status == src:
        reason = separation_refusal(step, actor.id, run.contributions)
        if reason:
            raise DomainError(reason)
    t = PayrollRun.__table__
    cond = [t.c.id == run.id, t.c.status == src.value]
    res = db.session.execute(
        update(t).where(and_(*cond)).values(status=dst.value, **{who_col: actor.id, when_col: utcnow()})
    )
    db.session.refresh(run)
    if res.rowcount == 1:
        audit.record(db.session, step, "payroll_run", run.id, f"{run.title}: {src.label} → {dst.label}")
        db.session.flush()
        return True
    order = list(RunStatus)
    if order.index(run.status) >= order.index(dst):
        return False
    raise DomainError(f"Run berstatus {run.status.label}; langkah ini belum dapat dilakukan.")


def delete_draft(run: PayrollRun) -> None:
    if run.status not in (RunStatus.DRAFT, RunStatus.DIHITUNG):
        raise DomainError("Hanya run draf atau hasil hitung yang dapat dihapus.")
    db.session.execute(delete(PayrollLine).where(PayrollLine.run_id == run.id))
    db.session.execute(delete(PayrollRunEmployee).where(PayrollRunEmployee.run_id == run.id))
    db.session.delete(run)
    db.session.flush()


# ----------------------------------------------------------------------------------------- variance


@dataclass(frozen=True)
class VarianceItem:
    category: str
    employee_id: int
    nip: str
    name: str
    reason: str


def previous_run_nets(run: PayrollRun) -> dict[int, int]:
    """Net pay per employee in the final regular (+compensating) runs of the previous month."""
    prev = previous_month(run.month)
    rows = db.session.execute(
        select(PayrollRunEmployee.employee_id, func.sum(PayrollRunEmployee.netto))
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(
            PayrollRun.month == prev,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.kind.in_([RunKind.REGULAR, RunKind.COMPENSATING]),
        )
        .group_by(PayrollRunEmployee.employee_id)
    )
    return {eid: int(n) for eid, n in rows}


def variance(run: PayrollRun, threshold: Decimal | None = None) -> list[VarianceItem]:
    """Before verification: net change above the threshold vs last month, new and missing employees, zero or
    negative lines — each with its reason."""
    if threshold is None:
        threshold = Decimal(str(current_app.config.get("PAYROLL_VARIANCE_PERCENT", "10"))) / 100
    names = {
        eid: (nip, name)
        for eid, nip, name in db.session.execute(
            select(Employee.id, Employee.nip, Employee.name)
            .join(PayrollRunEmployee, PayrollRunEmployee.employee_id == Employee.id)
            .where(PayrollRunEmployee.run_id == run.id)
        )
    }
    current = dict(
        db.session.execute(
            select(PayrollRunEmployee.employee_id, PayrollRunEmployee.netto).where(PayrollRunEmployee.run_id == run.id)
        ).all()
    )
    # THR, gaji ke-13 and rapel are not compared with last month's gaji (only their zero/negative lines)
    prev = previous_run_nets(run) if run.kind in (RunKind.REGULAR, RunKind.COMPENSATING) else {}
    items: list[VarianceItem] = []
    had_prev = bool(prev)
    scope = set(scope_opd_ids(run))
    for eid, net in sorted(current.items()):
        nip, name = names[eid]
        if eid not in prev:
            if had_prev:
                items.append(
                    VarianceItem("baru", eid, nip, name, f"Tidak ada di gaji {bulan(previous_month(run.month))}.")
                )
            continue
        before = prev[eid]
        if before and abs(Decimal(net - before)) / abs(Decimal(before)) > threshold:
            change = Decimal(net - before) / abs(Decimal(before))
            items.append(
                VarianceItem(
                    "selisih",
                    eid,
                    nip,
                    name,
                    f"Gaji bersih {rupiah(before)} → {rupiah(net)} ({'+' if change > 0 else ''}{persen(change.quantize(PERSEN_1))}), "
                    f"melebihi batas {persen(threshold)}.",
                )
            )
        if net <= 0:
            items.append(VarianceItem("nol", eid, nip, name, f"Gaji bersih {rupiah(net)} (nol atau negatif)."))
    if had_prev:
        missing = [e for e in prev if e not in current]
        if missing:
            unit_opd, _ = opd_map()
            for eid, nip, name, unit_id, active in db.session.execute(
                select(Employee.id, Employee.nip, Employee.name, Employee.unit_id, Employee.active).where(
                    Employee.id.in_(missing)
                )
            ):
                if unit_opd.get(unit_id) in scope or not active:
                    why = "pegawai tidak aktif lagi" if not active else "tidak termasuk perhitungan bulan ini"
                    items.append(VarianceItem("hilang", eid, nip, name, f"Ada di gaji bulan lalu; {why}."))
    # a rapel's lines are signed differences by design: only its net pay is checked
    zero_lines = select(PayrollLine.employee_id, PayrollLine.code, PayrollLine.label, PayrollLine.amount).where(
        PayrollLine.run_id == run.id, PayrollLine.amount <= 0, PayrollLine.kind != "info"
    )
    for eid, code, label, amount in db.session.execute(zero_lines) if run.kind is not RunKind.RAPEL else ():
        nip, name = names[eid]
        items.append(
            VarianceItem(
                "baris", eid, nip, name, f"Baris {label} ({code}) bernilai {rupiah(amount)}{_zero_reason(code)}."
            )
        )
    return items


PERSEN_1 = Decimal("0.001")  # net change shown to one decimal of a percent


def _zero_reason(code: str) -> str:
    return {
        "TPP_KINERJA": " — periksa predikat dan faktor status",
        "TPP_DISIPLIN": " — potongan disiplin mencapai batas atau faktor status nol",
        "POT_PPH": " — penghasilan di bawah lapisan TER pertama",
        "POT_PPH_TPP": " — PPh atas TPP nihil",
        "TJ_PPH": " — PPh nihil",
    }.get(code, "")


# ------------------------------------------------------------------------------------------ outputs


def run_employees(run: PayrollRun, opd_id: int | None = None) -> list[tuple]:
    """(employee id, nip, name, golongan, opd id, bank, account, penghasilan, potongan, netto) ordered."""
    stmt = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.golongan,
            PayrollRunEmployee.opd_id,
            Employee.bank_name,
            Employee.bank_account,
            PayrollRunEmployee.penghasilan,
            PayrollRunEmployee.potongan,
            PayrollRunEmployee.netto,
        )
        .join(PayrollRunEmployee, PayrollRunEmployee.employee_id == Employee.id)
        .where(PayrollRunEmployee.run_id == run.id)
        .order_by(PayrollRunEmployee.opd_id, Employee.name, Employee.id)
    )
    if opd_id is not None:
        stmt = stmt.where(PayrollRunEmployee.opd_id == opd_id)
    return list(db.session.execute(stmt).all())


def daftar_gaji(run: PayrollRun, opd_id: int | None = None) -> tuple[list[tuple[str, str]], list[dict]]:
    """The daftar gaji: columns (code, label) in first-seen order and one dict per employee."""
    emps = run_employees(run, opd_id)
    ids = {e[0] for e in emps}
    columns: dict[str, str] = {}
    amounts: dict[int, dict[str, int]] = defaultdict(dict)
    stmt = select(PayrollLine.employee_id, PayrollLine.code, PayrollLine.label, PayrollLine.amount).where(
        PayrollLine.run_id == run.id
    )
    if opd_id is not None:
        stmt = stmt.where(PayrollLine.employee_id.in_(ids))
    for eid, code, label, amount in db.session.execute(stmt.order_by(PayrollLine.employee_id, PayrollLine.seq)):
        columns.setdefault(code, label)
        amounts[eid][code] = amounts[eid].get(code, 0) + amount
    rows = [
        {
            "employee_id": e[0],
            "nip": e[1],
            "nama": e[2],
            "golongan": e[3],
            "amounts": amounts[e[0]],
            "penghasilan": e[7],
            "potongan": e[8],
            "netto": e[9],
        }
        for e in emps
    ]
    return list(columns.items()), rows


def daftar_gaji_xlsx(run: PayrollRun, opd_id: int | None, opd_name: str) -> bytes:
    columns, rows = daftar_gaji(run, opd_id)
    wb = exports.workbook(write_only=True)  # thousands of rows: streamed, so each row goes through exports.row
    ws = wb.create_sheet("Daftar Gaji")
    ws.append(exports.row([f"Daftar gaji {bulan(run.month)} — {opd_name} ({run.status.label})"]))
    ws.append(
        exports.row(
            [
                "No",
                "NIP",
                "Nama",
                "Golongan",
                *[label for _, label in columns],
                "Jumlah penghasilan",
                "Jumlah potongan",
                "Gaji bersih",
            ]
        )
    )
    for i, r in enumerate(rows, start=1):
        ws.append(
            exports.row(
                [
                    i,
                    r["nip"],
                    r["nama"],
                    r["golongan"],
                    *[r["amounts"].get(c, 0) for c, _ in columns],
                    r["penghasilan"],
                    r["potongan"],
                    r["netto"],
                ]
            )
        )
    ws.append(
        [
            "",
            "",
            "Jumlah",
            "",
            *[sum(r["amounts"].get(c, 0) for r in rows) for c, _ in columns],
            sum(r["penghasilan"] for r in rows),
            sum(r["potongan"] for r in rows),
            sum(r["netto"] for r in rows),
        ]
    )
    return exports.xlsx_bytes(wb)


# Bank file layout: (CSV header, field). Override with app config PAYROLL_BANK_COLUMNS.
DEFAULT_BANK_COLUMNS = (
    ("No", "no"),
    ("Nama Bank", "bank"),
    ("Nomor Rekening", "rekening"),
    ("Nama Pemilik", "nama"),
    ("NIP", "nip"),
    ("Jumlah", "jumlah"),
    ("Keterangan", "keterangan"),
)


def bank_csv(run: PayrollRun, columns=None, delimiter: str | None = None) -> str:
    """One line per employee (net pay of the run) in the configured column layout (app config
    PAYROLL_BANK_COLUMNS: (header, field) pairs over no, bank, rekening, nama, nip, jumlah, keterangan)."""
    columns = columns or current_app.config.get("PAYROLL_BANK_COLUMNS") or DEFAULT_BANK_COLUMNS
    delimiter = delimiter or current_app.config.get("PAYROLL_BANK_DELIMITER", ",")
    buf = io.StringIO()
    w = exports.CsvWriter(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow([h for h, _ in columns])
    note = f"Gaji dan TPP {bulan(run.month)}"
    if run.kind in (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL):
        from .special import bank_note

        note = bank_note(run)
    employees = run_employees(run)
    if run.kind is RunKind.COMPENSATING:  # a correction transfers only the non-zero differences
        employees = [e for e in employees if e[9]]
    for i, e in enumerate(employees, start=1):
        values = {
            "no": i,
            "bank": e[5] or "",
            "rekening": e[6] or "",
            "nama": e[2],
            "nip": e[1],
            "jumlah": e[9],
            "keterangan": note,
        }
        w.writerow([values[f] for _, f in columns])
    return buf.getvalue()


def recap(run: PayrollRun) -> list[dict]:
    _, opds = opd_map()
    rows = db.session.execute(
        select(
            PayrollRunEmployee.opd_id,
            func.count(),
            func.sum(PayrollRunEmployee.penghasilan),
            func.sum(PayrollRunEmployee.potongan),
            func.sum(PayrollRunEmployee.netto),
        )
        .where(PayrollRunEmployee.run_id == run.id)
        .group_by(PayrollRunEmployee.opd_id)
    ).all()
    out = [
        {
            "opd_id": o,
            "opd": opds[o].name if o in opds else "-",
            "pegawai": n,
            "penghasilan": int(p or 0),
            "potongan": int(q or 0),
            "netto": int(t or 0),
        }
        for o, n, p, q, t in rows
    ]
    return sorted(out, key=lambda r: r["opd"])


# -------------------------------------------------------------------------------------------- slips


def _line_from_row(r: PayrollLine) -> Line:
    inputs = tuple((k, v) for k, v in json.loads(r.inputs))
    return Line(r.code, r.label, r.amount, LineKind(r.kind), Bagian(r.bagian), r.citation, r.rule_version, inputs)


def slip_context(run: PayrollRun, employee: Employee) -> dict | None:
    """Plain data of one employee's slip and explanation (for the HTML page now, the PDF service later)."""
    re_ = db.session.scalar(
        select(PayrollRunEmployee).where(
            PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.employee_id == employee.id
        )
    )
    if re_ is None:
        return None
    rows = db.session.scalars(
        select(PayrollLine)
        .where(PayrollLine.run_id == run.id, PayrollLine.employee_id == employee.id)
        .order_by(PayrollLine.seq)
    )
    lines = []
    for r in rows:
        ln = _line_from_row(r)
        lines.append(
            {
                "code": ln.code,
                "label": ln.label,
                "amount": ln.amount,
                "kind": ln.kind.value,
                "kind_label": ln.kind.label,
                "bagian": ln.bagian.value,
                "bagian_label": ln.bagian.label,
                "citation": ln.citation,
                "rule_version": ln.rule_version,
                "inputs": describe_inputs(ln),
            }
        )
    inputs = json.loads(re_.inputs)
    # THR/gaji ke-13/rapel snapshots wrap the employee's monthly inputs (see special.py)
    inputs = inputs.get("pegawai_bayar") or inputs.get("pegawai") or inputs
    pred = inputs.get("predikat")
    recorded = db.session.execute(
        select(PayrollPredikat.predikat, PayrollPredikat.source).where(
            PayrollPredikat.employee_id == employee.id, PayrollPredikat.month == run.month
        )
    ).first()
    # The source of a predikat changed after this run (waiting for a compensating run) is not this run's.
    source = recorded.source if recorded and recorded.predikat == pred else None
    _, opds = opd_map()
    return {
        "run_id": run.id,
        "run_title": run.title,
        "run_status": run.status.label,
        "month": run.month.isoformat(),
        "month_label": bulan(run.month),
        "employee": {
            "id": employee.id,
            "nip": employee.nip,
            "nama": employee.full_name,
            "golongan": employee.golongan,
            "jabatan": employee.position.full_name if employee.position else "",
            "opd": opds[re_.opd_id].name if re_.opd_id in opds else "",
            "status_ptkp": inputs.get("status_ptkp"),
            "bank": employee.bank_name,
            "rekening": employee.bank_account,
        },
        "predikat": Predikat(pred).label if pred else None,
        "predikat_source": source,
        "attendance": _attendance_dicts(employee.id, run.month),
        "status_periods": _status_period_dicts(employee.id, run.month, inputs.get("status_tpp") or []),
        "lines": lines,
        "penghasilan": re_.penghasilan,
        "potongan": re_.potongan,
        "netto": re_.netto,
        "rule_versions": run.rule_versions or {},
    }


def _status_period_dicts(employee_id: int, month: date, used: list[str]) -> list[dict]:
    """The status periods behind the TPP status codes the run used for this employee (with their SK)."""
    if not used:
        return []
    labels = default_rules().tpp_faktor_status.versions[-1].data.label
    rows = db.session.scalars(
        select(PayrollStatusPeriod)
        .where(
            PayrollStatusPeriod.employee_id == employee_id,
            PayrollStatusPeriod.kind.in_(used),
            PayrollStatusPeriod.mulai <= month_end(month),
            or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= month),
        )
        .order_by(PayrollStatusPeriod.mulai)
    )
    return [
        {
            "kind": p.kind,
            "kind_label": labels.get(p.kind, p.kind),
            "periode": f"{tanggal(p.mulai)} s.d. {tanggal(p.sampai) if p.sampai else 'sekarang'}",
            "dasar": p.dasar,
            "alasan": p.alasan,
        }
        for p in rows
    ]


# ------------------------------------------------------------------------------------ status periods


def status_kind_labels() -> dict[str, str]:
    from ...domain.payroll.defaults import LABEL_STATUS_TPP

    return {k: LABEL_STATUS_TPP.get(k, k) for k in STATUS_KINDS}


def add_status_period(
    employee: Employee, kind: str, mulai: date, sampai: date | None, dasar: str, alasan: str, actor: User
) -> PayrollStatusPeriod:
    """Record a TPP status period after the domain checks (kind, dates, no overlap with the same kind).
    `DomainError` carries the form field; the employee's rows are locked so two operators cannot race."""
    if not dasar.strip():
        raise DomainError("Dasar (nomor SK) wajib diisi.", field="dasar")
    existing = db.session.scalars(
        select(PayrollStatusPeriod).where(PayrollStatusPeriod.employee_id == employee.id).with_for_update()
    ).all()
    check_period(
        StatusPeriod(kind, mulai, sampai), [(StatusPeriod(p.kind, p.mulai, p.sampai), p.dasar) for p in existing]
    )
    row = PayrollStatusPeriod(
        employee_id=employee.id,
        kind=kind,
        mulai=mulai,
        sampai=sampai,
        dasar=dasar.strip(),
        alasan=alasan.strip(),
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.flush()
    return row


def end_status_period(period: PayrollStatusPeriod, sampai: date) -> None:
    """Set the last day of a period (an open-ended one, or shorten/extend one); same checks as adding."""
    others = db.session.scalars(
        select(PayrollStatusPeriod).where(
            PayrollStatusPeriod.employee_id == period.employee_id, PayrollStatusPeriod.id != period.id
        )
    ).all()
    check_period(
        StatusPeriod(period.kind, period.mulai, sampai),
        [(StatusPeriod(p.kind, p.mulai, p.sampai), p.dasar) for p in others],
    )
    period.sampai = sampai
    db.session.flush()


def status_periods_for(month: date, opd_id: int | None) -> list[tuple[PayrollStatusPeriod, Employee, bool]]:
    """Periods touching `month` (optionally of one OPD) with the employee and whether they count this month."""
    stmt = (
        select(PayrollStatusPeriod, Employee)
        .join(Employee, Employee.id == PayrollStatusPeriod.employee_id)
        .where(
            PayrollStatusPeriod.mulai <= month_end(month),
            or_(PayrollStatusPeriod.sampai.is_(None), PayrollStatusPeriod.sampai >= month),
        )
        .order_by(Employee.name, PayrollStatusPeriod.mulai)
    )
    if opd_id is not None:
        unit_opd, _ = opd_map()
        stmt = stmt.where(Employee.unit_id.in_([u for u, o in unit_opd.items() if o == opd_id]))
    return [
        (p, e, counts_for_month(StatusPeriod(p.kind, p.mulai, p.sampai), month))
        for p, e in db.session.execute(stmt).all()
    ]


def _attendance_dicts(employee_id: int, month: date) -> list[dict]:
    return [
        {
            "tanggal": a.tanggal.isoformat(),
            "tanggal_label": tanggal(a.tanggal),
            "terlambat_menit": a.terlambat_menit,
            "pulang_cepat_menit": a.pulang_cepat_menit,
            "kode_absen": a.kode_absen,
            "jenis_cuti": a.jenis_cuti,
            "source": a.source.label,
            "correction_reason": a.correction_reason,
        }
        for a in attendance_of(employee_id, month)
        if a.terlambat_menit or a.pulang_cepat_menit or a.kode_absen
    ]


def employee_runs(employee_id: int, final_only: bool) -> list[PayrollRun]:
    stmt = (
        select(PayrollRun)
        .join(PayrollRunEmployee, PayrollRunEmployee.run_id == PayrollRun.id)
        .where(PayrollRunEmployee.employee_id == employee_id)
        .order_by(PayrollRun.month.desc(), PayrollRun.id.desc())
    )
    if final_only:
        stmt = stmt.where(PayrollRun.status == RunStatus.FINAL)
    return list(db.session.scalars(stmt))


# ---------------------------------------------------------------------------------- reproducibility


@dataclass
class VerifyResult:
    run: PayrollRun
    recorded_hash: str
    stored_hash: str
    recomputed_hash: str

    @property
    def ok(self) -> bool:
        return self.recorded_hash == self.stored_hash == self.recomputed_hash


def stored_lines_hash(run: PayrollRun) -> str:
    """SHA-256 over the lines as stored, in the same order and format as `compute_lines`."""
    h = hashlib.sha256()
    last = None
    for eid, seq, code, amount, kind, bagian, rv, inputs in db.session.execute(
        select(
            PayrollLine.employee_id,
            PayrollLine.seq,
            PayrollLine.code,
            PayrollLine.amount,
            PayrollLine.kind,
            PayrollLine.bagian,
            PayrollLine.rule_version,
            PayrollLine.inputs,
        )
        .where(PayrollLine.run_id == run.id)
        .order_by(PayrollLine.employee_id, PayrollLine.seq)
    ):
        if eid != last:
            h.update(f"E{eid}\n".encode())
            last = eid
        h.update(line_hash_text(seq, code, int(amount), kind, bagian, rv, inputs).encode())
    return h.hexdigest()


def verify_run(run: PayrollRun) -> VerifyResult:
    """Recompute the run from its recorded rule versions and input snapshots (not today's data) and compare
    SHA-256 over the ordered lines with the recorded hash and the stored lines."""
    if run.kind in (RunKind.THR, RunKind.GAJI_13, RunKind.RAPEL):
        from .special import verify_special_run

        return verify_special_run(run)
    if not run.rule_versions or not run.lines_hash:
        raise DomainError(f"Run {run.title} belum dihitung; tidak ada yang dapat diverifikasi.")
    with gc_paused():
        return _verify_run(run)


def _verify_run(run: PayrollRun) -> VerifyResult:
    resolved = resolved_from_ids(run.rule_versions)
    snaps = db.session.execute(
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs, PayrollRunEmployee.opd_id)
        .where(PayrollRunEmployee.run_id == run.id)
        .order_by(PayrollRunEmployee.employee_id)
    ).all()
    rows = [(eid, "", "", None, None, None, None, None, None, opd) for eid, _, opd in snaps]
    by_id = {eid: inputs for eid, inputs, _ in snaps}
    computed = compute_lines(
        run.id, rows, lambda r: decode(EmployeeInputs, json.loads(by_id[r[0]])), resolved, run.month
    )
    if run.kind is RunKind.COMPENSATING and not computed.problems:
        computed = apply_compensation(computed, run.original_run_id)
    recomputed, problems = computed.lines_hash, computed.problems
    del computed
    if problems:
        raise PayrollRefused(problems)
    return VerifyResult(run, run.lines_hash or "", stored_lines_hash(run), recomputed)


def final_runs_of(month: date) -> list[PayrollRun]:
    return list(
        db.session.scalars(
            select(PayrollRun)
            .where(PayrollRun.month == month, PayrollRun.status == RunStatus.FINAL)
            .order_by(PayrollRun.id)
        )
    )
