"""Keberatan against a final rating (PP 30/2019 Pasal 59; domain §2.10; issue #5 item 9).

Flow: the employee files (≤ 14 calendar days after the result, see `domain.keberatan`) → the atasan
pejabat penilai (on the day of acting, Plt-aware: `services.org.appraisers.appraiser_supervisor_of`) asks both sides
for an explanation → the employee and the pejabat penilai answer → the atasan decides with reasons. The
decision is final: an accepted keberatan changes the rating through `ratings.apply_keberatan_decision`
(audited, payroll re-fed, employee notified); either way the evaluation document is re-issued with the
decision and the previous one revoked with a link to it, and when the predikat changed, so is every penetapan
predikat document listing the employee. Functions flush, never commit.
"""

from __future__ import annotations

from datetime import date

from flask import url_for
from sqlalchemy import select, update

from ... import audit, uploads
from ...domain import DomainError
from ...domain.keberatan import KeberatanStatus, Pihak, Putusan, batas_keberatan, check_deadline
from ...domain.labels import tanggal
from ...domain.predikat import Ekspektasi, predikat
from ...extensions import db
from ...models import Employee, Keberatan, KeberatanPenjelasan, PerformanceRating, User, utcnow
from ...timeutil import today_wib
from .. import rating_rules
from ..notifications.notify import Todo
from ..org import appraisers
from ..skp import records
from . import documents, inserted, ratings, windows

NOTIFY_KIND = "keberatan"
LAMPIRAN_MAX = 5 * 1024 * 1024
LAMPIRAN_TYPES = (uploads.PDF, uploads.PNG, uploads.JPEG)
OPEN = (KeberatanStatus.DIAJUKAN, KeberatanStatus.DIPERIKSA)


def keberatan_of(rating: PerformanceRating) -> Keberatan | None:
    return db.session.scalar(select(Keberatan).where(Keberatan.rating_id == rating.id))


def decider_of(keb: Keberatan, on: date) -> Employee | None:
    """Who decides today: the atasan pejabat penilai of the employee on `on` (Plt/Plh-aware)."""
    found = appraisers.appraiser_supervisor_of(keb.employee, on)
    return found.employee if found else None


def deadline_of(rating: PerformanceRating) -> date | None:
    """The last day to object, under the deadline rule in force on the day the result was given."""
    if not rating.result_given_on:
        return None
    return batas_keberatan(rating.result_given_on, rating_rules.batas_on(rating.result_given_on).data)


def _link(keb: Keberatan) -> str:
    return url_for("rating.keberatan_page", keberatan_id=keb.id, _external=False)


def _notify(employee_id: int | None, message: str, keb: Keberatan) -> None:
    records.notify_employee(employee_id, NOTIFY_KIND, message[:400], _link(keb))


def _notify_both_sides(keb: Keberatan, message: str) -> None:
    """The employee and the pejabat penilai: the two sides of a keberatan."""
    _notify(keb.employee_id, message, keb)
    _notify(keb.penilai_id, message, keb)


def check_lampiran(data: bytes) -> uploads.Checked:
    """PDF/PNG/JPEG up to 5 MB, recognised and checked by content."""
    if len(data) > LAMPIRAN_MAX:
        raise DomainError("Lampiran terlalu besar; maksimal 5 MB.", field="lampiran")
    return uploads.check_file(
        data, LAMPIRAN_TYPES, field="lampiran", not_allowed="Lampiran harus berkas PDF, PNG, atau JPEG."
    )


def file(
    rating: PerformanceRating,
    actor: User,
    alasan: str,
    today: date,
    lampiran: tuple[bytes, str] | None = None,
) -> Keberatan:
    """The employee objects in writing, with reasons, within 14 days (PP 30/2019 Pasal 59 ayat 1–2)."""
    if actor.employee_id != rating.employee_id:
        raise DomainError("Keberatan hanya dapat diajukan oleh pegawai yang dinilai sendiri.")
    if not rating.is_final:
        raise DomainError("Keberatan hanya dapat diajukan atas penilaian yang sudah final.")
    existing = keberatan_of(rating)
    if existing is not None:
        raise DomainError(
            f"Keberatan atas penilaian ini sudah diajukan pada {tanggal(existing.filed_on)}; "
            "keberatan hanya dapat diajukan satu kali dan keputusan atasan pejabat penilai bersifat final."
        )
    batas = rating_rules.batas_on(rating.result_given_on)
    check_deadline(rating.result_given_on, today, batas.data)
    alasan = (alasan or "").strip()
    if len(alasan) < 20:
        raise DomainError("Tuliskan alasan keberatan Anda (minimal 20 karakter).", field="alasan")
    atasan = appraisers.appraiser_supervisor_of(rating.employee, today)
    if atasan is None:
        raise DomainError(
            "Atasan pejabat penilai Anda tidak ditemukan dalam data organisasi; hubungi Admin Kepegawaian."
        )
    keb = Keberatan(
        rating_id=rating.id,
        employee_id=rating.employee_id,
        penilai_id=rating.appraiser_id,
        atasan_id=atasan.employee.id,
        filed_on=today,
        batas_rule_version=batas.version_id,
        alasan=alasan,
        predikat_lama=rating.predikat,
        hasil_kerja_lama=rating.hasil_kerja,
        perilaku_kerja_lama=rating.perilaku_kerja,
    )
    if lampiran is not None:
        data, name = lampiran
        checked = check_lampiran(data)
        keb.lampiran, keb.lampiran_mime, keb.lampiran_name = checked.data, checked.mimetype, (name or "lampiran")[-200:]
    if not inserted(keb):  # a second tab filed at the same moment
        raise DomainError("Keberatan atas penilaian ini sudah diajukan; keberatan hanya dapat diajukan satu kali.")
    _notify(
        atasan.employee.id,
        f"{rating.employee.full_name} mengajukan keberatan atas penilaian kinerja "
        f"{windows.window_label(rating.period, rating.window_no)} (predikat {rating.predikat.label}). "
        "Mintalah penjelasan pegawai dan pejabat penilai, lalu tetapkan keputusan.",
        keb,
    )
    return keb


