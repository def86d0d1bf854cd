"""Surat Tugas for one participant and the Daftar Peserta of a programme, through the documents service.

Both are issued by BKPSDM (the HR officer picks the issuing OPD with a kop surat), signed by the official
configured in Dokumen › Pengaturan for the type, and frozen: a later change of the programme or of the
employee record does not change an issued letter. The surat tugas takes a number from the OPD's register
(a letter without a number is not a surat tugas); the daftar peserta is numbered only where the OPD opened
a register for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...domain.development import OCCUPYING, ReasonKind, ReferralStatus
from ...domain.documents import DocType
from ...domain.labels import rupiah, tanggal
from ...extensions import db
from ...models import Employee, IssuedDocument, Programme, Referral
from ..documents import issuing as docs
from ..documents.doctypes import person_row
from ..documents.specs import DocSpec, Numbering

ISSUABLE = frozenset({ReferralStatus.DITUGASKAN, ReferralStatus.BERJALAN, ReferralStatus.SELESAI})
DASAR_UMUM = (
    "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil sebagaimana telah diubah "
    "dengan Peraturan Pemerintah Nomor 17 Tahun 2020, Pasal 203 (hak pengembangan kompetensi paling sedikit "
    "20 jam pelajaran dalam 1 tahun);",
    "Peraturan Lembaga Administrasi Negara Nomor 10 Tahun 2018 tentang Pengembangan Kompetensi Pegawai Negeri Sipil;",
)
DASAR_PEMBINAAN = "Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil, Pasal 57;"


def _missing(e: Employee) -> list[str]:
    return [
        label
        for label, ok in (("jabatan", e.position is not None), ("golongan", bool(e.golongan)), ("unit", e.unit))
        if not ok
    ]


def _person(e: Employee) -> dict:
    gaps = _missing(e)
    if gaps:
        raise DomainError(
            f"Data {e.full_name} (NIP {e.nip}) belum lengkap: {', '.join(gaps)} belum diisi. "
            "Lengkapi data pegawai terlebih dahulu."
        )
    return person_row(e)


def _schedule(p: Programme) -> str:
    if p.start_date is None:
        return "secara mandiri (tanpa jadwal tetap)"
    if p.start_date == p.end_date:
        return f"pada tanggal {tanggal(p.start_date)}"
    return f"pada tanggal {tanggal(p.start_date)} s.d. {tanggal(p.end_date)}"


def _programme(p: Programme) -> dict:
    return {
        "id": p.id,
        "code": p.code,
        "name": p.name,
        "bentuk": p.bentuk.label,
        "jalur": p.jalur,
        "jp": p.jp,
        "provider": p.provider,
        "location": p.location or "",
        "schedule": _schedule(p),
        "waktu": p.schedule_label,
        "cost": rupiah(p.cost) if p.cost else "",
    }


def build_surat_tugas(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen body of a surat tugas: dasar, the participant, what to attend, when, where, how many JP."""
    ref = db.session.get(Referral, params.get("referral_id") or 0)
    if ref is None or len(subjects) != 1 or ref.employee_id != subjects[0].id:
        raise DomainError("Rujukan tidak ditemukan.")
    if ref.status not in ISSUABLE or ref.programme is None:
        raise DomainError("Surat tugas hanya diterbitkan untuk rujukan yang sudah ditugaskan pada suatu program.")
    p = ref.programme
    dasar = list(DASAR_UMUM)
    if ref.reason_kind == ReasonKind.PREDIKAT_RENDAH:
        dasar.append(DASAR_PEMBINAAN)
    dasar.append(f"Hasil evaluasi kinerja dan pengembangan kompetensi: {ref.reason_text}")
    return {
        "judul": "Surat Tugas",
        "referral_id": ref.id,
        "dasar": dasar,
        "pegawai": _person(ref.employee),
        "program": _programme(p),
        "untuk": [
            f"mengikuti {p.bentuk.label.lower()} «{p.name}» yang diselenggarakan oleh {p.provider} {_schedule(p)}"
            + (f" bertempat di {p.location}" if p.location else "")
            + f", dengan beban belajar {p.jp} jam pelajaran (JP);",
            "melaporkan hasil pelaksanaan tugas beserta sertifikat kepada atasan langsung dan Badan Kepegawaian "
            "dan Pengembangan Sumber Daya Manusia paling lambat 7 (tujuh) hari kerja setelah kegiatan selesai;",
            "melaksanakan tugas ini dengan penuh tanggung jawab.",
        ],
    }


