"""Predikat matrix (PermenPANRB 6/2022, Lampiran): every cell is its own test, plus the explanation."""

from kinerja_web.domain.predikat import (
    MATRIKS_PREDIKAT,
    Ekspektasi,
    Predikat,
    PredikatOrganisasi,
    explain,
    predikat,
)

E = Ekspektasi
P = Predikat


def test_hasil_di_atas_and_perilaku_di_atas_is_sangat_baik():
    assert predikat(E.DI_ATAS, E.DI_ATAS) is P.SANGAT_BAIK


def test_hasil_di_atas_and_perilaku_sesuai_is_baik():
    assert predikat(E.DI_ATAS, E.SESUAI) is P.BAIK


def test_hasil_di_atas_and_perilaku_di_bawah_is_kurang_misconduct():
    assert predikat(E.DI_ATAS, E.DI_BAWAH) is P.KURANG_MISCONDUCT


def test_hasil_sesuai_and_perilaku_di_atas_is_baik():
    assert predikat(E.SESUAI, E.DI_ATAS) is P.BAIK


def test_hasil_sesuai_and_perilaku_sesuai_is_baik():
    assert predikat(E.SESUAI, E.SESUAI) is P.BAIK


def test_hasil_sesuai_and_perilaku_di_bawah_is_kurang_misconduct():
    assert predikat(E.SESUAI, E.DI_BAWAH) is P.KURANG_MISCONDUCT


def test_hasil_di_bawah_and_perilaku_di_atas_is_butuh_perbaikan():
    assert predikat(E.DI_BAWAH, E.DI_ATAS) is P.BUTUH_PERBAIKAN


def test_hasil_di_bawah_and_perilaku_sesuai_is_butuh_perbaikan():
    assert predikat(E.DI_BAWAH, E.SESUAI) is P.BUTUH_PERBAIKAN


def test_hasil_di_bawah_and_perilaku_di_bawah_is_sangat_kurang():
    assert predikat(E.DI_BAWAH, E.DI_BAWAH) is P.SANGAT_KURANG


def test_matrix_has_exactly_the_nine_cells():
    assert len(MATRIKS_PREDIKAT) == 9


def test_predikat_accepts_the_stored_string_values():
    assert predikat("di_atas", "di_atas") is P.SANGAT_BAIK


def test_ekspektasi_parses_the_csv_spelling():
    assert Ekspektasi.from_code("DI_ATAS_EKSPEKTASI") is E.DI_ATAS
    assert Ekspektasi.from_code("sesuai") is E.SESUAI


def test_labels_are_indonesian():
    assert P.KURANG_MISCONDUCT.label == "Kurang/Misconduct"
    assert E.DI_BAWAH.label == "Di Bawah Ekspektasi"
    assert PredikatOrganisasi.BUTUH_PERBAIKAN.label == "Butuh Perbaikan (Cukup)"
    assert [p.label for p in PredikatOrganisasi] == [
        "Istimewa",
        "Baik",
        "Butuh Perbaikan (Cukup)",
        "Kurang",
        "Sangat Kurang",
    ]


def test_explain_names_the_cell_and_the_two_ratings():
    why = explain(E.SESUAI, E.DI_ATAS)
    assert why.predikat is P.BAIK
    assert (why.baris, why.kolom) == (1, 2)
    assert "«Sesuai Ekspektasi»" in why.kalimat and "«Di Atas Ekspektasi»" in why.kalimat and "«Baik»" in why.kalimat
    assert "PermenPANRB 6/2022" in why.kalimat


def test_explain_says_bad_behaviour_dominates_for_kurang_misconduct():
    why = explain(E.DI_ATAS, E.DI_BAWAH)
    assert why.predikat is P.KURANG_MISCONDUCT
    assert "Perilaku kerja di bawah ekspektasi menentukan predikat" in why.kalimat


def test_explain_says_results_below_expectation_give_butuh_perbaikan():
    why = explain(E.DI_BAWAH, E.DI_ATAS)
    assert "Hasil kerja di bawah ekspektasi" in why.kalimat and why.predikat is P.BUTUH_PERBAIKAN


def test_explain_says_only_above_above_is_sangat_baik():
    assert "sama-sama di atas ekspektasi" in explain(E.DI_ATAS, E.DI_ATAS).kalimat


def test_explain_covers_sangat_kurang():
    why = explain(E.DI_BAWAH, E.DI_BAWAH)
    assert (why.baris, why.kolom) == (2, 0) and "sama-sama di bawah ekspektasi" in why.kalimat
