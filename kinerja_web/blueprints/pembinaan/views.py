"""Pembinaan kinerja pages: HR's list and start form, the plan page with coaching log, check-ins and review."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...domain.labels import tanggal
from ...domain.pembinaan import ActionStatus, PlanStatus, ReviewOutcome, review_date
from ...extensions import db
from ...htmx import render
from ...models import ImprovementPlan, PerformanceRating, RatingStatus
from ...services.development import outcomes as loop
from ...services.org.units import subtree_ids
from ...services.pembinaan import plans, queries
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import (
    ActionStatusForm,
    CancelForm,
    CheckInForm,
    FilterForm,
    FollowUpForm,
    ReviewForm,
    SessionForm,
    StartPlanForm,
)


def _status_arg(raw: str | None) -> PlanStatus | None:
    try:
        return PlanStatus(raw) if raw else None
    except ValueError:
        return None


@bp.get("/")
@login_required
def index():
    """HR: every plan (filter by OPD/status) and the ratings waiting for a plan; others: plans they may see."""
    today = today_wib()
    form = FilterForm(request.args)
    form.opd.choices = [("", "Semua OPD")] + [(str(u.id), u.name) for u in queries.opds()]
    form.status.choices = [("", "Semua status")] + PlanStatus.choices()
    opd_id = int(form.opd.data) if (form.opd.data or "").isdigit() else None
    status = _status_arg(form.status.data)
    rows = queries.plan_rows(access.visible_plans(current_user), today, opd_id, status)
    hr = access.is_hr(current_user)
    waiting = plans.eligible_ratings(subtree_ids(opd_id) if opd_id else None) if hr else []
    return render("pembinaan/index.html", "rows", form=form, rows=rows, waiting=waiting, hr=hr, today=today)


# --- start (HR) -------------------------------------------------------------------------------------------


def _load_rating(rating_id: int) -> PerformanceRating:
    access.require(access.is_hr(current_user))
    rating = db.session.get(PerformanceRating, rating_id)
    if rating is None or rating.status != RatingStatus.FINAL:
        abort(404)
    return rating


def _fill_coaches(rating: PerformanceRating, form: StartPlanForm) -> None:
    """The atasan (usual coach) and the atasan's atasan; anyone else by NIP."""
    coaches = plans.coach_choices(rating.employee, today_wib())
    form.coach_id.choices = [(e.id, f"{e.full_name} ({e.position.full_name if e.position else '–'})") for e in coaches]
    form.coach_id.choices.append((0, "— pembina lain (isi NIP) —"))


def _start_page(rating: PerformanceRating, form: StartPlanForm, status: int = 200):
    today = today_wib()
    if not form.coach_id.choices:
        _fill_coaches(rating, form)
    if form.start_date.data is None:
        form.start_date.data = today
    end = review_date(form.start_date.data)
    return render_template("pembinaan/start.html", rating=rating, form=form, review_on=end), status


@bp.get("/mulai/<int:rating_id>")
@login_required
def start(rating_id: int):
    rating = _load_rating(rating_id)
    existing = plans.plan_of_rating(rating.id)
    if existing is not None:
        flash("Rencana pembinaan untuk penilaian ini sudah ada.", "info")
        return redirect(url_for("pembinaan.show", plan_id=existing.id), 303)
    return _start_page(rating, StartPlanForm(formdata=None))


@bp.post("/mulai/<int:rating_id>")
@login_required
def start_post(rating_id: int):
    rating = _load_rating(rating_id)
    existing = plans.plan_of_rating(rating.id)
    if existing is not None:  # a double submit: the first one already opened the plan
        flash("Rencana pembinaan untuk penilaian ini sudah ada.", "info")
        return redirect(url_for("pembinaan.show", plan_id=existing.id), 303)
    form = StartPlanForm()
    _fill_coaches(rating, form)
    if not form.validate():
        return _start_page(rating, form, 422)
    # Two submits at the same instant: the unique rating_id lets one through, the other is a conflict.
    with attempt(form, conflict_on_integrity=True) as done:
        plan = plans.start_improvement_plan(
            rating.employee,
            rating,
            plans.chosen_coach(form.coach_nip.data, form.coach_id.data, [c for c, _ in form.coach_id.choices]),
            start_date=form.start_date.data,
            goal=form.goal.data,
            actions=[plans.AgreedAction(r.summary.data or "", r.target_date.data) for r in form.actions],
            check_in_every=form.check_in_every.data,
            actor=current_user,
        )
    if done.conflict and (existing := plans.plan_of_rating(rating.id)) is not None:
        flash("Rencana pembinaan untuk penilaian ini sudah ada.", "info")
        return redirect(url_for("pembinaan.show", plan_id=existing.id), 303)
    if not done:
        return _start_page(rating, form, 422)
    flash(f"Rencana pembinaan {rating.employee.name} dimulai; tinjauan {tanggal(plan.review_date)}.", "success")
    return redirect(url_for("pembinaan.show", plan_id=plan.id), 303)


