"""The complaint register and its workflow: registered → diverifikasi (terbukti / tidak terbukti, with reason) →
ditindaklanjuti → selesai, each step with a deadline in working days, audited and kept as status history.

A complaint naming an officer is not a verdict (domain reference §12.3): the officer is told only once it is
verified, answers in writing, and only a substantiated complaint counts as "pengaduan terbukti".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ... import audit
from ...domain import DomainError
from ...domain.public_feedback import (
    DEFAULT_STEP_DAYS,
    ComplaintCause,
    ComplaintChannel,
    ComplaintStatus,
    Verdict,
    add_working_days,
    check_transition,
)
from ...extensions import db
from ...models import (
    Complaint,
    ComplaintEvent,
    ComplaintResponse,
    ComplaintStepDeadline,
    Employee,
    ServiceOperator,
    Unit,
    User,
)
from ...timeutil import today_wib
from ..accounts.administration import account_of
from ..notifications.notify import notify

NOTIFY_KIND = "pengaduan"
# audit_log.action holds 20 characters
AUDIT_ACTIONS = {
    ComplaintStatus.VERIFIED: "aduan_verifikasi",
    ComplaintStatus.FOLLOWED_UP: "aduan_tindak_lanjut",
    ComplaintStatus.CLOSED: "aduan_selesai",
}
MAX_TEXT = 5000


def step_days() -> dict[ComplaintStatus, int]:
    """Working days allowed per step: HR's settings over the defaults."""
    days = dict(DEFAULT_STEP_DAYS)
    for row in db.session.scalars(select(ComplaintStepDeadline)):
        days[row.status] = row.days
    return days


def save_step_days(values: dict[ComplaintStatus, int]) -> None:
    for status, days in values.items():
        if status not in DEFAULT_STEP_DAYS:
            continue
        if days is None or days < 1 or days > 60:
            raise DomainError(
                "Tenggat tiap langkah 1–60 hari kerja (Perpres 76/2013: paling lama 60 hari).", status.value
            )
        row = db.session.scalar(select(ComplaintStepDeadline).where(ComplaintStepDeadline.status == status))
        if row is None:
            db.session.add(ComplaintStepDeadline(status=status, days=days))
        else:
            row.days = days
    db.session.flush()


def _due(status: ComplaintStatus, start: date) -> date | None:
    days = step_days().get(status)
    return add_working_days(start, days) if days else None


