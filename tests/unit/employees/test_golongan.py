"""Golongan/ruang and pangkat (domain reference §8.1)."""

import csv
from pathlib import Path

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain import golongan as gol

CSV = Path("/work/shared/domain/pangkat_golongan.csv")


def _csv_rows() -> list[tuple[str, str]]:
    with CSV.open(encoding="utf-8") as f:
        return [(f"{r['golongan']}/{r['ruang']}", r["pangkat"]) for r in csv.DictReader(f)]


@pytest.mark.skipif(not CSV.exists(), reason="shared domain data not available")
def test_pangkat_table_matches_every_row_of_the_reference_csv():
    rows = _csv_rows()
    assert len(rows) == 17
    assert {g: gol.pangkat(g) for g, _ in rows} == dict(rows)
    assert set(gol.PANGKAT_PNS) == {g for g, _ in rows}


@pytest.mark.parametrize("raw", ["III/b", "iii/B", "III b", "3b", " III-b "])
def test_golongan_spellings_normalize_to_the_canonical_form(raw):
    assert gol.normalize(raw) == "III/b"


def test_pppk_golongan_normalizes_to_upper_case_roman():
    assert gol.normalize("ix") == "IX"


def test_known_pns_golongan_validates_to_canonical_form():
    assert gol.validate("4e", is_pppk=False) == "IV/e"


@pytest.mark.parametrize("raw", ["V/a", "III/f", "IX", ""])
def test_unknown_pns_golongan_is_rejected_in_indonesian(raw):
    with pytest.raises(DomainError, match="tidak dikenal") as exc:
        gol.validate(raw, is_pppk=False)
    assert exc.value.field == "golongan"


def test_pppk_golongan_seventeen_is_accepted():
    assert gol.validate("xvii", is_pppk=True) == "XVII"


@pytest.mark.parametrize("raw", ["XVIII", "III/a", "0"])
def test_unknown_pppk_golongan_is_rejected(raw):
    with pytest.raises(DomainError, match="PPPK"):
        gol.validate(raw, is_pppk=True)


def test_pangkat_golongan_is_printed_as_on_documents():
    assert gol.pangkat_golongan("III/b") == "Penata Muda Tingkat I (III/b)"


def test_pppk_has_no_pangkat_only_a_golongan():
    assert gol.pangkat("IX") == ""
    assert gol.pangkat_golongan("IX") == "Golongan IX"


def test_rank_orders_golongan_by_seniority():
    assert gol.rank("I/a") < gol.rank("II/d") < gol.rank("III/a") < gol.rank("IV/e")
    assert gol.rank("nonsense") == 0


def test_arabic_golongan_number_with_a_slash_normalizes_too():
    assert gol.normalize("3/b") == "III/b"
