"""Penilaian 360 pages: rater inbox and form, the employee's own page, approvals, results, HR cycles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...charts import Series, grouped_bars
from ...domain import berakhlak
from ...domain.evaluation360 import BUCKET_LABELS
from ...extensions import db
from ...htmx import render, wants_fragment
from ...models import (
    AssignmentStatus,
    CycleStatus,
    Evaluatee,
    EvaluationCycle,
    RaterAssignment,
    RaterGroup,
    utcnow,
)
from ...request_input import query_int, safe_next
from ...services.evaluation360.assignments import (
    ACTIVE_STATUSES,
    inbox_items,
    my_evaluations,
    open_nominations,
    progress,
    team_evaluations,
)
from ...services.evaluation360.cycles import (
    all_cycles,
    close_cycle,
    open_cycle,
    save_cycle,
    unit_choices,
    validate_cycle,
)
from ...services.evaluation360.raters import add_rater, decide_nomination, nominations_used, remove_rater
from ...services.evaluation360.raters import decline as decline_assignment
from ...services.evaluation360.raters import nominate as nominate_rater
from ...services.evaluation360.reminders import pending_nominations_count, send_reminders
from ...services.evaluation360.responses import CANNOT_RATE, parse_answers, save_answers, submit
from ...services.evaluation360.results import results_for
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import AddRaterForm, CycleForm, DeclineForm, NominateForm

# --- rater -------------------------------------------------------------------------------------------


@bp.get("/")
@login_required
def inbox():
    """Penilaian 360 yang harus Anda isi."""
    items = []
    if current_user.employee_id:
        items = inbox_items(current_user.employee_id)
    todo = [a for a in items if a.status == AssignmentStatus.APPROVED]
    done = [a for a in items if a.status == AssignmentStatus.SUBMITTED]
    nominations = pending_nominations_count(current_user.employee_id) if current_user.employee_id else 0
    return render_template("evaluation360/inbox.html", todo=todo, done=done, nominations=nominations, today=today_wib())


def _load_assignment(assignment_id: int) -> RaterAssignment:
    """Only the rater's own assignments exist for them: another rater's id (or HR's guess) is a 404."""
    return access.get_visible_or_404(RaterAssignment, assignment_id, current_user)


def _form_ctx(a: RaterAssignment, errors: dict | None = None, values: dict | None = None) -> dict:
    answers = {r.value_code: r for r in a.responses}
    return {
        "a": a,
        "cycle": a.evaluatee.cycle,
        "values": berakhlak.values(),
        "scale": berakhlak.SCALE,
        "cannot_rate": CANNOT_RATE,
        "cannot_rate_label": berakhlak.CANNOT_RATE_LABEL,
        "cannot_rate_description": berakhlak.CANNOT_RATE_DESCRIPTION,
        "answers": answers,
        "posted": values,
        "errors": errors or {},
        "editable": access.can_rate(current_user, a),
        "past_deadline": today_wib() > a.evaluatee.cycle.deadline,
    }


@bp.get("/tugas/<int:assignment_id>")
@login_required
def rate(assignment_id: int):
    a = _load_assignment(assignment_id)
    if a.status not in ACTIVE_STATUSES:
        abort(404)
    return render_template("evaluation360/form.html", **_form_ctx(a))


@bp.post("/tugas/<int:assignment_id>")
@login_required
def rate_post(assignment_id: int):
    """The no-JavaScript path: "Simpan" saves a draft, "Kirim" submits (both re-render with 422 on errors)."""
    a = _load_assignment(assignment_id)
    if a.status == AssignmentStatus.SUBMITTED:
        flash("Penilaian ini sudah dikirim dan tidak dapat diubah lagi.", "error")
        return render_template("evaluation360/form.html", **_form_ctx(a)), 409
    if a.evaluatee.cycle.status != CycleStatus.OPEN:
        flash("Siklus penilaian ini sudah ditutup; penilaian tidak dapat disimpan atau dikirim lagi.", "error")
        return render_template("evaluation360/form.html", **_form_ctx(a)), 403
    access.require(access.can_rate(current_user, a))
    parsed = parse_answers(request.form)
    final = request.form.get("action") == "kirim"
    if parsed.errors:
        return render_template("evaluation360/form.html", **_form_ctx(a, parsed.errors, request.form)), 422
    with attempt(flash_category=None) as done:
        if final:
            submit(a, parsed, today_wib(), utcnow())
        else:
            save_answers(a, parsed, today_wib(), utcnow())
    if not done:
        db.session.refresh(a)
        past = today_wib() > a.evaluatee.cycle.deadline
        if not done.field:
            flash(done.message, "error")
        errors = {done.field: done.message} if done.field else {}
        return render_template("evaluation360/form.html", **_form_ctx(a, errors, request.form)), 403 if past else 422
    if final:
        flash(f"Penilaian untuk {a.evaluatee.employee.full_name} terkirim. Terima kasih.", "success")
        return redirect(url_for("evaluation360.inbox"), 303)
    flash("Isian tersimpan sebagai draf. Anda dapat melanjutkannya nanti.", "success")
    return redirect(url_for("evaluation360.rate", assignment_id=a.id), 303)


@bp.post("/tugas/<int:assignment_id>/simpan")
@login_required
def autosave(assignment_id: int):
    """HTMX autosave on change: returns the small "tersimpan" fragment (or the error) for #saved-at."""
    a = _load_assignment(assignment_id)
    access.require(access.can_rate(current_user, a))
    parsed = parse_answers(request.form)
    with attempt(flash_category=None) as done:
        save_answers(a, parsed, today_wib(), utcnow())
    if not done:
        past = today_wib() > a.evaluatee.cycle.deadline
        return render_template("evaluation360/_saved.html", error=done.message), 403 if past else 422
    if not wants_fragment():
        return redirect(url_for("evaluation360.rate", assignment_id=a.id), 303)
    return render_template("evaluation360/_saved.html", saved_at=a.saved_at)


@bp.route("/tugas/<int:assignment_id>/tolak", methods=["GET", "POST"])
@login_required
def decline(assignment_id: int):
    a = _load_assignment(assignment_id)
    access.require(access.can_decline(current_user, a))
    form = DeclineForm()
    if request.method == "POST" and form.validate():
        with attempt(form) as done:
            decline_assignment(a, form.reason.data)
        if done:
            flash("Anda menolak mengisi penilaian ini. Alasan Anda diteruskan ke admin kepegawaian.", "success")
            return redirect(url_for("evaluation360.inbox"), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("evaluation360/decline.html", a=a, form=form), status


# --- the employee being evaluated, and their appraiser -----------------------------------------------


@bp.get("/saya")
@login_required
def mine():
    if current_user.employee_id is None:
        abort(404)
    mine_rows = my_evaluations(current_user.employee_id)
    return render_template(
        "evaluation360/mine.html",
        evaluations=mine_rows,
        team=team_evaluations(current_user.employee_id),
        used={ev.id: nominations_used(ev) for ev in mine_rows if access.can_nominate(current_user, ev)},
        form=NominateForm(),
        groups=list(RaterGroup),
    )


@bp.post("/peserta/<int:evaluatee_id>/usulkan")
@login_required
def nominate(evaluatee_id: int):
    ev = access.get_visible_or_404(Evaluatee, evaluatee_id, current_user)
    access.require(access.can_nominate(current_user, ev))
    form = NominateForm()
    if form.validate():
        with attempt(form) as done:
            nominate_rater(ev, form.nip.data, today_wib())
        if done:
            flash("Usulan terkirim ke atasan Anda untuk disetujui.", "success")
            return redirect(url_for("evaluation360.mine"), 303)
    rows = my_evaluations(current_user.employee_id)
    return (
        render_template(
            "evaluation360/mine.html",
            evaluations=rows,
            team=team_evaluations(current_user.employee_id),
            used={e.id: nominations_used(e) for e in rows if access.can_nominate(current_user, e)},
            form=form,
            form_for=ev.id,
            groups=list(RaterGroup),
        ),
        422,
    )


@bp.get("/persetujuan")
@login_required
def approvals():
    items = open_nominations(access.decidable_nominations(current_user))
    return render_template("evaluation360/approvals.html", items=items)


@bp.post("/usulan/<int:assignment_id>/<any(setujui, tolak):decision>")
@login_required
def decide(assignment_id: int, decision: str):
    a = db.session.scalars(
        access.decidable_nominations(current_user).where(RaterAssignment.id == assignment_id)
    ).first()
    if a is None:
        abort(404)
    access.require(access.can_decide_nomination(current_user, a))
    with attempt() as done:
        decide_nomination(a, decision == "setujui")
    if done:
        flash("Usulan penilai disetujui." if decision == "setujui" else "Usulan penilai ditolak.", "success")
    return redirect(safe_next(request.form.get("next"), url_for("evaluation360.approvals")), 303)


@bp.get("/peserta/<int:evaluatee_id>/hasil")
@login_required
def results(evaluatee_id: int):
    ev = access.get_visible_or_404(Evaluatee, evaluatee_id, current_user)
    if ev.cycle.status != CycleStatus.CLOSED:
        return render_template("evaluation360/results_pending.html", ev=ev)
    access.require(access.can_view_results(current_user, ev))
    res = results_for(ev)
    names = berakhlak.value_names()
    report = res.report
    series = [Series(b.label, [v.cells[b.key].mean for v in report.values]) for b in report.buckets]
    series.append(Series("Semua penilai lain", [v.others.mean for v in report.values], "#333333"))
    if report.has_self:
        series.append(Series("Diri sendiri", [v.self_score for v in report.values], "#d9480f"))
    chart = grouped_bars(
        [names[v.code] for v in report.values],
        series,
        title=f"Rata-rata per nilai BerAKHLAK — {ev.employee.full_name}, {ev.cycle.name}",
    )
    trend_chart = None
    if res.previous is not None and any(t is not None for t in res.trend.values()):
        trend_chart = grouped_bars(
            [names[v.code] for v in report.values],
            [
                Series(
                    res.previous.cycle.name,
                    [
                        (v.others.mean - res.trend[v.code]) if res.trend[v.code] is not None else None
                        for v in report.values
                    ],
                    "#9aa5b1",
                ),
                Series(
                    ev.cycle.name, [v.others.mean if res.trend[v.code] is not None else None for v in report.values]
                ),
            ],
            title="Perbandingan dengan siklus sebelumnya (semua penilai lain)",
        )
    return render_template(
        "evaluation360/results.html",
        ev=ev,
        report=report,
        names=names,
        chart=chart,
        trend=res.trend,
        trend_chart=trend_chart,
        previous=res.previous,
        merged_labels=[BUCKET_LABELS[g] for g in report.merged_groups],
        hidden_labels=[BUCKET_LABELS[g] for g in report.hidden_groups],
    )


# --- HR: cycles ----------------------------------------------------------------------------------------


def _require_hr() -> None:
    access.require(access.is_hr(current_user))


def _get_cycle_or_404(cycle_id: int) -> EvaluationCycle:
    cycle = db.session.get(EvaluationCycle, cycle_id)
    if cycle is None:
        abort(404)
    return cycle


@bp.get("/siklus")
@login_required
def cycles():
    _require_hr()
    return render_template("evaluation360/cycles.html", cycles=all_cycles())


def _cycle_form(cycle: EvaluationCycle | None):
    form = CycleForm(obj=cycle) if request.method == "GET" and cycle else CycleForm()
    if request.method == "GET" and cycle:
        form.unit_ids.data = [u.id for u in cycle.units]
    form.unit_ids.choices = [
        (u.id, f"{u.name}" + (f" ({u.parent.name})" if u.parent and u.kind.value != "opd" else ""))
        for u in unit_choices()
    ]
    if request.method == "POST" and form.validate():
        data = {k: v for k, v in form.data.items() if k != "csrf_token"}
        for field, message in validate_cycle(data):
            form.add_error(field, message)
        if not form.errors and not form.form_errors:
            with attempt(form) as done:
                cycle = save_cycle(cycle, data)
            if done:
                flash("Siklus penilaian 360 tersimpan.", "success")
                return redirect(url_for("evaluation360.cycle", cycle_id=cycle.id), 303)
    status = 422 if request.method == "POST" else 200
    return render("evaluation360/cycle_form.html", "form", form=form, cycle=cycle), status


@bp.route("/siklus/baru", methods=["GET", "POST"])
@login_required
def cycle_new():
    _require_hr()
    return _cycle_form(None)


@bp.route("/siklus/<int:cycle_id>/ubah", methods=["GET", "POST"])
@login_required
def cycle_edit(cycle_id: int):
    cycle = _get_cycle_or_404(cycle_id)
    access.require(access.can_edit_cycle(current_user, cycle))
    return _cycle_form(cycle)


@bp.get("/siklus/<int:cycle_id>")
@login_required
def cycle(cycle_id: int):
    """HR progress dashboard: who has (not) rated whom, per unit. Completion status only, never answers."""
    _require_hr()
    c = _get_cycle_or_404(cycle_id)
    unit_id = request.args.get("unit", type=query_int)
    groups = progress(c, unit_id)
    total = sum(r.expected for _, rows in groups for r in rows)
    done = sum(r.done for _, rows in groups for r in rows)
    return render(
        "evaluation360/cycle.html", "progress", cycle=c, groups=groups, total=total, done=done, today=today_wib()
    )


@bp.post("/siklus/<int:cycle_id>/<any(buka, tutup):action>")
@login_required
def cycle_status(cycle_id: int, action: str):
    _require_hr()
    c = _get_cycle_or_404(cycle_id)
    with attempt() as done:
        if action == "buka":
            n = open_cycle(c, min(today_wib(), c.end_date), utcnow())
            message = f"Siklus dibuka untuk {n} pegawai; penilai diusulkan dari data organisasi."
        else:
            close_cycle(c, utcnow())
            message = "Siklus ditutup. Hasil kini dapat dilihat pegawai, atasan, dan kepegawaian."
    if done:
        flash(message, "success")
    return redirect(url_for("evaluation360.cycle", cycle_id=c.id), 303)


@bp.post("/siklus/<int:cycle_id>/pengingat")
@login_required
def cycle_remind(cycle_id: int):
    _require_hr()
    c = _get_cycle_or_404(cycle_id)
    with attempt() as done:
        n = send_reminders(c, today_wib())
    if done:
        flash(
            f"Pengingat dikirim ke {n} penilai." if n else "Tidak ada penilai yang perlu diingatkan hari ini.",
            "success",
        )
    return redirect(url_for("evaluation360.cycle", cycle_id=c.id), 303)


def _hr_evaluatee(evaluatee_id: int) -> Evaluatee:
    _require_hr()
    return access.get_visible_or_404(Evaluatee, evaluatee_id, current_user)


@bp.get("/peserta/<int:evaluatee_id>/penilai")
@login_required
def raters(evaluatee_id: int):
    ev = _hr_evaluatee(evaluatee_id)
    return render_template("evaluation360/raters.html", ev=ev, form=AddRaterForm())


@bp.post("/peserta/<int:evaluatee_id>/penilai")
@login_required
def rater_add(evaluatee_id: int):
    ev = _hr_evaluatee(evaluatee_id)
    access.require(access.can_override_raters(current_user, ev))
    form = AddRaterForm()
    if form.validate():
        with attempt(form) as done:
            add_rater(ev, form.nip.data, RaterGroup(form.group.data))
        if done:
            flash("Penilai ditambahkan.", "success")
            return redirect(url_for("evaluation360.raters", evaluatee_id=ev.id), 303)
    return render_template("evaluation360/raters.html", ev=ev, form=form), 422


@bp.post("/penugasan/<int:assignment_id>/hapus")
@login_required
def rater_remove(assignment_id: int):
    _require_hr()
    a = db.session.get(RaterAssignment, assignment_id)
    if a is None:
        abort(404)
    access.require(access.can_override_raters(current_user, a.evaluatee))
    ev_id = a.evaluatee_id
    with attempt() as done:
        remove_rater(a)
    if done:
        flash("Penilai dihapus dari daftar.", "success")
    return redirect(url_for("evaluation360.raters", evaluatee_id=ev_id), 303)


# --- form targets answer GET ---------------------------------------------------------------------------
# A boosted form that answers with its page and messages (422) leaves its own URL in the address bar, and F5 then
# asks that URL with GET: every POST-only URL here answers GET with the page its form is on (never 405).


def _rater_remove_page(assignment_id: int) -> str:
    _require_hr()
    a = db.session.get(RaterAssignment, assignment_id)
    if a is None:  # removed meanwhile
        return url_for("evaluation360.cycles")
    return url_for("evaluation360.raters", evaluatee_id=a.evaluatee_id)


def _cycle_page(cycle_id: int, **_) -> str:
    return url_for("evaluation360.cycle", cycle_id=cycle_id)


form_targets_answer_get(
    bp,
    {
        "autosave": lambda assignment_id: url_for("evaluation360.rate", assignment_id=assignment_id),
        "nominate": lambda evaluatee_id: url_for("evaluation360.mine"),
        "decide": lambda **_: url_for("evaluation360.approvals"),
        "cycle_status": _cycle_page,
        "cycle_remind": _cycle_page,
        "rater_remove": _rater_remove_page,
    },
)