def _text(value: str | None, field: str, label: str, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(f"{label} wajib diisi.", field=field)
        return None
    if len(text) > MAX_TEXT:
        raise DomainError(f"{label} paling panjang {MAX_TEXT} karakter.", field=field)
    return text


@dataclass(frozen=True)
class ComplaintInput:
    unit: Unit
    channel: ComplaintChannel
    cause: ComplaintCause
    text: str
    received_on: date
    service_name: str | None = None
    employee: Employee | None = None
    reference: str | None = None


def register(data: ComplaintInput, actor: User, today: date) -> Complaint:
    """Record a complaint from any channel; the verification deadline starts at once."""
    if data.received_on > today:
        raise DomainError("Tanggal diterima tidak boleh di masa depan.", field="received_on")
    c = Complaint(
        unit_id=data.unit.id,
        channel=data.channel,
        cause=data.cause,
        text=_text(data.text, "text", "Isi pengaduan"),
        received_on=data.received_on,
        service_name=(data.service_name or "").strip()[:150] or None,
        employee_id=data.employee.id if data.employee else None,
        reference=(data.reference or "").strip()[:60] or None,
        status=ComplaintStatus.REGISTERED,
        due_on=_due(ComplaintStatus.REGISTERED, data.received_on),
        registered_by_id=actor.id,
    )
    db.session.add(c)
    db.session.flush()
    c.events.append(ComplaintEvent(to_status=ComplaintStatus.REGISTERED, actor_id=actor.id, note=None))
    audit.record(db.session, "aduan_daftar", "complaint", c.id, f"Pengaduan #{c.id} didaftarkan ({c.channel.label})")
    db.session.flush()
    return c


def update_registered(c: Complaint, data: ComplaintInput, actor: User, today: date) -> None:
    """Correct a complaint's data before verification; after it the record is fixed (the history says why)."""
    if c.status != ComplaintStatus.REGISTERED:
        raise DomainError("Pengaduan yang sudah diverifikasi tidak dapat diubah.")
    if data.received_on > today:
        raise DomainError("Tanggal diterima tidak boleh di masa depan.", field="received_on")
    c.channel, c.cause, c.received_on = data.channel, data.cause, data.received_on
    c.text = _text(data.text, "text", "Isi pengaduan")
    c.service_name = (data.service_name or "").strip()[:150] or None
    c.employee_id = data.employee.id if data.employee else None
    c.reference = (data.reference or "").strip()[:60] or None
    db.session.flush()


def _step(c: Complaint, target: ComplaintStatus, actor: User, note: str | None, today: date) -> None:
    check_transition(c.status, target, c.verdict)
    before = c.status
    c.status = target
    c.due_on = _due(target, today)
    c.reminded_on = None
    c.events.append(ComplaintEvent(from_status=before, to_status=target, actor_id=actor.id, note=note))
    audit.record(
        db.session,
        AUDIT_ACTIONS[target],
        "complaint",
        c.id,
        f"Pengaduan #{c.id}: {before.label} → {target.label}",
        before={"status": before.value},
        after={"status": target.value, "verdict": c.verdict.value if c.verdict else None},
    )
    db.session.flush()


def verify(c: Complaint, verdict: Verdict | None, reason: str | None, actor: User, today: date) -> None:
    """Verification: substantiated or not, always with the reason (the officer and the penilai read it)."""
    if c.status != ComplaintStatus.REGISTERED:
        raise DomainError(f"Pengaduan sudah berstatus {c.status.label}.")
    if verdict is None:
        raise DomainError("Pilih hasil verifikasi: terbukti atau tidak terbukti.", field="verdict")
    c.verdict = verdict
    c.verdict_reason = _text(reason, "reason", "Alasan hasil verifikasi")
    c.verified_on = today
    _step(c, ComplaintStatus.VERIFIED, actor, f"{verdict.label}: {c.verdict_reason}", today)
    if c.employee is not None:
        user = account_of(c.employee)
        if user is not None:
            notify(
                user,
                NOTIFY_KIND,
                f"Pengaduan #{c.id} yang menyebut nama Anda telah diverifikasi ({verdict.label}). Anda dapat "
                "memberikan tanggapan tertulis.",
                url_for("complaints.show", complaint_id=c.id),
            )


def follow_up(c: Complaint, text: str | None, actor: User, today: date) -> None:
    c.follow_up = _text(text, "text", "Uraian tindak lanjut")
    _step(c, ComplaintStatus.FOLLOWED_UP, actor, c.follow_up, today)


def close(c: Complaint, text: str | None, actor: User, today: date) -> None:
    """Close: refused before verification, and for a substantiated complaint before its follow-up."""
    check_transition(c.status, ComplaintStatus.CLOSED, c.verdict)
    c.resolution = _text(text, "text", "Uraian penyelesaian")
    _step(c, ComplaintStatus.CLOSED, actor, c.resolution, today)
    c.due_on = None


def respond(c: Complaint, employee: Employee, text: str | None) -> ComplaintResponse:
    """The named officer's written answer; added, never edited."""
    if c.employee_id != employee.id:
        raise DomainError("Hanya pegawai yang disebut dalam pengaduan yang dapat memberi tanggapan.")
    if c.status == ComplaintStatus.REGISTERED:
        raise DomainError("Pengaduan belum diverifikasi.")
    r = ComplaintResponse(complaint_id=c.id, employee_id=employee.id, text=_text(text, "text", "Tanggapan"))
    db.session.add(r)
    db.session.flush()
    audit.record(db.session, "aduan_tanggapan", "complaint", c.id, f"Tanggapan pegawai atas pengaduan #{c.id}")
    return r


# --- lists and figures -------------------------------------------------------------------------------------


def listing(scope: Select, status: ComplaintStatus | None = None, unit_id: int | None = None) -> list[Complaint]:
    stmt = scope.options(joinedload(Complaint.unit), joinedload(Complaint.employee)).order_by(
        Complaint.received_on.desc(), Complaint.id.desc()
    )
    if status is not None:
        stmt = stmt.where(Complaint.status == status)
    if unit_id is not None:
        stmt = stmt.where(Complaint.unit_id == unit_id)
    return list(db.session.scalars(stmt.limit(500)).unique())


def substantiated_about(employee_id: int, start: date, end: date) -> list[Complaint]:
    """Verified, substantiated complaints naming the employee, received in [start, end], with their responses:
    the evidence panel's list and the "jumlah pengaduan terbukti" signal."""
    return list(
        db.session.scalars(
            select(Complaint)
            .where(
                Complaint.employee_id == employee_id,
                Complaint.verdict == Verdict.SUBSTANTIATED,
                Complaint.received_on.between(start, end),
            )
            .options(joinedload(Complaint.responses))
            .order_by(Complaint.received_on)
        ).unique()
    )


def count_substantiated(unit_ids: Sequence[int] | None, employee_id: int | None, start: date, end: date) -> int:
    stmt = select(func.count(Complaint.id)).where(
        Complaint.verdict == Verdict.SUBSTANTIATED, Complaint.received_on.between(start, end)
    )
    if employee_id is not None:
        stmt = stmt.where(Complaint.employee_id == employee_id)
    if unit_ids is not None:
        stmt = stmt.where(Complaint.unit_id.in_(unit_ids or [-1]))
    return int(db.session.scalar(stmt) or 0)


def substantiated_by_unit(unit_ids: Sequence[int] | None, start: date, end: date) -> dict[int, int]:
    stmt = select(Complaint.unit_id, func.count()).where(
        Complaint.verdict == Verdict.SUBSTANTIATED, Complaint.received_on.between(start, end)
    )
    if unit_ids is not None:
        stmt = stmt.where(Complaint.unit_id.in_(unit_ids or [-1]))
    return dict(db.session.execute(stmt.group_by(Complaint.unit_id)).all())


def counts_by(unit_ids: Sequence[int] | None, start: date, end: date) -> tuple[dict, dict]:
    """(count per status, count per cause) of complaints received in [start, end] — the dashboard's two charts."""
    base = select(Complaint.status, Complaint.cause, func.count()).where(Complaint.received_on.between(start, end))
    if unit_ids is not None:
        base = base.where(Complaint.unit_id.in_(unit_ids or [-1]))
    by_status: dict[ComplaintStatus, int] = {s: 0 for s in ComplaintStatus}
    by_cause: dict[ComplaintCause, int] = {c: 0 for c in ComplaintCause}
    for status, cause, n in db.session.execute(base.group_by(Complaint.status, Complaint.cause)):
        by_status[status] += n
        by_cause[cause] += n
    return by_status, by_cause


# --- reminders ---------------------------------------------------------------------------------------------

REMINDER_KIND = "pengaduan_pengingat"


def send_reminders(today: date) -> int:
    """Remind the unit's service operators of every open complaint whose step is past its deadline, once a day."""
    overdue = db.session.scalars(
        select(Complaint).where(
            Complaint.status != ComplaintStatus.CLOSED,
            Complaint.due_on < today,
            (Complaint.reminded_on.is_(None)) | (Complaint.reminded_on < today),
        )
    ).all()
    sent = 0
    for c in overdue:
        operators = db.session.scalars(
            select(User)
            .join(ServiceOperator, ServiceOperator.user_id == User.id)
            .where(ServiceOperator.unit_id == c.unit_id, User.active.is_(True))
        ).all()
        for user in operators:
            notify(
                user,
                REMINDER_KIND,
                f"Pengaduan #{c.id} ({c.unit.name}) melewati tenggat langkah {c.status.label} "
                f"({c.due_on.day}/{c.due_on.month}/{c.due_on.year}).",
                url_for("complaints.show", complaint_id=c.id, _external=False),
            )
            sent += 1
        c.reminded_on = today
    db.session.flush()
    return sent


def schedule_daily_reminders(app, huey) -> None:
    """Daily at 08.30 WIB (01.30 UTC): remind handlers of overdue complaint steps."""
    from huey import crontab

    @huey.periodic_task(crontab(minute="30", hour="1"), name="pengaduan_pengingat")
    def pengaduan_pengingat():
        with app.app_context():
            send_reminders(today_wib())
            db.session.commit()
            db.session.remove()
