"""The rating documents (issue #5 item 8; domain §2.9, §2.8 step 4), issued through the documents service:

* one *Dokumen Evaluasi Kinerja Pegawai* per final rating, signed by the pejabat penilai, and
* one *Dokumen Penetapan Predikat Kinerja* per unit whose capaian kinerja organisasi is set, with the
  list of employees and their predikat and the kurva distribusi check, signed by the unit's leader.

They are issued by the lock job (`lock`) and re-issued after a keberatan decision. Functions flush only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from ...domain import DomainError, kurva
from ...domain.berakhlak import BERAKHLAK
from ...domain.documents import DocStatus, DocType
from ...domain.labels import persen, tanggal
from ...domain.predikat import Predikat
from ...extensions import db
from ...models import (
    ANNUAL,
    Employee,
    IssuedDocument,
    Keberatan,
    Letterhead,
    PerformanceRating,
    PerilakuExpectation,
    Period,
    Position,
    Unit,
    UnitPredikat,
)
from .. import rating_rules
from ..documents import issuing as docs
from ..documents.specs import DocSpec, Numbering, person_signer
from ..org import appraisers
from . import organisation, ratings, windows

DEFAULT_PLACE = "Kotabumi"
EVAL_TITLE = "EVALUASI KINERJA PEGAWAI"
ACTING_PREFIX = {"plt": "Plt. ", "plh": "Plh. "}  # how a signature line names an acting leader
FORM_SUBTITLE = "PENDEKATAN HASIL KERJA KUANTITATIF BAGI PEJABAT ADMINISTRASI DAN PEJABAT FUNGSIONAL"


def evaluation_ref(rating: PerformanceRating) -> str:
    """All versions of one rating's evaluation document share it (keberatan re-issue → replacement chain)."""
    return f"evaluasi:{rating.id}"


def penetapan_ref(unit_id: int, period_id: int, window_no: int) -> str:
    return f"penetapan:{unit_id}:{period_id}:{window_no}"


# --- people as printed --------------------------------------------------------------------------


def _person(emp: Employee | None, on: date, jabatan: str | None = None) -> dict:
    if emp is None:
        return {"nama": "–", "nip": "–", "pangkat": "–", "jabatan": "–", "unit": "–"}
    pos = appraisers.position_of(emp, on)
    return {
        "nama": emp.full_name,
        "nip": emp.nip,
        "pangkat": emp.pangkat_golongan if emp.golongan else "–",
        "jabatan": jabatan or (pos.full_name if pos else "–"),
        "unit": (pos.unit.name if pos else (emp.unit.name if emp.unit else "–")),
    }


def _appraiser_person(appraiser: appraisers.Appraiser | None, on: date) -> dict:
    if appraiser is None:
        return _person(None, on)
    return _person(appraiser.employee, on, appraiser.acting_prefix + appraiser.position.full_name)


def _opd_of(employee: Employee) -> Unit:
    if employee.unit is None:
        raise DomainError(f"Unit kerja {employee.full_name} belum diisi; dokumen evaluasi tidak dapat diterbitkan.")
    return employee.unit.opd


def _instansi(opd: Unit) -> tuple[str, str]:
    lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == opd.id))
    instansi = (lh.pemda_name if lh else current_app.config.get("PEMDA_NAME", "")) or ""
    return instansi, (lh.city if lh else None) or DEFAULT_PLACE


def organisation_of(employee: Employee, period_id: int, window_no: int) -> UnitPredikat | None:
    """The capaian kinerja organisasi that applies: the employee's unit, else the nearest unit above."""
    node, seen = employee.unit, 0
    while node is not None and seen < appraisers.MAX_CHAIN:
        up = organisation.unit_predikat(node.id, period_id, window_no)
        if up is not None:
            return up
        node, seen = node.parent, seen + 1
    return None


def _kurva_lines(up: UnitPredikat | None, period: Period) -> list[str]:
    """The curve's constraints for the unit's organisation predikat, from the version it was calibrated against."""
    version = rating_rules.kurva_for(period, up.kurva_rule_version) if up is not None else None
    if version is None:
        return []
    return [f"{r.label}: {r.describe()}" for r in kurva.rules_for(up.predikat, version.data.rules)]


# --- Dokumen Evaluasi Kinerja Pegawai -------------------------------------------------------------------


