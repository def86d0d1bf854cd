"""Performance planning: periods, SKP with RHK and IKI, perilaku expectations, realisasi, feedback.

Structure after PermenPANRB 6/2022 Lampiran (domain §2.4, §2.12). An approved SKP is immutable: a
change is a new row with `version + 1` and `previous_id`, approved again.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    case,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.skp import Aspek, Frequency, PeriodStatus, RhkKategori, SkpJenis, periodic_windows
from ..domain.workflow import SkpStatus
from ..extensions import db
from .base import TZDateTime, enum_column, utcnow
from .org import Employee, Position


class Period(db.Model):
    """A performance year with its periodic-evaluation frequency (domain §2.9); HR opens and closes it."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    frequency: Mapped[Frequency] = mapped_column(enum_column(Frequency, 12))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[PeriodStatus] = mapped_column(enum_column(PeriodStatus, 10), default=PeriodStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    __table_args__ = (CheckConstraint("end_date >= start_date", name="dates_ordered"),)

    @property
    def name(self) -> str:
        return f"Tahun {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == PeriodStatus.OPEN

    @property
    def windows(self):
        return periodic_windows(self.year, self.frequency, self.start_date, self.end_date)


def kategori_rank(column):
    """Sorts RHK as the SKP form lists them, Utama before Tambahan (the stored values sort the other way)."""
    return case(*((column == k, i) for i, k in enumerate(RhkKategori)), else_=len(RhkKategori))


class Skp(db.Model):
    """One version of an employee's SKP for a period; the row with the highest version is current."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id"), index=True)
    jenis: Mapped[SkpJenis] = mapped_column(enum_column(SkpJenis, 12))
    status: Mapped[SkpStatus] = mapped_column(enum_column(SkpStatus, 14), default=SkpStatus.DRAFT, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id"))
    change_reason: Mapped[str | None] = mapped_column(Text)
    # Appraiser at submission (for the inbox query); re-derived from org data when approving.
    appraiser_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    returned_at: Mapped[datetime | None] = mapped_column(TZDateTime)
    return_note: Mapped[str | None] = mapped_column(Text)
    # Frozen on approval from the org data of that date (PermenPANRB 6/2022: SKP ditetapkan by the penilai).
    pegawai_nama: Mapped[str | None] = mapped_column(String(250))
    pegawai_nip: Mapped[str | None] = mapped_column(String(18))
    pegawai_pangkat: Mapped[str | None] = mapped_column(String(80))
    pegawai_jabatan: Mapped[str | None] = mapped_column(String(250))
    pegawai_unit: Mapped[str | None] = mapped_column(String(250))
    penilai_nama: Mapped[str | None] = mapped_column(String(250))
    penilai_nip: Mapped[str | None] = mapped_column(String(18))
    penilai_pangkat: Mapped[str | None] = mapped_column(String(80))
    penilai_jabatan: Mapped[str | None] = mapped_column(String(250))
    penilai_unit: Mapped[str | None] = mapped_column(String(250))
    # Lampiran SKP (domain §2.4)
    dukungan_sumber_daya: Mapped[str | None] = mapped_column(Text)
    skema_pertanggungjawaban: Mapped[str | None] = mapped_column(Text)
    konsekuensi: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    appraiser: Mapped[Employee | None] = relationship(foreign_keys=[appraiser_id])
    period: Mapped[Period] = relationship()
    previous: Mapped[Skp | None] = relationship(remote_side=[id])
    rhks: Mapped[list[Rhk]] = relationship(
        back_populates="skp",
        cascade="all, delete-orphan",
        order_by=lambda: (kategori_rank(Rhk.kategori), Rhk.position, Rhk.id),
    )
    perilaku: Mapped[list[PerilakuExpectation]] = relationship(
        back_populates="skp", cascade="all, delete-orphan", order_by="PerilakuExpectation.position"
    )

    __mapper_args__ = {"version_id_col": lock_version}
    __table_args__ = (
        UniqueConstraint("employee_id", "period_id", "version", name="one_version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    @property
    def title(self) -> str:
        return f"SKP {self.period.year} v{self.version}"

    @property
    def is_approved(self) -> bool:
        """Disetujui: the version in force (realisasi is entered on it)."""
        return self.status == SkpStatus.APPROVED

    @property
    def was_approved(self) -> bool:
        """Approved, now or until a newer version replaced it: it has realisasi to show."""
        return self.status in (SkpStatus.APPROVED, SkpStatus.REPLACED)


class Rhk(db.Model):
    """Rencana Hasil Kerja; non-JPT RHK support ("intervensi") an RHK of the atasan (cascading)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    kategori: Mapped[RhkKategori] = mapped_column(enum_column(RhkKategori, 10))
    uraian: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    parent_rhk_id: Mapped[int | None] = mapped_column(ForeignKey("rhk.id", ondelete="SET NULL"), index=True)
    # True while the atasan's SKP holding the parent RHK is not approved yet (drafting before the atasan).
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set when the linked atasan RHK was removed: the pegawai must pick again.
    link_broken: Mapped[bool] = mapped_column(Boolean, default=False)
    # The same RHK in the previous SKP version (for diffs and for moving staff links to the new version).
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("rhk.id", ondelete="SET NULL"))

    skp: Mapped[Skp] = relationship(back_populates="rhks")
    parent: Mapped[Rhk | None] = relationship(remote_side=[id], foreign_keys=[parent_rhk_id])
    indikators: Mapped[list[Indikator]] = relationship(
        back_populates="rhk", cascade="all, delete-orphan", order_by="(Indikator.position, Indikator.id)"
    )
    __table_args__ = (CheckConstraint("length(uraian) > 0", name="uraian_not_empty"),)

    @property
    def title(self) -> str:
        return self.uraian[:200]


