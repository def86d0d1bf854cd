"""A pansel member's page: the candidates of their selection, a conflict-of-interest statement per candidate, and
the wawancara score of each candidate they declared no conflict with. The ketua also enters stage scores that come
from outside Kinerja (an external candidate's assessment)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .... import access
from ....domain.selection import MemberRole, StageKind, StageStatus
from ....services.selection import setup, stages
from ....web import attempt
from .. import bp
from ..forms import DeclareForm, ScoreForm
from .common import candidate_or_404, selection_or_404


def _member(sel):
    member = access.pansel_member(current_user, sel)
    if member is None:
        abort(403)
    return member


def pansel_page(sel, status: int = 200, errors: dict | None = None, typed: dict | None = None):
    member = _member(sel)
    declared = setup.declarations(member)
    wawancara = next(s for s in sel.stages if s.kind == StageKind.WAWANCARA)
    mine = {s.candidate_id: s for s in stages.member_scores(wawancara, member)}
    return render_template(
        "selection/pansel.html",
        sel=sel,
        member=member,
        is_ketua=member.role == MemberRole.KETUA,
        declared=declared,
        wawancara=wawancara,
        mine=mine,
        by_stage=stages.results_by_stage(sel),
        current=next((s for s in sel.stages if s.status == StageStatus.OPEN), None),
        errors=errors or {},
        typed=typed or {},
        declare_form=DeclareForm(formdata=None),
        score_form=ScoreForm(formdata=None),
        ranked=stages.ranking(sel) if stages.all_closed(sel) else [],
    ), status


@bp.get("/<int:selection_id>/panitia")
@login_required
def pansel(selection_id: int):
    return pansel_page(selection_or_404(selection_id))


@bp.post("/<int:selection_id>/panitia/pernyataan/<int:candidate_id>")
@login_required
def declare(selection_id: int, candidate_id: int):
    sel = selection_or_404(selection_id)
    member = _member(sel)
    cand = candidate_or_404(sel, candidate_id)
    form = DeclareForm()
    key = f"pernyataan-{cand.id}"
    if not form.validate():
        return pansel_page(sel, 422, {key: "; ".join(m for f in form for m in f.errors)})
    with attempt(flash_category=None) as done:
        setup.declare(member, cand, form.conflict.data == "ada", form.note.data)
    if not done:
        return pansel_page(selection_or_404(selection_id), 422, {key: done.message}, {key: {"note": form.note.data}})
    flash(f"Pernyataan tentang {cand.name} tercatat.", "success")
    return redirect(url_for("selection.pansel", selection_id=sel.id) + f"#peserta-{cand.id}", 303)


@bp.post("/<int:selection_id>/panitia/nilai/<int:candidate_id>")
@login_required
def member_score(selection_id: int, candidate_id: int):
    sel = selection_or_404(selection_id)
    member = _member(sel)
    cand = candidate_or_404(sel, candidate_id)
    wawancara = next(s for s in sel.stages if s.kind == StageKind.WAWANCARA)
    form = ScoreForm()
    form.validate()
    key = f"skor-{cand.id}"
    with attempt(flash_category=None) as done:
        stages.score(member, wawancara, cand, form.score.data, form.note.data, form.version.data)
    if not done:
        typed = {key: {"score": form.score.data, "note": form.note.data}}
        return pansel_page(selection_or_404(selection_id), 409 if done.conflict else 422, {key: done.message}, typed)
    flash(f"Nilai wawancara {cand.name} tersimpan.", "success")
    return redirect(url_for("selection.pansel", selection_id=sel.id) + f"#peserta-{cand.id}", 303)