def _moved(keb: Keberatan, status: KeberatanStatus, to: KeberatanStatus, **values) -> bool:
    """Move the keberatan from `status` to `to` in one conditional UPDATE (of two requests at once, one moves it;
    the other finds it moved and gets False), then reload it."""
    moved = db.session.execute(
        update(Keberatan)
        .where(Keberatan.id == keb.id, Keberatan.status == status)
        .values(status=to, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(keb)
    return moved == 1


def request_explanations(keb: Keberatan, actor: User) -> bool:
    """DIAJUKAN → DIPERIKSA: both sides are asked (notified, on their to-do list). False if asked already."""
    if keb.is_final:
        raise DomainError("Keberatan ini sudah diputus; keputusan bersifat final.")
    if not _moved(keb, KeberatanStatus.DIAJUKAN, KeberatanStatus.DIPERIKSA, penjelasan_diminta_at=utcnow()):
        return False
    audit.record(db.session, "keberatan_periksa", "keberatan", keb.id, "Penjelasan diminta dari kedua pihak")
    text = (
        f"Atasan pejabat penilai meminta penjelasan Anda atas keberatan {keb.employee.full_name} terhadap "
        f"penilaian kinerja {windows.window_label(keb.rating.period, keb.rating.window_no)}."
    )
    _notify_both_sides(keb, text)
    return True


def pihak_of(user: User, keb: Keberatan) -> Pihak | None:
    if user.employee_id is None:
        return None
    if user.employee_id == keb.employee_id:
        return Pihak.PEGAWAI
    if user.employee_id == keb.penilai_id:
        return Pihak.PENILAI
    return None


def add_explanation(keb: Keberatan, actor: User, body: str, today: date) -> KeberatanPenjelasan:
    pihak = pihak_of(actor, keb)
    if pihak is None:
        raise DomainError("Penjelasan hanya diberikan oleh pegawai yang dinilai atau pejabat penilai.")
    if keb.is_final:
        raise DomainError("Keberatan ini sudah diputus; penjelasan tidak dapat ditambahkan.")
    if keb.status != KeberatanStatus.DIPERIKSA:
        raise DomainError("Atasan pejabat penilai belum meminta penjelasan.")
    if keb.penjelasan_of(pihak) is not None:
        raise DomainError("Penjelasan Anda sudah tercatat dan tidak dapat diubah.") from None
    body = (body or "").strip()
    if len(body) < 10:
        raise DomainError("Tuliskan penjelasan Anda (minimal 10 karakter).", field="penjelasan")
    row = KeberatanPenjelasan(keberatan_id=keb.id, pihak=pihak, body=body, author_id=actor.id)
    if not inserted(row):
        raise DomainError("Penjelasan Anda sudah tercatat dan tidak dapat diubah.")
    db.session.refresh(keb)
    decider = decider_of(keb, today)
    _notify(decider.id if decider else keb.atasan_id, f"{pihak.label} memberikan penjelasan atas keberatan.", keb)
    return row


def decide(
    keb: Keberatan,
    actor: User,
    putusan: Putusan,
    hasil_kerja: Ekspektasi | None,
    perilaku_kerja: Ekspektasi | None,
    pertimbangan: str,
    today: date,
    base_url: str | None = None,
) -> bool:
    """The atasan's final decision (PP 30/2019 Pasal 59 ayat 3–4). Returns False when already decided.

    Accepted: the rating changes through `apply_keberatan_decision` (new predikat from the legal matrix).
    Either way payroll is fed again and the evaluation document is re-issued with the decision; an accepted one
    also re-issues the unit's penetapan predikat (it listed the old predikat).
    """
    if keb.is_final:
        return False
    if keb.status != KeberatanStatus.DIPERIKSA:
        raise DomainError("Mintalah penjelasan pegawai dan pejabat penilai terlebih dahulu.")
    missing = [p.label.lower() for p in Pihak if keb.penjelasan_of(p) is None]
    if missing:
        raise DomainError(f"Penjelasan dari {' dan '.join(missing)} belum diterima; keputusan belum dapat ditetapkan.")
    pertimbangan = (pertimbangan or "").strip()
    if len(pertimbangan) < 20:
        raise DomainError("Tuliskan pertimbangan keputusan (minimal 20 karakter).", field="pertimbangan")
    rating = keb.rating
    if putusan == Putusan.DITERIMA:
        if hasil_kerja is None or perilaku_kerja is None:
            raise DomainError("Pilih rating hasil kerja dan perilaku kerja yang baru.", field="hasil_kerja")
        if (hasil_kerja, perilaku_kerja) == (rating.hasil_kerja, rating.perilaku_kerja):
            raise DomainError(
                "Rating baru sama dengan rating semula; bila hasil penilaian tetap, pilih «Tolak keberatan».",
                field="hasil_kerja",
            )
    if not _moved(keb, KeberatanStatus.DIPERIKSA, KeberatanStatus.DITETAPKAN):
        return False
    keb.putusan = putusan
    keb.pertimbangan = pertimbangan
    keb.decided_on, keb.decided_at = today, utcnow()
    keb.decided_by_id, keb.decider_id = actor.id, actor.employee_id
    if putusan == Putusan.DITERIMA:
        keb.hasil_kerja_baru, keb.perilaku_kerja_baru = hasil_kerja, perilaku_kerja
        keb.predikat_baru = predikat(hasil_kerja, perilaku_kerja)
        ratings.apply_keberatan_decision(
            rating, hasil_kerja, perilaku_kerja, f"Keputusan atas keberatan (final): {pertimbangan}"
        )
    else:
        keb.predikat_baru = rating.predikat
        audit.record(
            db.session,
            "keberatan_ditolak",
            "performance_rating",
            rating.id,
            f"Keberatan ditolak (final): {pertimbangan}"[:300],
        )
        ratings.feed_payroll(rating)
    db.session.flush()
    doc, _new = documents.issue_evaluation(
        rating, today, actor.id, key=f"evaluasi:{rating.id}:keberatan{keb.id}", base_url=base_url, keberatan=keb
    )
    keb.document_id = doc.id
    if putusan == Putusan.DITERIMA:
        documents.reissue_penetapan_after_keberatan(keb, today, actor.id, base_url)
    db.session.flush()
    text = (
        f"Keputusan atas keberatan {keb.employee.full_name}: {putusan.label}. Predikat kinerja "
        f"{rating.predikat.label}. Keputusan ini bersifat final."
    )
    _notify_both_sides(keb, text)
    return True


# --- to-dos ---------------------------------------------------------------------------------------------


def open_for(user: User, on: date) -> list[Keberatan]:
    """Open keberatan the user decides today (atasan pejabat penilai, Plt-aware)."""
    if not user.is_authenticated or user.employee_id is None:
        return []
    # Only keberatan of employees below the user's posts can be theirs (one walk down the tree, then the
    # Plt-aware decider check for those few): the to-do runs on every page.
    below = appraisers.subordinate_position_ids(user.employee, on)
    if not below:
        return []
    rows = db.session.scalars(
        select(Keberatan)
        .join(Employee, Employee.id == Keberatan.employee_id)
        .where(Keberatan.status.in_(OPEN), Employee.position_id.in_(below))
        .order_by(Keberatan.filed_at)
    )
    out = []
    for k in rows:
        d = decider_of(k, on)
        if d is not None and d.id == user.employee_id:
            out.append(k)
    return out


def awaiting_explanation(user: User) -> list[Keberatan]:
    if not user.is_authenticated or user.employee_id is None:
        return []
    rows = db.session.scalars(
        select(Keberatan).where(
            Keberatan.status == KeberatanStatus.DIPERIKSA,
            (Keberatan.employee_id == user.employee_id) | (Keberatan.penilai_id == user.employee_id),
        )
    )
    return [k for k in rows if (p := pihak_of(user, k)) is not None and k.penjelasan_of(p) is None]


def keberatan_todos(user: User) -> list[Todo]:
    todos = []
    mine = open_for(user, today_wib())
    if mine:
        link = _link(mine[0]) if len(mine) == 1 else "/penilaian-kinerja/"
        todos.append(Todo(len(mine), f"{len(mine)} keberatan penilaian kinerja menunggu keputusan Anda", link))
    ask = awaiting_explanation(user)
    if ask:
        todos.append(Todo(len(ask), f"{len(ask)} keberatan menunggu penjelasan Anda", _link(ask[0])))
    return todos
