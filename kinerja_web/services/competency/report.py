"""Laporan Hasil Penilaian Kompetensi (one assessed participant) through the documents service.

The body is frozen at issue: the levels, the standard they were measured against, the JPM and category, the
strengths and recommendations, and the chart (server-side SVG, the same as on the profile page)."""

from __future__ import annotations

from collections.abc import Sequence

from ... import charts
from ...domain import DomainError
from ...domain.competency import jpm_text, level_text
from ...domain.documents import DocType
from ...domain.labels import tanggal
from ...extensions import db
from ...models import AssessmentParticipant, Employee, IssuedDocument, User
from ..documents import issuing as docs
from ..documents.doctypes import person_row
from ..documents.specs import DocSpec, Numbering
from .jpm import JpmResult, result_for
from .standards import competency_map

DASAR = (
    "Peraturan Menteri PANRB Nomor 38 Tahun 2017 tentang Standar Kompetensi Jabatan Aparatur Sipil Negara;",
    "Peraturan BKN Nomor 26 Tahun 2019 tentang Pembinaan Penyelenggara Penilaian Kompetensi Pegawai Negeri Sipil;",
)


def source_ref(participant: AssessmentParticipant) -> str:
    return f"kompetensi:peserta:{participant.id}"


def profile_chart(result: JpmResult, names: dict[str, str], title: str):
    codes = [c for c, _, _ in result.gaps]
    return charts.grouped_bars(
        [f"{c} {names.get(c, '')}".strip() for c in codes],
        [
            charts.Series("Level dipersyaratkan", [r for _, r, _ in result.gaps]),
            charts.Series("Level hasil penilaian", [v for _, _, v in result.gaps]),
        ],
        title=title,
        min_value=0,
        max_value=5,
        label_width=230,
    )


def build_laporan(subjects: Sequence[Employee], params: dict) -> dict:
    p = db.session.get(AssessmentParticipant, params.get("participant_id") or 0)
    if p is None or len(subjects) != 1 or p.employee_id != subjects[0].id:
        raise DomainError("Hasil penilaian tidak ditemukan.")
    if p.finalised_at is None:
        raise DomainError("Laporan diterbitkan setelah semua level konsensus terisi.")
    emp = p.employee
    if emp.position is None or emp.unit is None:
        raise DomainError(f"Data {emp.full_name} belum lengkap: jabatan atau unit belum diisi.")
    position = p.position or emp.position
    result = result_for(p, position, p.event.held_on)
    names = {c.code: c.name for c in competency_map().values()}
    return {
        "judul": "Laporan Hasil Penilaian Kompetensi",
        "participant_id": p.id,
        "dasar": list(DASAR),
        "pegawai": person_row(emp),
        "jabatan_dinilai": position.full_name,
        "kegiatan": {
            "nama": p.event.name,
            "metode": p.event.method.label,
            "tanggal": tanggal(p.event.held_on),
            "penyelenggara": p.event.provider,
            "asesor": [a.name for a in p.event.assessors],
        },
        "baris": [
            {
                "kode": c,
                "nama": names.get(c, c),
                "syarat": r,
                "hasil": level_text(v),
                "gap": level_text(max(r - v, 0)) if v is not None else str(r),
            }
            for c, r, v in result.gaps
        ],
        "jpm": jpm_text(result.jpm),
        "kategori": result.kategori.label,
        "kekuatan": p.strengths or "",
        "rekomendasi": p.recommendations or "",
        "grafik": str(profile_chart(result, names, "Profil kompetensi")),
    }


LAPORAN_KOMPETENSI_SPEC = DocSpec(
    DocType.LAPORAN_KOMPETENSI,
    "competency/pdf/laporan.html",
    build_laporan,
    lambda body: f"Laporan Hasil Penilaian Kompetensi {body['pegawai']['name']}",
    numbering=Numbering.OPTIONAL,
)


def issue_report(
    participant: AssessmentParticipant, unit_id: int, on, actor: User, key: str | None
) -> tuple[IssuedDocument, bool]:
    """Issue the report once per submitted form; a newer issue for the same participant replaces the older one."""
    again = docs.issued_under(key)
    if again is not None:  # the same form sent twice
        return again, False
    earlier = [d for d in docs.documents_of(source_ref(participant)) if d.is_valid]
    kw = dict(unit_id=unit_id, subjects=[participant.employee], params={"participant_id": participant.id}, issued_on=on)
    if earlier:
        return (
            docs.reissue(
                DocType.LAPORAN_KOMPETENSI,
                "Diganti laporan yang diterbitkan ulang.",
                source_ref=source_ref(participant),
                user_id=actor.id,
                idempotency_key=key,
                **kw,
            ),
            True,
        )
    return docs.issue_once(DocType.LAPORAN_KOMPETENSI, key, source_ref=source_ref(participant), user_id=actor.id, **kw)
