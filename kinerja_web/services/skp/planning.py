"""Penyusunan SKP: periods, starting an SKP, RHK and IKI, perilaku, lampiran, a new version, RHK templates.

Each operation validates, changes rows and flushes (never commits); callers pass `today`.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...domain.berakhlak import BERAKHLAK
from ...domain.skp import (
    Aspek,
    Frequency,
    PeriodStatus,
    RhkKategori,
    SkpJenis,
    check_waktu_target,
    format_number,
    parse_number,
    parse_target,
)
from ...domain.workflow import SkpStatus, is_editable
from ...extensions import db
from ...models import (
    Employee,
    Indikator,
    PerilakuExpectation,
    Period,
    Position,
    PositionKind,
    Rhk,
    RhkTemplate,
    Skp,
    Unit,
)
from ...models.skp import kategori_rank
from .cascade import apply_link, linked_staff_rhks
from .drafts import discard_drafts
from .records import latest_version, newest_version_number, notify_employee

# --- periods -------------------------------------------------------------------------------------------


def create_period(year: int, frequency: Frequency, start: date, end: date) -> Period:
    """A performance year; dates inside that year (evaluasi tahunan covers one calendar year)."""
    if db.session.scalar(select(Period.id).where(Period.year == year)):
        raise DomainError(f"Periode tahun {year} sudah ada.", field="year")
    if start.year != year or end.year != year:
        raise DomainError("Tanggal mulai dan selesai harus di dalam tahun periode.", field="start_date")
    if end < start:
        raise DomainError("Tanggal selesai tidak boleh sebelum tanggal mulai.", field="end_date")
    period = Period(year=year, frequency=frequency, start_date=start, end_date=end, status=PeriodStatus.OPEN)
    db.session.add(period)
    db.session.flush()
    return period


def set_period_status(period: Period, status: PeriodStatus) -> None:
    period.status = status
    db.session.flush()


def open_periods() -> list[Period]:
    return list(db.session.scalars(select(Period).where(Period.status == PeriodStatus.OPEN).order_by(Period.year)))


def all_periods() -> list[Period]:
    return list(db.session.scalars(select(Period).order_by(Period.year.desc())))


# --- starting an SKP -----------------------------------------------------------------------------------


def my_skps(employee: Employee) -> list[Skp]:
    return list(
        db.session.scalars(
            select(Skp)
            .options(joinedload(Skp.period))
            .where(Skp.employee_id == employee.id)
            .order_by(Skp.period_id.desc(), Skp.version.desc())
        )
    )


def _blank_perilaku(skp: Skp) -> None:
    skp.perilaku = [PerilakuExpectation(nilai=v, position=i) for i, v in enumerate(BERAKHLAK)]


def _copy_contents(source: Skp, target: Skp, *, keep_links: bool, origin: bool) -> None:
    for rhk in source.rhks:
        new = Rhk(
            kategori=rhk.kategori,
            uraian=rhk.uraian,
            position=rhk.position,
            parent_rhk_id=rhk.parent_rhk_id if keep_links else None,
            provisional=rhk.provisional if keep_links else False,
            link_broken=rhk.link_broken if keep_links else False,
            origin_id=rhk.id if origin else None,
        )
        new.indikators = [
            Indikator(
                aspek=i.aspek,
                indikator=i.indikator,
                target=i.target,
                satuan=i.satuan,
                position=i.position,
                origin_id=i.id if origin else None,
            )
            for i in rhk.indikators
        ]
        target.rhks.append(new)
    expectations = {p.nilai: p.ekspektasi_khusus for p in source.perilaku}
    for p in target.perilaku:
        p.ekspektasi_khusus = expectations.get(p.nilai)
    target.dukungan_sumber_daya = source.dukungan_sumber_daya
    target.skema_pertanggungjawaban = source.skema_pertanggungjawaban
    target.konsekuensi = source.konsekuensi


def default_jenis(employee: Employee) -> SkpJenis:
    if employee.position and employee.position.kind == PositionKind.JPT:
        return SkpJenis.JPT
    return SkpJenis.KUANTITATIF


def create_skp(employee: Employee, period: Period, jenis: SkpJenis, source: str) -> Skp:
    """Start an SKP: empty, from last year's SKP, or from HR's RHK template for the jabatan."""
    if not period.is_open:
        raise DomainError("Periode ini sudah ditutup.", field="period_id")
    if latest_version(employee.id, period.id) is not None:
        raise DomainError(f"Anda sudah memiliki SKP untuk tahun {period.year}.", field="period_id")
    skp = Skp(employee=employee, period=period, jenis=jenis, status=SkpStatus.DRAFT, version=1)
    _blank_perilaku(skp)
    db.session.add(skp)
    if source == "lalu":
        prev = db.session.scalars(
            select(Skp)
            .join(Period, Period.id == Skp.period_id)
            .where(Skp.employee_id == employee.id, Period.year == period.year - 1)
            .order_by(Skp.version.desc())
        ).first()
        if prev is None:
            raise DomainError(f"Tidak ada SKP tahun {period.year - 1} untuk disalin.", field="source")
        _copy_contents(prev, skp, keep_links=False, origin=False)
    elif source == "template":
        rows = list(
            db.session.scalars(
                select(RhkTemplate).where(RhkTemplate.position_id == employee.position_id).order_by(RhkTemplate.id)
            )
        )
        if not rows:
            raise DomainError("Belum ada templat RHK untuk jabatan Anda.", field="source")
        for pos, t in enumerate(rows):
            target = t.target if jenis == SkpJenis.KUALITATIF else _template_target(t.target)
            rhk = Rhk(kategori=t.kategori, uraian=t.uraian, position=pos)
            rhk.indikators = [Indikator(aspek=t.aspek, indikator=t.indikator, target=target, satuan=t.satuan)]
            skp.rhks.append(rhk)
    db.session.flush()
    return skp


def _template_target(raw: str) -> str:
    try:
        return format_number(parse_number(raw, "target", "Target"))
    except DomainError:
        return raw


# --- RHK, IKI, perilaku and lampiran -------------------------------------------------------------------


def require_editable(skp: Skp) -> None:
    if not is_editable(skp.status):
        raise DomainError("SKP yang sudah diajukan atau disetujui tidak dapat diubah. Buat versi baru bila perlu.")


def clean_text(value: str | None, field: str, what: str, max_len: int = 1000) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(f"{what} wajib diisi.", field=field)
    if len(text) > max_len:
        raise DomainError(f"{what} maksimal {max_len} karakter.", field=field)
    return text


def _rhk_fields(kategori: str, uraian: str) -> tuple[RhkKategori, str]:
    """The kategori and text of an RHK form, checked (kategori first, as the form shows them)."""
    try:
        kat = RhkKategori(kategori)
    except ValueError:
        raise DomainError("Kategori tidak sah.", field="kategori") from None
    return kat, clean_text(uraian, "uraian", "Uraian RHK")


def add_rhk(skp: Skp, kategori: str, uraian: str, parent_rhk_id: int | None, today: date) -> Rhk:
    require_editable(skp)
    kat, text = _rhk_fields(kategori, uraian)
    rhk = Rhk(kategori=kat, uraian=text, position=len(skp.rhks))
    apply_link(skp, rhk, parent_rhk_id, today)
    skp.rhks.append(rhk)
    discard_drafts(skp, "rhk-baru")
    db.session.flush()
    return rhk


def update_rhk(rhk: Rhk, kategori: str, uraian: str, parent_rhk_id: int | None, today: date) -> None:
    """Edit an RHK; staff whose RHK support it hear about a changed text (cascading notice)."""
    skp = rhk.skp
    require_editable(skp)
    kat, text = _rhk_fields(kategori, uraian)
    rhk.kategori = kat
    set_rhk_text(rhk, text)
    apply_link(skp, rhk, parent_rhk_id, today)
    discard_drafts(skp, f"rhk-{rhk.id}")
    db.session.flush()


def set_rhk_text(rhk: Rhk, text: str) -> None:
    """New RHK text; staff whose RHK support it are told once (an unread notice is not repeated per autosave)."""
    if rhk.uraian == text:
        return
    rhk.uraian = text
    for child in linked_staff_rhks([rhk.id]):
        notify_employee(
            child.skp.employee_id,
            "rhk_atasan_berubah",
            f"RHK atasan yang Anda intervensi diubah menjadi: «{text[:150]}». Periksa RHK Anda.",
            url_for("skp.show", skp_id=child.skp_id),
            unless_unread=True,
        )


def delete_rhk(rhk: Rhk) -> None:
    """Remove an RHK; staff RHK linked to it are flagged to pick again and told so."""
    skp = rhk.skp
    require_editable(skp)
    for child in linked_staff_rhks([rhk.id]):
        child.parent_rhk_id = None
        child.provisional = False
        child.link_broken = True
        notify_employee(
            child.skp.employee_id,
            "rhk_atasan_dihapus",
            f"RHK atasan «{rhk.uraian[:120]}» dihapus; pilih ulang RHK atasan untuk RHK Anda.",
            url_for("skp.show", skp_id=child.skp_id),
        )
    discard_drafts(skp, f"rhk-{rhk.id}", f"iki-baru-{rhk.id}", *(f"iki-{i.id}" for i in rhk.indikators))
    skp.rhks.remove(rhk)
    db.session.flush()


def add_indikator(rhk: Rhk, aspek: str, indikator: str, target: str, satuan: str | None) -> Indikator:
    skp = rhk.skp
    require_editable(skp)
    iki = Indikator(position=len(rhk.indikators))
    _fill_indikator(skp, iki, aspek, indikator, target, satuan)
    rhk.indikators.append(iki)
    discard_drafts(skp, f"iki-baru-{rhk.id}")
    db.session.flush()
    return iki


def update_indikator(iki: Indikator, aspek: str, indikator: str, target: str, satuan: str | None) -> None:
    require_editable(iki.rhk.skp)
    _fill_indikator(iki.rhk.skp, iki, aspek, indikator, target, satuan)
    discard_drafts(iki.rhk.skp, f"iki-{iki.id}")
    db.session.flush()


def _fill_indikator(skp: Skp, iki: Indikator, aspek: str, indikator: str, target: str, satuan: str | None) -> None:
    try:
        iki.aspek = Aspek(aspek)
    except ValueError:
        raise DomainError("Aspek tidak sah.", field="aspek") from None
    iki.indikator = clean_text(indikator, "indikator", "Indikator kinerja individu", 1000)
    iki.target = parse_target(skp.jenis, target)
    iki.satuan = (satuan or "").strip()[:60] or None
    if skp.jenis != SkpJenis.KUALITATIF and not iki.satuan:
        raise DomainError("Satuan target wajib diisi (misalnya dokumen, laporan, %, bulan).", field="satuan")
    if iki.aspek == Aspek.WAKTU and skp.jenis != SkpJenis.KUALITATIF:
        check_waktu_target(iki.target, iki.satuan, skp.period.start_date, skp.period.end_date)


def delete_indikator(iki: Indikator) -> None:
    require_editable(iki.rhk.skp)
    discard_drafts(iki.rhk.skp, f"iki-{iki.id}")
    iki.rhk.indikators.remove(iki)
    db.session.flush()


def save_perilaku(skp: Skp, expectations: dict[str, str]) -> None:
    """The pejabat penilai's ekspektasi khusus per BerAKHLAK value; also while the SKP awaits the decision."""
    if skp.status not in (SkpStatus.DRAFT, SkpStatus.RETURNED, SkpStatus.SUBMITTED):
        raise DomainError("Ekspektasi khusus SKP yang sudah disetujui hanya dapat diubah melalui versi baru.")
    for p in skp.perilaku:
        text = (expectations.get(p.nilai) or "").strip()
        if len(text) > 1000:
            raise DomainError(f"Ekspektasi khusus {p.nilai} maksimal 1000 karakter.", field=p.nilai)
        p.ekspektasi_khusus = text or None
    db.session.flush()


