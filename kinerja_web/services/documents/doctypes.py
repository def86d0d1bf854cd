"""The first document types: SK Penghargaan and Kartu Data Pegawai (templates + frozen context builders)."""

from __future__ import annotations

from collections.abc import Sequence

from ...domain import DomainError
from ...domain.documents import DocType
from ...models import Employee
from .specs import DocSpec

DEFAULT_MENIMBANG = (
    "bahwa dalam rangka meningkatkan motivasi, disiplin, dan kinerja Aparatur Sipil Negara, perlu memberikan "
    "penghargaan kepada pegawai yang menunjukkan prestasi kerja dan perilaku kerja yang patut diteladani;",
    "bahwa pegawai yang namanya tercantum dalam Keputusan ini telah memenuhi syarat untuk diberikan penghargaan;",
    "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu menetapkan Keputusan "
    "tentang Pemberian Penghargaan;",
)
DEFAULT_MENGINGAT = (
    "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;",
    "Peraturan Pemerintah Nomor 30 Tahun 2019 tentang Penilaian Kinerja Pegawai Negeri Sipil;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 6 Tahun 2022 tentang "
    "Pengelolaan Kinerja Pegawai Aparatur Sipil Negara;",
)


def _missing(emp: Employee) -> list[str]:
    gaps = []
    if emp.position is None:
        gaps.append("jabatan")
    if not (emp.golongan or "").strip():
        gaps.append("golongan")
    if emp.unit is None:
        gaps.append("unit kerja")
    return gaps


def require_complete(employees: Sequence[Employee]) -> None:
    """Refuse to issue for an employee whose record lacks what the document prints."""
    problems = [f"{e.full_name} (NIP {e.nip}): {', '.join(g)} belum diisi" for e in employees if (g := _missing(e))]
    if problems:
        raise DomainError(
            "Data pegawai belum lengkap, dokumen tidak diterbitkan: "
            + "; ".join(problems)
            + ". Lengkapi data pegawai terlebih dahulu.",
            field="employees",
        )


def person_row(e: Employee) -> dict:
    """An employee as the official documents print them (name, NIP, pangkat/golongan, jabatan, unit, OPD)."""
    return {
        "id": e.id,
        "name": e.full_name,
        "nip": e.nip,
        "pangkat_golongan": e.pangkat_golongan,
        "jabatan": e.position.full_name,
        "unit": e.unit.name,
        "opd": e.unit.opd.name,
    }


def _lines(value, default: Sequence[str]) -> list[str]:
    if isinstance(value, str):
        value = [line.strip() for line in value.splitlines()]
    lines = [v for v in (value or []) if v]
    return lines or list(default)


def build_sk_penghargaan(employees: Sequence[Employee], params: dict) -> dict:
    require_complete(employees)
    penghargaan = (params.get("penghargaan") or "").strip()
    if not penghargaan:
        raise DomainError("Nama penghargaan wajib diisi.", field="penghargaan")
    judul = (params.get("judul") or "").strip() or f"Pemberian Penghargaan {penghargaan}"
    return {
        "judul": judul,
        "penghargaan": penghargaan,
        "pejabat": (params.get("pejabat") or "").strip(),
        "menimbang": _lines(params.get("menimbang"), DEFAULT_MENIMBANG),
        "mengingat": _lines(params.get("mengingat"), DEFAULT_MENGINGAT),
        "tembusan": _lines(params.get("tembusan"), ()),
        "pegawai": [person_row(e) for e in employees],
    }


def build_kartu_pegawai(employees: Sequence[Employee], params: dict) -> dict:
    if len(employees) != 1:
        raise DomainError("Kartu data pegawai diterbitkan untuk satu pegawai.")
    e = employees[0]
    require_complete([e])
    return {
        "judul": "Kartu Data Pegawai",
        "pegawai": {
            **person_row(e),
            "birth_place": e.birth_place or "–",
            "birth_date": e.birth_date.isoformat(),
            "gender": e.gender.label,
            "status_asn": e.status_asn.label,
            "tmt_golongan": e.tmt_golongan.isoformat() if e.tmt_golongan else None,
            "mkg": f"{e.mkg_years} tahun {e.mkg_months} bulan",
            "tmt_cpns": e.tmt_cpns.isoformat() if e.tmt_cpns else None,
            "jenis_jabatan": e.position.kind.label,
            "kelas_jabatan": e.position.kelas_jabatan,
        },
        "riwayat": [
            {
                "jabatan": a.position.full_name,
                "unit": a.position.unit.name,
                "jenis": a.kind.label,
                "mulai": a.start_date.isoformat(),
                "sampai": a.end_date.isoformat() if a.end_date else None,
                "sk": a.sk_number,
            }
            for a in e.assignments
        ],
        "keluarga": [
            {"hubungan": f.relation.label, "nama": f.name, "lahir": f.birth_date.isoformat() if f.birth_date else None}
            for f in e.family
        ],
    }


SK_PENGHARGAAN = DocSpec(
    DocType.SK_PENGHARGAAN,
    "documents/pdf/sk_penghargaan.html",
    build_sk_penghargaan,
    lambda body: f"Keputusan tentang {body['judul']}",
)
KARTU_PEGAWAI = DocSpec(
    DocType.KARTU_PEGAWAI,
    "documents/pdf/kartu_pegawai.html",
    build_kartu_pegawai,
    lambda body: f"Kartu Data Pegawai {body['pegawai']['name']}",
)
