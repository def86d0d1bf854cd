"""The BerAKHLAK guides table and the anchored scale."""

import pytest

from kinerja_web.domain import DomainError, berakhlak


def test_shipped_table_has_seven_values_with_three_guides_each():
    values = berakhlak.values()
    assert len(values) == 7
    assert all(len(v.guides) == 3 for v in values)
    assert values[0].code == "berorientasi_pelayanan"
    assert values[0].guides[0] == "Memahami dan memenuhi kebutuhan masyarakat"


def test_scale_is_anchored_from_one_to_five_in_indonesian():
    assert [lvl.score for lvl in berakhlak.SCALE] == [1, 2, 3, 4, 5]
    assert berakhlak.SCALE[4].label == "Sangat baik"


def test_a_table_missing_a_value_is_refused():
    text = "nilai,no,panduan_perilaku\nAkuntabel,1,Jujur\n"
    with pytest.raises(DomainError):
        berakhlak.parse_guides(text)


def test_an_unknown_value_is_refused():
    with pytest.raises(DomainError, match="tidak dikenal"):
        berakhlak.parse_guides("nilai,no,panduan_perilaku\nSantai,1,Tidur\n")
