"""Locking a rating period/window and its documents (issue #5 item 8; domain §2.9, §2.8 step 4).

HR locks a period (annual) or one periodic window once every rating is final. The lock is one row per
(period, window): a second lock or a double click finds it and issues nothing again. A background job
(`penilaian_kunci`, progress bar) then issues through the documents service

* one *Dokumen Evaluasi Kinerja Pegawai* per final rating, signed by the pejabat penilai, and
* one *Dokumen Penetapan Predikat Kinerja* per unit whose capaian kinerja organisasi is set, with the
  list of employees and their predikat and the kurva distribusi check, signed by the unit's leader.

The day the evaluation document is issued is the day the result is given to the employee
(`PerformanceRating.result_given_on`): the 14-day keberatan deadline runs from it.
Functions flush; only the job handler commits (once per document, so progress is visible).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import exc, func, select

from ...domain import DomainError, kurva
from ...domain.keberatan import batas_keberatan
from ...domain.labels import persen, tanggal
from ...domain.predikat import Predikat, explain
from ...domain.skp import BERAKHLAK
from ...domain.workflow import SkpStatus
from ...extensions import db
from ...models import (
    ANNUAL,
    DocStatus,
    DocType,
    Employee,
    IssuedDocument,
    Job,
    Keberatan,
    Letterhead,
    PerformanceRating,
    PerilakuExpectation,
    Period,
    Position,
    RatingLock,
    RatingStatus,
    Skp,
    Unit,
    UnitPredikat,
    User,
)
from ...services import documents as docs
from ...services.jobs import Progress, hand_off
from ...services.org import appraisers
from . import services

JOB_KIND = "penilaian_kunci"
DEFAULT_PLACE = "Kotabumi"
EVAL_TITLE = "EVALUASI KINERJA PEGAWAI"
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
        up = services.unit_predikat(node.id, period_id, window_no)
        if up is not None:
            return up
        node, seen = node.parent, seen + 1
    return None


def _kurva_lines(organisasi) -> list[str]:
    return [f"{r.label}: {r.describe()}" for r in kurva.rules_for(organisasi)] if organisasi is not None else []


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
    evidence = services.skp_evidence(emp, period)
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
        "periode_label": services.window_label(period, window_no).upper(),
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
            "kurva": _kurva_lines(up.predikat if up else None),
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
        "penjelasan": explain(rating.hasil_kerja, rating.perilaku_kerja).kalimat,
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
    """The pejabat penilai signs; after a keberatan the atasan pejabat penilai, who set the final result."""
    keb = body.get("keberatan")
    p = body["pemutus"] if keb else body["penilai"]
    return {
        "title": "Atasan Pejabat Penilai Kinerja" if keb else "Pejabat Penilai Kinerja",
        "jabatan": p["jabatan"],
        "name": p["nama"],
        "nip": p["nip"],
        "pangkat": p["pangkat"],
        "place": body["place"],
        "acting": "definitif",  # a Plt./Plh. prefix is already part of the printed jabatan
    }


EVALUASI_SPEC = docs.register_spec(
    docs.DocSpec(
        DocType.EVALUASI_KINERJA,
        "rating/pdf/evaluasi.html",
        build_evaluasi,
        lambda body: f"Evaluasi Kinerja {body['periode_label'].title()} — {body['pegawai']['nama']}",
        numbering=docs.Numbering.OPTIONAL,
        signer=_evaluasi_signer,
        letterhead_required=False,
    )
)


def evaluation_documents(rating: PerformanceRating) -> list[IssuedDocument]:
    """Every issued evaluation document of this rating, newest first (valid and revoked)."""
    return docs.documents_of(evaluation_ref(rating))


def valid_evaluation_document(rating: PerformanceRating) -> IssuedDocument | None:
    return next((d for d in evaluation_documents(rating) if d.is_valid), None)


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
    older = [d for d in evaluation_documents(rating) if d.is_valid]
    params = {"rating_id": rating.id}
    if keberatan is not None:
        params["keberatan_id"] = keberatan.id
    doc = docs.issue(
        DocType.EVALUASI_KINERJA,
        unit_id=_opd_of(rating.employee).id,
        subjects=[rating.employee],
        params=params,
        issued_on=issued_on,
        user_id=user_id,
        base_url=base_url,
        idempotency_key=key,
        job_id=job_id,
        source_ref=evaluation_ref(rating),
    )
    reason = (
        f"Diganti dokumen evaluasi hasil keputusan atas keberatan tanggal {tanggal(issued_on)}."
        if keberatan is not None
        else "Diganti dokumen evaluasi yang lebih baru."
    )
    for old in older:
        docs.revoke(old, reason, doc, user_id)
    return doc, True


# --- Dokumen Penetapan Predikat Kinerja -----------------------------------------------------------------


def build_penetapan(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen body (SE MenPANRB 3/2023 step 4): employees and predikat, the organisation predikat, the curve."""
    unit = db.session.get(Unit, params.get("unit_id") or 0)
    period = db.session.get(Period, params.get("period_id") or 0)
    if unit is None or period is None:
        raise DomainError("Unit atau periode tidak ditemukan.")
    window_no = int(params.get("window_no", ANNUAL))
    cal = services.calibration(unit, period, window_no)
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
    warnings = kurva.check(cal.organisasi.predikat, counts)
    instansi, place = _instansi(unit.opd)
    return {
        "judul": "PENETAPAN PREDIKAT KINERJA PEGAWAI",
        "unit": unit.name,
        "opd": unit.opd.name,
        "instansi": instansi,
        "place": place,
        "tahun": period.year,
        "periode_label": services.window_label(period, window_no).upper(),
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
        "kurva": _kurva_lines(cal.organisasi.predikat),
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
            prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(kind.value, "")
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
    return {
        "title": {"plt": "Plt. ", "plh": "Plh. "}.get(h["acting"], "") + h["jabatan"],
        "jabatan": h["jabatan"],
        "name": h["nama"],
        "nip": h["nip"],
        "pangkat": h["pangkat"],
        "place": body["place"],
        "acting": h["acting"],
    }


PENETAPAN_SPEC = docs.register_spec(
    docs.DocSpec(
        DocType.PENETAPAN_PREDIKAT,
        "rating/pdf/penetapan.html",
        build_penetapan,
        lambda body: f"Penetapan Predikat Kinerja {body['periode_label'].title()} — {body['unit']}",
        numbering=docs.Numbering.OPTIONAL,
        signer=_penetapan_signer,
        letterhead_required=False,
    )
)


# --- locking --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unfinished:
    employee: Employee
    appraiser: Employee | None
    reason: str


class NotReady(DomainError):
    """The window cannot be locked yet; `rows` says who is not finished."""

    def __init__(self, rows: list[Unfinished]):
        super().__init__(
            f"Periode belum dapat dikunci: {len(rows)} pegawai belum memiliki penilaian final "
            "(daftar di bawah). Minta pejabat penilainya menyelesaikan penilaian terlebih dahulu."
        )
        self.rows = rows


def lock_of(period_id: int, window_no: int) -> RatingLock | None:
    return db.session.scalar(
        select(RatingLock).where(RatingLock.period_id == period_id, RatingLock.window_no == window_no)
    )


def final_ratings(period: Period, window_no: int) -> list[PerformanceRating]:
    return list(
        db.session.scalars(
            select(PerformanceRating)
            .join(Employee, Employee.id == PerformanceRating.employee_id)
            .where(
                PerformanceRating.period_id == period.id,
                PerformanceRating.window_no == window_no,
                PerformanceRating.status == RatingStatus.FINAL,
            )
            .order_by(Employee.name, Employee.id)
        )
    )


def unfinished(period: Period, window_no: int, on: date) -> list[Unfinished]:
    """Draft ratings, and active employees with an approved SKP in the period but no rating in the window."""
    ratings = {
        r.employee_id: r
        for r in db.session.scalars(
            select(PerformanceRating).where(
                PerformanceRating.period_id == period.id, PerformanceRating.window_no == window_no
            )
        )
    }
    with_skp = db.session.scalars(
        select(Employee)
        .where(
            Employee.active.is_(True),
            Employee.id.in_(
                select(Skp.employee_id).where(Skp.period_id == period.id, Skp.status == SkpStatus.APPROVED)
            ),
        )
        .order_by(Employee.name)
    ).all()
    out: list[Unfinished] = []
    seen: set[int] = set()
    for emp in with_skp:
        seen.add(emp.id)
        r = ratings.get(emp.id)
        if r is None or not r.is_final:
            a = appraisers.appraiser_of(emp, on)
            out.append(Unfinished(emp, a.employee if a else None, "belum dinilai" if r is None else "masih draf"))
    for r in ratings.values():
        if r.employee_id not in seen and not r.is_final:
            a = appraisers.appraiser_of(r.employee, on)
            out.append(Unfinished(r.employee, a.employee if a else None, "masih draf"))
    return sorted(out, key=lambda u: u.employee.name)


def lock(period: Period, window_no: int, actor: User, today: date, base_url: str) -> tuple[RatingLock, bool]:
    """Lock the window and enqueue the document job (commits). Returns (lock, newly_locked).

    Refuses with `NotReady` while ratings are unfinished. Twice (or two clicks at once) locks once: the
    unique (period, window) row lets one transaction through; the other finds it and returns it.
    """
    services.window_label(period, window_no)
    existing = lock_of(period.id, window_no)
    if existing is not None:
        return existing, False
    missing = unfinished(period, window_no, today)
    if missing:
        raise NotReady(missing)
    ratings = final_ratings(period, window_no)
    if not ratings:
        raise DomainError("Belum ada penilaian final pada periode ini; tidak ada dokumen yang dapat diterbitkan.")
    row = RatingLock(period_id=period.id, window_no=window_no, issued_on=today, locked_by_id=actor.id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except exc.IntegrityError:
        existing = lock_of(period.id, window_no)
        if existing is None:
            raise
        return existing, False
    start_job(row, actor, base_url)
    return row, True


def start_job(
    row: RatingLock, actor: User, base_url: str, rerun: bool = False, idempotency_key: str | None = None
) -> Job:
    """Create the document job of a lock, point the lock at it, commit, and hand it to the queue.

    A re-run (after fixing e.g. an employee without unit kerja) issues only what is still missing: every
    document has an idempotency key per rating / unit. The re-run form's own key (Job.idempotency_key) makes
    a double click start one job: a simultaneous second flush raises IntegrityError (the view answers).
    """
    period = row.period
    label = services.window_label(period, row.window_no)
    params = {
        "period_id": period.id,
        "window_no": row.window_no,
        "issued_on": row.issued_on.isoformat(),
        "base_url": base_url,
        "lock_id": row.id,
    }
    job = Job(
        kind=JOB_KIND,
        title=f"Kunci penilaian {label}: terbitkan dokumen evaluasi dan penetapan predikat"
        + (" (ulang)" if rerun else ""),
        params=params,
        created_by_id=actor.id,
        total=len(final_ratings(period, row.window_no)) + len(_penetapan_units(period, row.window_no)),
        idempotency_key=idempotency_key,
    )
    db.session.add(job)
    db.session.flush()
    row.job_id = job.id
    hand_off(job)
    db.session.commit()
    return job


def _penetapan_units(period: Period, window_no: int) -> list[UnitPredikat]:
    return list(
        db.session.scalars(
            select(UnitPredikat)
            .join(Unit, Unit.id == UnitPredikat.unit_id)
            .where(UnitPredikat.period_id == period.id, UnitPredikat.window_no == window_no)
            .order_by(Unit.name)
        )
    )


def lock_key(rating: PerformanceRating) -> str:
    return f"evaluasi:{rating.id}:kunci"


def run_lock(job: Job, progress: Progress) -> dict:
    """Issue every evaluation document, then every penetapan document; one commit per document."""
    p = dict(job.params)
    job_id, user_id = job.id, job.created_by_id
    period = db.session.get(Period, p["period_id"])
    window_no = int(p["window_no"])
    issued_on = date.fromisoformat(p["issued_on"])
    rating_ids = [r.id for r in final_ratings(period, window_no)]
    unit_ids = [u.unit_id for u in _penetapan_units(period, window_no)]
    total = len(rating_ids) + len(unit_ids)
    progress(0, total)
    failures: list[dict] = []
    issued = done = 0
    for rid in rating_ids:
        rating = db.session.get(PerformanceRating, rid)
        try:
            with db.session.begin_nested():
                _doc, new = issue_evaluation(
                    rating, issued_on, user_id, key=lock_key(rating), base_url=p.get("base_url"), job_id=job_id
                )
                if rating.result_given_on is None:
                    rating.result_given_on = issued_on
                    services._notify_employee(
                        rating,
                        f"Dokumen evaluasi kinerja {services.window_label(period, window_no)} Anda terbit "
                        f"(predikat {rating.predikat.label}). Keberatan dapat diajukan paling lambat "
                        f"{tanggal(batas_keberatan(issued_on))}.",
                    )
            db.session.commit()
            issued += int(new)
        except DomainError as e:
            db.session.rollback()
            failures.append({"name": rating.employee.full_name, "nip": rating.employee.nip, "reason": e.message})
        done += 1
        progress(done, total)
    for uid in unit_ids:
        unit = db.session.get(Unit, uid)
        try:
            with db.session.begin_nested():
                issued += int(issue_penetapan(unit, period, window_no, issued_on, user_id, p.get("base_url"), job_id))
            db.session.commit()
        except DomainError as e:
            db.session.rollback()
            failures.append({"name": unit.name, "nip": None, "reason": e.message})
        done += 1
        progress(done, total)
    return {"issued": issued, "failures": failures, "evaluasi": len(rating_ids), "penetapan": len(unit_ids)}


def issue_penetapan(
    unit: Unit,
    period: Period,
    window_no: int,
    issued_on: date,
    user_id: int | None,
    base_url: str | None = None,
    job_id: int | None = None,
) -> bool:
    """Issue the unit's penetapan document unless a valid one with the same content exists (a re-run after
    completing someone's data issues a new one that replaces the old). Flushes only; True if issued."""
    ref = penetapan_ref(unit.id, period.id, window_no)
    params = {"unit_id": unit.id, "period_id": period.id, "window_no": window_no, "issued_on": issued_on.isoformat()}
    existing = docs.documents_of(ref)
    body = build_penetapan([], params)
    valid = [d for d in existing if d.is_valid]
    if any(d.context.get("body") == body for d in valid):
        return False
    doc = docs.issue(
        DocType.PENETAPAN_PREDIKAT,
        unit_id=unit.opd.id,
        subjects=_penetapan_subjects(unit, period, window_no),
        params=params,
        issued_on=issued_on,
        user_id=user_id,
        base_url=base_url,
        idempotency_key=f"{ref}:kunci:{len(existing)}",
        job_id=job_id,
        source_ref=ref,
    )
    for old in valid:
        docs.revoke(old, "Diganti dokumen penetapan yang memuat seluruh pegawai yang telah dinilai.", doc, user_id)
    return True


def _penetapan_subjects(unit: Unit, period: Period, window_no: int) -> list[Employee]:
    cal = services.calibration(unit, period, window_no)
    return [r.employee for r in cal.rows if r.rating is not None and r.rating.is_final]


def job_documents(job_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(IssuedDocument.doc_type, func.count(IssuedDocument.id))
        .where(IssuedDocument.job_id == job_id, IssuedDocument.status != DocStatus.PENDING)
        .group_by(IssuedDocument.doc_type)
    ).all()
    return {t.value: n for t, n in rows}


def locks_of(period: Period) -> dict[int, RatingLock]:
    return {r.window_no: r for r in db.session.scalars(select(RatingLock).where(RatingLock.period_id == period.id))}


def unit_penetapan_documents(unit_id: int, period_id: int, window_no: int) -> list[IssuedDocument]:
    return docs.documents_of(penetapan_ref(unit_id, period_id, window_no))