class Indikator(db.Model):
    """Indikator Kinerja Individu (IKI) of an RHK with its aspek and target (number or description)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rhk.id", ondelete="CASCADE"), index=True)
    aspek: Mapped[Aspek] = mapped_column(enum_column(Aspek, 10))
    indikator: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(300))  # numeric text ("12,5") for kuantitatif SKP
    satuan: Mapped[str | None] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("indikator.id", ondelete="SET NULL"))

    rhk: Mapped[Rhk] = relationship(back_populates="indikators")

    @property
    def summary(self) -> str:
        return f"{self.aspek.label}: {self.indikator} — {self.target} {self.satuan or ''}".strip()


class PerilakuExpectation(db.Model):
    """Ekspektasi khusus pimpinan for one BerAKHLAK value (guides come from the CSV)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    nilai: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    ekspektasi_khusus: Mapped[str | None] = mapped_column(Text)
    skp: Mapped[Skp] = relationship(back_populates="perilaku")
    __table_args__ = (UniqueConstraint("skp_id", "nilai", name="one_per_value"),)


class RhkTemplate(db.Model):
    """An RHK suggestion HR publishes per jabatan; an employee may start an SKP from it."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"), index=True)
    kategori: Mapped[RhkKategori] = mapped_column(enum_column(RhkKategori, 10), default=RhkKategori.UTAMA)
    uraian: Mapped[str] = mapped_column(Text)
    aspek: Mapped[Aspek] = mapped_column(enum_column(Aspek, 10), default=Aspek.KUANTITAS)
    indikator: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(300))
    satuan: Mapped[str | None] = mapped_column(String(60))
    position: Mapped[Position] = relationship()


class Realisasi(db.Model):
    """Realisasi of one IKI in one periodic window, with bukti dukung (file and/or link)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    indikator_id: Mapped[int] = mapped_column(ForeignKey("indikator.id", ondelete="CASCADE"), index=True)
    window_no: Mapped[int] = mapped_column(Integer)
    nilai: Mapped[str] = mapped_column(String(300))
    keterangan: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    indikator: Mapped[Indikator] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="realisasi", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    __table_args__ = (
        UniqueConstraint("indikator_id", "window_no", name="one_per_window"),
        CheckConstraint("window_no BETWEEN 1 AND 12", name="window_range"),
    )


class Evidence(db.Model):
    """A bukti dukung file, stored in the database (outside static/), type checked by content."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    realisasi_id: Mapped[int] = mapped_column(ForeignKey("realisasi.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    realisasi: Mapped[Realisasi] = relationship(back_populates="evidence")

    @property
    def name(self) -> str:
        return self.filename


class Feedback(db.Model):
    """Umpan balik berkelanjutan: a dialog thread per RHK or per BerAKHLAK value (domain §2.3)."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    rhk_id: Mapped[int | None] = mapped_column(ForeignKey("rhk.id", ondelete="CASCADE"))
    nilai: Mapped[str | None] = mapped_column(String(40))
    window_no: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    author = relationship("User")
    __table_args__ = (
        CheckConstraint("(rhk_id IS NULL) <> (nilai IS NULL)", name="one_target"),
        Index("ix_feedback_skp_created", "skp_id", "created_at"),
    )


class ReviewComment(db.Model):
    """The appraiser's comment on one RHK (or the whole SKP) when returning it for correction."""

    __audited__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    rhk_id: Mapped[int | None] = mapped_column(ForeignKey("rhk.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow)
    author = relationship("User")


class SkpDraft(db.Model):
    """What the pegawai typed into one RHK/IKI row (or a new, not yet added row) but is not saved to it.

    Autosave keeps input that is invalid or not yet added here, exactly as typed, with its validation
    messages, so a reload shows it back. `slot` names the row: "rhk-<id>", "iki-<id>", "rhk-baru",
    "iki-baru-<rhk id>". Keystroke-level scratch data, so not audited; the rows it becomes are.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    slot: Mapped[str] = mapped_column(String(40))
    data: Mapped[dict] = mapped_column(JSON)
    errors: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, onupdate=utcnow)
    __table_args__ = (UniqueConstraint("skp_id", "slot", name="one_draft_per_slot"),)
