"""9-box talent mapping (PermenPANRB 3/2020; kotak_talenta_9box.csv)."""

import pytest

from kinerja_web.domain.predikat import Ekspektasi, Predikat
from kinerja_web.domain.talent import (
    BARIS_POTENSIAL,
    KOLOM_KINERJA,
    KOTAK_TALENTA,
    Potensial,
    kinerja_dari_predikat,
    kotak,
    kotak_talenta,
    masuk_talent_pool,
    posisi,
)


@pytest.mark.parametrize(
    ("kinerja", "potensial", "kotak"),
    [
        (Ekspektasi.DI_ATAS, Potensial.TINGGI, 9),
        (Ekspektasi.SESUAI, Potensial.TINGGI, 8),
        (Ekspektasi.DI_ATAS, Potensial.MENENGAH, 7),
        (Ekspektasi.DI_BAWAH, Potensial.TINGGI, 6),
        (Ekspektasi.SESUAI, Potensial.MENENGAH, 5),
        (Ekspektasi.DI_ATAS, Potensial.RENDAH, 4),
        (Ekspektasi.DI_BAWAH, Potensial.MENENGAH, 3),
        (Ekspektasi.SESUAI, Potensial.RENDAH, 2),
        (Ekspektasi.DI_BAWAH, Potensial.RENDAH, 1),
    ],
)
def test_each_kinerja_potensial_pair_lands_in_its_box(kinerja, potensial, kotak):
    assert kotak_talenta(kinerja, potensial) == kotak


def test_boxes_are_numbered_one_to_nine_once_each():
    assert sorted(KOTAK_TALENTA.values()) == list(range(1, 10))


@pytest.mark.parametrize("kotak", [7, 8, 9])
def test_boxes_seven_to_nine_are_the_talent_pool(kotak):
    assert masuk_talent_pool(kotak)


@pytest.mark.parametrize("kotak", [1, 2, 3, 4, 5, 6])
def test_boxes_one_to_six_are_not_the_talent_pool(kotak):
    assert not masuk_talent_pool(kotak)


@pytest.mark.parametrize(
    ("predikat", "kinerja"),
    [
        (Predikat.SANGAT_BAIK, Ekspektasi.DI_ATAS),
        (Predikat.BAIK, Ekspektasi.SESUAI),
        (Predikat.BUTUH_PERBAIKAN, Ekspektasi.DI_BAWAH),
        (Predikat.KURANG_MISCONDUCT, Ekspektasi.DI_BAWAH),
        (Predikat.SANGAT_KURANG, Ekspektasi.DI_BAWAH),
    ],
)
def test_each_final_predikat_gives_one_kinerja_level(predikat, kinerja):
    assert kinerja_dari_predikat(predikat) == kinerja


def test_sangat_baik_with_high_potensial_is_box_nine_in_the_talent_pool():
    box = posisi(Predikat.SANGAT_BAIK, Potensial.TINGGI)
    assert (box.nomor, box.talent_pool) == (9, True)


def test_misconduct_with_high_potensial_is_box_six_outside_the_pool():
    box = posisi(Predikat.KURANG_MISCONDUCT, Potensial.TINGGI)
    assert (box.nomor, box.talent_pool) == (6, False)


@pytest.mark.parametrize("nomor", range(1, 10))
def test_every_box_has_a_label_and_a_follow_up(nomor):
    box = kotak(nomor)
    assert box.label.startswith(f"Kotak {nomor}:") and box.tindak_lanjut


@pytest.mark.parametrize("nomor", [0, 10, -1])
def test_a_box_outside_one_to_nine_is_refused(nomor):
    with pytest.raises(ValueError):
        kotak(nomor)


def test_screen_grid_puts_box_nine_top_right_and_box_one_bottom_left():
    assert kotak_talenta(KOLOM_KINERJA[-1], BARIS_POTENSIAL[0]) == 9
    assert kotak_talenta(KOLOM_KINERJA[0], BARIS_POTENSIAL[-1]) == 1
