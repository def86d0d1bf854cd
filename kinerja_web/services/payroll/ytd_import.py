"""Mid-year go-live (issue 20 item 9): the pay and PPh 21 of the tax year's months before Kinerja, imported
from an XLSX/CSV so the December (last-month) true-up sums the whole year.

Columns (first row, any order, case-insensitive; documented in the README and on the upload page):
NIP, TAHUN, MASA_AWAL, MASA_AKHIR, BRUTO, IURAN_PENSIUN, PPH21_DIPOTONG.

Preview first (every row checked, errors per row in Indonesian), then confirm: all or nothing, and
idempotent (the same file twice is one import; a row for an employee-year replaces the previous one).
"""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ... import exports
from ...domain import DomainError
from ...domain.labels import NAMA_BULAN
from ...domain.payroll import YtdValues
from ...domain.payroll.analysis import parse_rupiah
from ...extensions import db
from ...models import PayrollRun, PayrollRunEmployee, RunStatus, User, YtdEntry, YtdImport
from .attendance import read_table
from .predikat import employee_by_nip

COLUMNS = (
    ("nip", "NIP pegawai (18 digit)", "198001012005011001"),
    ("tahun", "Tahun pajak", "2026"),
    ("masa_awal", "Masa pajak pertama yang diimpor (1–12)", "1"),
    ("masa_akhir", "Masa pajak terakhir yang diimpor (1–12), sebelum bulan pertama di Kinerja", "6"),
    (
        "bruto",
        "Penghasilan bruto masa tersebut (gaji + tunjangan + TPP + premi pemberi kerja; tanpa tunjangan PPh)",
        "45000000",
    ),
    ("iuran_pensiun", "Iuran pensiun/THT yang dibayar pegawai (pengurang neto)", "2100000"),
    ("pph21_dipotong", "PPh Pasal 21 yang telah dipotong pada masa tersebut", "600000"),
)
ALIASES = {"pph21": "pph21_dipotong", "pph_dipotong": "pph21_dipotong", "iuran": "iuran_pensiun"}


@dataclass
class PreviewRow:
    line: int
    nip: str
    name: str = ""
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    employee_id: int | None = None
    replaces: bool = False


@dataclass
class Preview:
    rows: list[PreviewRow]
    sha256: str
    already: YtdImport | None = None

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


def _int(raw: str, label: str, errors: list[str], low: int, high: int) -> int | None:
    try:
        v = int(str(raw).strip())
    except ValueError:
        errors.append(f"{label} harus bilangan bulat.")
        return None
    if not low <= v <= high:
        errors.append(f"{label} harus antara {low} dan {high}.")
        return None
    return v


def _money(raw: str, label: str, errors: list[str]) -> int | None:
    try:
        return parse_rupiah(str(raw))
    except DomainError as e:
        errors.append(f"{label}: {e.message}")
        return None


def _kinerja_months(employee_id: int, tahun: int) -> list[int]:
    """Months of `tahun` the employee was paid by a final regular/compensating Kinerja run."""
    rows = db.session.scalars(
        select(PayrollRun.month)
        .join(PayrollRunEmployee, PayrollRunEmployee.run_id == PayrollRun.id)
        .where(
            PayrollRunEmployee.employee_id == employee_id,
            PayrollRun.status == RunStatus.FINAL,
            PayrollRun.month >= date(tahun, 1, 1),
            PayrollRun.month <= date(tahun, 12, 1),
        )
        .distinct()
    )
    return sorted({m.month for m in rows})


def preview(filename: str, content: bytes) -> Preview:
    """Every row parsed and checked; nothing written. `DomainError` only when the file itself is unreadable."""
    table = read_table(filename, content)
    sha = hashlib.sha256(content).hexdigest()
    if not table:
        raise DomainError("Berkas kosong: baris pertama judul kolom, lalu satu baris per pegawai.", "file")
    header = {ALIASES.get(k, k) for k in table[0]}
    missing = [c for c, _, _ in COLUMNS if c not in header]
    if missing:
        raise DomainError(f"Kolom wajib tidak ada: {', '.join(m.upper() for m in missing)}.", "file")
    out: list[PreviewRow] = []
    seen: dict[tuple[str, int], int] = {}
    for i, raw in enumerate(table, start=2):
        rec = {ALIASES.get(k, k): v for k, v in raw.items()}
        row = PreviewRow(line=i, nip=(rec.get("nip") or "").replace(" ", ""))
        errs = row.errors
        emp = employee_by_nip(row.nip)
        if emp is None:
            errs.append("NIP wajib diisi." if not row.nip else f"NIP {row.nip} tidak dikenal.")
        else:
            row.name, row.employee_id = emp.name, emp.id
        tahun = _int(rec.get("tahun", ""), "Tahun", errs, 2000, 2100)
        awal = _int(rec.get("masa_awal", ""), "Masa awal", errs, 1, 12)
        akhir = _int(rec.get("masa_akhir", ""), "Masa akhir", errs, 1, 12)
        if awal and akhir and akhir < awal:
            errs.append("Masa akhir tidak boleh sebelum masa awal.")
        bruto = _money(rec.get("bruto", ""), "Bruto", errs)
        iuran = _money(rec.get("iuran_pensiun", "") or "0", "Iuran pensiun", errs)
        pph = _money(rec.get("pph21_dipotong", "") or "0", "PPh 21 dipotong", errs)
        if bruto is not None and iuran is not None and iuran > bruto:
            errs.append("Iuran pensiun tidak boleh melebihi bruto.")
        if bruto is not None and pph is not None and pph > bruto:
            errs.append("PPh 21 dipotong tidak boleh melebihi bruto.")
        if tahun and row.nip:
            if (row.nip, tahun) in seen:
                errs.append(f"NIP dan tahun ini sudah ada pada baris {seen[(row.nip, tahun)]}.")
            seen.setdefault((row.nip, tahun), i)
        if emp is not None and tahun and awal and akhir and akhir >= awal:
            paid = [m for m in _kinerja_months(emp.id, tahun) if m <= akhir]
            if paid:
                names = ", ".join(NAMA_BULAN[m - 1] for m in paid)
                errs.append(
                    f"Bulan {names} {tahun} sudah dibayar melalui Kinerja (proses final); impor hanya untuk masa "
                    "sebelum bulan pertama di Kinerja."
                )
            existing = db.session.scalar(
                select(YtdEntry).where(YtdEntry.employee_id == emp.id, YtdEntry.tahun == tahun)
            )
            row.replaces = existing is not None
        row.values = {
            "tahun": tahun,
            "masa_awal": awal,
            "masa_akhir": akhir,
            "bruto": bruto,
            "iuran_pensiun": iuran,
            "pph21": pph,
        }
        out.append(row)
    already = db.session.scalar(select(YtdImport).where(YtdImport.sha256 == sha))
    return Preview(out, sha, already)


