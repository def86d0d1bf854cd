"""9-box talent mapping (PermenPANRB 3/2020; kotak_talenta_9box.csv)."""

import pytest

from kinerja_web.domain.predikat import Ekspektasi
from kinerja_web.domain.talenta import KOTAK_TALENTA, Potensial, kotak_talenta, masuk_talent_pool


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
