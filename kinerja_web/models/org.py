"""Organisation and people: unit tree, positions (jabatan), employees and position history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain import golongan as gol
from ..domain.nip import format_nip
from ..domain.org import StatusAsn
from ..extensions import db
from .base import LabeledEnum, TZDateTime, enum_column, utcnow


class UnitKind(LabeledEnum):
    PEMDA = "pemda", "Pemerintah Daerah"
    OPD = "opd", "Perangkat Daerah (OPD)"
    BIDANG = "bidang", "Bidang/Bagian"
    SUBBIDANG = "subbidang", "Subbidang/Seksi/Subbagian"
    UPT = "upt", "UPT/Kecamatan/Kelurahan"


class Unit(db.Model):
    """A node of the organisation tree: Pemda → OPD → bidang → subbidang/seksi."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    address: Mapped[str | None] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent", order_by="Unit.sort_order, Unit.name")
    positions: Mapped[list[Position]] = relationship(back_populates="unit")

    @property
    def opd(self) -> Unit:
        """The OPD this unit belongs to (itself if it is one; the Pemda for the top node)."""
        node = self
        seen = set()
        while node.kind not in (UnitKind.OPD, UnitKind.PEMDA) and node.parent and node.id not in seen:
            seen.add(node.id)
            node = node.parent
        return node

    def __repr__(self) -> str:
        return f"<Unit {self.code} {self.name}>"


class PositionKind(LabeledEnum):
    JPT = "jpt", "Jabatan Pimpinan Tinggi"
    ADMINISTRATOR = "administrator", "Jabatan Administrator"
    PENGAWAS = "pengawas", "Jabatan Pengawas"
    PELAKSANA = "pelaksana", "Jabatan Pelaksana"
    FUNGSIONAL = "fungsional", "Jabatan Fungsional"


# Jenjang of jabatan fungsional (PermenPANRB 1/2023) and of JPT (UU ASN); free text elsewhere.
JENJANG_FUNGSIONAL = (
    "Ahli Pertama",
    "Ahli Muda",
    "Ahli Madya",
    "Ahli Utama",
    "Pemula",
    "Terampil",
    "Mahir",
    "Penyelia",
)
JENJANG_JPT = ("Utama", "Madya", "Pratama")


def position_full_name(name: str, kind: PositionKind, jenjang: str | None) -> str:
    """A fungsional post with its jenjang ("Analis SDM Aparatur Ahli Pertama"); other posts by name.
    Shared by `Position.full_name` and list queries that select columns instead of whole rows."""
    if kind == PositionKind.FUNGSIONAL and jenjang:
        return f"{name} {jenjang}"
    return name


def person_full_name(name: str, gelar_depan: str | None, gelar_belakang: str | None) -> str:
    """Name with gelar, as printed on documents: "Dr. Budi Santoso, S.H., M.H."."""
    if gelar_depan:
        name = f"{gelar_depan} {name}"
    if gelar_belakang:
        name = f"{name}, {gelar_belakang}"
    return name


