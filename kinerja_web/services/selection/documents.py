"""The selection's official documents through the documents service: the Pengumuman of each closed stage (its pass
list), the Berita Acara of the pansel (the final ranking with every stage score and the weights) and the usulan of
the three best to the PPK. Signed by the ketua pansel, frozen at issue, verifiable on /verifikasi; numbered where
the issuing OPD opened a register for the type. Flushes, never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask import current_app
from sqlalchemy import select

from ...domain import DomainError
from ...domain.documents import DocType
from ...domain.selection import CandidateStatus, MemberRole, StageKind, StageStatus
from ...extensions import db
from ...models import Candidate, Employee, IssuedDocument, Letterhead, Selection, SelectionStage, User
from ..documents import issuing as docs
from ..documents.specs import DocSpec, Numbering, person_signer
from . import stages
from .setup import load

DEFAULT_PLACE = "Kotabumi"
KETUA = "Ketua Panitia Seleksi"


def _ketua(sel: Selection) -> dict:
    m = next((m for m in sel.members if m.role == MemberRole.KETUA), None)
    if m is None:
        raise DomainError("Panitia seleksi belum mempunyai ketua; dokumen tidak diterbitkan.")
    e = m.employee
    return {
        "nama": e.full_name if e else m.name,
        "nip": e.nip if e else "-",
        "pangkat": e.pangkat_golongan if e else (m.institution or ""),
        "jabatan": KETUA,
    }


def _head(sel: Selection) -> dict:
    lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == sel.unit_id))
    return {
        "selection_id": sel.id,
        "judul_seleksi": sel.title,
        "jenis": sel.kind.label,
        "jabatan": sel.position.full_name,
        "unit": sel.position.unit.name,
        "instansi": (lh.pemda_name if lh else current_app.config.get("PEMDA_NAME", "")) or "",
        "place": (lh.city if lh else None) or DEFAULT_PLACE,
        "ketua": _ketua(sel),
        "anggota": [{"nama": m.name, "peran": m.role.label, "asal": m.institution or ""} for m in sel.members],
    }


def _row(c: Candidate) -> dict:
    e = c.employee
    return {
        "id": c.id,
        "nama": c.name,
        "nip": c.nip or "-",
        "asal": e.unit.name if e is not None and e.unit else (c.institution or ""),
    }


def _selection(params: dict) -> Selection:
    sel = load(int(params.get("selection_id") or 0))
    if sel is None:
        raise DomainError("Seleksi tidak ditemukan.")
    return sel


def build_pengumuman(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen pass list of one closed stage: names only, no scores (candidates see only their own results)."""
    sel = _selection(params)
    stage = next((s for s in sel.stages if s.id == params.get("stage_id")), None)
    if stage is None or stage.status != StageStatus.CLOSED:
        raise DomainError("Pengumuman diterbitkan untuk tahap yang sudah ditutup.")
    following = next((s for s in sel.stages if s.seq == stage.seq + 1), None)
    return {
        **_head(sel),
        "judul": f"Pengumuman Hasil {stage.kind.label}",
        "stage": stage.kind.label,
        "stage_id": stage.id,
        "berikutnya": following.kind.label if following else None,
        "lolos": [_row(c) for c in stages.pass_list(stage)],
        "catatan": sel.notes or "",
    }


