"""HR runs a selection: open it, form the pansel, register candidates, start, compute and close each stage with its
pass list, issue the Pengumuman, propose the three best with the Berita Acara and the usulan, record the PPK's choice."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.predikat import Predikat
from ....domain.selection import (
    STAGE_ORDER,
    CandidateStatus,
    MemberRole,
    Pendidikan,
    SelectionKind,
    SelectionStatus,
    StageStatus,
    parse_score,
)
from ....request_input import ids_in
from ....services.documents import issuing as docs
from ....services.selection import documents, setup, stages
from ....timeutil import today_wib
from ....web import attempt, form_targets_answer_get
from .. import bp
from ..forms import ActionForm, CandidateForm, DecisionForm, MemberForm, ScoreForm, SelectionForm
from .common import candidate_or_404, member_or_404, selection_or_404, stage_or_404
from .pansel import pansel_page

MEMBER_PREFIX = "anggota"  # the member and candidate forms share field names on one page


def _selection_form(form: SelectionForm | None = None) -> SelectionForm:
    today = today_wib()
    form = form or SelectionForm(formdata=None, registration_opens=today, registration_closes=today)
    form.position_id.choices = [(p.id, f"{p.full_name} — {p.unit.name}") for p in setup.selectable_positions()]
    form.unit_id.choices = [(u.id, u.name) for u in docs.units_with_letterhead()]
    return form


@bp.route("/baru", methods=["GET", "POST"])
@login_required
def new():
    access.require(access.can_manage_selection(current_user))
    form = _selection_form(SelectionForm() if request.method == "POST" else None)
    if request.method == "GET" or not form.validate():
        return render_template("selection/new.html", form=form), 200 if request.method == "GET" else 422
    with attempt(form) as done:
        weights = {k: parse_score(getattr(form, f"weight_{k.value}").data, f"weight_{k.value}") for k in STAGE_ORDER}
        marks = {k: parse_score(getattr(form, f"pass_{k.value}").data, f"pass_{k.value}") for k in STAGE_ORDER}
        sel = setup.open_selection(
            setup.SelectionInput(
                position_id=form.position_id.data,
                unit_id=form.unit_id.data,
                kind=SelectionKind(form.kind.data),
                title=form.title.data,
                registration_opens=form.registration_opens.data,
                registration_closes=form.registration_closes.data,
                weights=weights,
                pass_marks=marks,
                min_golongan=form.min_golongan.data,
                min_pendidikan=Pendidikan(form.min_pendidikan.data) if form.min_pendidikan.data else None,
                min_predikat=Predikat(form.min_predikat.data) if form.min_predikat.data else None,
                no_discipline=form.no_discipline.data,
                training=form.training.data,
                notes=form.notes.data,
            ),
            current_user,
        )
    if not done:
        return render_template("selection/new.html", form=form), 422
    flash("Seleksi dibuka. Bentuk panitia seleksi dan daftarkan peserta.", "success")
    return redirect(url_for("selection.manage", selection_id=sel.id), 303)


def manage_page(sel, status: int = 200, errors: dict | None = None, **forms):
    """The HR page of one selection; `errors` maps a row key ("pansel", "lolos-<id>", ...) to its message."""
    by_stage = stages.results_by_stage(sel)
    current = next((s for s in sel.stages if s.status == StageStatus.OPEN), None)
    ranked = stages.ranking(sel) if stages.all_closed(sel) else []
    decision = forms.get("decision_form") or DecisionForm(formdata=None)
    decision.candidate_id.choices = [
        (c.id, f"{c.proposed_rank}. {c.name}") for c in sel.candidates if c.status == CandidateStatus.PROPOSED
    ]
    return render_template(
        "selection/manage.html",
        sel=sel,
        by_stage=by_stage,
        eligible={
            s.id: {c.id: stages.eligible(s, by_stage[s.id].get(c.id)) for c in sel.candidates} for s in sel.stages
        },
        current=current,
        ranked=ranked,
        errors=errors or {},
        member_form=forms.get("member_form") or MemberForm(formdata=None, prefix=MEMBER_PREFIX),
        candidate_form=forms.get("candidate_form") or CandidateForm(formdata=None),
        score_form=ScoreForm(formdata=None),
        decision_form=decision,
        typed=forms.get("typed") or {},
        statuses=SelectionStatus,
        can_propose=sel.status == SelectionStatus.RUNNING and stages.all_closed(sel) and bool(ranked),
    ), status


def _hr_selection(selection_id: int):
    access.require(access.can_manage_selection(current_user))
    return selection_or_404(selection_id)


def _back(sel, anchor: str = ""):
    return redirect(url_for("selection.manage", selection_id=sel.id) + anchor, 303)


@bp.get("/<int:selection_id>/kelola")
@login_required
def manage(selection_id: int):
    return manage_page(_hr_selection(selection_id))


@bp.post("/<int:selection_id>/pansel")
@login_required
def add_member(selection_id: int):
    sel = _hr_selection(selection_id)
    form = MemberForm(prefix=MEMBER_PREFIX)
    if form.validate():
        with attempt(form) as done:
            m = setup.add_member(
                sel,
                nip=form.nip.data,
                name=form.name.data,
                institution=form.institution.data,
                role=MemberRole(form.role.data),
            )
        if done:
            flash(f"{m.name} ditambahkan ke panitia seleksi.", "success")
            return _back(sel, "#panitia")
    return manage_page(selection_or_404(selection_id), 422, member_form=form)


@bp.post("/<int:selection_id>/pansel/<int:member_id>/hapus")
@login_required
def remove_member(selection_id: int, member_id: int):
    sel = _hr_selection(selection_id)
    member = member_or_404(sel, member_id)
    ActionForm().validate()
    with attempt() as done:
        setup.remove_member(sel, member)
    if done:
        flash("Anggota panitia dihapus.", "success")
    return _back(sel, "#panitia")


@bp.post("/<int:selection_id>/peserta")
@login_required
def register(selection_id: int):
    sel = _hr_selection(selection_id)
    form = CandidateForm()
    if form.validate():
        with attempt(form) as done:
            pendidikan = Pendidikan(form.pendidikan.data) if form.pendidikan.data else None
            if (form.nip.data or "").strip():
                emp = setup.employee_by_nip(form.nip.data, "nip")
                c = setup.register_employee(sel, emp, pendidikan, current_user)
            else:
                c = setup.register_external(
                    sel,
                    name=form.name.data,
                    nip=None,
                    institution=form.institution.data,
                    golongan=form.golongan.data,
                    pendidikan=pendidikan,
                    actor=current_user,
                )
        if done:
            flash(f"{c.name} terdaftar sebagai peserta.", "success")
            return _back(sel, "#peserta")
    return manage_page(selection_or_404(selection_id), 422, candidate_form=form)


@bp.post("/<int:selection_id>/mulai")
@login_required
def start(selection_id: int):
    sel = _hr_selection(selection_id)
    ActionForm().validate()
    with attempt(flash_category=None) as done:
        setup.start(sel, current_user)
    if not done:
        return manage_page(selection_or_404(selection_id), 422, {"mulai": done.message})
    flash("Seleksi dimulai: tahap seleksi administrasi berjalan.", "success")
    return _back(sel)


@bp.post("/<int:selection_id>/tahap/<int:stage_id>/hitung")
@login_required
def compute(selection_id: int, stage_id: int):
    sel = _hr_selection(selection_id)
    stage = stage_or_404(sel, stage_id)
    with attempt(flash_category=None) as done:
        n = stages.compute(stage, today_wib(), current_user)
    if not done:
        return manage_page(selection_or_404(selection_id), 422, {f"tahap-{stage_id}": done.message})
    flash(f"{stage.kind.label}: {n} hasil dihitung dari data Kinerja.", "success")
    return _back(sel, f"#tahap-{stage.id}")


@bp.post("/<int:selection_id>/tahap/<int:stage_id>/nilai/<int:candidate_id>")
@login_required
def set_score(selection_id: int, stage_id: int, candidate_id: int):
    """A stage score entered by hand (HR, or the ketua from the pansel page), guarded by the form's version."""
    sel = selection_or_404(selection_id)
    member = access.pansel_member(current_user, sel)
    is_ketua = member is not None and member.role == MemberRole.KETUA
    access.require(access.can_manage_selection(current_user) or is_ketua)
    stage = stage_or_404(sel, stage_id)
    cand = candidate_or_404(sel, candidate_id)
    form = ScoreForm()
    form.validate()
    with attempt(flash_category=None) as done:
        stages.set_result_score(stage, cand, form.score.data, form.note.data, form.version.data, current_user)
    back_to_pansel = not access.can_manage_selection(current_user)
    if not done:
        key = f"nilai-{stage.id}-{cand.id}"
        typed = {key: {"score": form.score.data, "note": form.note.data}}
        if back_to_pansel:
            code = 409 if done.conflict else 422
            return pansel_page(selection_or_404(selection_id), code, {key: done.message}, typed)
        return manage_page(
            selection_or_404(selection_id), 409 if done.conflict else 422, {key: done.message}, typed=typed
        )
    flash(f"Nilai {stage.kind.label} {cand.name} tersimpan.", "success")
    if back_to_pansel:
        return redirect(url_for("selection.pansel", selection_id=sel.id) + f"#tahap-{stage.id}", 303)
    return _back(sel, f"#tahap-{stage.id}")


