"""Penghargaan pages: my awards and proposals for my team; HR selection and the SK Penghargaan."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...domain.awards import AwardStatus
from ...extensions import db
from ...htmx import render
from ...models import AwardProposal, Period
from ...request_input import ids_in, query_int
from ...services.awards import proposals as awards
from ...services.documents import issuing as docs
from ...services.talent import boxes as talent
from ...timeutil import today_wib
from ...web import attempt, form_targets_answer_get
from . import bp
from .forms import DecisionForm, IssueForm, ProposeForm


def _period() -> Period | None:
    periods = awards.periods()
    wanted = request.args.get("periode", type=query_int)
    return next((p for p in periods if p.id == wanted), periods[0] if periods else None)


@bp.get("/")
@login_required
def index():
    """The employee's awards, and for a superior the team's qualifying results with a proposal button."""
    return _index_page(_period())


def _index_page(period: Period | None, status: int = 200, refused_for: int | None = None, form=None):
    """`refused_for`: the employee whose proposal was refused, whose form shows again with what was typed."""
    team_ids = awards.team_ids(current_user.employee, today_wib())
    team = (
        awards.candidates(
            period, team_ids, {eid: b.nomor for eid, b in talent.talent_boxes(period.id, team_ids).items()}
        )
        if period is not None and team_ids
        else []
    )
    mine = awards.my_awards(current_user.employee_id) if current_user.employee_id else []
    return render_template(
        "awards/index.html",
        period=period,
        periods=awards.periods(),
        team=team,
        has_team=team_ids is not None,
        mine=mine,
        form=ProposeForm(formdata=None),
        refused_for=refused_for,
        refused_form=form,
        hr=access.is_hr(current_user),
    ), status


@bp.post("/usul/<int:period_id>/<int:employee_id>")
@login_required
def propose(period_id: int, employee_id: int):
    period = db.get_or_404(Period, period_id)
    employee = access.get_employee_or_404(employee_id)
    if not access.can_propose_award(current_user, employee):
        abort(404)
    form = ProposeForm()
    if not form.validate():  # shown again at the field, with what the atasan wrote
        return _index_page(period, 422, employee.id, form)
    with attempt() as done:
        box = talent.talent_box(employee.id, period.id)
        proposal, created = awards.propose(
            employee, period, current_user, form.note.data, kotak=box.nomor if box is not None else None
        )
    if not done:
        return redirect(url_for("awards.index", periode=period.id), 303)
    if created:
        flash(f"{employee.name} diusulkan menerima penghargaan.", "success")
    else:
        flash(f"{employee.name} sudah diusulkan untuk periode ini ({proposal.status.label}).", "info")
    return redirect(url_for("awards.index", periode=period.id), 303)


@bp.get("/<int:proposal_id>/sk")
@login_required
def download(proposal_id: int):
    """The issued SK (stored bytes, never re-rendered): the recipient and HR."""
    proposal = access.get_visible_or_404(AwardProposal, proposal_id, current_user)
    if not access.can_download_award_sk(current_user, proposal):
        abort(404)
    name, data = awards.sk_pdf(proposal)
    resp = current_app.response_class(data, mimetype="application/pdf")
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp


# --- HR -------------------------------------------------------------------------------------------------


def _status_arg() -> AwardStatus | None:
    try:
        return AwardStatus(request.args.get("status", "")) if request.args.get("status") else None
    except ValueError:
        return None


def _issue_form(form: IssueForm | None = None) -> IssueForm:
    form = form or IssueForm(formdata=None, issued_on=today_wib())
    form.unit_id.choices = [(u.id, u.name) for u in docs.units_with_letterhead()]
    return form


def _manage_page(period: Period | None, status_code: int = 200, issue_form=None, row_errors=None):
    status = _status_arg()
    proposals = awards.proposals_for_hr(period, status) if period else []
    selected = (
        [p for p in proposals if p.status == AwardStatus.SELECTED] if status in (None, AwardStatus.SELECTED) else []
    )
    return render(
        "awards/manage.html",
        "rows",
        period=period,
        periods=awards.periods(),
        proposals=proposals,
        selected=selected,
        status=status,
        statuses=AwardStatus.choices(),
        issue_form=_issue_form(issue_form),
        decision_form=DecisionForm(formdata=None),
        row_errors=row_errors or {},
    ), status_code


@bp.get("/kelola")
@login_required
def manage():
    access.require(access.is_hr(current_user))
    return _manage_page(_period())


@bp.post("/kelola/<int:period_id>/saran")
@login_required
def suggest(period_id: int):
    access.require(access.is_hr(current_user))
    period = db.get_or_404(Period, period_id)
    # Box 9 of the 9-box qualifies too: the same set-wise talent data the referral generation reads.
    with attempt() as done:
        n = awards.generate_suggestions(period, current_user, kotak_by_employee=talent.kotak_by_employee(period.id))
    if not done:
        return redirect(url_for("awards.manage", periode=period.id), 303)
    if n:
        flash(f"{n} saran usulan dibuat dari predikat Sangat Baik tahun {period.year}.", "success")
    else:
        flash("Tidak ada hasil baru yang memenuhi syarat; semua sudah diusulkan.", "info")
    return redirect(url_for("awards.manage", periode=period.id), 303)


@bp.post("/usulan/<int:proposal_id>/<any(pilih, tolak):aksi>")
@login_required
def decide(proposal_id: int, aksi: str):
    access.require(access.is_hr(current_user))
    proposal = access.get_visible_or_404(AwardProposal, proposal_id, current_user)
    target = AwardStatus.SELECTED if aksi == "pilih" else AwardStatus.REJECTED
    back = redirect(url_for("awards.manage", periode=proposal.period_id) + f"#usulan-{proposal.id}", 303)
    if proposal.status == target:  # a double submit
        flash(f"Usulan {proposal.employee.name} sudah berstatus {target.label}.", "info")
        return back
    form = DecisionForm()
    errors = [m for f in form for m in f.errors] if not form.validate() else []
    if not errors:
        with attempt(flash_category=None) as done:
            awards.decide(proposal, target, form.reason.data, current_user)
        errors = [] if done else [done.message]
    if errors:
        return _manage_page(proposal.period, 422, row_errors={proposal.id: errors})
    flash(f"Usulan {proposal.employee.name}: {target.label}.", "success")
    return back


@bp.post("/kelola/<int:period_id>/terbitkan")
@login_required
def issue(period_id: int):
    access.require(access.is_hr(current_user))
    period = db.get_or_404(Period, period_id)
    form = _issue_form(IssueForm())
    ids = ids_in(request.form.getlist("proposal_id"))
    proposals = awards.proposals_in(period, ids)
    if ids and not proposals:
        abort(404)
    if not form.validate():
        return _manage_page(period, 422, issue_form=form)
    already = [p for p in proposals if p.status == AwardStatus.ISSUED]
    if already and len(already) == len(proposals):  # a double submit: the first request issued them
        flash("SK Penghargaan untuk usulan ini sudah diterbitkan.", "info")
        return redirect(url_for("awards.manage", periode=period.id), 303)
    with attempt(form) as done:
        issued = awards.issue_sk(
            proposals,
            unit_id=form.unit_id.data,
            award_name=form.award_name.data,
            issued_on=form.issued_on.data,
            per_person=form.mode.data == "per_orang",
            actor=current_user,
            base_url=docs.public_base_url(),
        )
    if not done:
        return _manage_page(period, 422, issue_form=form)
    numbers = ", ".join(d.number or "tanpa nomor" for d in issued)
    flash(f"SK Penghargaan diterbitkan: {numbers}.", "success")
    return redirect(url_for("awards.manage", periode=period.id), 303)


# A reload of a form's address after a boosted POST lands on the page holding the form (web.form_targets_answer_get).
form_targets_answer_get(
    bp,
    {
        "propose": lambda period_id, employee_id: url_for("awards.index", periode=period_id),
        "suggest": lambda period_id: url_for("awards.manage", periode=period_id),
        "decide": lambda **_: url_for("awards.manage"),
        "issue": lambda period_id: url_for("awards.manage", periode=period_id),
    },
)