def build_evaluasi(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen body (domain §2.9): identities, capaian organisasi, hasil kerja with SKP evidence, perilaku,
    predikat, and, after a keberatan, the atasan's final decision."""
    rating = db.session.get(PerformanceRating, params.get("rating_id") or 0)
    if rating is None or rating.employee_id != subjects[0].id:
        raise DomainError("Penilaian kinerja tidak ditemukan.")
    if not rating.is_final:
        raise DomainError(f"Penilaian {rating.employee.full_name} belum final; dokumen evaluasi belum dapat terbit.")
    emp, period, window_no = rating.employee, rating.period, rating.window_no
    on = rating.rated_on or period.end_date
    opd = _opd_of(emp)
    instansi, place = _instansi(opd)
    appraiser = appraisers.appraiser_of(emp, on)
    supervisor = appraisers.appraiser_supervisor_of(emp, on)
    if rating.appraiser is not None and (appraiser is None or appraiser.employee.id != rating.appraiser_id):
        penilai = _person(rating.appraiser, on)  # the one who actually rated (e.g. after a reorganisation)
    else:
        penilai = _appraiser_person(appraiser, on)
    if penilai["nama"] == "–":
        raise DomainError(f"Pejabat penilai {emp.full_name} tidak ditemukan dalam data organisasi.")
    evidence = ratings.skp_evidence(emp, period)
    up = organisation_of(emp, period.id, window_no)
    skp = evidence.skp
    expectations = {}
    if skp is not None:
        expectations = {
            p.nilai: p.ekspektasi_khusus or ""
            for p in db.session.scalars(select(PerilakuExpectation).where(PerilakuExpectation.skp_id == skp.id))
        }
    body = {
        "judul": EVAL_TITLE,
        "subjudul": FORM_SUBTITLE,
        "rating_id": rating.id,
        "tahun": period.year,
        "periode_label": windows.window_label(period, window_no).upper(),
        "periode": _periode(period, window_no),
        "tahunan": window_no == ANNUAL,
        "instansi": instansi,
        "opd": opd.name,
        "place": place,
        "pegawai": _person(emp, on),
        "penilai": penilai,
        "atasan": _appraiser_person(supervisor, on),
        "organisasi": {
            "predikat": up.predikat.label if up else None,
            "unit": up.unit.name if up else None,
            "kurva": _kurva_lines(up, period),
        },
        "skp_versi": skp.version if skp else None,
        "hasil_kerja_rows": [
            {
                "rhk": r.rhk,
                "aspek": r.aspek,
                "indikator": r.indikator,
                "target": r.target,
                "realisasi": "; ".join(f"{lbl}: {v}" for lbl, v in r.realisasi) or "belum dilaporkan",
                "bukti": r.bukti,
            }
            for r in evidence.rows
        ],
        "realisasi_count": evidence.realisasi_count,
        "bukti_count": evidence.bukti_count,
        "rating_hasil_kerja": rating.hasil_kerja.label,
        "hasil_from_unit": rating.hasil_from_unit,
        "perilaku": [{"no": i, "nilai": v, "ekspektasi": expectations.get(v, "")} for i, v in enumerate(BERAKHLAK, 1)],
        "rating_perilaku_kerja": rating.perilaku_kerja.label,
        "predikat": rating.predikat.label,
        "penjelasan": ratings.explained(rating)["penjelasan"].kalimat,
        "catatan": rating.catatan or "",
        "keberatan": None,
    }
    keb = db.session.get(Keberatan, params["keberatan_id"]) if params.get("keberatan_id") else None
    if keb is not None and keb.is_final:
        body["keberatan"] = {
            "putusan": keb.putusan.label,
            "diterima": keb.putusan.value == "diterima",
            "predikat_lama": keb.predikat_lama.label,
            "pertimbangan": keb.pertimbangan,
            "tanggal": tanggal(keb.decided_on),
            "diajukan": tanggal(keb.filed_on),
        }
        body["pemutus"] = _person(keb.decider, keb.decided_on, body["atasan"]["jabatan"])
    return body


def _periode(period: Period, window_no: int) -> str:
    if window_no == ANNUAL:
        return f"{tanggal(period.start_date)} s.d. {tanggal(period.end_date)}"
    w = next(w for w in period.windows if w.index == window_no)
    return f"{tanggal(w.start)} s.d. {tanggal(w.end)}"


def _evaluasi_signer(body: dict) -> dict:
    """The pejabat penilai signs; after a keberatan the atasan pejabat penilai, who set the final result.
    A Plt./Plh. prefix is already part of the printed jabatan."""
    keb = body.get("keberatan")
    p = body["pemutus"] if keb else body["penilai"]
    return person_signer(p, "Atasan Pejabat Penilai Kinerja" if keb else "Pejabat Penilai Kinerja", body["place"])


def _rating_spec(doc_type: DocType, template: str, build, title, signer) -> DocSpec:
    """The rating documents: "tanpa nomor" unless the OPD opened a register for the type, signed by the person
    the body names, on the OPD's letterhead when it has one."""
    return DocSpec(
        doc_type, template, build, title, numbering=Numbering.OPTIONAL, signer=signer, letterhead_required=False
    )


EVALUASI_SPEC = _rating_spec(
    DocType.EVALUASI_KINERJA,
    "rating/pdf/evaluasi.html",
    build_evaluasi,
    lambda body: f"Evaluasi Kinerja {body['periode_label'].title()} — {body['pegawai']['nama']}",
    _evaluasi_signer,
)


def evaluation_documents(rating: PerformanceRating) -> list[IssuedDocument]:
    """Every issued evaluation document of this rating, newest first (valid and revoked)."""
    return docs.documents_of(evaluation_ref(rating))


def valid_evaluation_document(rating: PerformanceRating) -> IssuedDocument | None:
    return next((d for d in evaluation_documents(rating) if d.is_valid), None)


EVALUATION_REPLACED = "Diganti dokumen evaluasi yang lebih baru."


def _evaluation_args(rating: PerformanceRating, keberatan: Keberatan | None = None) -> dict:
    params = {"rating_id": rating.id}
    if keberatan is not None:
        params["keberatan_id"] = keberatan.id
    return {
        "source_ref": evaluation_ref(rating),
        "unit_id": _opd_of(rating.employee).id,
        "subjects": [rating.employee],
        "params": params,
    }


def prepare_evaluation(
    rating: PerformanceRating, issued_on: date, user_id: int | None, *, key: str, base_url: str | None, job_id: int
) -> IssuedDocument:
    """The lock job's evaluation document as a numbered, not yet rendered row of its batch (`documents.batches`);
    the earlier valid version is revoked once this one is rendered (`revoke_replaced`). Flushes only."""
    job = {"user_id": user_id, "issued_on": issued_on, "base_url": base_url, "idempotency_key": key, "job_id": job_id}
    return docs.prepare(DocType.EVALUASI_KINERJA, **_evaluation_args(rating), **job)


def revoke_replaced(doc: IssuedDocument, reason: str, user_id: int | None) -> int:
    """Revoke the valid versions older than `doc` (a valid document) of the same source record, with `reason` and
    a link to `doc`. Returns how many. Flushes only."""
    older = [d for d in docs.documents_of(doc.source_ref) if d.is_valid and d.id < doc.id]
    for old in older:
        docs.revoke(old, reason, doc, user_id)
    return len(older)


def issue_evaluation(
    rating: PerformanceRating,
    issued_on: date,
    user_id: int | None,
    *,
    key: str,
    base_url: str | None = None,
    job_id: int | None = None,
    keberatan: Keberatan | None = None,
) -> tuple[IssuedDocument, bool]:
    """Issue the evaluation document under an idempotency key (an existing one is returned, not re-issued).

    A valid earlier document of the rating is revoked with the new one as its replacement. Flushes only.
    """
    existing = db.session.scalar(select(IssuedDocument).where(IssuedDocument.idempotency_key == key))
    if existing is not None and existing.status != DocStatus.PENDING:
        return existing, False
    reason = (
        f"Diganti dokumen evaluasi hasil keputusan atas keberatan tanggal {tanggal(issued_on)}."
        if keberatan is not None
        else EVALUATION_REPLACED
    )
    doc = docs.reissue(
        DocType.EVALUASI_KINERJA,
        reason,
        **_evaluation_args(rating, keberatan),
        user_id=user_id,
        issued_on=issued_on,
        base_url=base_url,
        idempotency_key=key,
        job_id=job_id,
    )
    return doc, True


# --- Dokumen Penetapan Predikat Kinerja -----------------------------------------------------------------


def build_penetapan(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen body (SE MenPANRB 3/2023 step 4): employees and predikat, the organisation predikat, the curve."""
    unit = db.session.get(Unit, params.get("unit_id") or 0)
    period = db.session.get(Period, params.get("period_id") or 0)
    if unit is None or period is None:
        raise DomainError("Unit atau periode tidak ditemukan.")
    window_no = int(params.get("window_no", ANNUAL))
    cal = organisation.calibration(unit, period, window_no)
    if cal.organisasi is None:
        raise DomainError(f"Predikat kinerja organisasi {unit.name} belum ditetapkan.")
    rows = [r for r in cal.rows if r.rating is not None and r.rating.is_final]
    if not rows:
        raise DomainError(f"Belum ada penilaian final di {unit.name}.")
    issued_on = date.fromisoformat(params["issued_on"]) if params.get("issued_on") else period.end_date
    head = unit_head(unit, issued_on)
    if head is None:
        raise DomainError(f"Pimpinan {unit.name} tidak ditemukan dalam data organisasi; dokumen tidak diterbitkan.")
    counts: dict[Predikat, int] = {}
    for r in rows:
        counts[r.rating.predikat] = counts.get(r.rating.predikat, 0) + 1
    total = len(rows)
    warnings = (
        kurva.check(cal.organisasi.predikat, counts, cal.kurva_version.data.rules, cal.kurva_version.data.min_pegawai)
        if cal.kurva_version is not None
        else []
    )
    instansi, place = _instansi(unit.opd)
    return {
        "judul": "PENETAPAN PREDIKAT KINERJA PEGAWAI",
        "unit": unit.name,
        "opd": unit.opd.name,
        "instansi": instansi,
        "place": place,
        "tahun": period.year,
        "periode_label": windows.window_label(period, window_no).upper(),
        "periode": _periode(period, window_no),
        "organisasi": cal.organisasi.predikat.label,
        "rows": [
            {
                "nama": r.employee.full_name,
                "nip": r.employee.nip,
                "pangkat": r.employee.pangkat_golongan if r.employee.golongan else "–",
                "jabatan": r.employee.position.full_name if r.employee.position else "–",
                "hasil_kerja": r.rating.hasil_kerja.label,
                "perilaku_kerja": r.rating.perilaku_kerja.label,
                "predikat": r.rating.predikat.label,
            }
            for r in rows
        ],
        "distribusi": [
            {
                "predikat": p.label,
                "jumlah": counts.get(p, 0),
                "persen": persen((Decimal(counts.get(p, 0)) / total).quantize(Decimal("0.001"))),
            }
            for p in Predikat
        ],
        "total": total,
        "kurva": _kurva_lines(cal.organisasi, period),
        "peringatan": [w.message for w in warnings],
        "pimpinan": head,
    }


def unit_head(unit: Unit, on: date) -> dict | None:
    """The leader exercising the unit's head post on `on` (Plt/Plh-aware), as printed under the signature."""
    posts = db.session.scalars(
        select(Position).where(Position.unit_id == unit.id, Position.is_leader.is_(True)).order_by(Position.id)
    ).all()
    heads = [p for p in posts if p.parent is None or p.parent.unit_id != unit.id] or posts
    for post in heads:
        held = appraisers.holder_of(post, on)
        if held is not None:
            emp, kind = held
            prefix = ACTING_PREFIX.get(kind.value, "")
            return {
                "nama": emp.full_name,
                "nip": emp.nip,
                "pangkat": emp.pangkat_golongan if emp.golongan else "–",
                "jabatan": post.full_name,
                "acting": kind.value if prefix else "definitif",
            }
    return None


def _penetapan_signer(body: dict) -> dict:
    h = body["pimpinan"]
    return person_signer(h, ACTING_PREFIX.get(h["acting"], "") + h["jabatan"], body["place"], h["acting"])


PENETAPAN_SPEC = _rating_spec(
    DocType.PENETAPAN_PREDIKAT,
    "rating/pdf/penetapan.html",
    build_penetapan,
    lambda body: f"Penetapan Predikat Kinerja {body['periode_label'].title()} — {body['unit']}",
    _penetapan_signer,
)


COMPLETED_REASON = "Diganti dokumen penetapan yang memuat seluruh pegawai yang telah dinilai."


def _penetapan_args(unit: Unit, period: Period, window_no: int, issued_on: date) -> tuple[dict, str] | None:
    """What the unit's penetapan document would be issued with, and the lock job's key of that version (the ref
    and how many versions were issued before it); None when a valid one states the same."""
    ref = penetapan_ref(unit.id, period.id, window_no)
    params = {"unit_id": unit.id, "period_id": period.id, "window_no": window_no, "issued_on": issued_on.isoformat()}
    existing = docs.documents_of(ref)
    body = build_penetapan([], params)
    if any(d.is_valid and d.context.get("body") == body for d in existing):
        return None
    args = {
        "source_ref": ref,
        "unit_id": unit.opd.id,
        "subjects": _penetapan_subjects(unit, period, window_no),
        "params": params,
    }
    return args, f"{ref}:kunci:{len(existing)}"


def prepare_penetapan(
    unit: Unit, period: Period, window_no: int, issued_on: date, user_id: int | None, base_url: str | None, job_id: int
) -> str | None:
    """The lock job's penetapan document as a numbered, not yet rendered row of its batch, unless a valid one
    states the same (None). Returns its key; a row an earlier run left pending under that key is not created
    again (the caller adopts it, `batches.adopt`). The older version is revoked once this one is rendered
    (`revoke_replaced`). Flushes only."""
    found = _penetapan_args(unit, period, window_no, issued_on)
    if found is None:
        return None
    args, key = found
    if db.session.scalar(select(IssuedDocument.id).where(IssuedDocument.idempotency_key == key)) is None:
        job = {
            "user_id": user_id,
            "issued_on": issued_on,
            "base_url": base_url,
            "idempotency_key": key,
            "job_id": job_id,
        }
        docs.prepare(DocType.PENETAPAN_PREDIKAT, **args, **job)
    return key


def issue_penetapan(
    unit: Unit,
    period: Period,
    window_no: int,
    issued_on: date,
    user_id: int | None,
    base_url: str | None = None,
    job_id: int | None = None,
    *,
    reason: str = COMPLETED_REASON,
    key: str | None = None,
) -> bool:
    """Issue the unit's penetapan document unless a valid one with the same content exists: a new one (a re-run
    after completing someone's data, a predikat changed by a keberatan decision) replaces the old, which is
    revoked with `reason` and a link to it. Flushes only; True if issued."""
    found = _penetapan_args(unit, period, window_no, issued_on)
    if found is None:
        return False
    args, lock_key = found
    docs.reissue(
        DocType.PENETAPAN_PREDIKAT,
        reason,
        **args,
        user_id=user_id,
        issued_on=issued_on,
        base_url=base_url,
        idempotency_key=key or lock_key,
        job_id=job_id,
    )
    return True


def reissue_penetapan_after_keberatan(
    keberatan: Keberatan, issued_on: date, user_id: int | None, base_url: str | None = None
) -> int:
    """An accepted keberatan changed a predikat: every valid penetapan that lists the employee states the old one,
    so it is re-issued with the new predikat and the old one revoked with a link to it. Returns how many."""
    rating, issued = keberatan.rating, 0
    for up in penetapan_units(rating.period, rating.window_no):
        ref = penetapan_ref(up.unit_id, rating.period_id, rating.window_no)
        if not any(d.is_valid and rating.employee in d.subjects for d in docs.documents_of(ref)):
            continue
        reason = (
            f"Diganti dokumen penetapan yang memuat predikat {rating.employee.full_name} hasil keputusan atas "
            f"keberatan tanggal {tanggal(issued_on)}."
        )
        issued += issue_penetapan(
            up.unit,
            rating.period,
            rating.window_no,
            issued_on,
            user_id,
            base_url,
            reason=reason,
            key=f"{ref}:keberatan{keberatan.id}",
        )
    return issued


def penetapan_units(period: Period, window_no: int) -> list[UnitPredikat]:
    """The units whose capaian kinerja organisasi is set: each has a penetapan document once the window is locked."""
    return list(
        db.session.scalars(
            select(UnitPredikat)
            .join(Unit, Unit.id == UnitPredikat.unit_id)
            .where(UnitPredikat.period_id == period.id, UnitPredikat.window_no == window_no)
            .order_by(Unit.name)
        )
    )


def _penetapan_subjects(unit: Unit, period: Period, window_no: int) -> list[Employee]:
    cal = organisation.calibration(unit, period, window_no)
    return [r.employee for r in cal.rows if r.rating is not None and r.rating.is_final]


def unit_penetapan_documents(unit_id: int, period_id: int, window_no: int) -> list[IssuedDocument]:
    return docs.documents_of(penetapan_ref(unit_id, period_id, window_no))
