"""Rating rules as versioned data (pure part): the shipped first versions are today's constants, the codec round-trips,
a new version that overlaps or leaves a gap is refused at the field, and each payload drives its rule function."""

from datetime import date
from decimal import Decimal

import pytest

from kinerja_web.domain import DomainError, kurva, nip
from kinerja_web.domain import rating_rules as rr
from kinerja_web.domain.keberatan import BatasKeberatan, batas_keberatan, check_deadline
from kinerja_web.domain.kurva import KURVA_DISTRIBUSI
from kinerja_web.domain.payroll.rules import RuleTable, RuleVersion
from kinerja_web.domain.predikat import MATRIKS_PREDIKAT, Ekspektasi, Predikat, PredikatOrganisasi, explain, predikat
from kinerja_web.domain.talent import KOTAK_TALENTA, Potensial, numbering_problems, posisi

E, P = Ekspektasi, Predikat


def test_first_versions_are_todays_constants():
    tables = rr.default_tables()
    assert tables[rr.PREDIKAT].versions[0].data == MATRIKS_PREDIKAT
    assert tables[rr.KURVA].versions[0].data.rules == KURVA_DISTRIBUSI
    assert tables[rr.KURVA].versions[0].data.min_pegawai == kurva.MIN_PEGAWAI_PERSENTASE
    assert tables[rr.KEBERATAN].versions[0].data == BatasKeberatan()
    assert tables[rr.NIP].versions[0].data == nip.NipRules()
    assert tables[rr.KOTAK].versions[0].data == KOTAK_TALENTA
    assert all(t.versions[0].citation for t in tables.values())


@pytest.mark.parametrize("code", rr.CODES)
def test_codec_round_trips_every_first_version(code):
    v = rr.default_version(code)
    assert rr.decode(code, rr.encode(code, v.data), v.citation) == v.data


def test_malformed_payload_is_a_domain_error():
    with pytest.raises(DomainError):
        rr.decode(rr.PREDIKAT, {"sel": {"di_atas|di_atas": "luar_biasa"}})


def _table(*versions):
    return RuleTable(rr.PREDIKAT, "Matriks", tuple(versions))


def test_new_version_must_start_after_the_last_one():
    first = rr.default_version(rr.PREDIKAT)
    same_day = RuleVersion("x", first.berlaku_mulai, "c", first.data)
    problems = dict(rr.new_version_problems(_table(first), same_day))
    assert "Tumpang tindih" in problems["berlaku_mulai"]
    later = RuleVersion("y", date(2027, 1, 1), "c", first.data)
    assert rr.new_version_problems(_table(first), later) == []


def test_overlap_and_gap_with_an_ended_version():
    ended = RuleVersion("a", date(2022, 1, 1), "c", MATRIKS_PREDIKAT, date(2026, 12, 31))
    overlap = RuleVersion("b", date(2026, 7, 1), "c", MATRIKS_PREDIKAT)
    gap = RuleVersion("b", date(2027, 2, 1), "c", MATRIKS_PREDIKAT)
    exact = RuleVersion("b", date(2027, 1, 1), "c", MATRIKS_PREDIKAT)
    assert "Tumpang tindih" in dict(rr.new_version_problems(_table(ended), overlap))["berlaku_mulai"]
    assert "celah" in dict(rr.new_version_problems(_table(ended), gap))["berlaku_mulai"]
    assert rr.new_version_problems(_table(ended), exact) == []
    backwards = RuleVersion("c", date(2027, 5, 1), "c", MATRIKS_PREDIKAT, date(2027, 4, 1))
    assert "berlaku_sampai" in dict(rr.new_version_problems(_table(ended), backwards))


def test_version_on_picks_the_version_of_the_day_and_refuses_before_the_first():
    v1 = rr.default_version(rr.PREDIKAT)
    v2 = RuleVersion("v2", date(2027, 1, 1), "c", MATRIKS_PREDIKAT)
    table = _table(v1, v2)
    assert rr.version_on(table, date(2026, 12, 31)) is v1
    assert rr.version_on(table, date(2027, 1, 1)) is v2
    with pytest.raises(DomainError, match="Tidak ada versi"):
        rr.version_on(table, date(2021, 12, 31))