# --- the plan page ----------------------------------------------------------------------------------------


def _load_plan(plan_id: int) -> ImprovementPlan:
    plan = access.get_visible_or_404(ImprovementPlan, plan_id, current_user)
    return plans.load_plan(plan.id)


def _session_form(plan: ImprovementPlan, form: SessionForm | None = None) -> SessionForm:
    form = form or SessionForm(formdata=None, held_on=today_wib(), form_token=secrets.token_hex(16))
    open_check_ins = [c for c in plan.check_ins if not c.done]
    form.check_in_id.choices = [(0, "— bukan pertemuan pemantauan terjadwal —")] + [
        (c.id, f"{tanggal(c.scheduled_on)}") for c in open_check_ins
    ]
    if request.method == "GET" and open_check_ins:
        form.check_in_id.data = open_check_ins[0].id
    return form


def _plan_page(plan: ImprovementPlan, status: int = 200, **forms):
    today = today_wib()
    ctx = {
        "plan": plan,
        "today": today,
        "overdue": {c.id for c in plans.overdue_check_ins(plan, today)},
        "session_form": _session_form(plan, forms.get("session_form")),
        "checkin_form": forms.get("checkin_form") or CheckInForm(formdata=None),
        "review_form": forms.get("review_form") or ReviewForm(formdata=None),
        "followup_form": forms.get("followup_form") or FollowUpForm(formdata=None),
        "cancel_form": forms.get("cancel_form") or CancelForm(formdata=None),
        "action_errors": forms.get("action_errors") or {},
        "statuses": ActionStatus.choices(),
        "can_coach": access.can_coach_plan(current_user, plan),
        "can_schedule": access.can_schedule_check_in(current_user, plan),
        "can_review": access.can_review_plan(current_user, plan, today),
        "can_follow_up": access.can_follow_up_plan(current_user, plan),
        "can_cancel": access.can_cancel_plan(current_user, plan),
        "hr": access.is_hr(current_user),
        "referral_id": plans.referral_id_of(plan) if access.can_view_development(current_user, plan.employee) else None,
        "outcome": loop.outcome_of_plan(plan),
        "preview": {o: plans.recommended_next_step(plan, o) for o in ReviewOutcome}
        if access.is_hr(current_user)
        else {},
    }
    return render_template("pembinaan/show.html", **ctx), status


@bp.get("/<int:plan_id>")
@login_required
def show(plan_id: int):
    return _plan_page(_load_plan(plan_id))


def _back(plan: ImprovementPlan, anchor: str = ""):
    return redirect(url_for("pembinaan.show", plan_id=plan.id) + anchor, 303)


@bp.post("/<int:plan_id>/sesi")
@login_required
def log_session(plan_id: int):
    plan = _load_plan(plan_id)
    token = request.form.get("form_token") or ""
    if token and any(s.form_token == token for s in plan.sessions):  # a double submit
        flash("Sesi ini sudah tercatat sebelumnya.", "info")
        return _back(plan, "#sesi")
    access.require(access.can_coach_plan(current_user, plan))
    form = _session_form(plan, SessionForm())
    if not form.validate():
        return _plan_page(plan, 422, session_form=form)
    with attempt(form) as done:
        _session, created = plans.log_session(
            plan,
            held_on=form.held_on.data,
            notes=form.notes.data,
            actions=[plans.AgreedAction(r.summary.data or "", r.target_date.data) for r in form.actions],
            check_in_id=form.check_in_id.data or None,
            coach=current_user.employee,
            actor=current_user,
            today=today_wib(),
            form_token=form.form_token.data or None,
        )
    if not done:
        return _plan_page(plans.load_plan(plan_id), 422, session_form=form)
    if created:
        flash("Sesi pembinaan dicatat.", "success")
    else:
        flash("Sesi ini sudah tercatat sebelumnya.", "info")
    return _back(plan, "#sesi")


