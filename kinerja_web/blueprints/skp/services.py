"""SKP operations: each validates, changes rows, flushes (never commits) and notifies.

Rules: PermenPANRB 6/2022 (penyusunan, penetapan and perubahan SKP; cascading; pendokumentasian
kinerja with bukti dukung; umpan balik berkelanjutan). Callers pass `today` and the acting user.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import joinedload, load_only, selectinload

from ... import audit, exports, uploads
from ...domain import DomainError
from ...domain.skp import (
    BERAKHLAK,
    Aspek,
    DiffEntry,
    Frequency,
    PeriodStatus,
    RhkKategori,
    RhkRow,
    SkpJenis,
    check_waktu_target,
    coverage_percent,
    diff_versions,
    format_number,
    parse_number,
    parse_target,
)
from ...domain.workflow import SkpStatus, is_editable, transition
from ...extensions import db
from ...models import (
    Employee,
    Evidence,
    Feedback,
    Indikator,
    Notification,
    PerilakuExpectation,
    Period,
    Position,
    Realisasi,
    ReviewComment,
    Rhk,
    RhkTemplate,
    Skp,
    SkpDraft,
    Unit,
    User,
    utcnow,
)
from ...services.notifications.notify import Todo, notify
from ...services.org import appraisers
from ...services.skp import (
    decider_ids,
    effective_skp,
    latest_version,
    live_people,
    newest_version_number,
    reroute_submitted,
    user_of,
)
from ...services.skp_documents import reissue_after_new_version
from ...timeutil import today_wib

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024  # per file; the request limit is MAX_CONTENT_LENGTH
EVIDENCE_NOT_ALLOWED = "Bukti dukung harus berkas PDF, PNG, JPEG, atau dokumen Office (docx/xlsx/pptx); jenis diperiksa dari isi berkas, bukan namanya."


# --- notifications -----------------------------------------------------------------------------------


def _notify_employee(
    employee_id: int | None, kind: str, message: str, link: str, *, unless_unread: bool = False
) -> None:
    user = user_of(employee_id)
    if user is None:
        return
    if unless_unread and db.session.scalar(
        select(Notification.id).where(
            Notification.user_id == user.id,
            Notification.kind == kind,
            Notification.link == link,
            Notification.read_at.is_(None),
        )
    ):
        return
    notify(user, kind, message, link)


def skp_waiting_for_me(user: User) -> list[Todo]:
    """ "N SKP menunggu persetujuan Anda": the same rows as the inbox (pejabat penilai today, Plt included)."""
    if user.employee_id is None:
        return []
    light = (load_only(Skp.id, Skp.employee_id, Skp.appraiser_id), joinedload(Skp.employee))
    n = len(inbox(user.employee, today_wib(), *light))
    return [Todo(n, f"{n} SKP menunggu persetujuan Anda", url_for("skp.inbox"))]


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


# --- creating ------------------------------------------------------------------------------------------


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
    from ...models import PositionKind

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


# --- cascading -----------------------------------------------------------------------------------------


@dataclass
class AtasanChoices:
    appraiser: appraisers.Appraiser | None
    skp: Skp | None
    rhks: list[Rhk]

    @property
    def provisional(self) -> bool:
        return self.skp is None or self.skp.status != SkpStatus.APPROVED


def atasan_choices(skp: Skp, today: date) -> AtasanChoices:
    """The RHK of the pejabat penilai's effective SKP for the same year, to pick the one to intervene."""
    appraiser = appraisers.appraiser_of(skp.employee, today)
    if appraiser is None:
        return AtasanChoices(None, None, [])
    atasan_skp = effective_skp(appraiser.employee.id, skp.period_id)
    rhks = []
    if atasan_skp is not None:
        rhks = list(
            db.session.scalars(select(Rhk).where(Rhk.skp_id == atasan_skp.id).order_by(Rhk.kategori, Rhk.position))
        )
    return AtasanChoices(appraiser, atasan_skp, rhks)


def _require_editable(skp: Skp) -> None:
    if not is_editable(skp.status):
        raise DomainError("SKP yang sudah diajukan atau disetujui tidak dapat diubah. Buat versi baru bila perlu.")


def _clean_text(value: str | None, field: str, what: str, max_len: int = 1000) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(f"{what} wajib diisi.", field=field)
    if len(text) > max_len:
        raise DomainError(f"{what} maksimal {max_len} karakter.", field=field)
    return text


def _apply_link(skp: Skp, rhk: Rhk, parent_rhk_id: int | None, today: date) -> None:
    """Link to an RHK of the atasan (never of somebody else); provisional while the atasan's SKP is a draft."""
    choices = atasan_choices(skp, today)
    if parent_rhk_id:
        allowed = {r.id: r for r in choices.rhks}
        if parent_rhk_id not in allowed:
            raise DomainError("RHK atasan yang dipilih bukan RHK pejabat penilai Anda.", field="parent_rhk_id")
        rhk.parent_rhk_id = parent_rhk_id
        rhk.provisional = choices.provisional
        rhk.link_broken = False
        return
    needs_link = skp.jenis != SkpJenis.JPT and rhk.kategori == RhkKategori.UTAMA
    if needs_link and choices.rhks:
        raise DomainError("Pilih RHK atasan yang diintervensi oleh RHK ini.", field="parent_rhk_id")
    rhk.parent_rhk_id = None
    # No atasan RHK exists yet: the link is pending until the atasan drafts theirs.
    rhk.provisional = needs_link
    rhk.link_broken = False


def add_rhk(skp: Skp, kategori: str, uraian: str, parent_rhk_id: int | None, today: date) -> Rhk:
    _require_editable(skp)
    try:
        kat = RhkKategori(kategori)
    except ValueError:
        raise DomainError("Kategori tidak sah.", field="kategori") from None
    text = _clean_text(uraian, "uraian", "Uraian RHK")
    rhk = Rhk(kategori=kat, uraian=text, position=len(skp.rhks))
    _apply_link(skp, rhk, parent_rhk_id, today)
    skp.rhks.append(rhk)
    discard_drafts(skp, "rhk-baru")
    db.session.flush()
    return rhk


