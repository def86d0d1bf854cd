"""Import of a unit's service log (CSV/XLSX from the unit's own system): read → preview with per-row
Indonesian errors → confirm. Idempotent by unit + identifier: a re-import updates changed rows and leaves the
same rows alone. Columns that carry citizens' personal data (NIK, names of the public, address) are never read.

Columns (header names; aliases in `ALIASES`):
LAYANAN (service code or name, required) · NOMOR (the request's identifier, required) · DITERIMA (received
at, required) · SELESAI (completed at) · PETUGAS (officer NIP or name) · KANAL (channel) · STATUS (selesai,
proses, ditolak, dibatalkan; empty: selesai when SELESAI is filled, else proses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import select, update

from ...domain import DomainError
from ...domain.public_service import (
    STATUS_WORDS,
    CompletionUnit,
    TransactionStatus,
    is_personal_column,
    looks_like_nik,
    month_start,
    normalize_header,
)
from ...extensions import db
from ...models import Employee, PublicService, ServiceTransaction, Unit
from ..payroll.copy_writer import bulk_insert, gc_paused
from . import calendar as holiday_calendar
from . import dashboards, files, stats


@dataclass(frozen=True)
class Column:
    header: str
    required: bool
    description: str
    example: str


COLUMNS = (
    Column("LAYANAN", True, "Kode layanan di katalog unit (atau nama layanan persis).", "KTP-EL"),
    Column("NOMOR", True, "Nomor permohonan/registrasi dari sistem unit; kunci impor (bukan NIK).", "REG-2026-000123"),
    Column(
        "DITERIMA", True, "Waktu permohonan diterima: HH-BB-TTTT JJ:MM (atau TTTT-BB-HH JJ:MM).", "02-03-2026 08:15"
    ),
    Column("SELESAI", False, "Waktu layanan selesai (kosong bila belum selesai).", "05-03-2026 14:00"),
    Column("PETUGAS", False, "NIP (18 angka) atau nama petugas yang menyelesaikan.", "198703152010011002"),
    Column("KANAL", False, "Saluran: loket, daring, jemput bola, dll.", "loket"),
    Column("STATUS", False, "selesai, proses, ditolak, dibatalkan.", "selesai"),
)
ALIASES = {
    "kode_layanan": "layanan", "jenis_layanan": "layanan", "nama_layanan": "layanan", "service": "layanan",
    "nomor_permohonan": "nomor", "no_permohonan": "nomor", "no_registrasi": "nomor", "nomor_registrasi": "nomor",
    "identifier": "nomor", "id": "nomor", "no": "nomor",
    "tanggal_terima": "diterima", "waktu_terima": "diterima", "received_at": "diterima", "tgl_terima": "diterima",
    "tanggal_selesai": "selesai", "waktu_selesai": "selesai", "completed_at": "selesai", "tgl_selesai": "selesai",
    "nip_petugas": "petugas", "nama_petugas": "petugas", "officer": "petugas", "nip": "petugas",
    "saluran": "kanal", "channel": "kanal", "status_layanan": "status",
}  # fmt: skip
INLINE_LIMIT = 5_000  # larger files are confirmed by a background job with a progress bar
SHOWN_BAD_ROWS = 200


@dataclass
class Row:
    line: int
    identifier: str
    values: dict | None = None  # the transaction's columns when valid
    errors: list[str] = field(default_factory=list)
    state: str = "new"  # new | changed | unchanged | invalid
    existing_id: int | None = None


@dataclass
class Preview:
    unit_id: int
    filename: str
    rows: list[Row]
    warnings: list[str]
    dropped_columns: list[str]
    counts: dict[str, int]

    @property
    def bad_rows(self) -> list[Row]:
        return [r for r in self.rows if r.state == "invalid"]

    @property
    def importable(self) -> int:
        return self.counts["new"] + self.counts["changed"]


COMPARED = ("service_id", "received_at", "completed_at", "officer_id", "channel", "status")


def _officer_lookup(unit: Unit, keys: set[str]) -> dict[str, int | None]:
    """NIP or name (case-insensitive) → employee id; None for a name that fits several employees."""
    nips = {k for k in keys if k.isdigit()}
    names = {k.lower() for k in keys if not k.isdigit()}
    out: dict[str, int | None] = {}
    if nips:
        for eid, nip in db.session.execute(select(Employee.id, Employee.nip).where(Employee.nip.in_(nips))):
            out[nip] = eid
    if names:
        from sqlalchemy import func

        for eid, name in db.session.execute(
            select(Employee.id, Employee.name).where(func.lower(Employee.name).in_(names))
        ):
            key = name.lower()
            out[key] = None if key in out else eid
    return out


def build_preview(unit: Unit, table: files.Table, *, today: date) -> Preview:
    """Check every row against the catalogue, the calendar and what is stored; nothing is written."""
    headers = [normalize_header(h) for h in table.headers]
    dropped = [table.headers[i] for i, h in enumerate(headers) if is_personal_column(h) and ALIASES.get(h) is None]
    index: dict[str, int] = {}
    for i, h in enumerate(headers):
        key = ALIASES.get(h, h)
        if table.headers[i] in dropped or key not in {c.header.lower() for c in COLUMNS}:
            continue
        index.setdefault(key, i)
    missing = [c.header for c in COLUMNS if c.required and c.header.lower() not in index]
    if missing:
        raise DomainError("Kolom wajib tidak ada: " + ", ".join(missing) + ". Gunakan templat impor.", "berkas")
    warnings = list(table.warnings)
    if dropped:
        warnings.append(
            "Kolom " + ", ".join(f"“{d}”" for d in dropped) + " memuat data pribadi warga (NIK/nama/alamat) dan "
            "TIDAK dibaca maupun disimpan: Kinerja tidak memerlukan data pribadi masyarakat."
        )
    services = list(db.session.scalars(select(PublicService).where(PublicService.unit_id == unit.id)))
    by_key = {s.code.lower(): s for s in services} | {s.name.lower(): s for s in services}
    standards = {s.id: s for s in services}
    cal = holiday_calendar.calendar()
    i_svc, i_no, i_rec = index["layanan"], index["nomor"], index["diterima"]
    i_done, i_off, i_ch, i_st = (index.get(k) for k in ("selesai", "petugas", "kanal", "status"))

    def cell(cells: list[str], i: int | None) -> str:
        return cells[i] if i is not None and i < len(cells) else ""

    officer_keys = {cell(c, i_off).replace(" ", "") if cell(c, i_off).replace(" ", "").isdigit() else cell(c, i_off)
                    for _, c in table.rows} - {""}  # fmt: skip
    officers = _officer_lookup(unit, officer_keys)
    existing = {
        ident: (tid, (sid, rec, done, off, ch, st))
        for tid, ident, sid, rec, done, off, ch, st in db.session.execute(
            select(
                ServiceTransaction.id, ServiceTransaction.identifier, ServiceTransaction.service_id,
                ServiceTransaction.received_at, ServiceTransaction.completed_at, ServiceTransaction.officer_id,
                ServiceTransaction.channel, ServiceTransaction.status,
            ).where(ServiceTransaction.unit_id == unit.id)
        )
    }  # fmt: skip
    now = datetime.combine(today, time.max)
    seen: dict[str, int] = {}
    rows: list[Row] = []
    std_cache: dict[tuple[int, date], object] = {}
    for line, cells in table.rows:
        ident = cell(cells, i_no)
        row = Row(line, ident)
        errors = row.errors
        svc = by_key.get(cell(cells, i_svc).lower())
        if not cell(cells, i_svc):
            errors.append("LAYANAN kosong.")
        elif svc is None:
            errors.append(f"Layanan “{cell(cells, i_svc)}” tidak ada di katalog unit ini.")
        if not ident:
            errors.append("NOMOR kosong.")
        elif len(ident) > 60:
            errors.append("NOMOR lebih dari 60 karakter.")
        elif looks_like_nik(ident):
            errors.append("NOMOR tampak seperti NIK (16 angka); gunakan nomor registrasi layanan, bukan NIK.")
        elif ident in seen:
            errors.append(f"NOMOR “{ident}” sudah muncul di baris {seen[ident]}.")
        else:
            seen[ident] = line
        received = files.parse_datetime(cell(cells, i_rec))
        if received is None:
            errors.append(
                f"DITERIMA “{cell(cells, i_rec)}” bukan tanggal/waktu yang dikenali."
                if cell(cells, i_rec)
                else "DITERIMA kosong."
            )
        elif received > now:
            errors.append("DITERIMA di masa depan.")
        done_text = cell(cells, i_done)
        completed = files.parse_datetime(done_text) if done_text else None
        if done_text and completed is None:
            errors.append(f"SELESAI “{done_text}” bukan tanggal/waktu yang dikenali.")
        elif completed is not None and completed > now:
            errors.append("SELESAI di masa depan.")
        elif completed is not None and received is not None and completed < received:
            errors.append("SELESAI sebelum DITERIMA.")
        status_text = cell(cells, i_st).lower()
        status = STATUS_WORDS.get(status_text) if status_text else (
            TransactionStatus.DONE if completed else TransactionStatus.IN_PROGRESS
        )  # fmt: skip
        if status is None:
            errors.append(f"STATUS “{cell(cells, i_st)}” harus selesai, proses, ditolak atau dibatalkan.")
        elif status is TransactionStatus.DONE and completed is None and not done_text:
            errors.append("STATUS selesai tetapi SELESAI kosong.")
        officer_text = cell(cells, i_off)
        officer_id = None
        if officer_text:
            key = officer_text.replace(" ", "") if officer_text.replace(" ", "").isdigit() else officer_text
            officer_id = officers.get(key if key.isdigit() else key.lower())
            if officer_id is None:
                what = "NIP" if key.isdigit() else "nama"
                errors.append(f"Petugas “{officer_text}” tidak dikenal ({what} tidak cocok dengan satu pegawai).")
        channel = cell(cells, i_ch)[:40]
        if errors:
            row.state = "invalid"
            rows.append(row)
            continue
        values = {
            "unit_id": unit.id, "service_id": svc.id, "identifier": ident, "received_at": received,
            "completed_at": completed, "officer_id": officer_id, "channel": channel, "status": status,
        }  # fmt: skip
        old = existing.get(ident)
        if old is not None:
            row.existing_id = old[0]
            if old[1] == tuple(values[c] for c in COMPARED):
                row.state = "unchanged"
                rows.append(row)
                continue
            row.state = "changed"
        if completed is not None and status is TransactionStatus.DONE:
            key = (svc.id, received.date())
            std = std_cache.get(key)
            if key not in std_cache:
                std = std_cache[key] = dashboards.standard_on(standards[svc.id], received.date())
            spent = cal.elapsed(received, completed)
            values["elapsed_days"], values["elapsed_hours"] = spent.days, spent.hours
            values["within_standard"] = (
                spent.value_in(std.completion_unit) <= std.completion_time if std is not None else None
            )
        else:
            values["elapsed_days"] = values["elapsed_hours"] = values["within_standard"] = None
        row.values = values
        rows.append(row)
    counts = {"new": 0, "changed": 0, "unchanged": 0, "invalid": 0}
    for r in rows:
        counts[r.state] += 1
    return Preview(unit.id, table.filename, rows, warnings, dropped, counts)


INSERT_COLUMNS = (
    "unit_id", "service_id", "identifier", "received_at", "completed_at", "officer_id", "channel", "status",
    "elapsed_days", "elapsed_hours", "within_standard", "imported_at",
)  # fmt: skip


def apply_preview(
    preview: Preview, *, skip_invalid: bool, now: datetime, on_progress: Callable[[int, int], None] | None = None,
    chunk: int = 20_000,
) -> dict[str, int]:  # fmt: skip
    """Write the preview's new and changed rows, then rebuild the touched months' aggregates. All or nothing:
    the caller's transaction holds it; bad rows refuse the import unless `skip_invalid`."""
    if preview.bad_rows and not skip_invalid:
        raise DomainError(
            f"Berkas berisi {len(preview.bad_rows)} baris yang salah; tidak ada data yang diimpor. "
            "Perbaiki berkas lalu unggah ulang, atau centang “lewati baris yang salah”."
        )
    new = [r for r in preview.rows if r.state == "new"]
    changed = [r for r in preview.rows if r.state == "changed"]
    total = len(new) + len(changed)
    months: set[date] = set()
    today_month = month_start(now.date())
    old_spans = {}
    if changed:
        ids = [r.existing_id for r in changed]
        for start in range(0, len(ids), 5000):
            for tid, rec, done in db.session.execute(
                select(ServiceTransaction.id, ServiceTransaction.received_at, ServiceTransaction.completed_at).where(
                    ServiceTransaction.id.in_(ids[start : start + 5000])
                )
            ):
                old_spans[tid] = (rec, done)
    for r in new + changed:
        spans = [(r.values["received_at"], r.values["completed_at"])]
        if r.existing_id in old_spans:
            spans.append(old_spans[r.existing_id])
        for rec, done in spans:
            months.add(month_start(rec.date()))
            months.add(month_start(done.date()) if done else today_month)
    done_count = 0
    as_row = row_converter(db.session.get_bind().dialect.name, now)
    with gc_paused():
        for start in range(0, len(new), chunk):
            part = new[start : start + chunk]
            bulk_insert(
                ServiceTransaction.__table__,
                INSERT_COLUMNS,
                [as_row(r.values) for r in part],
            )
            done_count += len(part)
            if on_progress:
                on_progress(done_count, total)
        for start in range(0, len(changed), chunk):
            part = changed[start : start + chunk]
            db.session.execute(
                update(ServiceTransaction),
                [{"id": r.existing_id, **{k: v for k, v in r.values.items() if k not in ("unit_id", "identifier")},
                  "imported_at": now} for r in part],
            )  # fmt: skip
            done_count += len(part)
            if on_progress:
                on_progress(done_count, total)
    if months:
        lo, hi = min(months), max(months)
        stats.refresh(preview.unit_id, _month_span(lo, hi))
    return {"baru": len(new), "diubah": len(changed), "tidak_berubah": preview.counts["unchanged"],
            "dilewati": preview.counts["invalid"]}  # fmt: skip