@bp.post("/<int:plan_id>/tindakan/<int:action_id>")
@login_required
def action_status(plan_id: int, action_id: int):
    plan = _load_plan(plan_id)
    access.require(access.can_coach_plan(current_user, plan) or access.can_schedule_check_in(current_user, plan))
    if not any(a.id == action_id for a in plan.actions):
        abort(404)
    form = ActionStatusForm()
    if not form.validate():
        return _plan_page(plan, 422, action_errors={action_id: [m for f in form for m in f.errors]})
    with attempt(flash_category=None) as done:
        action = plans.set_action_status(plan, action_id, ActionStatus(form.status.data))
    if not done:
        return _plan_page(plans.load_plan(plan_id), 422, action_errors={action_id: [done.message]})
    flash(f"Status tindakan «{action.description[:60]}» menjadi {action.status.label}.", "success")
    return _back(plan, "#tindakan")


def _plan_action(plan: ImprovementPlan, form, form_name: str, act, success, anchor: str = ""):
    """A step taken on the plan page with its form: validated, then done as one unit of work (web.attempt). A
    refusal shows the page again with the message at the form (what was typed kept); else `success(result of
    act)` is flashed and the user goes back to the page's section `anchor`."""
    if not form.validate():
        return _plan_page(plan, 422, **{form_name: form})
    with attempt(form) as done:
        result = act()
    if not done:
        return _plan_page(plans.load_plan(plan.id), 422, **{form_name: form})
    flash(success(result), "success")
    return _back(plan, anchor)


@bp.post("/<int:plan_id>/check-in")
@login_required
def add_check_in(plan_id: int):
    plan = _load_plan(plan_id)
    access.require(access.can_schedule_check_in(current_user, plan))
    form = CheckInForm()
    on = form.scheduled_on.data
    if on is not None and any(c.scheduled_on == on for c in plan.check_ins):  # e.g. a double submit
        flash(f"Pertemuan pemantauan {tanggal(on)} sudah terjadwal.", "info")
        return _back(plan, "#check-in")
    return _plan_action(
        plan,
        form,
        "checkin_form",
        lambda: plans.add_check_in(plan, on),
        lambda _: f"Pertemuan pemantauan {tanggal(on)} dijadwalkan.",
        "#check-in",
    )


@bp.post("/<int:plan_id>/tinjauan")
@login_required
def review(plan_id: int):
    plan = _load_plan(plan_id)
    if plan.status != PlanStatus.RUNNING and plan.reviewed_by_id == current_user.id:
        flash("Tinjauan ini sudah dicatat sebelumnya.", "info")  # a double submit
        return _back(plan, "#tinjauan")
    access.require(access.can_review_plan(current_user, plan, today_wib()))
    form = ReviewForm()
    return _plan_action(
        plan,
        form,
        "review_form",
        lambda: plans.record_review(plan, ReviewOutcome(form.outcome.data), form.notes.data, current_user, today_wib()),
        lambda step: f"Hasil tinjauan dicatat: {plan.outcome.label}. Langkah berikutnya: {step.title}.",
        "#tinjauan",
    )


@bp.post("/<int:plan_id>/tindak-lanjut")
@login_required
def follow_up(plan_id: int):
    plan = _load_plan(plan_id)
    if plan.status == PlanStatus.FOLLOWED_UP and access.is_hr(current_user):
        flash("Tindak lanjut sudah dicatat sebelumnya.", "info")
        return _back(plan, "#tinjauan")
    access.require(access.can_follow_up_plan(current_user, plan))
    form = FollowUpForm()
    return _plan_action(
        plan,
        form,
        "followup_form",
        lambda: plans.record_follow_up(plan, form.notes.data, current_user, today_wib()),
        lambda _: "Tindak lanjut dicatat; rencana pembinaan selesai.",
        "#tinjauan",
    )


@bp.post("/<int:plan_id>/batal")
@login_required
def cancel(plan_id: int):
    plan = _load_plan(plan_id)
    if plan.status == PlanStatus.CANCELLED and access.is_hr(current_user):
        flash("Rencana pembinaan ini sudah dibatalkan.", "info")
        return _back(plan)
    access.require(access.can_cancel_plan(current_user, plan))
    form = CancelForm()
    return _plan_action(
        plan,
        form,
        "cancel_form",
        lambda: plans.cancel_plan(plan, form.reason.data, current_user),
        lambda _: "Rencana pembinaan dibatalkan.",
    )


# A reload of a form's address after a boosted POST lands on the plan's page (web.form_targets_answer_get).
form_targets_answer_get(bp, {}, default=lambda plan_id, **_: url_for("pembinaan.show", plan_id=plan_id))