def save_lampiran(skp: Skp, dukungan: str, skema: str, konsekuensi: str) -> None:
    require_editable(skp)
    skp.dukungan_sumber_daya = (dukungan or "").strip() or None
    skp.skema_pertanggungjawaban = (skema or "").strip() or None
    skp.konsekuensi = (konsekuensi or "").strip() or None
    db.session.flush()


# --- perubahan SKP: a new version ----------------------------------------------------------------------


def revise_skp(skp: Skp, reason: str) -> Skp:
    """Perubahan SKP: a new version with a reason, approved again; the approved one stays until then."""
    if skp.status != SkpStatus.APPROVED:
        raise DomainError("Hanya SKP yang sudah disetujui yang dapat dibuat versi barunya.")
    if newest_version_number(skp) != skp.version:
        raise DomainError("Sudah ada versi baru dari SKP ini.")
    text = clean_text(reason, "reason", "Alasan perubahan", 1000)
    new = Skp(
        employee_id=skp.employee_id,
        period_id=skp.period_id,
        jenis=skp.jenis,
        status=SkpStatus.DRAFT,
        version=skp.version + 1,
        previous_id=skp.id,
        change_reason=text,
    )
    _blank_perilaku(new)
    _copy_contents(skp, new, keep_links=True, origin=True)
    db.session.add(new)
    db.session.flush()
    return new


