"""Amounts in Indonesian words, as printed under a slip's net pay."""

import pytest

from kinerja_web.domain.terbilang import terbilang


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol rupiah"),
        (11, "sebelas rupiah"),
        (115, "seratus lima belas rupiah"),
        (1000, "seribu rupiah"),
        (2500, "dua ribu lima ratus rupiah"),
        (1234567, "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh rupiah"),
        (2_000_000_000, "dua miliar rupiah"),
        (-15000, "minus lima belas ribu rupiah"),
    ],
)
def test_terbilang_writes_rupiah_amounts_in_indonesian_words(amount, words):
    assert terbilang(amount) == words
