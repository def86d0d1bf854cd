"""Approval workflow: diajukan, dikembalikan, disetujui (with the frozen people), bulk approval.

Rules: PermenPANRB 6/2022 (penetapan and perubahan SKP). Each operation flushes (never commits) and notifies.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from ... import audit
from ...domain import DomainError
from ...domain.skp import RhkKategori
from ...domain.workflow import SkpStatus, transition
from ...extensions import db
from ...models import Feedback, Indikator, Realisasi, ReviewComment, Rhk, Skp, User, utcnow
from ..org import appraisers
from .cascade import linked_staff_rhks
from .documents import reissue_after_new_version
from .drafts import unsaved_row_drafts
from .inbox import inbox, unchanged_resubmissions
from .records import live_people, notify_employee


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
    if unsaved_row_drafts(skp):
        raise DomainError(
            "Masih ada isian RHK atau indikator yang belum valid atau belum disimpan (baris yang sedang diubah). "
            "Perbaiki lalu klik Simpan, atau Batal, kemudian ajukan.",
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
    notify_employee(
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
    notify_employee(
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
    notify_employee(
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
            notify_employee(
                child.skp.employee_id,
                "rhk_atasan_dihapus",
                f"RHK atasan «{old_text[:120]}» tidak ada lagi pada SKP atasan versi baru; pilih ulang.",
                link,
            )
        else:
            child.parent_rhk_id = successor.id
            if successor.uraian != old_text:
                notify_employee(
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
            notify_employee(
                child.skp.employee_id,
                "rhk_atasan_ditetapkan",
                "SKP atasan Anda telah disetujui; tautan RHK Anda kini tetap.",
                url_for("skp.show", skp_id=child.skp_id),
            )


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
