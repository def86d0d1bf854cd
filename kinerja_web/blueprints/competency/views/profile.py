"""The personal competency profile: the latest assessment against one's own post (and any target post), the
chart, the gaps, the history, and the PDF report. Personal data: see `access.competency`."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .... import access
from ....domain import DomainError
from ....domain.competency import MANAJERIAL, SOSIAL_KULTURAL
from ....extensions import db
from ....forms import submitted_idempotency_key
from ....models import AssessmentEvent, AssessmentParticipant, Position, PositionKind
from ....request_input import query_int
from ....services.competency import report
from ....services.competency.jpm import latest_participant, result_for
from ....services.competency.standards import competency_map
from ....services.documents import issuing as docs
from ....timeutil import today_wib
from ....web import attempt
from .. import bp
from ..forms import IssueForm


@bp.get("/saya")
@login_required
def mine():
    access.require(access.has_own_competency(current_user))
    return redirect(url_for("competency.profile", employee_id=current_user.employee_id))


def _history(employee_id: int) -> list[AssessmentParticipant]:
    return list(
        db.session.scalars(
            select(AssessmentParticipant)
            .join(AssessmentEvent)
            .where(AssessmentParticipant.employee_id == employee_id)
            .options(joinedload(AssessmentParticipant.event))
            .order_by(AssessmentEvent.held_on.desc())
        )
    )


def _targets() -> list[Position]:
    return list(
        db.session.scalars(
            select(Position)
            .where(Position.kind.in_([PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.PENGAWAS]))
            .options(joinedload(Position.unit))
            .order_by(Position.kelas_jabatan.desc(), Position.name)
        )
    )


@bp.get("/pegawai/<int:employee_id>")
@login_required
def profile(employee_id: int):
    emp = access.get_employee_or_404(employee_id)
    on = today_wib()
    participant = latest_participant(emp.id, on)
    if not access.can_view_assessment(current_user, emp):
        access.require(access.can_view_summary(current_user, emp, participant))
        return render_template("competency/summary.html", emp=emp, p=participant)
    names = dict(MANAJERIAL + SOSIAL_KULTURAL) | {c.code: c.name for c in competency_map().values()}
    ctx = {"emp": emp, "p": participant, "names": names, "history": _history(emp.id), "result": None}
    if participant is not None:
        own = participant.position or emp.position
        if emp.position is not None:
            ctx["result"] = result_for(participant, emp.position, on)
            ctx["chart"] = report.profile_chart(ctx["result"], names, f"Profil kompetensi {emp.full_name}")
        elif own is not None:
            ctx["result"] = result_for(participant, own, on)
        target_id = request.args.get("target", type=query_int)
        if target_id:
            target = db.get_or_404(Position, target_id)
            ctx["target"] = target
            ctx["target_result"] = result_for(participant, target, on)
        ctx["targets"] = _targets()
        ctx["documents"] = [d for d in docs.documents_of(report.source_ref(participant)) if d.is_valid]
        ctx["issue_form"] = IssueForm()
        ctx["units"] = docs.units_with_letterhead() if access.is_hr(current_user) else []
    return render_template("competency/profile.html", **ctx)


@bp.post("/pegawai/<int:employee_id>/laporan")
@login_required
def issue_report(employee_id: int):
    access.require(access.can_manage_competency(current_user))
    emp = access.get_employee_or_404(employee_id)
    participant = latest_participant(emp.id, today_wib())
    form = IssueForm()
    units = docs.units_with_letterhead()
    unit_id = request.form.get("unit_id", type=query_int) or (units[0].id if units else None)
    if not form.validate():
        flash("Sesi formulir tidak sah. Muat ulang halaman lalu coba lagi.", "error")
        return redirect(url_for("competency.profile", employee_id=emp.id), 303)
    with attempt() as done:
        if participant is None:
            raise DomainError("Pegawai ini belum memiliki hasil penilaian kompetensi.")
        if unit_id is None or unit_id not in {u.id for u in units}:
            raise DomainError("Kop surat belum diatur (menu Dokumen › Pengaturan).")
        doc, new = report.issue_report(
            participant, unit_id, today_wib(), current_user, submitted_idempotency_key(f"laporan-kompetensi:{emp.id}")
        )
    if not done:
        return redirect(url_for("competency.profile", employee_id=emp.id), 303)
    flash("Laporan hasil penilaian kompetensi diterbitkan." if new else "Laporan sudah diterbitkan.", "success")
    return redirect(url_for("documents.show", doc_id=doc.id), 303)
