"""Pure selection rules: weights, pansel size, requirements, rekam jejak, ranking, retirement date."""

from datetime import date
from decimal import Decimal as D

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.predikat import Predikat
from kinerja_web.domain.selection import (
    CandidateFacts,
    Pendidikan,
    Requirements,
    StageKind,
    bup_age,
    check_pansel,
    check_weights,
    parse_score,
    rank_candidates,
    rekam_jejak_score,
    retirement_date,
    unmet_requirements,
)

K = StageKind


def test_weights_must_sum_to_exactly_100():
    check_weights({K.ADMINISTRASI: D(0), K.UJI_KOMPETENSI: D("40.5"), K.REKAM_JEJAK: D("19.5"), K.WAWANCARA: D(40)})
    with pytest.raises(DomainError, match="sekarang 99.9%"):
        check_weights({K.UJI_KOMPETENSI: D("59.9"), K.WAWANCARA: D(40)})
    with pytest.raises(DomainError, match="antara 0 dan 100"):
        check_weights({K.UJI_KOMPETENSI: D(-10), K.WAWANCARA: D(110)})


@pytest.mark.parametrize(
    ("kind", "size", "chairs", "message"),
    [
        ("pengawas", 4, 1, "ganjil"),
        ("jpt", 3, 1, "5 sampai 9"),
        ("pengawas", 11, 1, "3 sampai 9"),
        ("administrator", 3, 0, "tepat satu ketua"),
        ("administrator", 3, 2, "tepat satu ketua"),
    ],
)
def test_pansel_size_and_chair(kind, size, chairs, message):
    with pytest.raises(DomainError, match=message):
        check_pansel(kind, size, chairs)


def test_a_valid_pansel():
    check_pansel("jpt", 5, 1)
    check_pansel("pengawas", 3, 1)


def test_requirements_name_every_gap():
    req = Requirements("III/c", Pendidikan.D4_S1, Predikat.BAIK, True, "Pelatihan Kepemimpinan")
    ok = CandidateFacts(
        "III/d", Pendidikan.S2, [Predikat.BAIK, Predikat.SANGAT_BAIK], False, ["PKP Pelatihan Kepemimpinan Pengawas"]
    )
    assert unmet_requirements(req, ok) == []
    bad = CandidateFacts("III/b", Pendidikan.D3, [Predikat.BAIK, None], True, [])
    unmet = unmet_requirements(req, bad)
    assert len(unmet) == 5
    assert "golongan minimal III/c (dimiliki: III/b)" in unmet[0]
    assert "Baik, belum ada" in unmet[2]


def test_rekam_jejak_points_and_discipline():
    assert rekam_jejak_score([Predikat.SANGAT_BAIK, Predikat.BAIK], False) == D("90.00")
    assert rekam_jejak_score([Predikat.BAIK], False) == D("40.00")  # a missing year counts 0
    assert rekam_jejak_score([Predikat.SANGAT_BAIK, Predikat.SANGAT_BAIK], True) == D(0)


def test_ranking_is_deterministic_with_ties_broken_by_wawancara_then_uji_kompetensi_then_registration():
    w = {K.UJI_KOMPETENSI: D(50), K.WAWANCARA: D(50)}
    rows = [
        (3, "C", {K.UJI_KOMPETENSI: D(80), K.WAWANCARA: D(80)}),
        (1, "A", {K.UJI_KOMPETENSI: D(90), K.WAWANCARA: D(70)}),
        (2, "B", {K.UJI_KOMPETENSI: D(70), K.WAWANCARA: D(90)}),
        (4, "D", {K.UJI_KOMPETENSI: D(80), K.WAWANCARA: D(80)}),
    ]
    ranked = rank_candidates(rows, w)
    assert [(r.name, r.final, r.rank) for r in ranked] == [
        ("B", D("80.00"), 1),
        ("C", D("80.00"), 2),
        ("D", D("80.00"), 3),
        ("A", D("80.00"), 4),
    ]
    assert rank_candidates(list(reversed(rows)), w) == ranked


def test_scores_typed_by_people():
    assert parse_score("85,5") == D("85.5")
    for bad, msg in (
        ("", "wajib"),
        ("abc", "bukan angka"),
        ("100.5", "antara"),
        ("80.123", "dua angka"),
        ("NaN", "antara"),
    ):
        with pytest.raises(DomainError, match=msg):
            parse_score(bad)


def test_retirement_date_from_birth_date_and_jabatan():
    assert bup_age("administrator", None) == 58 and bup_age("jpt", None) == 60
    assert bup_age("fungsional", "Ahli Utama") == 65 and bup_age("fungsional", "Ahli Muda") == 58
    assert bup_age("jpt", None, {"jpt": 62}) == 62
    assert retirement_date(date(1968, 5, 17), 58) == date(2026, 6, 1)
    assert retirement_date(date(1968, 12, 3), 60) == date(2029, 1, 1)