def _signer_note(body: dict) -> str:
    return body["pegawai"]["name"]


SURAT_TUGAS_SPEC = DocSpec(
    DocType.SURAT_TUGAS,
    "development/pdf/surat_tugas.html",
    build_surat_tugas,
    lambda body: f"Surat Tugas {body['program']['name']} — {_signer_note(body)}",
)


def participants(programme: Programme) -> list[Referral]:
    """Referrals holding a seat in the programme, by name (one query)."""
    return list(
        db.session.scalars(
            select(Referral)
            .join(Employee, Employee.id == Referral.employee_id)
            .where(Referral.programme_id == programme.id, Referral.status.in_(list(OCCUPYING)))
            .options(
                joinedload(Referral.employee).joinedload(Employee.position),
                joinedload(Referral.employee).joinedload(Employee.unit),
            )
            .order_by(Employee.name)
        ).unique()
    )


def build_daftar_peserta(subjects: Sequence[Employee], params: dict) -> dict:
    """Frozen participant list of a programme at the moment of issue."""
    p = db.session.get(Programme, params.get("programme_id") or 0)
    if p is None:
        raise DomainError("Program tidak ditemukan.")
    refs = participants(p)
    if not refs:
        raise DomainError("Program ini belum mempunyai peserta yang ditugaskan.")
    status = {r.employee_id: r.status.label for r in refs}
    rows = []
    for e in subjects:
        row = _person(e)
        row["status"] = status.get(e.id, "")
        rows.append(row)
    return {"judul": "Daftar Peserta", "program": _programme(p), "pegawai": rows}


DAFTAR_PESERTA_SPEC = DocSpec(
    DocType.DAFTAR_PESERTA,
    "development/pdf/daftar_peserta.html",
    build_daftar_peserta,
    lambda body: f"Daftar Peserta {body['program']['name']}",
    numbering=Numbering.OPTIONAL,
)


def surat_tugas_ref(referral: Referral) -> str:
    return f"surat_tugas:{referral.id}"


def daftar_ref(programme: Programme) -> str:
    return f"daftar_peserta:{programme.id}"


def surat_tugas_of(referral: Referral) -> IssuedDocument | None:
    return next((d for d in docs.documents_of(surat_tugas_ref(referral)) if d.is_valid), None)


def issue_surat_tugas(
    referral: Referral, unit_id: int, user_id: int | None, today: date
) -> tuple[IssuedDocument, bool]:
    """Issue the participant's surat tugas (idempotent: the valid one already issued is returned)."""
    current = surat_tugas_of(referral)
    if current is not None:
        return current, False
    earlier = len(docs.documents_of(surat_tugas_ref(referral)))
    doc = docs.issue(
        DocType.SURAT_TUGAS,
        unit_id=unit_id,
        subjects=[referral.employee],
        params={"referral_id": referral.id},
        issued_on=today,
        user_id=user_id,
        source_ref=surat_tugas_ref(referral),
        idempotency_key=f"surat-tugas:{referral.id}:{earlier}",
    )
    return doc, True


def daftar_documents(programme: Programme) -> list[IssuedDocument]:
    return docs.documents_of(daftar_ref(programme))


def issue_daftar_peserta(programme: Programme, unit_id: int, user_id: int | None, today: date) -> IssuedDocument:
    """Issue the current participant list; it replaces (revokes) the previous list of the programme.

    Two clicks racing each other compute the same idempotency key (the count of lists issued so far): the
    unique index lets one list through, the other flush raises IntegrityError (the view answers "sudah
    diterbitkan")."""
    refs = participants(programme)
    if not refs:
        raise DomainError("Program ini belum mempunyai peserta yang ditugaskan.")
    existing = daftar_documents(programme)
    previous = [d for d in existing if d.is_valid]
    doc = docs.issue(
        DocType.DAFTAR_PESERTA,
        unit_id=unit_id,
        subjects=[r.employee for r in refs],
        params={"programme_id": programme.id},
        issued_on=today,
        user_id=user_id,
        source_ref=daftar_ref(programme),
        idempotency_key=f"daftar-peserta:{programme.id}:{len(existing)}",
    )
    for old in previous:
        docs.revoke(old, "Diganti daftar peserta yang lebih baru.", doc, user_id)
    return doc


def issuer_units():
    """OPDs that can issue (have a kop surat), BKPSDM first."""
    units = docs.units_with_letterhead()
    return sorted(units, key=lambda u: (0 if "BKPSDM" in (u.code or "") else 1, u.name))
