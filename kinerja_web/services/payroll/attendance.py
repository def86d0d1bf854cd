"""Attendance inputs: reading an uploaded table, importing a month, correcting one day, listing an employee's month."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, insert, select

from ... import audit, uploads
from ...domain import DomainError
from ...domain.labels import bulan, tanggal
from ...domain.payroll import (
    PayrollRules,
    first_of_month,
)
from ...extensions import db
from ...models import (
    Attendance,
    AttendanceSource,
    Employee,
    User,
)
from .months import month_end
from .rules import load_rules

# --------------------------------------------------------------------------------------- attendance

ATTENDANCE_COLUMNS = ("nip", "tanggal", "terlambat_menit", "pulang_cepat_menit", "kode_absen", "jenis_cuti")
PREDIKAT_COLUMNS = ("nip", "predikat", "sumber")


@dataclass
class ImportResult:
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    employee_ids: set[int] = field(default_factory=set)


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
    res.employee_ids = {r["employee_id"] for r in out}
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


_OF_EMPLOYEE = (  # built once (the explanation page reads it on every request)
    select(Attendance)
    .where(
        Attendance.employee_id == bindparam("employee_id"),
        Attendance.tanggal.between(bindparam("start"), bindparam("end")),
    )
    .order_by(Attendance.tanggal)
)


def attendance_of(employee_id: int, month: date) -> list[Attendance]:
    params = {"employee_id": employee_id, "start": month, "end": month_end(month)}
    return list(db.session.scalars(_OF_EMPLOYEE, params))


def attendance_dicts(employee_id: int, month: date) -> list[dict]:
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