class Position(db.Model):
    """A jabatan (post) in a unit. `parent_id` is the post of the atasan langsung."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PositionKind] = mapped_column(enum_column(PositionKind))
    jenjang: Mapped[str | None] = mapped_column(String(40))
    kelas_jabatan: Mapped[int] = mapped_column(Integer, default=1)
    is_leader: Mapped[bool] = mapped_column(default=False)  # leads its unit (kepala dinas/bidang/seksi)
    cross_opd_reason: Mapped[str | None] = mapped_column(String(300))

    unit: Mapped[Unit] = relationship(back_populates="positions")
    parent: Mapped[Position | None] = relationship(remote_side=[id])
    __table_args__ = (CheckConstraint("kelas_jabatan BETWEEN 1 AND 17", name="kelas_range"),)

    @property
    def full_name(self) -> str:
        return position_full_name(self.name, self.kind, self.jenjang)

    def __repr__(self) -> str:
        return f"<Position {self.id} {self.name}>"


class Gender(LabeledEnum):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


PTKP_STATUSES = ("TK/0", "TK/1", "TK/2", "TK/3", "K/0", "K/1", "K/2", "K/3")


class Employee(db.Model):
    """A pegawai ASN. The current position is denormalised here; history lives in PositionAssignment."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(150), index=True)
    gelar_depan: Mapped[str | None] = mapped_column(String(40))
    gelar_belakang: Mapped[str | None] = mapped_column(String(60))
    status_asn: Mapped[StatusAsn] = mapped_column(enum_column(StatusAsn))
    golongan: Mapped[str] = mapped_column(String(8))
    tmt_golongan: Mapped[date | None] = mapped_column(Date)
    mkg_years: Mapped[int] = mapped_column(Integer, default=0)
    mkg_months: Mapped[int] = mapped_column(Integer, default=0)
    gender: Mapped[Gender] = mapped_column(enum_column(Gender, 1))
    birth_place: Mapped[str | None] = mapped_column(String(80))
    birth_date: Mapped[date] = mapped_column(Date)
    tmt_cpns: Mapped[date | None] = mapped_column(Date)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    ptkp_status: Mapped[str | None] = mapped_column(String(5))
    bank_name: Mapped[str | None] = mapped_column(String(60))
    bank_account: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(30))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    position: Mapped[Position | None] = relationship()
    unit: Mapped[Unit | None] = relationship()
    family: Mapped[list[FamilyMember]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", order_by="FamilyMember.birth_date"
    )
    assignments: Mapped[list[PositionAssignment]] = relationship(
        back_populates="employee",
        order_by="PositionAssignment.start_date.desc()",
        cascade="all, delete-orphan",
        foreign_keys="PositionAssignment.employee_id",
    )

    # Optimistic locking: a second save based on a stale form is refused, never silently lost.
    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        CheckConstraint("mkg_years >= 0 AND mkg_months BETWEEN 0 AND 11", name="mkg_range"),
        Index("ix_employee_unit_name", "unit_id", "name"),
        # Directory search counts matches from this covering index. Not (active, name): without ANALYZE
        # statistics SQLite would then scan all active staff for every "who reports to post X" join.
        Index("ix_employee_name_active", "name", "active"),
    )

    @property
    def full_name(self) -> str:
        """Name with gelar, as printed on documents: "Dr. Budi Santoso, S.H., M.H."."""
        return person_full_name(self.name, self.gelar_depan, self.gelar_belakang)

    @property
    def nip_display(self) -> str:
        return format_nip(self.nip)

    @property
    def pangkat(self) -> str:
        return gol.pangkat(self.golongan)

    @property
    def pangkat_golongan(self) -> str:
        return gol.pangkat_golongan(self.golongan)

    @property
    def is_pppk(self) -> bool:
        return self.status_asn == StatusAsn.PPPK

    def __repr__(self) -> str:
        return f"<Employee {self.nip} {self.name}>"


class FamilyRelation(LabeledEnum):
    SUAMI = "suami", "Suami"
    ISTRI = "istri", "Istri"
    ANAK = "anak", "Anak"


class FamilyMember(db.Model):
    """Spouse or child; drives tunjangan keluarga, beras and the PTKP status (payroll issue)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    relation: Mapped[FamilyRelation] = mapped_column(enum_column(FamilyRelation, 10))
    name: Mapped[str] = mapped_column(String(150))
    birth_date: Mapped[date | None] = mapped_column(Date)
    receives_allowance: Mapped[bool] = mapped_column(default=True)  # "tertunjang" in the daftar gaji
    # PTKP per tax year (issue 20): since when the member counts (marriage; birth/adoption, default birth_date)
    # and, for a husband, the kecamatan statement that he has no income (PMK 168/2023 Pasal 9 ayat (2) huruf a).
    tanggungan_sejak: Mapped[date | None] = mapped_column(Date)
    keterangan_tanpa_penghasilan: Mapped[str | None] = mapped_column(String(100))
    employee: Mapped[Employee] = relationship(back_populates="family")


class AssignmentKind(LabeledEnum):
    DEFINITIF = "definitif", "Definitif"
    PLT = "plt", "Pelaksana Tugas (Plt)"
    PLH = "plh", "Pelaksana Harian (Plh)"

    @property
    def is_acting(self) -> bool:
        """Plt or Plh: exercises the post without holding it (shown with its prefix, "PLT. name")."""
        return self is not AssignmentKind.DEFINITIF


class PositionAssignment(db.Model):
    """Riwayat jabatan: who held which post from when to when. Plt/Plh rows are acting appointments.

    The appraiser of any employee on any date is read from these rows (PermenPANRB 6/2022: the
    pejabat penilai is the atasan langsung; an acting official takes that role for the acting period).
    """

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True)
    kind: Mapped[AssignmentKind] = mapped_column(enum_column(AssignmentKind, 10))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)  # inclusive; None = still running
    sk_number: Mapped[str | None] = mapped_column(String(100))

    employee: Mapped[Employee] = relationship(back_populates="assignments", foreign_keys=[employee_id])
    position: Mapped[Position] = relationship()
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        Index("ix_assignment_position_dates", "position_id", "start_date"),
    )