@bp.post("/<int:selection_id>/tahap/<int:stage_id>/tutup")
@login_required
def close(selection_id: int, stage_id: int):
    sel = _hr_selection(selection_id)
    stage = stage_or_404(sel, stage_id)
    ActionForm().validate()
    advance = set(ids_in(request.form.getlist("lolos")))
    with attempt(flash_category=None) as done:
        passed = stages.close_stage(stage, advance, current_user)
    if not done:
        key = done.field if done.field and done.field.startswith("lolos-") else f"tahap-{stage_id}"
        return manage_page(selection_or_404(selection_id), 422, {key: done.message}, typed={"lolos": advance})
    flash(f"{stage.kind.label} ditutup: {len(passed)} peserta lolos. Terbitkan pengumumannya.", "success")
    return _back(sel, f"#tahap-{stage.id}")


@bp.post("/<int:selection_id>/tahap/<int:stage_id>/pengumuman")
@login_required
def announce(selection_id: int, stage_id: int):
    sel = _hr_selection(selection_id)
    stage = stage_or_404(sel, stage_id)
    ActionForm().validate()
    with attempt(flash_category=None) as done:
        doc = documents.issue_pengumuman(stage, today_wib(), current_user, docs.public_base_url())
    if not done:
        return manage_page(selection_or_404(selection_id), 422, {f"tahap-{stage_id}": done.message})
    flash(f"Pengumuman {stage.kind.label} diterbitkan ({doc.number or 'tanpa nomor'}).", "success")
    return _back(sel, f"#tahap-{stage.id}")


