"""Every official document type the app issues, listed once (STYLE.md §2.17, wiring you can read).

Each area defines its `DocSpec` next to the context builder it freezes; this list is the one place that names
them all, and `create_app` installs it (`services.documents.specs.install`). It sits above the areas on purpose:
the documents services look a spec up through the app instead of importing the areas that issue through them.
"""

from __future__ import annotations

from .services.competency.report import LAPORAN_KOMPETENSI_SPEC
from .services.development.documents import DAFTAR_PESERTA_SPEC, SURAT_TUGAS_SPEC
from .services.documents import specs
from .services.documents.doctypes import KARTU_PEGAWAI, SK_PENGHARGAAN
from .services.payroll.bukti_potong import BUKTI_POTONG
from .services.payroll.documents import DAFTAR_GAJI, SLIP_GAJI
from .services.rating.documents import EVALUASI_SPEC, PENETAPAN_SPEC
from .services.selection.documents import BERITA_ACARA_SPEC, PENGUMUMAN_SPEC, USULAN_SPEC
from .services.skm.report import SKM_REPORT_SPEC
from .services.skp.documents import REALISASI_SPEC, SKP_SPEC

SPECS = (
    SK_PENGHARGAAN,
    KARTU_PEGAWAI,
    SKP_SPEC,
    REALISASI_SPEC,
    EVALUASI_SPEC,
    PENETAPAN_SPEC,
    SLIP_GAJI,
    DAFTAR_GAJI,
    BUKTI_POTONG,
    SURAT_TUGAS_SPEC,
    DAFTAR_PESERTA_SPEC,
    SKM_REPORT_SPEC,
    PENGUMUMAN_SPEC,
    BERITA_ACARA_SPEC,
    USULAN_SPEC,
    LAPORAN_KOMPETENSI_SPEC,
)


def init_app(app) -> None:
    specs.install(app, SPECS)
