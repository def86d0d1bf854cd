"""Official documents: their kinds, how a signer signs (definitif, Plt., Plh.), a document's and a register
number's status. Persisted as the values of the documents tables (models/documents.py)."""

from __future__ import annotations

from .labels import LabeledEnum


class DocType(LabeledEnum):
    SK_PENGHARGAAN = "sk_penghargaan", "SK Penghargaan"
    KARTU_PEGAWAI = "kartu_pegawai", "Kartu Data Pegawai"
    SLIP_GAJI = "slip_gaji", "Slip Gaji"  # issue 7: one per employee per final payroll run
    DAFTAR_GAJI = "daftar_gaji", "Daftar Gaji"  # issue 7: one per OPD per final payroll run
    BUKTI_POTONG = "bukti_potong", "Bukti Pemotongan PPh 21 Tahunan"  # issue 20: one per employee per tax year
    SKP = "skp", "Sasaran Kinerja Pegawai (SKP)"
    REALISASI_SKP = "realisasi_skp", "Dokumen Realisasi Kinerja Periodik"
    SURAT_TUGAS = "surat_tugas", "Surat Tugas Pengembangan Kompetensi"  # one per participant (referral)
    DAFTAR_PESERTA = "daftar_peserta", "Daftar Peserta Program Pengembangan"  # one per programme
    EVALUASI_KINERJA = "evaluasi_kinerja", "Dokumen Evaluasi Kinerja Pegawai"  # per employee, on locking
    PENETAPAN_PREDIKAT = "penetapan_predikat", "Dokumen Penetapan Predikat Kinerja"  # per unit, on locking
    LAPORAN_SKM = "laporan_skm", "Laporan Hasil Survei Kepuasan Masyarakat"  # per unit and SKM period
    PENGUMUMAN_SELEKSI = "pengumuman_seleksi", "Pengumuman Hasil Tahap Seleksi"  # per selection stage
    BERITA_ACARA_SELEKSI = "berita_acara_seleksi", "Berita Acara Panitia Seleksi"  # per selection, on proposing
    USULAN_SELEKSI = "usulan_seleksi", "Usulan Calon kepada PPK"  # per selection: the three best
    LAPORAN_KOMPETENSI = "laporan_kompetensi", "Laporan Hasil Penilaian Kompetensi"  # per assessed participant


class Acting(LabeledEnum):
    """Acting signers write "Plt."/"Plh." before the jabatan (Permendagri 1/2023 tata naskah dinas)."""

    DEFINITIF = "definitif", "Definitif"
    PLT = "plt", "Pelaksana Tugas (Plt.)"
    PLH = "plh", "Pelaksana Harian (Plh.)"


class DocStatus(LabeledEnum):
    PENDING = "proses", "Sedang diproses"  # batch: number reserved, PDF not yet rendered
    VALID = "valid", "Berlaku"
    REVOKED = "dicabut", "Dicabut"


class EntryStatus(LabeledEnum):
    USED = "dipakai", "Dipakai"
    CANCELLED = "batal", "Dibatalkan"