def confirm(filename: str, content: bytes, actor: User) -> tuple[YtdImport, bool]:
    """Write every row of the file, or none (`DomainError` when any row has an error). The same file a
    second time returns the first import and writes nothing (False)."""
    p = preview(filename, content)
    if p.already is not None:
        return p.already, False
    if not p.ok:
        raise DomainError(f"{p.error_count} baris bermasalah; tidak ada yang disimpan. Perbaiki lalu unggah ulang.")
    imp = YtdImport(filename=(filename or "")[:200], sha256=p.sha256, rows=len(p.rows), created_by_id=actor.id)
    db.session.add(imp)
    db.session.flush()
    for r in p.rows:
        v = r.values
        entry = db.session.scalar(
            select(YtdEntry).where(YtdEntry.employee_id == r.employee_id, YtdEntry.tahun == v["tahun"])
        )
        if entry is None:
            entry = YtdEntry(employee_id=r.employee_id, tahun=v["tahun"])
            db.session.add(entry)
        entry.masa_awal, entry.masa_akhir = v["masa_awal"], v["masa_akhir"]
        entry.bruto, entry.iuran_pensiun, entry.pph21 = v["bruto"], v["iuran_pensiun"], v["pph21"]
        entry.import_id = imp.id
    db.session.flush()
    return imp, True


def imported_ytd(employee_ids: Iterable[int] | None, month: date) -> dict[int, YtdValues]:
    """employee id → the imported sums of `month`'s tax year that lie before `month` (one query)."""
    stmt = select(
        YtdEntry.employee_id,
        func.sum(YtdEntry.bruto),
        func.sum(YtdEntry.pph21),
        func.sum(YtdEntry.iuran_pensiun),
        func.sum(YtdEntry.masa_akhir - YtdEntry.masa_awal + 1),
    ).where(YtdEntry.tahun == month.year, YtdEntry.masa_akhir < month.month)
    ids = None if employee_ids is None else set(employee_ids)
    out: dict[int, YtdValues] = defaultdict(YtdValues)
    for eid, b, p, i, n in db.session.execute(stmt.group_by(YtdEntry.employee_id)):
        if ids is None or eid in ids:
            out[eid] = YtdValues(int(b), int(p), int(i), int(n))
    return dict(out)


def add_imported(ytd: dict[int, YtdValues], employee_ids: Iterable[int], month: date) -> dict[int, YtdValues]:
    """`ytd` (from Kinerja's final runs) plus the imported months before go-live."""
    if month.month == 1:
        return ytd
    extra = imported_ytd(employee_ids, month)
    if not extra:
        return ytd
    out = dict(ytd)
    for eid, v in extra.items():
        k = out.get(eid, YtdValues())
        out[eid] = YtdValues(
            k.bruto + v.bruto, k.pph21 + v.pph21, k.iuran_pensiun + v.iuran_pensiun, k.bulan_bekerja + v.bulan_bekerja
        )
    return out


def entries(tahun: int | None = None) -> list[YtdEntry]:
    stmt = select(YtdEntry).order_by(YtdEntry.tahun.desc(), YtdEntry.employee_id)
    if tahun is not None:
        stmt = stmt.where(YtdEntry.tahun == tahun)
    return list(db.session.scalars(stmt))


def workbook(rows: list[list]) -> bytes:
    """An upload file: the column header, then `rows` (used by the demo seed and the tests)."""
    wb = exports.workbook()
    ws = wb.active
    ws.append([c.upper() for c, _, _ in COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
