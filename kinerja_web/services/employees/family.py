"""Family members (spouse, children) of an employee: they drive tunjangan keluarga and PTKP."""

from __future__ import annotations

from datetime import date

from ...domain import DomainError
from ...extensions import db
from ...models import Employee, FamilyMember, FamilyRelation


def _spouse_rule_error(employee: Employee, relation: FamilyRelation) -> str | None:
    """PP 7/1977 Pasal 16: tunjangan for one spouse only; a second spouse cannot be tertunjang."""
    if relation == FamilyRelation.ANAK:
        return None
    if any(f.relation != FamilyRelation.ANAK and f.receives_allowance for f in employee.family):
        return "Sudah ada suami/istri yang tertunjang; tunjangan hanya untuk satu suami/istri (PP 7/1977 Pasal 16)."
    return None


def add_member(
    employee: Employee,
    relation: FamilyRelation,
    name: str,
    birth_date: date | None,
    receives_allowance: bool,
    tanggungan_sejak: date | None = None,
    keterangan_tanpa_penghasilan: str | None = None,
) -> FamilyMember:
    error = _spouse_rule_error(employee, relation) if receives_allowance else None
    if error:
        raise DomainError(error, field="receives_allowance")
    if birth_date and birth_date < employee.birth_date and relation == FamilyRelation.ANAK:
        raise DomainError("Tanggal lahir anak tidak mungkin sebelum tanggal lahir pegawai.", field="birth_date")
    keterangan = (keterangan_tanpa_penghasilan or "").strip() or None
    if keterangan and relation != FamilyRelation.SUAMI:
        raise DomainError(
            "Surat keterangan tidak berpenghasilan hanya untuk suami (PMK 168/2023 Pasal 9 ayat (2) huruf a).",
            field="keterangan_tanpa_penghasilan",
        )
    member = FamilyMember(
        relation=relation,
        name=name.strip(),
        birth_date=birth_date,
        receives_allowance=receives_allowance,
        tanggungan_sejak=tanggungan_sejak,
        keterangan_tanpa_penghasilan=keterangan,
    )
    employee.family.append(member)
    return member


def remove_member(member: FamilyMember) -> None:
    db.session.delete(member)