def move_rhk(rhk: Rhk, direction: int) -> None:
    """Swap an RHK with its neighbour in the same kategori (direction -1 = up, +1 = down)."""
    skp = rhk.skp
    require_editable(skp)
    same = sorted((r for r in skp.rhks if r.kategori == rhk.kategori), key=lambda r: (r.position, r.id))
    for pos, r in enumerate(same):
        r.position = pos
    i = same.index(rhk)
    j = i + direction
    if 0 <= j < len(same):
        same[i].position, same[j].position = same[j].position, same[i].position
    db.session.flush()


# --- RHK templates per jabatan (HR) --------------------------------------------------------------------


def templates_list() -> list[RhkTemplate]:
    return list(
        db.session.scalars(
            select(RhkTemplate)
            .options(joinedload(RhkTemplate.position))
            .order_by(RhkTemplate.position_id, kategori_rank(RhkTemplate.kategori), RhkTemplate.id)
        )
    )


def position_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Position.id, Position.name, Unit.name).join(Unit, Unit.id == Position.unit_id).order_by(Position.name)
    ).all()
    return [(pid, f"{name} — {unit}") for pid, name, unit in rows]


def add_template(
    position_id: int, kategori: str, uraian: str, aspek: str, indikator: str, target: str, satuan: str | None
) -> RhkTemplate:
    """HR publishes a suggested RHK for a jabatan; employees may start their SKP from it."""
    if db.session.get(Position, position_id) is None:
        raise DomainError("Jabatan tidak ditemukan.", field="position_id")
    t = RhkTemplate(
        position_id=position_id,
        kategori=RhkKategori(kategori),
        uraian=clean_text(uraian, "uraian", "Uraian RHK"),
        aspek=Aspek(aspek),
        indikator=clean_text(indikator, "indikator", "Indikator"),
        target=(target or "").strip(),
        satuan=(satuan or "").strip() or None,
    )
    db.session.add(t)
    db.session.flush()
    return t


def delete_template(t: RhkTemplate) -> None:
    db.session.delete(t)
    db.session.flush()