def build_berita_acara(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen record of the pansel's final meeting: weights, every finalist's stage scores, final score and rank."""
    sel = _selection(params)
    ranked = stages.ranking(sel)
    if not ranked:
        raise DomainError("Belum ada peringkat akhir.")
    return {
        **_head(sel),
        "judul": "Berita Acara Penetapan Hasil Akhir Seleksi",
        "bobot": [{"tahap": s.kind.label, "bobot": str(s.weight), "ambang": str(s.pass_mark)} for s in sel.stages],
        "peringkat": [
            {
                "rank": rc.rank,
                "nama": rc.name,
                "nilai": [str(rc.scores.get(s.kind, "")) for s in sel.stages if s.kind != StageKind.ADMINISTRASI],
                "akhir": str(rc.final),
            }
            for rc in ranked
        ],
        "tahap_nilai": [s.kind.label for s in sel.stages if s.kind != StageKind.ADMINISTRASI],
    }


def build_usulan(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen usulan of the three best (in ranking order) to the PPK."""
    sel = _selection(params)
    finals = {rc.candidate_id: rc for rc in stages.ranking(sel)}
    proposed = sorted(
        (c for c in sel.candidates if c.proposed_rank is not None and c.status != CandidateStatus.FAILED),
        key=lambda c: c.proposed_rank,
    )
    if not proposed:
        raise DomainError("Belum ada calon yang diusulkan.")
    return {
        **_head(sel),
        "judul": f"Usulan Calon Pejabat {sel.position.full_name}",
        "calon": [{**_row(c), "rank": c.proposed_rank, "akhir": str(finals[c.id].final)} for c in proposed],
    }


def _signer(body: dict) -> dict:
    return person_signer(body["ketua"], KETUA, body["place"])


def _spec(doc_type: DocType, template: str, build) -> DocSpec:
    return DocSpec(
        doc_type,
        f"selection/pdf/{template}.html",
        build,
        lambda body: f"{body['judul']} — {body['judul_seleksi']}",
        numbering=Numbering.OPTIONAL,
        signer=_signer,
    )


PENGUMUMAN_SPEC = _spec(DocType.PENGUMUMAN_SELEKSI, "pengumuman", build_pengumuman)
BERITA_ACARA_SPEC = _spec(DocType.BERITA_ACARA_SELEKSI, "berita_acara", build_berita_acara)
USULAN_SPEC = _spec(DocType.USULAN_SELEKSI, "usulan", build_usulan)


def _subjects(sel: Selection, candidates: Sequence[Candidate]) -> list[Employee]:
    """The employees a document is about: the internal candidates it names, else the internal pansel members."""
    people = [c.employee for c in candidates if c.employee is not None]
    people = people or [m.employee for m in sel.members if m.employee is not None]
    if not people:
        raise DomainError("Dokumen memerlukan sedikitnya satu peserta atau panitia dari data pegawai.")
    return people


def issue_pengumuman(stage: SelectionStage, on: date, actor: User, base_url: str | None) -> IssuedDocument:
    """The stage's Pengumuman, issued once: a second request returns the issued one."""
    sel = stage.selection
    if stage.pengumuman_id is not None:
        return db.session.get(IssuedDocument, stage.pengumuman_id)
    doc = docs.issue(
        DocType.PENGUMUMAN_SELEKSI,
        unit_id=sel.unit_id,
        subjects=_subjects(sel, stages.pass_list(stage) or sel.candidates),
        params={"selection_id": sel.id, "stage_id": stage.id},
        issued_on=on,
        user_id=actor.id,
        base_url=base_url,
        source_ref=f"seleksi-tahap:{stage.id}",
    )
    stage.pengumuman_id = doc.id
    db.session.flush()
    return doc


def issue_final(sel: Selection, on: date, actor: User, base_url: str | None) -> tuple[IssuedDocument, IssuedDocument]:
    """The Berita Acara and the usulan to the PPK, issued together once the three best are proposed."""
    proposed = [c for c in sel.candidates if c.proposed_rank is not None]
    common = dict(unit_id=sel.unit_id, issued_on=on, user_id=actor.id, base_url=base_url)
    ba = docs.issue(
        DocType.BERITA_ACARA_SELEKSI,
        subjects=_subjects(sel, proposed),
        params={"selection_id": sel.id},
        source_ref=f"seleksi-ba:{sel.id}",
        **common,
    )
    usulan = docs.issue(
        DocType.USULAN_SELEKSI,
        subjects=_subjects(sel, proposed),
        params={"selection_id": sel.id},
        source_ref=f"seleksi-usulan:{sel.id}",
        **common,
    )
    sel.berita_acara_id, sel.usulan_id = ba.id, usulan.id
    db.session.flush()
    return ba, usulan


def document_of(sel: Selection, doc_id: int) -> IssuedDocument | None:
    """A document of this selection (a stage's Pengumuman, the Berita Acara or the usulan), or None."""
    ids = {s.pengumuman_id for s in sel.stages} | {sel.berita_acara_id, sel.usulan_id}
    return db.session.get(IssuedDocument, doc_id) if doc_id in ids - {None} else None
