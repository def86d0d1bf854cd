"""The referral lifecycle: HR assigns or dismisses a suggestion, the participant starts, completes (JP credited,
certificate) or does not complete.

Shared beyond the development area: the pembinaan kinerja area links its improvement plans to referrals through
`signals.referral_assigned` (sent when HR accepts a suggestion). Every function flushes and never commits; the caller
(view, job, CLI) commits once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import signals, uploads
from ...domain import DomainError
from ...domain.development import (
    ACTIVE,
    ReferralStatus,
    Seat,
    check_completion_date,
    check_jp,
    clashes,
    jp_for_attendance,
    transition,
)
from ...extensions import db
from ...models import (
    JpEntry,
    JpSource,
    Programme,
    Referral,
    ReferralCertificate,
    User,
    utcnow,
)
from ..notifications.notify import notify
from ..org import appraisers
from .catalogue import occupied_seats
from .rules import minimum_attendance

NOTIFY_KIND = "rujukan_pengembangan"
CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CERTIFICATE_TYPES = (uploads.PDF, uploads.PNG, uploads.JPEG)

# --- lifecycle ------------------------------------------------------------------------------------------


class BulkError(DomainError):
    """All-or-nothing failure of a bulk action: a general message plus one message per referral id."""

    def __init__(self, message: str, rows: dict[int, str]):
        super().__init__(message)
        self.rows = rows


def _parties(referral: Referral, today: date) -> list[tuple[User, str]]:
    """The employee's account and the atasan's (today's pejabat penilai, Plt-aware), with their links."""
    out = []
    emp = referral.employee
    found = appraisers.appraiser_of(emp, today)
    ids = [emp.id] + ([found.employee.id] if found else [])
    users = db.session.scalars(
        select(User).where(User.employee_id.in_(ids), User.active.is_(True)).options(joinedload(User.employee))
    ).all()
    for u in users:
        own = u.employee_id == emp.id
        link = (
            url_for("development.mine", _external=False)
            if own
            else url_for("development.employee", employee_id=emp.id, _external=False)
        )
        out.append((u, link))
    return out


def _notify_step(referral: Referral, today: date, for_employee: str, for_atasan: str) -> None:
    for user, link in _parties(referral, today):
        notify(user, NOTIFY_KIND, for_employee if user.employee_id == referral.employee_id else for_atasan, link)


def assign(referrals: Sequence[Referral], programme: Programme, actor: User | None, today: date) -> None:
    """Accept suggestions and assign them to a programme, all or nothing.

    Checks (each with an Indonesian message per referral): still a suggestion, eligibility by jabatan type
    and golongan, capacity, schedule clashes with the employee's running assignments and inside the batch.
    """
    if not referrals:
        raise DomainError("Pilih minimal satu usulan.", field="ids")
    if not programme.active:
        raise DomainError(f"Program «{programme.name}» tidak aktif lagi.", field="programme_id")
    if programme.end_date is not None and programme.end_date < today:
        raise DomainError(f"Program «{programme.name}» sudah berakhir.", field="programme_id")
    rows: dict[int, str] = {}
    elig = programme.eligibility
    for r in referrals:
        emp = r.employee
        if r.status != ReferralStatus.DIUSULKAN:
            rows[r.id] = f"{emp.name}: rujukan berstatus «{r.status.label}», bukan usulan."
            continue
        kind = emp.position.kind if emp.position else None
        why = elig.reasons(kind.value if kind else None, kind.label if kind else "", emp.golongan)
        if why:
            rows[r.id] = f"{emp.name} tidak memenuhi syarat: {'; '.join(why)}."
    # Schedule clashes against what the employees already run (one query), and inside this batch.
    emp_ids = [r.employee_id for r in referrals]
    running = db.session.execute(
        select(Referral.employee_id, Referral.programme_id, Programme.start_date, Programme.end_date)
        .join(Programme, Programme.id == Referral.programme_id)
        .where(Referral.employee_id.in_(emp_ids), Referral.status.in_(list(ACTIVE)))
    ).all()
    existing = [Seat(-1, e, "", p, s, en) for e, p, s, en in running]
    seats = [
        Seat(r.id, r.employee_id, r.employee.name, programme.id, programme.start_date, programme.end_date)
        for r in referrals
        if r.id not in rows
    ]
    for rid, msg in clashes(seats, existing).items():
        rows.setdefault(rid, msg)
    if rows:
        raise BulkError(f"{len(rows)} usulan tidak dapat ditugaskan; tidak ada yang disimpan.", rows)
    if programme.capacity is not None:
        taken = occupied_seats([programme.id]).get(programme.id, 0)
        left = programme.capacity - taken
        if len(referrals) > left:
            raise DomainError(
                f"Kapasitas «{programme.name}» tinggal {max(left, 0)} peserta; dipilih {len(referrals)} pegawai. "
                "Tidak ada yang disimpan.",
                field="programme_id",
            )
    now = utcnow()
    for r in referrals:
        r.status = transition(r.status, ReferralStatus.DITUGASKAN)
        r.programme_id = programme.id
        r.programme = programme
        r.assigned_at = now
        r.assigned_by_id = actor.id if actor else None
        r.decided_by_id = actor.id if actor else None
    db.session.flush()
    when = _when(programme)
    for r in referrals:
        _notify_step(
            r,
            today,
            f"Anda ditugaskan mengikuti {programme.name} ({when}, {programme.jp} JP).",
            f"{r.employee.name} ditugaskan mengikuti {programme.name} ({when}).",
        )
        signals.referral_assigned.send(r, actor=actor, today=today)
    db.session.flush()


def _when(programme: Programme) -> str:
    from ...domain.labels import tanggal

    if programme.start_date is None:
        return "mandiri"
    if programme.start_date == programme.end_date:
        return tanggal(programme.start_date)
    return f"{tanggal(programme.start_date)} s.d. {tanggal(programme.end_date)}"


def dismiss(referrals: Sequence[Referral], reason: str, actor: User | None) -> None:
    """HR decides not to follow a suggestion up; the reason is kept (and the trigger is not suggested again)."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
    if not referrals:
        raise DomainError("Pilih minimal satu usulan.", field="ids")
    rows = {
        r.id: f"{r.employee.name}: rujukan berstatus «{r.status.label}», bukan usulan."
        for r in referrals
        if r.status != ReferralStatus.DIUSULKAN
    }
    if rows:
        raise BulkError(f"{len(rows)} rujukan tidak dapat ditolak; tidak ada yang disimpan.", rows)
    for r in referrals:
        r.status = transition(r.status, ReferralStatus.DITOLAK)
        r.dismiss_reason = reason[:500]
        r.decided_by_id = actor.id if actor else None
    db.session.flush()


def start(referral: Referral, actor: User | None, today: date) -> None:
    """The participant has started the programme."""
    referral.status = transition(referral.status, ReferralStatus.BERJALAN)
    referral.started_on = today
    db.session.flush()
    name = referral.programme.name
    _notify_step(referral, today, f"{name} Anda tercatat sedang berjalan.", f"{referral.employee.name} mulai {name}.")


@dataclass
class Upload:
    filename: str
    data: bytes


def check_certificate(upload: Upload) -> uploads.Checked:
    """A certificate is a PDF or an image (PNG/JPEG), by its content, never by its name."""
    if not upload.data:
        raise DomainError("Berkas sertifikat kosong.", field="certificate")
    if len(upload.data) > CERTIFICATE_MAX_BYTES:
        raise DomainError("Berkas sertifikat melebihi 5 MB.", field="certificate")
    return uploads.check_file(
        upload.data,
        CERTIFICATE_TYPES,
        field="certificate",
        not_allowed="Sertifikat harus berupa berkas PDF atau gambar (PNG/JPEG).",
    )


def complete(
    referral: Referral,
    *,
    attendance_percent: int | None,
    result: str | None,
    jp: int | None,
    certificate: Upload | None,
    actor: User | None,
    today: date,
) -> JpEntry | None:
    """Record completion: attendance, result, certificate; credit JP into the ledger of the completion year, when
    the attendance reaches the minimum of the rule in force that day (below it the programme is completed with 0
    JP). Not before the programme's first day."""
    if referral.status != ReferralStatus.BERJALAN:
        transition(referral.status, ReferralStatus.SELESAI)  # raises the workflow message
    check_completion_date(referral.programme.start_date, today)
    if attendance_percent is None:
        raise DomainError("Kehadiran wajib diisi sebelum menyelesaikan rujukan.", field="attendance_percent")
    if not 1 <= attendance_percent <= 100:
        raise DomainError(
            "Kehadiran 1–100%. Peserta yang tidak hadir dicatat «tidak selesai».", field="attendance_percent"
        )
    jp = check_jp(referral.programme.jp if jp is None else jp)
    minimum = minimum_attendance(today)
    jp = jp_for_attendance(jp, attendance_percent, minimum.percent)
    checked = check_certificate(certificate) if certificate is not None else None
    referral.status = transition(referral.status, ReferralStatus.SELESAI)
    referral.attendance_percent = attendance_percent
    referral.result = (result or "").strip()[:500] or None
    referral.jp_credited = jp
    referral.finished_on = today
    referral.decided_by_id = actor.id if actor else None
    if checked is not None:
        referral.certificates.append(ReferralCertificate(**checked.columns(certificate.filename, "sertifikat")))
    entry = None
    if jp > 0:
        entry = JpEntry(
            employee_id=referral.employee_id,
            year=today.year,
            jp=jp,
            source=JpSource.RUJUKAN,
            referral_id=referral.id,
            title=referral.programme.name[:200],
            on_date=today,
            provider=referral.programme.provider[:200],
            created_by_id=actor.id if actor else None,
        )
        db.session.add(entry)
    db.session.flush()
    name = referral.programme.name
    credited = (
        f"{jp} JP ditambahkan ke catatan pengembangan Anda tahun {today.year}"
        if attendance_percent >= minimum.percent
        else f"kehadiran {attendance_percent}% di bawah batas {minimum.percent}%, JP tidak diakui"
    )
    _notify_step(
        referral,
        today,
        f"{name} selesai; {credited}.",
        f"{referral.employee.name} menyelesaikan {name} ({jp} JP).",
    )
    return entry


def below_minimum_attendance(referral: Referral) -> int | None:
    """For a completed referral whose attendance was below the minimum in force on its completion day: that
    minimum (its JP were not credited); else None."""
    if referral.status != ReferralStatus.SELESAI or referral.attendance_percent is None:
        return None
    minimum = minimum_attendance(referral.finished_on).percent
    return minimum if referral.attendance_percent < minimum else None


def mark_not_completed(referral: Referral, reason: str, actor: User | None, today: date) -> None:
    """Ditugaskan/berjalan but not finished (absent, withdrew): kept with its reason, no JP."""
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("Alasan wajib diisi (minimal 5 karakter).", field="reason")
    referral.status = transition(referral.status, ReferralStatus.TIDAK_SELESAI)
    referral.not_completed_reason = reason[:500]
    referral.finished_on = today
    referral.decided_by_id = actor.id if actor else None
    db.session.flush()
    name = referral.programme.name
    _notify_step(
        referral,
        today,
        f"{name} dicatat tidak selesai: {reason[:200]}",
        f"{referral.employee.name} tidak menyelesaikan {name}: {reason[:200]}",
    )


def add_certificate(referral: Referral, upload: Upload) -> ReferralCertificate:
    """A certificate that arrives after completion (providers often send it weeks later)."""
    if referral.status != ReferralStatus.SELESAI:
        raise DomainError("Sertifikat hanya diunggah untuk rujukan yang sudah selesai.", field="certificate")
    cert = ReferralCertificate(**check_certificate(upload).columns(upload.filename, "sertifikat"))
    referral.certificates.append(cert)
    db.session.flush()
    return cert