def test_a_changed_matrix_changes_the_predikat_and_its_explanation():
    changed = dict(MATRIKS_PREDIKAT) | {(E.SESUAI, E.SESUAI): P.BUTUH_PERBAIKAN}
    assert predikat(E.SESUAI, E.SESUAI) is P.BAIK
    assert predikat(E.SESUAI, E.SESUAI, changed) is P.BUTUH_PERBAIKAN
    text = explain(E.SESUAI, E.SESUAI, changed, "Perbup 9/2027").kalimat
    assert "Perbup 9/2027" in text and "Butuh Perbaikan" in text
    assert "Lampiran PermenPANRB 6/2022" in explain(E.SESUAI, E.SESUAI).kalimat


def test_keberatan_deadline_in_calendar_and_working_days():
    given = date(2026, 3, 2)  # a Monday
    assert batas_keberatan(given) == date(2026, 3, 16)  # 14 calendar days, today's rule
    kerja = BatasKeberatan(14, True, frozenset({date(2026, 3, 19)}), "Perbup contoh")
    # 14 working days from Tue 3 March: 3 weeks minus one day, plus the holiday on Thursday 19 March
    assert batas_keberatan(given, kerja) == date(2026, 3, 23)
    check_deadline(given, date(2026, 3, 23), kerja)
    with pytest.raises(DomainError, match="14 hari kerja"):
        check_deadline(given, date(2026, 3, 24), kerja)


def test_kurva_with_another_version_of_the_curve():
    looser = tuple(
        kurva.KurvaRule(
            r.organisasi,
            r.kelompok,
            r.min_share,
            Decimal("0.90") if r.max_share else r.max_share,
            r.must_exist,
            r.largest_group,
        )
        for r in KURVA_DISTRIBUSI
    )
    counts = {P.BAIK: 8, P.BUTUH_PERBAIKAN: 2}
    assert any("70%" in w.message for w in kurva.check(PredikatOrganisasi.BAIK, counts))
    assert not [w for w in kurva.check(PredikatOrganisasi.BAIK, counts, looser) if w.limit == Decimal("0.90")]
    small = kurva.check(PredikatOrganisasi.BAIK, counts, KURVA_DISTRIBUSI, min_pegawai=20)
    assert small and all(w.kind is kurva.KurvaWarningKind.PANDUAN for w in small)


def test_nip_parameters():
    valid = "198609262015051001"
    assert nip.parse(valid).gender_digit == 1
    strict = nip.NipRules(selisih_minimal_bulan=18 * 12)
    nip.parse(valid, rules=strict)  # 28 years between birth and TMT
    with pytest.raises(DomainError, match="216 bulan"):
        nip.parse("200609262015051001", rules=strict)
    with pytest.raises(DomainError, match="harus 1 atau 2"):
        nip.parse("198609262015053001")
    assert nip.parse("198609262015053001", rules=nip.NipRules(kode_laki=3)).gender_digit == 3
    assert nip.NipRules(kode_laki=2, kode_perempuan=2).problems()


def test_talent_numbering_version():
    swapped = dict(KOTAK_TALENTA) | {(E.DI_ATAS, Potensial.RENDAH): 2, (E.SESUAI, Potensial.RENDAH): 4}
    assert posisi(P.SANGAT_BAIK, Potensial.RENDAH).nomor == 4
    box = posisi(P.SANGAT_BAIK, Potensial.RENDAH, swapped)
    assert box.nomor == 2 and box.kinerja is E.DI_ATAS
    assert numbering_problems(swapped) == []
    twice = dict(KOTAK_TALENTA) | {(E.DI_ATAS, Potensial.RENDAH): 9}
    assert any("lebih dari satu" in m for _, _, m in numbering_problems(twice))


def test_history_describes_what_a_version_changed():
    changed = dict(MATRIKS_PREDIKAT) | {(E.SESUAI, E.SESUAI): P.BUTUH_PERBAIKAN}
    assert rr.describe_changes(rr.PREDIKAT, None, changed) == ["Versi pertama."]
    (line,) = rr.describe_changes(rr.PREDIKAT, MATRIKS_PREDIKAT, changed)
    assert "Baik → Butuh Perbaikan" in line
    (line,) = rr.describe_changes(rr.KEBERATAN, BatasKeberatan(), BatasKeberatan(10, True))
    assert line == "Batas keberatan: 14 hari → 10 hari kerja"