def row_converter(dialect: str, now: datetime) -> Callable[[dict], tuple]:
    """Values as the DBAPI takes them in a bulk insert: SQLite gets SQLAlchemy's datetime text, PostgreSQL
    datetimes; enums as their value."""
    if dialect == "sqlite":
        stamp = now.astimezone(UTC).replace(tzinfo=None).strftime(SQLITE_DATETIME)

        def text(dt: datetime | None) -> str | None:
            return dt.strftime(SQLITE_DATETIME) if dt is not None else None
    else:
        stamp = now

        def text(dt):
            return dt

    def convert(v: dict) -> tuple:
        return (
            v["unit_id"], v["service_id"], v["identifier"], text(v["received_at"]), text(v["completed_at"]),
            v["officer_id"], v["channel"], v["status"].value, v["elapsed_days"], v["elapsed_hours"],
            v["within_standard"], stamp,
        )  # fmt: skip

    return convert


SQLITE_DATETIME = "%Y-%m-%d %H:%M:%S.%f"


def _month_span(lo: date, hi: date) -> list[date]:
    from ...domain.public_service import months_between

    return months_between(lo, hi)


def counts_text(counts: dict[str, int]) -> str:
    def n(v: int) -> str:
        return f"{v:,}".replace(",", ".")

    text = f"{n(counts['baru'])} baru, {n(counts['diubah'])} diubah, {n(counts['tidak_berubah'])} tidak berubah"
    if counts["dilewati"]:
        text += f", {n(counts['dilewati'])} baris salah dilewati"
    return text + "."


def template_csv() -> bytes:
    """An empty import file: the header row and one example row (semicolon-separated, UTF-8 with BOM)."""
    lines = [";".join(c.header for c in COLUMNS), ";".join(c.example for c in COLUMNS)]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


__all__ = ["COLUMNS", "CompletionUnit", "Preview", "apply_preview", "build_preview", "counts_text", "template_csv"]