def linked_staff_rhks(rhk_ids: list[int]) -> list[Rhk]:
    if not rhk_ids:
        return []
    return list(db.session.scalars(select(Rhk).options(joinedload(Rhk.skp)).where(Rhk.parent_rhk_id.in_(rhk_ids))))


def update_rhk(rhk: Rhk, kategori: str, uraian: str, parent_rhk_id: int | None, today: date) -> None:
    """Edit an RHK; staff whose RHK support it hear about a changed text (cascading notice)."""
    skp = rhk.skp
    _require_editable(skp)
    try:
        kat = RhkKategori(kategori)
    except ValueError:
        raise DomainError("Kategori tidak sah.", field="kategori") from None
    text = _clean_text(uraian, "uraian", "Uraian RHK")
    rhk.kategori = kat
    _set_rhk_text(rhk, text)
    _apply_link(skp, rhk, parent_rhk_id, today)
    discard_drafts(skp, f"rhk-{rhk.id}")
    db.session.flush()


def _set_rhk_text(rhk: Rhk, text: str) -> None:
    """New RHK text; staff whose RHK support it are told once (an unread notice is not repeated per autosave)."""
    if rhk.uraian == text:
        return
    rhk.uraian = text
    for child in linked_staff_rhks([rhk.id]):
        _notify_employee(
            child.skp.employee_id,
            "rhk_atasan_berubah",
            f"RHK atasan yang Anda intervensi diubah menjadi: «{text[:150]}». Periksa RHK Anda.",
            url_for("skp.show", skp_id=child.skp_id),
            unless_unread=True,
        )


