"""Ratings and the predikat kinerja pegawai (PermenPANRB 6/2022, Lampiran; domain reference §1.1, §2.6).

The Pejabat Penilai rates hasil kerja and perilaku kerja on three levels each; the predikat follows from
the 3×3 matrix in the Lampiran of PermenPANRB 6/2022 (`predikat_matrix.csv`, a unit test checks the
shipped copy equals `MATRIKS_PREDIKAT`). The organisation predikat (capaian kinerja organisasi) has its
own five levels (SE MenPANRB 3/2023) and drives the kurva distribusi (see `kurva.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .labels import LabeledEnum


class Ekspektasi(LabeledEnum):
    """Rating level of hasil kerja or perilaku kerja (PermenPANRB 6/2022 Pasal 20–21 and Lampiran)."""

    DI_BAWAH = "di_bawah", "Di Bawah Ekspektasi"
    SESUAI = "sesuai", "Sesuai Ekspektasi"
    DI_ATAS = "di_atas", "Di Atas Ekspektasi"

    @classmethod
    def from_code(cls, code: str) -> Ekspektasi:
        """Parse the CSV spelling ("DI_ATAS_EKSPEKTASI") or the enum value ("di_atas")."""
        key = code.strip().upper().removesuffix("_EKSPEKTASI")
        return cls[key]


class Predikat(LabeledEnum):
    """Predikat kinerja pegawai, five levels (PermenPANRB 6/2022, Lampiran)."""

    SANGAT_BAIK = "sangat_baik", "Sangat Baik"
    BAIK = "baik", "Baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan"
    KURANG_MISCONDUCT = "kurang_misconduct", "Kurang/Misconduct"
    SANGAT_KURANG = "sangat_kurang", "Sangat Kurang"


class PredikatOrganisasi(LabeledEnum):
    """Capaian kinerja organisasi, five levels (SE MenPANRB 3/2023, domain reference §2.8)."""

    ISTIMEWA = "istimewa", "Istimewa"
    BAIK = "baik", "Baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan", "Butuh Perbaikan (Cukup)"
    KURANG = "kurang", "Kurang"
    SANGAT_KURANG = "sangat_kurang", "Sangat Kurang"


_E = Ekspektasi
_P = Predikat

# PermenPANRB 6/2022, Lampiran (matriks penetapan predikat kinerja pegawai):
# key = (rating hasil kerja, rating perilaku kerja).
MATRIKS_PREDIKAT: dict[tuple[Ekspektasi, Ekspektasi], Predikat] = {
    (_E.DI_ATAS, _E.DI_ATAS): _P.SANGAT_BAIK,
    (_E.DI_ATAS, _E.SESUAI): _P.BAIK,
    (_E.DI_ATAS, _E.DI_BAWAH): _P.KURANG_MISCONDUCT,
    (_E.SESUAI, _E.DI_ATAS): _P.BAIK,
    (_E.SESUAI, _E.SESUAI): _P.BAIK,
    (_E.SESUAI, _E.DI_BAWAH): _P.KURANG_MISCONDUCT,
    (_E.DI_BAWAH, _E.DI_ATAS): _P.BUTUH_PERBAIKAN,
    (_E.DI_BAWAH, _E.SESUAI): _P.BUTUH_PERBAIKAN,
    (_E.DI_BAWAH, _E.DI_BAWAH): _P.SANGAT_KURANG,
}

SUMBER_MATRIKS = "PermenPANRB 6/2022, Lampiran (matriks predikat kinerja pegawai)"


Matriks = Mapping[tuple[Ekspektasi, Ekspektasi], Predikat]


def predikat(hasil_kerja: Ekspektasi, perilaku_kerja: Ekspektasi, matriks: Matriks = MATRIKS_PREDIKAT) -> Predikat:
    """The predikat kinerja pegawai for the two ratings under `matriks` (a version of the rule table
    `predikat_matriks`, `domain.rating_rules`; default: PermenPANRB 6/2022, Lampiran)."""
    return matriks[Ekspektasi(hasil_kerja), Ekspektasi(perilaku_kerja)]


@dataclass(frozen=True)
class PenjelasanPredikat:
    """Why a predikat came out as it did: the matrix cell and an Indonesian sentence for the screen/PDF."""

    hasil_kerja: Ekspektasi
    perilaku_kerja: Ekspektasi
    predikat: Predikat
    baris: int  # 0-based row in the Lampiran layout: Di Atas, Sesuai, Di Bawah (hasil kerja)
    kolom: int  # 0-based column: Di Bawah, Sesuai, Di Atas (perilaku kerja)
    kalimat: str
    sumber: str = SUMBER_MATRIKS


# Row/column order as printed in the Lampiran (and in domain reference §1.1).
BARIS_HASIL_KERJA = (Ekspektasi.DI_ATAS, Ekspektasi.SESUAI, Ekspektasi.DI_BAWAH)
KOLOM_PERILAKU_KERJA = (Ekspektasi.DI_BAWAH, Ekspektasi.SESUAI, Ekspektasi.DI_ATAS)


def explain(
    hasil_kerja: Ekspektasi,
    perilaku_kerja: Ekspektasi,
    matriks: Matriks = MATRIKS_PREDIKAT,
    sumber: str = SUMBER_MATRIKS,
) -> PenjelasanPredikat:
    """The matrix cell for the two ratings and an Indonesian sentence saying why (PermenPANRB 6/2022, Lampiran).

    Reading of the matrix: perilaku "di bawah" dominates (at best Kurang/Misconduct); otherwise hasil kerja
    "di bawah" gives Butuh Perbaikan; only "di atas/di atas" gives Sangat Baik; everything else is Baik.
    A matrix other than the Lampiran's (a later rule version) gets the cell and its source, without that reading.
    """
    hasil_kerja, perilaku_kerja = Ekspektasi(hasil_kerja), Ekspektasi(perilaku_kerja)
    hasil = predikat(hasil_kerja, perilaku_kerja, matriks)
    if dict(matriks) != MATRIKS_PREDIKAT:
        return PenjelasanPredikat(
            hasil_kerja=hasil_kerja,
            perilaku_kerja=perilaku_kerja,
            predikat=hasil,
            baris=BARIS_HASIL_KERJA.index(hasil_kerja),
            kolom=KOLOM_PERILAKU_KERJA.index(perilaku_kerja),
            kalimat=(
                f"Menurut matriks predikat yang berlaku ({sumber}), rating hasil kerja «{hasil_kerja.label}» dan "
                f"rating perilaku kerja «{perilaku_kerja.label}» menghasilkan predikat «{hasil.label}»."
            ),
            sumber=sumber,
        )
    dasar = (
        f"Menurut matriks pada Lampiran PermenPANRB 6/2022, rating hasil kerja «{hasil_kerja.label}» dan "
        f"rating perilaku kerja «{perilaku_kerja.label}» menghasilkan predikat «{hasil.label}»."
    )
    if hasil is Predikat.SANGAT_KURANG:
        alasan = "Hasil kerja dan perilaku kerja sama-sama di bawah ekspektasi."
    elif hasil is Predikat.KURANG_MISCONDUCT:
        alasan = (
            "Perilaku kerja di bawah ekspektasi menentukan predikat: setinggi apa pun hasil kerjanya, "
            "predikat paling tinggi Kurang/Misconduct."
        )
    elif hasil is Predikat.BUTUH_PERBAIKAN:
        alasan = (
            f"Hasil kerja di bawah ekspektasi sehingga predikatnya Butuh Perbaikan, walaupun perilaku kerja "
            f"{perilaku_kerja.label.lower()}."
        )
    elif hasil is Predikat.SANGAT_BAIK:
        alasan = (
            "Predikat Sangat Baik hanya diberikan bila hasil kerja dan perilaku kerja sama-sama di atas ekspektasi."
        )
    else:
        alasan = (
            "Hasil kerja dan perilaku kerja paling sedikit sesuai ekspektasi; predikat Sangat Baik hanya bila "
            "keduanya di atas ekspektasi."
        )
    return PenjelasanPredikat(
        hasil_kerja=hasil_kerja,
        perilaku_kerja=perilaku_kerja,
        predikat=hasil,
        baris=BARIS_HASIL_KERJA.index(hasil_kerja),
        kolom=KOLOM_PERILAKU_KERJA.index(perilaku_kerja),
        kalimat=f"{dasar} {alasan}",
    )


# SE MenPANRB 3/2023 (domain reference §2.6 special case): for a pegawai who leads a unit, the unit's
# capaian kinerja organisasi is taken as the rating hasil kerja. Istimewa → di atas, Baik → sesuai,
# Butuh Perbaikan/Kurang/Sangat Kurang → di bawah ekspektasi. [M: mapping as summarised in the SE's explainers]
HASIL_KERJA_PIMPINAN: dict[PredikatOrganisasi, Ekspektasi] = {
    PredikatOrganisasi.ISTIMEWA: Ekspektasi.DI_ATAS,
    PredikatOrganisasi.BAIK: Ekspektasi.SESUAI,
    PredikatOrganisasi.BUTUH_PERBAIKAN: Ekspektasi.DI_BAWAH,
    PredikatOrganisasi.KURANG: Ekspektasi.DI_BAWAH,
    PredikatOrganisasi.SANGAT_KURANG: Ekspektasi.DI_BAWAH,
}


def hasil_kerja_pimpinan(organisasi: PredikatOrganisasi) -> Ekspektasi:
    """Rating hasil kerja of a unit leader from the unit's capaian kinerja organisasi (SE MenPANRB 3/2023)."""
    return HASIL_KERJA_PIMPINAN[PredikatOrganisasi(organisasi)]
