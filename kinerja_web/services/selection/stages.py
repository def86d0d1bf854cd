"""Running the stages: results computed from Kinerja's data (administrasi, uji kompetensi, rekam jejak), each
member's wawancara score, closing a stage with its pass list, the final ranking, the three best proposed to the PPK
and the PPK's choice. Functions flush, never commit.

Rules (domain reference §11.3): a member scores only after declaring no conflict of interest with that candidate;
nothing is scored once a stage is closed; a candidate who does not meet a stage's requirement or pass mark cannot be
moved to the next stage; the ranking is recomputed from the recorded scores and weights every time it is shown.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ... import audit
from ...domain import DomainError
from ...domain.selection import (
    TOP_N,
    CandidateStatus,
    RankedCandidate,
    Requirements,
    SelectionStatus,
    StageKind,
    StageStatus,
    mean_score,
    parse_score,
    passes,
    q2,
    rank_candidates,
    rekam_jejak_score,
    unmet_requirements,
)
from ...extensions import db
from ...models import (
    Candidate,
    ConflictDeclaration,
    MemberScore,
    PanselMember,
    Selection,
    SelectionStage,
    StageResult,
    User,
    utcnow,
)
from . import evidence

MEMBER_SCORED = frozenset({StageKind.WAWANCARA})


def requirements(sel: Selection) -> Requirements:
    return Requirements(sel.min_golongan, sel.min_pendidikan, sel.min_predikat, sel.no_discipline, sel.training)


def active(sel: Selection) -> list[Candidate]:
    return [c for c in sel.candidates if c.status == CandidateStatus.ACTIVE]


def results_of(stage: SelectionStage) -> dict[int, StageResult]:
    return {r.candidate_id: r for r in db.session.scalars(select(StageResult).where(StageResult.stage_id == stage.id))}


def results_by_stage(sel: Selection) -> dict[int, dict[int, StageResult]]:
    """stage id → candidate id → result (one query)."""
    out: dict[int, dict[int, StageResult]] = {s.id: {} for s in sel.stages}
    for r in db.session.scalars(select(StageResult).where(StageResult.stage_id.in_([s.id for s in sel.stages]))):
        out[r.stage_id][r.candidate_id] = r
    return out


def _require_open(stage: SelectionStage) -> None:
    if stage.status == StageStatus.CLOSED:
        raise DomainError(f"Tahap {stage.kind.label} sudah ditutup; nilai tidak dapat diubah lagi.", field="score")
    if stage.status != StageStatus.OPEN:
        raise DomainError(f"Tahap {stage.kind.label} belum dimulai.", field="score")


def _result(stage: SelectionStage, cand: Candidate, found: dict[int, StageResult]) -> StageResult:
    r = found.get(cand.id)
    if r is None:
        r = StageResult(stage_id=stage.id, candidate_id=cand.id)
        db.session.add(r)
        found[cand.id] = r
    return r


def compute(stage: SelectionStage, on: date, actor: User) -> int:
    """Fill the stage's results from Kinerja's data for every active candidate; a score entered by hand (an
    external candidate's assessment, say) is kept. Returns how many results were computed."""
    _require_open(stage)
    sel = stage.selection
    cands = active(sel)
    found = results_of(stage)
    facts = evidence.facts_for(cands, on)
    req = requirements(sel)
    made = 0
    for c in cands:
        r = _result(stage, c, found)
        if r.detail and r.detail.get("manual"):
            continue
        if stage.kind == StageKind.ADMINISTRASI:
            unmet = unmet_requirements(req, facts[c.id])
            r.passed, r.score, r.detail = not unmet, None, {"unmet": unmet}
        elif stage.kind == StageKind.UJI_KOMPETENSI:
            got = evidence.jpm(c.employee_id, sel.position_id, on) if c.employee_id else None
            if got is None:
                r.score, r.detail = None, {"missing": "Belum ada hasil penilaian kompetensi; isi nilai secara manual."}
            else:
                r.score, r.detail = q2(min(got[0], Decimal(100))), got[1]
        elif stage.kind == StageKind.REKAM_JEJAK:
            f = facts[c.id]
            if c.employee_id is None:
                r.score, r.detail = (
                    None,
                    {"missing": "Peserta dari luar instansi: isi nilai rekam jejak secara manual."},
                )
            else:
                r.score = rekam_jejak_score(f.predikat, f.discipline_in_force)
                years = evidence.track_years(on)
                r.detail = {
                    "predikat": {str(y): (p.label if p else None) for y, p in zip(years, f.predikat, strict=True)},
                    "hukuman_disiplin": f.discipline_in_force,
                }
        else:
            continue
        r.updated_by_id = actor.id
        made += 1
    db.session.flush()
    audit.record(db.session, "compute_stage", "selection_stage", stage.id, f"{stage.kind.label}: {made} hasil dihitung")
    return made


def _check_version(row, expected: str | None) -> None:
    """A save based on a form opened before someone else's save is refused (the "telah diubah" message)."""
    have = str(row.version_id) if row is not None and row.version_id is not None else ""
    if (expected or "") != have:
        raise StaleDataError("stale form")


def set_result_score(
    stage: SelectionStage, cand: Candidate, raw: str, note: str | None, expected_version: str | None, actor: User
) -> StageResult:
    """HR or the ketua enters a stage score by hand (an assessment from outside Kinerja, a correction) with a reason;
    the form's version guards against two people editing the same score."""
    _require_open(stage)
    if stage.kind == StageKind.ADMINISTRASI:
        raise DomainError("Seleksi administrasi dinilai dari pemenuhan persyaratan, bukan angka.", field="score")
    if stage.kind in MEMBER_SCORED:
        raise DomainError("Nilai wawancara adalah rata-rata nilai anggota panitia.", field="score")
    if cand.status != CandidateStatus.ACTIVE:
        raise DomainError(f"{cand.name} tidak lagi mengikuti seleksi.", field="score")
    value = parse_score(raw)
    if not (note or "").strip():
        raise DomainError("Tuliskan dasar nilai yang diisi manual.", field="note")
    found = results_of(stage)
    _check_version(found.get(cand.id), expected_version)
    before = str(found[cand.id].score) if cand.id in found else None
    r = _result(stage, cand, found)
    r.score, r.detail, r.note, r.updated_by_id = value, {"manual": True}, note.strip()[:300], actor.id
    db.session.flush()
    audit.record(
        db.session,
        "score_stage",
        "selection_result",
        r.id,
        f"{stage.kind.label} {cand.name}: {value}",
        before={"score": before},
        after={"score": str(value)},
    )
    return r


def declaration_of(member: PanselMember, cand: Candidate) -> ConflictDeclaration | None:
    return db.session.scalar(
        select(ConflictDeclaration).where(
            ConflictDeclaration.member_id == member.id, ConflictDeclaration.candidate_id == cand.id
        )
    )


def member_scores(stage: SelectionStage, member: PanselMember | None = None) -> list[MemberScore]:
    stmt = select(MemberScore).where(MemberScore.stage_id == stage.id)
    if member is not None:
        stmt = stmt.where(MemberScore.member_id == member.id)
    return list(db.session.scalars(stmt))


def score(
    member: PanselMember,
    stage: SelectionStage,
    cand: Candidate,
    raw: str,
    note: str | None,
    expected_version: str | None,
) -> MemberScore:
    """A pansel member's wawancara score of one candidate; the stage result becomes the members' mean."""
    if stage.kind not in MEMBER_SCORED:
        raise DomainError("Anggota panitia memberi nilai pada tahap wawancara.", field="score")
    _require_open(stage)
    if cand.selection_id != member.selection_id or cand.status != CandidateStatus.ACTIVE:
        raise DomainError(f"{cand.name} tidak mengikuti tahap ini.", field="score")
    decl = declaration_of(member, cand)
    if decl is None:
        raise DomainError(
            f"Isi dahulu pernyataan tidak ada konflik kepentingan dengan {cand.name} sebelum memberi nilai.",
            field="score",
        )
    if decl.has_conflict:
        raise DomainError(f"Anda menyatakan konflik kepentingan dengan {cand.name}; Anda tidak menilai peserta ini.")
    value = parse_score(raw)
    row = db.session.scalar(
        select(MemberScore).where(
            MemberScore.stage_id == stage.id, MemberScore.candidate_id == cand.id, MemberScore.member_id == member.id
        )
    )
    _check_version(row, expected_version)
    before = str(row.score) if row is not None else None
    if row is None:
        row = MemberScore(stage_id=stage.id, candidate_id=cand.id, member_id=member.id, score=value)
        db.session.add(row)
    row.score, row.note = value, (note or "").strip()[:300] or None
    db.session.flush()
    found = results_of(stage)
    r = _result(stage, cand, found)
    all_scores = [s.score for s in member_scores(stage) if s.candidate_id == cand.id]
    r.score, r.detail = mean_score(all_scores), {"members": len(all_scores)}
    db.session.flush()
    audit.record(
        db.session,
        "score_member",
        "selection_member_score",
        row.id,
        f"{stage.kind.label} {cand.name} oleh {member.name}: {value}",
        before={"score": before},
        after={"score": str(value)},
    )
    return row


def eligible(stage: SelectionStage, result: StageResult | None) -> bool:
    if result is None:
        return False
    unmet = (result.detail or {}).get("unmet", []) if stage.kind == StageKind.ADMINISTRASI else ()
    if stage.kind == StageKind.ADMINISTRASI and result.passed is None:
        return False
    return passes(stage.kind, result.score, stage.pass_mark, unmet)


def close_stage(stage: SelectionStage, advance_ids: Collection[int], actor: User) -> list[Candidate]:
    """Close a stage with its pass list: the candidates ticked move on, the others leave the selection. A ticked
    candidate who does not meet the stage's requirement or pass mark is refused (nothing is saved). Opens the next
    stage. Returns the pass list."""
    _require_open(stage)
    sel = stage.selection
    found = results_of(stage)
    cands = active(sel)
    missing = [
        c.name for c in cands if found.get(c.id) is None or (found[c.id].score is None and found[c.id].passed is None)
    ]
    if missing:
        raise DomainError(f"Hasil tahap {stage.kind.label} belum lengkap untuk: {', '.join(missing)}.")
    passed = []
    for c in cands:
        r = found[c.id]
        ok = eligible(stage, r)
        if c.id in advance_ids and not ok:
            why = (
                "; ".join((r.detail or {}).get("unmet", []))
                if stage.kind == StageKind.ADMINISTRASI
                else f"nilai {r.score} di bawah ambang {stage.pass_mark}"
            )
            raise DomainError(
                f"{c.name} tidak memenuhi syarat tahap {stage.kind.label} ({why}) dan tidak dapat dilanjutkan ke "
                "tahap berikutnya.",
                field=f"lolos-{c.id}",
            )
        r.passed = c.id in advance_ids
        if r.passed:
            passed.append(c)
        else:
            c.status, c.failed_stage = CandidateStatus.FAILED, stage.kind
    stage.status, stage.closed_at, stage.closed_by_id = StageStatus.CLOSED, utcnow(), actor.id
    following = [s for s in sel.stages if s.seq > stage.seq]
    if following and passed:
        following[0].status = StageStatus.OPEN
    db.session.flush()
    audit.record(
        db.session,
        "close_stage",
        "selection_stage",
        stage.id,
        f"{stage.kind.label} ditutup: {len(passed)} dari {len(cands)} peserta lolos",
        after={"lolos": [c.id for c in passed]},
    )
    return passed


def pass_list(stage: SelectionStage) -> list[Candidate]:
    """The published pass list of a closed stage (names only; scores stay with the pansel and HR)."""
    if stage.status != StageStatus.CLOSED:
        return []
    found = results_of(stage)
    return [c for c in stage.selection.candidates if found.get(c.id) is not None and found[c.id].passed]


def all_closed(sel: Selection) -> bool:
    return all(s.status == StageStatus.CLOSED for s in sel.stages)


def ranking(sel: Selection) -> list[RankedCandidate]:
    """The final ranking of the candidates who passed every stage, recomputed from the recorded scores and weights."""
    by_stage = results_by_stage(sel)
    last = sel.stages[-1]
    finalists = [c for c in sel.candidates if (r := by_stage[last.id].get(c.id)) is not None and r.passed]
    weights = {s.kind: Decimal(s.weight) for s in sel.stages}
    rows = []
    for c in finalists:
        scores = {}
        for s in sel.stages:
            r = by_stage[s.id].get(c.id)
            if s.kind == StageKind.ADMINISTRASI:
                scores[s.kind] = Decimal(100) if r is not None and r.passed else Decimal(0)
            elif r is not None and r.score is not None:
                scores[s.kind] = Decimal(r.score)
        rows.append((c.id, c.name, scores))
    return rank_candidates(rows, weights)


def propose(sel: Selection, actor: User) -> list[Candidate]:
    """Propose the three best (fewer when fewer finished) to the PPK, in ranking order."""
    if sel.status != SelectionStatus.RUNNING or not all_closed(sel):
        raise DomainError("Usulan kepada PPK dibuat setelah semua tahap ditutup.")
    ranked = ranking(sel)[:TOP_N]
    if not ranked:
        raise DomainError("Tidak ada peserta yang lolos semua tahap.")
    by_id = {c.id: c for c in sel.candidates}
    top = []
    for rc in ranked:
        c = by_id[rc.candidate_id]
        c.status, c.proposed_rank = CandidateStatus.PROPOSED, rc.rank
        top.append(c)
    sel.status = SelectionStatus.PROPOSED
    db.session.flush()
    audit.record(
        db.session,
        "propose_selection",
        "selection",
        sel.id,
        "Diusulkan kepada PPK: " + ", ".join(f"{rc.rank}. {rc.name} ({rc.final})" for rc in ranked),
        after={"ranking": [{"candidate_id": rc.candidate_id, "final": str(rc.final)} for rc in ranked]},
    )
    return top


def decide(sel: Selection, cand: Candidate, basis: str, actor: User) -> None:
    """Record the PPK's choice among the proposed candidates, with the letter it rests on."""
    if sel.status != SelectionStatus.PROPOSED:
        raise DomainError("Pilihan PPK dicatat setelah usulan dikirim dan sebelum diputuskan.")
    if cand.selection_id != sel.id or cand.status != CandidateStatus.PROPOSED:
        raise DomainError("PPK memilih salah satu dari calon yang diusulkan.", field="candidate_id")
    if not (basis or "").strip():
        raise DomainError("Isi dasar keputusan PPK (nomor surat/disposisi).", field="basis")
    cand.status = CandidateStatus.CHOSEN
    sel.status, sel.decision_basis = SelectionStatus.DECIDED, basis.strip()[:300]
    sel.decided_by_id, sel.decided_at = actor.id, utcnow()
    db.session.flush()
    audit.record(db.session, "decide_selection", "selection", sel.id, f"PPK memilih {cand.name} ({basis.strip()})")