def delete_rhk(rhk: Rhk) -> None:
    """Remove an RHK; staff RHK linked to it are flagged to pick again and told so."""
    skp = rhk.skp
    _require_editable(skp)
    for child in linked_staff_rhks([rhk.id]):
        child.parent_rhk_id = None
        child.provisional = False
        child.link_broken = True
        _notify_employee(
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
    _require_editable(skp)
    iki = Indikator(position=len(rhk.indikators))
    _fill_indikator(skp, iki, aspek, indikator, target, satuan)
    rhk.indikators.append(iki)
    discard_drafts(skp, f"iki-baru-{rhk.id}")
    db.session.flush()
    return iki


def update_indikator(iki: Indikator, aspek: str, indikator: str, target: str, satuan: str | None) -> None:
    _require_editable(iki.rhk.skp)
    _fill_indikator(iki.rhk.skp, iki, aspek, indikator, target, satuan)
    discard_drafts(iki.rhk.skp, f"iki-{iki.id}")
    db.session.flush()


def _fill_indikator(skp: Skp, iki: Indikator, aspek: str, indikator: str, target: str, satuan: str | None) -> None:
    try:
        iki.aspek = Aspek(aspek)
    except ValueError:
        raise DomainError("Aspek tidak sah.", field="aspek") from None
    iki.indikator = _clean_text(indikator, "indikator", "Indikator kinerja individu", 1000)
    iki.target = parse_target(skp.jenis, target)
    iki.satuan = (satuan or "").strip()[:60] or None
    if skp.jenis != SkpJenis.KUALITATIF and not iki.satuan:
        raise DomainError("Satuan target wajib diisi (misalnya dokumen, laporan, %, bulan).", field="satuan")
    if iki.aspek == Aspek.WAKTU and skp.jenis != SkpJenis.KUALITATIF:
        check_waktu_target(iki.target, iki.satuan, skp.period.start_date, skp.period.end_date)


def delete_indikator(iki: Indikator) -> None:
    _require_editable(iki.rhk.skp)
    discard_drafts(iki.rhk.skp, f"iki-{iki.id}")
    iki.rhk.indikators.remove(iki)
    db.session.flush()


def save_perilaku(skp: Skp, expectations: dict[str, str]) -> None:
    _require_editable(skp)
    for p in skp.perilaku:
        text = (expectations.get(p.nilai) or "").strip()
        if len(text) > 1000:
            raise DomainError(f"Ekspektasi khusus {p.nilai} maksimal 1000 karakter.", field=p.nilai)
        p.ekspektasi_khusus = text or None
    db.session.flush()


def save_lampiran(skp: Skp, dukungan: str, skema: str, konsekuensi: str) -> None:
    _require_editable(skp)
    skp.dukungan_sumber_daya = (dukungan or "").strip() or None
    skp.skema_pertanggungjawaban = (skema or "").strip() or None
    skp.konsekuensi = (konsekuensi or "").strip() or None
    db.session.flush()


# --- workflow ------------------------------------------------------------------------------------------


def submit_skp(skp: Skp, actor: User, today: date) -> None:
    """Diajukan to the pejabat penilai of today; complete enough to be judged."""
    transition(skp.status, SkpStatus.SUBMITTED)
    if not any(r.kategori == RhkKategori.UTAMA for r in skp.rhks):
        raise DomainError("SKP harus memuat sekurang-kurangnya satu RHK utama.", field="rhk")
    for r in skp.rhks:
        if not r.indikators:
            raise DomainError(f"RHK «{r.uraian[:80]}» belum memiliki indikator kinerja individu.", field="rhk")
        if r.link_broken:
            raise DomainError(f"RHK «{r.uraian[:80]}» perlu dipilih ulang RHK atasannya.", field="rhk")
    if invalid_drafts(skp):
        raise DomainError(
            "Masih ada isian RHK atau indikator yang belum valid dan belum tersimpan (ditandai merah). "
            "Perbaiki isian itu dulu, lalu ajukan.",
            field="rhk",
        )
    appraiser = appraisers.appraiser_of(skp.employee, today)
    if appraiser is None:
        raise DomainError("Pejabat penilai Anda tidak ditemukan pada data organisasi; hubungi admin kepegawaian.")
    skp.status = SkpStatus.SUBMITTED
    skp.appraiser_id = appraiser.employee.id
    skp.submitted_at = utcnow()
    for c in db.session.scalars(select(ReviewComment).where(ReviewComment.skp_id == skp.id)):
        c.resolved = True
    db.session.flush()
    _notify_employee(
        appraiser.employee.id,
        "skp_diajukan",
        f"{skp.employee.full_name} mengajukan SKP {skp.period.year} (versi {skp.version}) untuk disetujui.",
        url_for("skp.show", skp_id=skp.id),
    )


def _guarded_status(skp: Skp, target: SkpStatus, **values) -> None:
    """Move SUBMITTED → target with a row UPDATE … WHERE status='diajukan': a double click acts once."""
    transition(skp.status, target)
    result = db.session.execute(
        update(Skp)
        .where(Skp.id == skp.id, Skp.status == SkpStatus.SUBMITTED)
        .values(status=target, lock_version=Skp.lock_version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.expire(skp)
        raise DomainError("SKP ini sudah diproses sebelumnya.", field="status")
    db.session.expire(skp)


def return_skp(skp: Skp, actor: User, comments: dict[int, str], note: str) -> None:
    """Dikembalikan with comments per RHK (at least one comment)."""
    rhk_ids = {r.id for r in skp.rhks}
    cleaned = {rid: text.strip() for rid, text in comments.items() if rid in rhk_ids and text and text.strip()}
    note = (note or "").strip()
    if not cleaned and not note:
        raise DomainError("Tuliskan sekurang-kurangnya satu catatan perbaikan.", field="note")
    employee_id, skp_id, year = skp.employee_id, skp.id, skp.period.year
    _guarded_status(skp, SkpStatus.RETURNED, returned_at=utcnow(), return_note=note or None)
    for rid, text in cleaned.items():
        db.session.add(ReviewComment(skp_id=skp_id, rhk_id=rid, author_id=actor.id, body=text[:2000]))
    if note:
        db.session.add(ReviewComment(skp_id=skp_id, rhk_id=None, author_id=actor.id, body=note[:2000]))
    audit.record(db.session, "return_skp", "skp", skp_id, f"SKP {year} dikembalikan")
    db.session.flush()
    _notify_employee(
        employee_id,
        "skp_dikembalikan",
        f"SKP {year} Anda dikembalikan untuk diperbaiki.",
        url_for("skp.show", skp_id=skp_id),
    )


def approve_skp(skp: Skp, actor: User, today: date) -> None:
    """Disetujui (ditetapkan): freeze pegawai and pejabat penilai from the org data of `today`."""
    pegawai, penilai = live_people(skp, today)
    skp_id, employee_id, year, previous_id = skp.id, skp.employee_id, skp.period.year, skp.previous_id
    _guarded_status(
        skp,
        SkpStatus.APPROVED,
        approved_at=utcnow(),
        approved_on=today,
        approved_by_id=actor.id,
        appraiser_id=actor.employee_id,
        pegawai_nama=pegawai["nama"],
        pegawai_nip=pegawai["nip"],
        pegawai_pangkat=pegawai["pangkat"],
        pegawai_jabatan=pegawai["jabatan"],
        pegawai_unit=pegawai["unit"],
        penilai_nama=penilai["nama"],
        penilai_nip=penilai["nip"],
        penilai_pangkat=penilai["pangkat"],
        penilai_jabatan=penilai["jabatan"],
        penilai_unit=penilai["unit"],
    )
    audit.record(db.session, "approve_skp", "skp", skp_id, f"SKP {year} disetujui", after={"penilai": penilai})
    if previous_id:
        _replace_previous(skp_id, previous_id)
    _resolve_provisional_links(skp_id)
    db.session.flush()
    if previous_id:
        # A PDF of the old version in circulation is revoked, pointing at the new version's PDF.
        reissue_after_new_version(skp, actor.id, today)
    _notify_employee(
        employee_id, "skp_disetujui", f"SKP {year} Anda telah disetujui.", url_for("skp.show", skp_id=skp_id)
    )


def _replace_previous(skp_id: int, previous_id: int) -> None:
    """The previous version is replaced; links, realisasi and feedback move to the new version."""
    db.session.execute(
        update(Skp)
        .where(Skp.id == previous_id, Skp.status == SkpStatus.APPROVED)
        .values(status=SkpStatus.REPLACED, lock_version=Skp.lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    new_rhks = list(db.session.scalars(select(Rhk).options(selectinload(Rhk.indikators)).where(Rhk.skp_id == skp_id)))
    rhk_map = {r.origin_id: r for r in new_rhks if r.origin_id}
    iki_map = {i.origin_id: i.id for r in new_rhks for i in r.indikators if i.origin_id}
    old_rhk_ids = list(db.session.scalars(select(Rhk.id).where(Rhk.skp_id == previous_id)))
    for child in linked_staff_rhks(old_rhk_ids):
        successor = rhk_map.get(child.parent_rhk_id)
        old_text = child.parent.uraian if child.parent else ""
        link = url_for("skp.show", skp_id=child.skp_id)
        if successor is None:
            child.parent_rhk_id, child.provisional, child.link_broken = None, False, True
            _notify_employee(
                child.skp.employee_id,
                "rhk_atasan_dihapus",
                f"RHK atasan «{old_text[:120]}» tidak ada lagi pada SKP atasan versi baru; pilih ulang.",
                link,
            )
        else:
            child.parent_rhk_id = successor.id
            if successor.uraian != old_text:
                _notify_employee(
                    child.skp.employee_id,
                    "rhk_atasan_berubah",
                    f"RHK atasan yang Anda intervensi berubah menjadi «{successor.uraian[:150]}».",
                    link,
                )
    for r in db.session.scalars(
        select(Realisasi)
        .join(Indikator, Indikator.id == Realisasi.indikator_id)
        .join(Rhk)
        .where(Rhk.skp_id == previous_id)
    ):
        if r.indikator_id in iki_map:
            r.indikator_id = iki_map[r.indikator_id]
    for f in db.session.scalars(select(Feedback).where(Feedback.skp_id == previous_id)):
        f.skp_id = skp_id
        if f.rhk_id is not None:
            successor = rhk_map.get(f.rhk_id)
            if successor is None:
                f.rhk_id, f.nilai = None, f.nilai or "(RHK dihapus)"
            else:
                f.rhk_id = successor.id


def _resolve_provisional_links(skp_id: int) -> None:
    """Staff who linked provisionally to this (now approved) SKP get a firm link and a notice."""
    rhk_ids = list(db.session.scalars(select(Rhk.id).where(Rhk.skp_id == skp_id)))
    for child in linked_staff_rhks(rhk_ids):
        if child.provisional:
            child.provisional = False
            _notify_employee(
                child.skp.employee_id,
                "rhk_atasan_ditetapkan",
                "SKP atasan Anda telah disetujui; tautan RHK Anda kini tetap.",
                url_for("skp.show", skp_id=child.skp_id),
            )


def revise_skp(skp: Skp, reason: str) -> Skp:
    """Perubahan SKP: a new version with a reason, approved again; the approved one stays until then."""
    if skp.status != SkpStatus.APPROVED:
        raise DomainError("Hanya SKP yang sudah disetujui yang dapat dibuat versi barunya.")
    if newest_version_number(skp) != skp.version:
        raise DomainError("Sudah ada versi baru dari SKP ini.")
    text = _clean_text(reason, "reason", "Alasan perubahan", 1000)
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


# --- history -------------------------------------------------------------------------------------------


def versions_of(skp: Skp) -> list[Skp]:
    return list(
        db.session.scalars(
            select(Skp)
            .options(selectinload(Skp.rhks).selectinload(Rhk.indikators), selectinload(Skp.rhks).joinedload(Rhk.parent))
            .where(Skp.employee_id == skp.employee_id, Skp.period_id == skp.period_id)
            .order_by(Skp.version)
        )
    )


def _rows(skp: Skp) -> list[RhkRow]:
    return [
        RhkRow(
            key=r.origin_id or r.id,
            kategori=r.kategori.label,
            uraian=r.uraian,
            atasan=r.parent.uraian if r.parent else "",
            indikator=tuple(i.summary for i in r.indikators),
        )
        for r in skp.rhks
    ]


def version_diffs(versions: list[Skp]) -> dict[int, list[DiffEntry]]:
    """Diff of each version against its predecessor (keys: version id). RHK match by origin."""
    by_id = {v.id: v for v in versions}
    diffs = {}
    for v in versions:
        prev = by_id.get(v.previous_id)
        if prev is not None:
            # New-version RHK carry origin_id = the previous version's RHK id, so compare on that key.
            old_rows = [
                RhkRow(
                    r.id,
                    r.kategori.label,
                    r.uraian,
                    r.parent.uraian if r.parent else "",
                    tuple(i.summary for i in r.indikators),
                )
                for r in prev.rhks
            ]
            diffs[v.id] = diff_versions(old_rows, _rows(v))
    return diffs


# --- realisasi and feedback --------------------------------------------------------------------------------


def realisasi_for(skp: Skp, window_no: int) -> dict[int, Realisasi]:
    iki_ids = [i.id for r in skp.rhks for i in r.indikators]
    if not iki_ids:
        return {}
    rows = db.session.scalars(
        select(Realisasi)
        .options(selectinload(Realisasi.evidence).load_only(Evidence.id, Evidence.filename, Evidence.size))
        .where(Realisasi.indikator_id.in_(iki_ids), Realisasi.window_no == window_no)
    )
    return {r.indikator_id: r for r in rows}


@dataclass
class Upload:
    filename: str
    data: bytes


def check_upload(upload: Upload, field: str) -> uploads.Checked:
    """A bukti dukung file fit to store: size, then type and structure by content, never by the file name."""
    if len(upload.data) == 0:
        raise DomainError("Berkas kosong.", field=field)
    if len(upload.data) > EVIDENCE_MAX_BYTES:
        raise DomainError(
            f"Berkas «{upload.filename}» melebihi batas {EVIDENCE_MAX_BYTES // (1024 * 1024)} MB.", field=field
        )
    return uploads.check_file(upload.data, uploads.EXTENSIONS, field=field, not_allowed=EVIDENCE_NOT_ALLOWED)


def save_realisasi(
    skp: Skp,
    iki: Indikator,
    window_no: int,
    nilai: str,
    keterangan: str,
    link: str,
    uploads: list[Upload],
    actor: User,
) -> Realisasi:
    """Pendokumentasian kinerja: realisasi per IKI per periodic window, with bukti dukung."""
    if skp.status != SkpStatus.APPROVED:
        raise DomainError("Realisasi hanya dapat diisi pada SKP yang sudah disetujui.")
    if not skp.period.is_open:
        raise DomainError("Periode ini sudah ditutup.")
    if window_no not in {w.index for w in skp.period.windows}:
        raise DomainError("Periode penilaian tidak sah.", field="window")
    field = f"nilai-{iki.id}"
    text = (nilai or "").strip()
    if not text:
        raise DomainError("Realisasi wajib diisi.", field=field)
    if skp.jenis != SkpJenis.KUALITATIF:
        text = format_number(parse_number(text, field, "Realisasi"))
    link = (link or "").strip()
    if link and not link.startswith(("https://", "http://")):
        raise DomainError("Tautan bukti dukung harus diawali http:// atau https://.", field=f"link-{iki.id}")
    checked = [(u, check_upload(u, f"bukti-{iki.id}")) for u in uploads]
    row = db.session.scalars(
        select(Realisasi).where(Realisasi.indikator_id == iki.id, Realisasi.window_no == window_no)
    ).first()
    if row is None:
        row = Realisasi(indikator_id=iki.id, window_no=window_no, created_by_id=actor.id)
        db.session.add(row)
    row.nilai, row.keterangan, row.link = text, (keterangan or "").strip() or None, link or None
    for upload, file in checked:
        row.evidence.append(Evidence(**file.columns(upload.filename, "bukti")))
    db.session.flush()
    return row


def feedback_threads(skp: Skp) -> list[Feedback]:
    return list(
        db.session.scalars(
            select(Feedback)
            .options(joinedload(Feedback.author).joinedload(User.employee))
            .where(Feedback.skp_id == skp.id)
            .order_by(Feedback.created_at, Feedback.id)
        )
    )


def add_feedback(skp: Skp, actor: User, target: str, body: str, window_no: int | None) -> Feedback:
    """Umpan balik berkelanjutan on one RHK ("rhk-<id>") or one BerAKHLAK value ("nilai-<name>")."""
    text = _clean_text(body, "body", "Umpan balik", 2000)
    fb = Feedback(skp_id=skp.id, author_id=actor.id, body=text, window_no=window_no)
    if target.startswith("rhk-") and target[4:].isdigit() and int(target[4:]) in {r.id for r in skp.rhks}:
        fb.rhk_id = int(target[4:])
    elif target.startswith("nilai-") and target[6:] in BERAKHLAK:
        fb.nilai = target[6:]
    else:
        raise DomainError("Pilih RHK atau nilai BerAKHLAK yang diberi umpan balik.", field="target")
    db.session.add(fb)
    db.session.flush()
    other = skp.appraiser_id if actor.employee_id == skp.employee_id else skp.employee_id
    _notify_employee(
        other,
        "umpan_balik",
        f"Umpan balik baru pada SKP {skp.period.year} {skp.employee.full_name}.",
        url_for("skp.feedback", skp_id=skp.id),
    )
    return fb


# --- inbox and pohon kinerja -------------------------------------------------------------------------------


INBOX_LOAD = (
    joinedload(Skp.employee).joinedload(Employee.position),
    joinedload(Skp.period),
    selectinload(Skp.rhks).load_only(Rhk.id, Rhk.kategori),
)


def inbox(appraiser: Employee, today: date, *options) -> list[Skp]:
    """SKP awaiting a decision whose pejabat penilai is `appraiser` today.

    The inbox follows the org data of today, not the person it was submitted to: when a Plt/Plh takes
    over the atasan post (or the employee moves), the SKP moves with it (`decider_ids`). Candidates are the
    SKP submitted to `appraiser` and those of employees below the posts `appraiser` exercises today; the
    pejabat penilai of all of them is resolved in a fixed number of statements.
    """
    below = appraisers.subordinate_parent_map(appraiser, today)
    mine = Skp.appraiser_id == appraiser.id
    if below:
        mine = or_(mine, Skp.employee_id.in_(select(Employee.id).where(Employee.position_id.in_(list(below)))))
    candidates = list(
        db.session.scalars(
            select(Skp)
            .options(*(options or INBOX_LOAD))
            .where(Skp.status == SkpStatus.SUBMITTED, mine)
            .order_by(Skp.submitted_at, Skp.id)
        )
    )
    deciders = decider_ids(candidates, today, below)
    return [s for s in candidates if deciders[s.id] == appraiser.id]


def load_for_page(skp_id: int):
    return (
        selectinload(Skp.rhks).selectinload(Rhk.indikators),
        selectinload(Skp.rhks).joinedload(Rhk.parent),
        selectinload(Skp.perilaku),
    )


def review_comments(skp: Skp) -> dict[int | None, list[ReviewComment]]:
    """Open comments of the last return; resubmitting resolves them, so only a returned SKP has any."""
    if skp.status != SkpStatus.RETURNED:
        return {}
    rows = db.session.scalars(
        select(ReviewComment)
        .where(ReviewComment.skp_id == skp.id, ReviewComment.resolved.is_(False))
        .order_by(ReviewComment.created_at)
    )
    out: dict[int | None, list[ReviewComment]] = {}
    for c in rows:
        out.setdefault(c.rhk_id, []).append(c)
    return out


@dataclass
class TreeNode:
    rhk: Rhk
    owner: Employee
    children: list[TreeNode]


@dataclass
class Pohon:
    roots: list[TreeNode]
    coverage: object
    linked: int
    total: int
    orphans: list[Rhk]
    unsupported: list[Rhk]
    skp_count: int


def unit_subtree_ids(unit: Unit) -> list[int]:
    ids, frontier = [unit.id], [unit.id]
    while frontier:
        frontier = list(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids += frontier
    return ids


def pohon_kinerja(unit: Unit, period: Period) -> Pohon:
    """Cascading tree of a unit: leader's RHK down; coverage = staff RHK utama linked / all staff RHK utama."""
    unit_ids = unit_subtree_ids(unit)
    skps = list(
        db.session.scalars(
            select(Skp)
            .join(Employee, Employee.id == Skp.employee_id)
            .options(joinedload(Skp.employee).joinedload(Employee.position))
            .where(Employee.unit_id.in_(unit_ids), Skp.period_id == period.id, Skp.status != SkpStatus.REPLACED)
        )
    )
    current: dict[int, Skp] = {}
    for s in skps:  # approved version wins over a newer draft (that is what staff cascade from)
        have = current.get(s.employee_id)
        rank = (s.status == SkpStatus.APPROVED, s.version)
        if have is None or rank > (have.status == SkpStatus.APPROVED, have.version):
            current[s.employee_id] = s
    skp_by_id = {s.id: s for s in current.values()}
    rhks = (
        list(
            db.session.scalars(select(Rhk).where(Rhk.skp_id.in_(list(skp_by_id))).order_by(Rhk.kategori, Rhk.position))
        )
        if skp_by_id
        else []
    )
    nodes = {r.id: TreeNode(r, skp_by_id[r.skp_id].employee, []) for r in rhks}
    leader_pos = db.session.scalars(
        select(Position.id)
        .where(Position.unit_id == unit.id, Position.is_leader.is_(True))
        .order_by(Position.kelas_jabatan.desc())
    ).first()
    roots, orphans = [], []
    supervisors = {s.employee.position.parent_id for s in current.values() if s.employee.position}
    for r in rhks:
        node = nodes[r.id]
        owner_pos = node.owner.position_id
        if r.parent_rhk_id in nodes:
            nodes[r.parent_rhk_id].children.append(node)
        elif owner_pos == leader_pos or r.parent_rhk_id is not None:
            roots.append(node)  # the leader's RHK, or one supporting an RHK above this unit
        elif r.kategori == RhkKategori.UTAMA:
            orphans.append(r)
    staff_utama = [r for r in rhks if r.kategori == RhkKategori.UTAMA and nodes[r.id].owner.position_id != leader_pos]
    linked = sum(1 for r in staff_utama if r.parent_rhk_id is not None)
    unsupported = [
        r
        for r in rhks
        if nodes[r.id].owner.position_id in supervisors and r.kategori == RhkKategori.UTAMA and not nodes[r.id].children
    ]
    return Pohon(
        roots, coverage_percent(linked, len(staff_utama)), linked, len(staff_utama), orphans, unsupported, len(current)
    )


def units_for_pohon() -> list[Unit]:
    return list(db.session.scalars(select(Unit).order_by(Unit.kind, Unit.name)))


def subordinates_without_skp(appraiser: Employee, period: Period, today: date) -> list[Employee]:
    team = appraisers.direct_subordinates(appraiser, today)
    if not team:
        return []
    have = set(
        db.session.scalars(
            select(Skp.employee_id).where(Skp.period_id == period.id, Skp.employee_id.in_([e.id for e in team]))
        )
    )
    return [e for e in team if e.id not in have]


# --- RHK templates (HR) ------------------------------------------------------------------------------------


def templates_list() -> list[RhkTemplate]:
    return list(
        db.session.scalars(
            select(RhkTemplate)
            .options(joinedload(RhkTemplate.position))
            .order_by(RhkTemplate.position_id, RhkTemplate.id)
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
        uraian=_clean_text(uraian, "uraian", "Uraian RHK"),
        aspek=Aspek(aspek),
        indikator=_clean_text(indikator, "indikator", "Indikator"),
        target=(target or "").strip(),
        satuan=(satuan or "").strip() or None,
    )
    db.session.add(t)
    db.session.flush()
    return t


def delete_template(t: RhkTemplate) -> None:
    db.session.delete(t)
    db.session.flush()


def realisasi_awaiting_feedback(appraiser: Employee, appraiser_user: User) -> list[tuple[Skp, int]]:
    """Approved SKP of my staff with realisasi entered or changed since my last feedback on that SKP."""
    last_feedback = (
        select(func.max(Feedback.created_at))
        .where(Feedback.skp_id == Skp.id, Feedback.author_id == appraiser_user.id)
        .correlate(Skp)
        .scalar_subquery()
    )
    counts = (
        select(Skp.id, func.count(Realisasi.id))
        .join(Rhk, Rhk.skp_id == Skp.id)
        .join(Indikator, Indikator.rhk_id == Rhk.id)
        .join(Realisasi, Realisasi.indikator_id == Indikator.id)
        .where(
            Skp.appraiser_id == appraiser.id,
            Skp.status == SkpStatus.APPROVED,
            (last_feedback.is_(None)) | (Realisasi.updated_at > last_feedback),
        )
        .group_by(Skp.id)
    )
    n_by_skp = dict(db.session.execute(counts).all())
    if not n_by_skp:
        return []
    skps = db.session.scalars(
        select(Skp)
        .options(joinedload(Skp.employee), joinedload(Skp.period))
        .where(Skp.id.in_(list(n_by_skp)))
        .order_by(Skp.id)
    )
    return [(s, n_by_skp[s.id]) for s in skps]


# --- monitoring for HR -------------------------------------------------------------------------------------


@dataclass
class OpdRow:
    unit: Unit
    employees: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    missing_realisasi: int = 0

    @property
    def without_skp(self) -> int:
        return self.employees - self.draft - self.submitted - self.returned - self.approved


def current_window(period: Period, today: date) -> int | None:
    for w in period.windows:
        if w.start <= today <= w.end:
            return w.index
    return None


def monitoring(period: Period, today: date) -> tuple[list[OpdRow], int | None]:
    """Per OPD: SKP by status (effective version per employee) and approved SKP without realisasi this window."""
    units = {u.id: u for u in db.session.scalars(select(Unit))}

    def opd_of(unit_id: int | None) -> Unit | None:
        seen = 0
        node = units.get(unit_id)
        while node is not None and node.kind.value not in ("opd", "pemda") and seen < 20:
            node, seen = units.get(node.parent_id), seen + 1
        return node

    rows: dict[int, OpdRow] = {}
    employees = db.session.execute(select(Employee.id, Employee.unit_id).where(Employee.active.is_(True))).all()
    emp_opd = {}
    for emp_id, unit_id in employees:
        opd = opd_of(unit_id)
        if opd is None:
            continue
        emp_opd[emp_id] = opd.id
        rows.setdefault(opd.id, OpdRow(opd)).employees += 1
    skps = db.session.execute(
        select(Skp.id, Skp.employee_id, Skp.status, Skp.version).where(
            Skp.period_id == period.id, Skp.status != SkpStatus.REPLACED
        )
    ).all()
    effective: dict[int, tuple] = {}
    for row in skps:
        have = effective.get(row.employee_id)
        rank = (row.status == SkpStatus.APPROVED, row.version)
        if have is None or rank > (have.status == SkpStatus.APPROVED, have.version):
            effective[row.employee_id] = row
    window = current_window(period, today)
    reported = set()
    if window is not None:
        reported = set(
            db.session.scalars(
                select(Rhk.skp_id)
                .join(Indikator, Indikator.rhk_id == Rhk.id)
                .join(Realisasi, Realisasi.indikator_id == Indikator.id)
                .where(Realisasi.window_no == window)
                .distinct()
            )
        )
    field_of = {
        SkpStatus.DRAFT: "draft",
        SkpStatus.SUBMITTED: "submitted",
        SkpStatus.RETURNED: "returned",
        SkpStatus.APPROVED: "approved",
    }
    for emp_id, row in effective.items():
        opd_row = rows.get(emp_opd.get(emp_id))
        if opd_row is None:
            continue
        setattr(opd_row, field_of[row.status], getattr(opd_row, field_of[row.status]) + 1)
        if row.status == SkpStatus.APPROVED and window is not None and row.id not in reported:
            opd_row.missing_realisasi += 1
    return sorted(rows.values(), key=lambda r: (r.unit.kind.value != "pemda", r.unit.sort_order, r.unit.name)), window


def opd_drilldown(opd: Unit, period: Period) -> list[tuple[Employee, Skp | None]]:
    unit_ids = unit_subtree_ids(opd)
    emps = list(
        db.session.scalars(
            select(Employee)
            .options(joinedload(Employee.position))
            .where(Employee.unit_id.in_(unit_ids), Employee.active.is_(True))
            .order_by(Employee.name)
        )
    )
    skps = db.session.scalars(
        select(Skp).where(
            Skp.period_id == period.id, Skp.employee_id.in_([e.id for e in emps]), Skp.status != SkpStatus.REPLACED
        )
    )
    best: dict[int, Skp] = {}
    for s in skps:
        have = best.get(s.employee_id)
        if have is None or (s.status == SkpStatus.APPROVED, s.version) > (
            have.status == SkpStatus.APPROVED,
            have.version,
        ):
            best[s.employee_id] = s
    return [(e, best.get(e.id)) for e in emps]


MONITORING_HEADERS = [
    "Perangkat daerah",
    "Pegawai",
    "Belum ada SKP",
    "Draf",
    "Diajukan",
    "Dikembalikan",
    "Disetujui",
    "Realisasi periode ini belum diisi",
]


def monitoring_xlsx(rows: list[OpdRow], period: Period) -> bytes:
    wb = exports.workbook()
    ws = wb.active
    ws.title = f"SKP {period.year}"
    ws.append(MONITORING_HEADERS)
    for r in rows:
        ws.append(
            [r.unit.name, r.employees, r.without_skp, r.draft, r.submitted, r.returned, r.approved, r.missing_realisasi]
        )
    ws.column_dimensions["A"].width = 60
    return exports.xlsx_bytes(wb)


def move_rhk(rhk: Rhk, direction: int) -> None:
    """Swap an RHK with its neighbour in the same kategori (direction -1 = up, +1 = down)."""
    skp = rhk.skp
    _require_editable(skp)
    same = sorted((r for r in skp.rhks if r.kategori == rhk.kategori), key=lambda r: (r.position, r.id))
    for pos, r in enumerate(same):
        r.position = pos
    i = same.index(rhk)
    j = i + direction
    if 0 <= j < len(same):
        same[i].position, same[j].position = same[j].position, same[i].position
    db.session.flush()


def unchanged_resubmissions(rows: list[Skp]) -> set[int]:
    """Inbox rows that are a new version whose RHK/IKI equal the approved previous version (bulk-approvable)."""
    ids = [s.previous_id for s in rows if s.previous_id]
    if not ids:
        return set()
    wanted = ids + [s.id for s in rows if s.previous_id]
    by_id = {
        s.id: s
        for s in db.session.scalars(
            select(Skp)
            .options(selectinload(Skp.rhks).selectinload(Rhk.indikators), selectinload(Skp.rhks).joinedload(Rhk.parent))
            .where(Skp.id.in_(wanted))
        )
    }
    result = set()
    for s in rows:
        prev = by_id.get(s.previous_id)
        if prev is not None and prev.status == SkpStatus.APPROVED and not version_diffs([prev, by_id[s.id]]).get(s.id):
            result.add(s.id)
    return result


def bulk_approve(skp_ids: list[int], actor: User, today: date) -> int:
    """Approve the selected unchanged resubmissions the actor appraises; anything else is skipped, not failed."""
    if actor.employee_id is None:
        return 0
    rows = inbox(actor.employee, today)
    allowed = unchanged_resubmissions(rows)
    done = 0
    for skp in rows:
        if skp.id in skp_ids and skp.id in allowed:
            appraiser = appraisers.appraiser_of(skp.employee, today)
            if appraiser is None or appraiser.employee.id != actor.employee_id:
                continue
            try:
                approve_skp(skp, actor, today)
            except DomainError:
                continue
            done += 1
    return done


# --- autosave of RHK and IKI drafts ------------------------------------------------------------------------

SLOT_RE = re.compile(r"rhk-(?P<rhk>\d+)|iki-(?P<iki>\d+)|rhk-baru|iki-baru-(?P<new_iki>\d+)")
RHK_TEXT_FIELDS = ("uraian",)
NEW_RHK_FIELDS = ("kategori", "parent_rhk_id", "uraian")
IKI_FIELDS = ("aspek", "indikator", "target", "satuan")
DRAFT_CONFLICT = (
    "Baris ini telah diubah di tab atau perangkat lain sejak halaman dibuka. Isian Anda belum disimpan; "
    "salin isian Anda, muat ulang halaman, lalu simpan ulang."
)
DRAFT_GONE = "Baris ini sudah dihapus di tab atau perangkat lain; isian Anda tidak dapat disimpan."


@dataclass
class Slot:
    """One autosaved row of the editor: an RHK text, an IKI, or a new row not yet added."""

    name: str
    kind: str  # "rhk" | "iki" | "rhk_baru" | "iki_baru"
    fields: tuple[str, ...]
    rhk: Rhk | None = None
    iki: Indikator | None = None


@dataclass
class AutosaveResult:
    slot: str
    values: dict[str, str]
    errors: dict[str, list[str]]
    saved: bool  # applied to the RHK/IKI row (not only kept as a draft)
    token: str  # state token the form must send with its next save
    conflict: str | None = None


def parse_slot(skp: Skp, name: str) -> Slot | None:
    """The row a slot name points at in `skp`; None when it names nothing (deleted or foreign row)."""
    m = SLOT_RE.fullmatch(name or "")
    if m is None:
        return None
    if name == "rhk-baru":
        return Slot(name, "rhk_baru", NEW_RHK_FIELDS)
    if m["rhk"] or m["new_iki"]:
        rid = int(m["rhk"] or m["new_iki"])
        rhk = next((r for r in skp.rhks if r.id == rid), None)
        if rhk is None:
            return None
        return Slot(name, "rhk", RHK_TEXT_FIELDS, rhk=rhk) if m["rhk"] else Slot(name, "iki_baru", IKI_FIELDS, rhk=rhk)
    iki = next((i for r in skp.rhks for i in r.indikators if i.id == int(m["iki"])), None)
    return Slot(name, "iki", IKI_FIELDS, rhk=iki.rhk, iki=iki) if iki else None


def drafts_of(skp: Skp) -> dict[str, SkpDraft]:
    return {d.slot: d for d in db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp.id))}


def row_values(slot: Slot) -> dict[str, str]:
    """What the row holds now, as the strings a form shows."""
    if slot.kind == "rhk":
        return {"uraian": slot.rhk.uraian}
    if slot.kind == "iki":
        i = slot.iki
        return {"aspek": i.aspek.value, "indikator": i.indikator, "target": i.target, "satuan": i.satuan or ""}
    return {f: "" for f in slot.fields}


def state_token(values: dict[str, str]) -> str:
    """Short fingerprint of a slot's stored state: a save is refused when the form started from another one."""
    raw = json.dumps({k: values.get(k) or "" for k in sorted(values)}, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def stored_values(slot: Slot, draft: SkpDraft | None) -> dict[str, str]:
    return {f: str(draft.data.get(f) or "") for f in slot.fields} if draft else row_values(slot)


def _errors_of(fn, *args) -> dict[str, list[str]]:
    try:
        fn(*args)
    except DomainError as e:
        return {e.field or "uraian": [e.message]}
    return {}


def validate_slot(skp: Skp, slot: Slot, values: dict[str, str], today: date) -> dict[str, list[str]]:
    """Every message for the typed values, field by field (nothing is changed)."""
    errors: dict[str, list[str]] = {}
    if slot.kind in ("rhk", "rhk_baru"):
        errors.update(_errors_of(_clean_text, values["uraian"], "uraian", "Uraian RHK"))
        if slot.kind == "rhk_baru":
            try:
                probe = Rhk(kategori=RhkKategori(values["kategori"]))
            except ValueError:
                errors["kategori"] = ["Kategori tidak sah."]
            else:
                parent = int(values["parent_rhk_id"]) if values["parent_rhk_id"].isdigit() else None
                errors.update(_errors_of(_apply_link, skp, probe, parent, today))
        return errors
    try:
        aspek = Aspek(values["aspek"])
    except ValueError:
        errors["aspek"] = ["Aspek tidak sah."]
        aspek = None
    errors.update(_errors_of(_clean_text, values["indikator"], "indikator", "Indikator kinerja individu"))
    target = None
    try:
        target = parse_target(skp.jenis, values["target"])
    except DomainError as e:
        errors["target"] = [e.message]
    satuan = values["satuan"].strip()
    if len(satuan) > 60:
        errors["satuan"] = ["Satuan maksimal 60 karakter."]
    elif skp.jenis != SkpJenis.KUALITATIF and not satuan:
        errors["satuan"] = ["Satuan target wajib diisi (misalnya dokumen, laporan, %, bulan)."]
    if not errors and aspek == Aspek.WAKTU and skp.jenis != SkpJenis.KUALITATIF:
        errors.update(_errors_of(check_waktu_target, target, satuan, skp.period.start_date, skp.period.end_date))
    return errors


def autosave(skp: Skp, slot: Slot, typed: dict[str, str], token: str, today: date) -> AutosaveResult:
    """Save what was typed into one row while the pegawai types.

    Valid input for an existing RHK/IKI goes into the row; invalid input, and any input for a row not yet
    added, is kept as a draft exactly as typed, with its messages. A form that started from another state
    than the stored one (second tab) is told about the conflict and nothing is stored.
    """
    _require_editable(skp)
    values = {f: str(typed.get(f) or "") for f in slot.fields}
    draft = _draft(skp, slot.name)
    if token != state_token(stored_values(slot, draft)):
        return AutosaveResult(slot.name, values, {}, False, token, conflict=DRAFT_CONFLICT)
    errors = validate_slot(skp, slot, values, today)
    if slot.kind in ("rhk", "iki") and not errors:
        if slot.kind == "rhk":  # the text only: kategori and the atasan link have their own form
            _set_rhk_text(slot.rhk, values["uraian"].strip())
        else:
            update_indikator(slot.iki, values["aspek"], values["indikator"], values["target"], values["satuan"])
        discard_drafts(skp, slot.name)
        skp.updated_at = utcnow()  # bumps lock_version: a stale edit page in another tab is told
        db.session.flush()
        return AutosaveResult(slot.name, values, {}, True, state_token(row_values(slot)))
    if draft is None:
        draft = SkpDraft(skp_id=skp.id, slot=slot.name, data=values, errors=errors)
        db.session.add(draft)
    else:
        draft.data, draft.errors = values, errors
    db.session.flush()
    return AutosaveResult(slot.name, values, errors, False, state_token(values))


def _draft(skp: Skp, slot: str) -> SkpDraft | None:
    return db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp.id, SkpDraft.slot == slot)).first()


def discard_drafts(skp: Skp, *slots: str) -> None:
    """Forget drafts once their row is added, saved through its own form, or deleted."""
    if slots:
        db.session.execute(
            delete(SkpDraft)
            .where(SkpDraft.skp_id == skp.id, SkpDraft.slot.in_(slots))
            .execution_options(synchronize_session=False)
        )


def invalid_drafts(skp: Skp) -> list[SkpDraft]:
    """Drafts of existing rows still failing validation: submitting would send the old text instead."""
    return [
        d
        for d in db.session.scalars(select(SkpDraft).where(SkpDraft.skp_id == skp.id).order_by(SkpDraft.id))
        if d.errors and not d.slot.startswith(("rhk-baru", "iki-baru-"))
    ]


def schedule_daily_rerouting(app, huey) -> None:
    """Every night at 00.05 WIB (17.05 UTC) SKP awaiting a decision follow appointments that began or ended."""
    from huey import crontab

    @huey.periodic_task(crontab(hour="17", minute="5"), name="skp_ikuti_pejabat_penilai")
    def daily_rerouting() -> None:
        with app.app_context(), app.test_request_context():  # links in the notifications
            reroute_submitted(today_wib())
            db.session.commit()
            db.session.remove()