@bp.post("/<int:selection_id>/usulan")
@login_required
def propose(selection_id: int):
    sel = _hr_selection(selection_id)
    ActionForm().validate()
    with attempt(flash_category=None) as done:
        top = stages.propose(sel, current_user)
        documents.issue_final(sel, today_wib(), current_user, docs.public_base_url())
    if not done:
        return manage_page(selection_or_404(selection_id), 422, {"usulan": done.message})
    flash(f"{len(top)} calon terbaik diusulkan kepada PPK; berita acara dan surat usulan diterbitkan.", "success")
    return _back(sel, "#peringkat")


@bp.post("/<int:selection_id>/keputusan")
@login_required
def decide(selection_id: int):
    sel = _hr_selection(selection_id)
    form = DecisionForm()
    form.candidate_id.choices = [(c.id, c.name) for c in sel.candidates]
    if form.validate():
        cand = candidate_or_404(sel, form.candidate_id.data)
        with attempt(form) as done:
            stages.decide(sel, cand, form.basis.data, current_user)
        if done:
            flash(f"Pilihan PPK tercatat: {cand.name}.", "success")
            return _back(sel, "#peringkat")
    return manage_page(selection_or_404(selection_id), 422, decision_form=form)


form_targets_answer_get(
    bp,
    {
        "apply": lambda selection_id: url_for("selection.show", selection_id=selection_id),
        "declare": lambda selection_id, candidate_id: url_for("selection.pansel", selection_id=selection_id),
        "member_score": lambda selection_id, candidate_id: url_for("selection.pansel", selection_id=selection_id),
    },
    default=lambda selection_id, **_: url_for("selection.manage", selection_id=selection_id),
)
