"""Loading a selection and its parts from URL ids (404 when an id belongs to another selection)."""

from __future__ import annotations

from flask import abort

from ....models import Candidate, PanselMember, Selection, SelectionStage
from ....services.selection import setup


def selection_or_404(selection_id: int) -> Selection:
    sel = setup.load(selection_id)
    if sel is None:
        abort(404)
    return sel


def stage_or_404(sel: Selection, stage_id: int) -> SelectionStage:
    stage = next((s for s in sel.stages if s.id == stage_id), None)
    if stage is None:
        abort(404)
    return stage


def candidate_or_404(sel: Selection, candidate_id: int) -> Candidate:
    cand = next((c for c in sel.candidates if c.id == candidate_id), None)
    if cand is None:
        abort(404)
    return cand


def member_or_404(sel: Selection, member_id: int) -> PanselMember:
    member = next((m for m in sel.members if m.id == member_id), None)
    if member is None:
        abort(404)
    return member
