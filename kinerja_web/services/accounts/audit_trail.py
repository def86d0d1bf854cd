"""The audit log as people read it: Indonesian names for what was changed and how, values formatted (dates,
rupiah, ya/tidak, names instead of ids) and a before/after list per row; and a person's own history.

The rows themselves are written by `kinerja_web.audit` (every change of an audited table); this module only reads.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import InvalidOperation

from sqlalchemy import Boolean, Date, Enum, Select, and_, or_, select
from sqlalchemy.orm import joinedload

from ...domain.labels import rupiah, tanggal
from ...extensions import db
from ...models import AuditLog, Employee, FamilyMember, PositionAssignment, User

ENTITY_LABELS = {
    "employee": "Data pegawai",
    "family_member": "Anggota keluarga",
    "position": "Jabatan",
    "position_assignment": "Penugasan jabatan",
    "unit": "Unit organisasi",
    "user_account": "Akun pengguna",
    "user_role": "Peran akun",
    "issued_document": "Dokumen resmi",
    "letterhead": "Kop surat",
    "signer_config": "Penanda tangan",
    "number_register": "Register nomor",
    "number_entry": "Nomor surat",
    "skp": "SKP",
    "performance_rating": "Penilaian kinerja",
    "tpp_budget": "Pagu TPP",
    "period": "Periode",
    "payroll_run": "Proses penggajian",
    "payroll_run_return": "Pengembalian proses penggajian",
    "payroll_manual_amount": "Jumlah manual gaji",
    "payroll_rule_version": "Versi aturan gaji",
    "public_service": "Layanan publik",
    "service_standard": "Standar pelayanan",
    "holiday": "Hari libur",
    "service_operator": "Operator layanan",
    "indikator_signal": "Tautan IKI ke sinyal layanan",
}
ACTION_LABELS = {
    "create": "Dibuat",
    "update": "Diubah",
    "delete": "Dihapus",
    "reset_password": "Kata sandi diatur ulang",
    "change_password": "Kata sandi diganti",
    "lockout": "Akun dikunci",
    "verify": "Diverifikasi",
    "approve": "Disetujui",
    "finalise": "Difinalkan",
    "return": "Dikembalikan",
    "manual_amount": "Jumlah manual dicatat",
    "manual_decision": "Jumlah manual diputuskan",
}
FIELD_LABELS = {
    "nip": "NIP",
    "name": "Nama",
    "gelar_depan": "Gelar depan",
    "gelar_belakang": "Gelar belakang",
    "status_asn": "Status ASN",
    "gender": "Jenis kelamin",
    "birth_place": "Tempat lahir",
    "birth_date": "Tanggal lahir",
    "tmt_cpns": "TMT CPNS/PPPK",
    "golongan": "Golongan/ruang",
    "tmt_golongan": "TMT golongan",
    "mkg_years": "Masa kerja golongan (tahun)",
    "mkg_months": "Masa kerja golongan (bulan)",
    "position_id": "Jabatan",
    "unit_id": "Unit",
    "employee_id": "Pegawai",
    "parent_id": "Atasan/induk",
    "ptkp_status": "Status PTKP",
    "bank_name": "Bank",
    "bank_account": "Nomor rekening",
    "email": "Surel",
    "phone": "Telepon",
    "active": "Aktif",
    "relation": "Hubungan",
    "receives_allowance": "Tertunjang",
    "kind": "Jenis",
    "start_date": "Mulai",
    "end_date": "Sampai",
    "sk_number": "Nomor SK",
    "username": "Nama pengguna",
    "role": "Peran",
    "must_change_password": "Wajib ganti kata sandi",
    "user_id": "Akun",
    "is_leader": "Memimpin unit",
    "kelas_jabatan": "Kelas jabatan",
    "jenjang": "Jenjang",
    "code": "Kode",
    "address": "Alamat",
    "amount": "Jumlah",
    "cost": "Biaya",
    "status": "Status",
    "reason": "Alasan",
    "prepared_by_id": "Disiapkan oleh",
    "verified_by_id": "Diverifikasi oleh",
    "approved_by_id": "Disetujui oleh",
    "finalised_by_id": "Difinalkan oleh",
    "decided_by_id": "Diputuskan oleh",
    "original_run_id": "Proses penggajian asal",
    "returned_by_id": "Dikembalikan oleh",
    "run_id": "Proses penggajian",
    "month": "Bulan",
    "employee_count": "Jumlah pegawai",
    "total_penghasilan": "Jumlah penghasilan",
    "total_potongan": "Jumlah potongan",
    "total_netto": "Gaji bersih",
    "whole_pemda": "Seluruh Pemda",
    "period_start": "Bulan awal",
    "period_end": "Bulan akhir",
    "source_run_ids": "Proses penggajian yang dirujuk",
    "verified_at": "Waktu verifikasi",
    "approved_at": "Waktu persetujuan",
    "finalised_at": "Waktu finalisasi",
    "computed_at": "Waktu hitung",
    "decided_at": "Waktu keputusan",
    "label": "Komponen",
    "bagian": "Bagian",
    "document": "Dasar dokumen",
    "decision_note": "Catatan keputusan",
    # SKP (a demo SKP's creation shows every column)
    "period_id": "Periode",
    "jenis": "Jenis",
    "version": "Versi",
    "previous_id": "Versi sebelumnya",
    "change_reason": "Alasan perubahan",
    "appraiser_id": "Pejabat penilai",
    "submitted_at": "Diajukan pada",
    "approved_on": "Tanggal persetujuan",
    "returned_at": "Dikembalikan pada",
    "return_note": "Catatan pengembalian",
    "lock_version": "Versi data",
    # public-service catalogue, calendar and IKI signals
    "valid_from": "Berlaku mulai",
    "requirements": "Persyaratan",
    "completion_time": "Jangka waktu penyelesaian",
    "completion_unit": "Satuan waktu",
    "product": "Produk layanan",
    "created_by_id": "Dibuat oleh",
    "day": "Tanggal",
    "service_id": "Layanan",
    "indikator_id": "IKI",
    "ref_id": "Acuan sinyal",
}
# Columns that hold rupiah (whole rupiah or Decimal).
MONEY_FIELDS = frozenset({"amount", "cost", "gaji_pokok", "nominal"})
# Bookkeeping columns a person does not need to read in a change list.
HIDDEN_FIELDS = frozenset(
    {"id", "version_id", "created_at", "updated_at", "lines_hash", "input_hash", "rule_versions"}  # payroll run hashes
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity.replace("_", " ").capitalize())


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action.replace("_", " ").capitalize())


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key.removesuffix("_id").replace("_", " ").capitalize())


def _plain_value(value) -> str:
    """A stored JSON value (a rule table, a job's parameters) in words: ya/tidak, –, "kunci: nilai; …"."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None:
        return "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_plain_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain_value(v) for v in value)
    return str(value)


def _model_of(entity: str):
    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name == entity:
            return mapper
    return None


def _name_of(obj) -> str:
    for attr in ("full_name", "display_name", "name", "display_number", "username", "code", "title"):
        value = getattr(obj, attr, None)
        if value:
            return str(value)
    return f"#{obj.id}"


def format_value(entity: str, key: str, value) -> str:
    """One stored value as a person reads it: names for ids, labels for codes, dates, rupiah, ya/tidak."""
    if value is None or value == "":
        return "–"
    mapper = _model_of(entity)
    column = mapper.columns.get(key) if mapper is not None else None
    if isinstance(value, bool) or (column is not None and isinstance(column.type, Boolean)):
        return "ya" if value else "tidak"
    if column is not None and column.foreign_keys and isinstance(value, int):
        target = _model_of(next(iter(column.foreign_keys)).column.table.name)
        obj = db.session.get(target.class_, value) if target is not None else None
        return _name_of(obj) if obj is not None else f"#{value} (sudah dihapus)"
    if column is not None and isinstance(column.type, Enum) and isinstance(column.type.enum_class, type):
        try:
            member = column.type.enum_class(value)
        except ValueError:
            return str(value)
        return getattr(member, "label", None) or str(member.value)
    if key in MONEY_FIELDS:
        try:
            return rupiah(value)
        except (InvalidOperation, ValueError):
            return str(value)
    if isinstance(value, str) and (_ISO_DATE.match(value) or (column is not None and isinstance(column.type, Date))):
        try:
            return tanggal(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(value, str) and "T" in value and _ISO_DATE.match(value[:10]):
        try:
            return tanggal(datetime.fromisoformat(value).date())
        except ValueError:
            return value
    if isinstance(value, enum.Enum):
        return getattr(value, "label", str(value.value))
    return _plain_value(value)


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Entry:
    row: AuditLog
    entity: str
    action: str
    record: str
    changes: list[Change]


def _record_name(row: AuditLog) -> str:
    mapper = _model_of(row.entity)
    obj = db.session.get(mapper.class_, row.entity_id) if mapper is not None and row.entity_id else None
    if obj is not None:
        return _name_of(obj)
    return row.summary or (f"#{row.entity_id}" if row.entity_id else "")


def describe(row: AuditLog) -> Entry:
    """A row for the page: labels, the record's name, and the changed fields before → after."""
    before, after = row.before or {}, row.after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in HIDDEN_FIELDS]
    changes = [
        Change(field_label(k), format_value(row.entity, k, before.get(k)), format_value(row.entity, k, after.get(k)))
        for k in keys
    ]
    return Entry(row, entity_label(row.entity), action_label(row.action), _record_name(row), changes)


def history_of(employee: Employee) -> Select:
    """Every audit row about the employee's own data: their record, their family members, their post
    assignments and their account, newest first."""
    family = select(FamilyMember.id).where(FamilyMember.employee_id == employee.id)
    assignments = select(PositionAssignment.id).where(PositionAssignment.employee_id == employee.id)
    account = select(User.id).where(User.employee_id == employee.id)
    about = or_(
        and_(AuditLog.entity == "employee", AuditLog.entity_id == employee.id),
        and_(AuditLog.entity == "family_member", AuditLog.entity_id.in_(family)),
        and_(AuditLog.entity == "position_assignment", AuditLog.entity_id.in_(assignments)),
        and_(AuditLog.entity == "user_account", AuditLog.entity_id.in_(account)),
    )
    return (
        select(AuditLog)
        .options(joinedload(AuditLog.actor))
        .where(about)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
    )
