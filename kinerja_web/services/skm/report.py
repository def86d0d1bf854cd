"""The Laporan Hasil SKM of a unit and period, issued through the documents service (numbered when the OPD keeps
a register for it, verifiable on /verifikasi, stored once and never re-rendered from live data).

The body follows the report outline of PermenPANRB 14/2017: respondents and their profile, NRR per unsur, IKM,
converted IKM and mutu, the minimum-sample check, the weakest unsur as the first place to improve.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from ... import audit
from ...domain import DomainError
from ...domain.documents import DocType
from ...domain.labels import tanggal
from ...domain.public_feedback import MUTU_RANGES, UNSUR, Mutu, percent
from ...extensions import db
from ...models import Employee, IssuedDocument, Letterhead, SkmPeriod, User
from ..documents import issuing as docs
from ..documents.specs import DocSpec, Numbering, person_signer
from ..rating.documents import unit_head
from . import surveys

DEFAULT_PLACE = "Kotabumi"


def report_ref(period: SkmPeriod) -> str:
    return f"skm:{period.id}"


def build_report(subjects: Sequence[Employee], params: dict) -> dict:
    """The frozen body of the report (JSON-safe): every figure as printed, so the archive states what was issued."""
    period = db.session.get(SkmPeriod, params["period_id"])
    pr = surveys.result_of(period)
    r = pr.result
    if not r.respondents:
        raise DomainError("Belum ada jawaban survei pada periode ini; laporan belum dapat diterbitkan.")
    head = unit_head(period.unit, period.end_date) or unit_head(period.unit.opd, period.end_date)
    if head is None:
        raise DomainError(
            f"Pimpinan {period.unit.name} pada {tanggal(period.end_date)} tidak ditemukan di data jabatan."
        )
    lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == period.unit.opd.id))
    lowest = r.lowest_unsur
    return {
        "judul": "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT",
        "unit": period.unit.name,
        "opd": period.unit.opd.name,
        "periode": period.name,
        "rentang": f"{tanggal(period.start_date)} s.d. {tanggal(period.end_date)}",
        "responden": r.respondents,
        "populasi": period.population,
        "minimum": pr.minimum,
        "sampel_cukup": pr.sample_ok,
        "unsur": [
            {
                "kode": code,
                "nama": name,
                "jumlah": r.totals[i],
                "nrr": percent(r.nrr[i]),
                "tertimbang": f"{r.nrr_weighted[i]:.3f}".replace(".", ","),
            }
            for i, (code, name) in enumerate(UNSUR)
        ],
        "ikm": f"{r.ikm:.4f}".replace(".", ","),
        "konversi": percent(r.converted),
        "mutu": r.mutu.value,
        "mutu_label": r.mutu.label,
        "skala": [{"mutu": m.value, "label": m.label, "rentang": MUTU_RANGES[m]} for m in Mutu],
        "terendah": f"{UNSUR[lowest][0]} {UNSUR[lowest][1]}" if lowest is not None else None,
        "profil": [
            {"judul": title, "baris": [{"label": lbl, "jumlah": n} for lbl, n in rows]}
            for title, rows in surveys.demographic_counts(period).items()
        ],
        "place": (lh.city if lh else None) or DEFAULT_PLACE,
        "pimpinan": head,
    }


def _signer(body: dict) -> dict:
    h = body["pimpinan"]
    prefix = {"plt": "Plt. ", "plh": "Plh. "}.get(h["acting"], "")
    return person_signer(h, prefix + h["jabatan"], body["place"], h["acting"])


SKM_REPORT_SPEC = DocSpec(
    DocType.LAPORAN_SKM,
    "skm/pdf/laporan.html",
    build_report,
    lambda body: f"Laporan Hasil SKM {body['periode']} — {body['unit']}",
    numbering=Numbering.OPTIONAL,
    signer=_signer,
    letterhead_required=False,
)


def issue_report(period: SkmPeriod, issued_on: date, actor: User, base_url: str | None = None) -> IssuedDocument:
    """Issue the period's report; a second issue for newer answers replaces (and revokes) the earlier one."""
    head = unit_head(period.unit, period.end_date) or unit_head(period.unit.opd, period.end_date)
    subject = db.session.scalar(select(Employee).where(Employee.nip == head["nip"])) if head else None
    if subject is None:
        raise DomainError(
            f"Pimpinan {period.unit.name} pada {tanggal(period.end_date)} tidak ditemukan di data jabatan."
        )
    doc = docs.reissue(
        DocType.LAPORAN_SKM,
        "Diganti laporan yang memuat jawaban survei terbaru.",
        source_ref=report_ref(period),
        user_id=actor.id,
        unit_id=period.unit.opd.id,
        subjects=[subject],
        params={"period_id": period.id},
        issued_on=issued_on,
        base_url=base_url,
    )
    period.document_id = doc.id
    audit.record(db.session, "skm_laporan", "skm_period", period.id, f"Laporan Hasil SKM {period.name} diterbitkan")
    db.session.flush()
    return doc


def current_report(period: SkmPeriod) -> IssuedDocument | None:
    return next((d for d in docs.documents_of(report_ref(period)) if d.is_valid), None)
