"""The rule CSVs shipped in kinerja_web/data/rules equal the domain reference tables, and the code constants
(predikat matrix, kurva, 9-box) equal the shipped CSVs."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from kinerja_web.domain.kurva import KURVA_DISTRIBUSI
from kinerja_web.domain.payroll import read_rule_csv
from kinerja_web.domain.predikat import MATRIKS_PREDIKAT, Ekspektasi, Predikat, PredikatOrganisasi
from kinerja_web.domain.talent import KOTAK_TALENTA, Potensial

SHIPPED = Path(__file__).resolve().parents[2] / "kinerja_web" / "data" / "rules"
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "domain"
SHIPPED_NAMES = sorted(p.name for p in SHIPPED.glob("*.csv"))


def rows(name):
    return list(csv.DictReader(io.StringIO(read_rule_csv(name))))


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/domain is not present")
def test_every_reference_csv_is_shipped():
    assert sorted(p.name for p in REFERENCE.glob("*.csv")) == SHIPPED_NAMES


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/domain is not present")
@pytest.mark.parametrize("name", SHIPPED_NAMES)
def test_shipped_csv_equals_the_reference_table(name):
    assert (SHIPPED / name).read_bytes() == (REFERENCE / name).read_bytes()


def test_predikat_matrix_constant_equals_the_csv():
    from_csv = {
        (Ekspektasi.from_code(r["rating_hasil_kerja"]), Ekspektasi.from_code(r["rating_perilaku_kerja"])): Predikat[
            r["predikat_kinerja"]
        ]
        for r in rows("predikat_matrix.csv")
    }
    assert from_csv == MATRIKS_PREDIKAT


def test_talent_boxes_constant_equals_the_csv():
    from_csv = {
        (Ekspektasi.from_code(r["kinerja"]), Potensial[r["potensial"]]): int(r["kotak"])
        for r in rows("kotak_talenta_9box.csv")
    }
    assert from_csv == KOTAK_TALENTA


def test_kurva_constant_equals_the_constraint_rows_of_the_csv():
    def share(text):
        return None if text in ("", "must_exist") else Decimal(text)

    from_csv = {
        (
            PredikatOrganisasi[r["predikat_organisasi"]],
            tuple(Predikat[p] for p in r["predikat_pegawai"].split("+")),
            share(r["min_share"]),
            share(r["max_share"]),
            r["min_share"] == "must_exist",
            "largest group" in r["rule_note"],
        )
        for r in rows("kurva_distribusi.csv")
        if r["min_share"] or r["max_share"]
    }
    in_code = {
        (k.organisasi, k.kelompok, k.min_share, k.max_share, k.must_exist, k.largest_group) for k in KURVA_DISTRIBUSI
    }
    assert from_csv == in_code


def test_kurva_rows_marked_allowed_impose_nothing():
    allowed = [r for r in rows("kurva_distribusi.csv") if not (r["min_share"] or r["max_share"])]
    assert allowed and all(r["rule_note"] == "allowed" for r in allowed)


def test_first_rating_rule_versions_are_the_shipped_tables():
    """The versioned rating rules start from the same tables (`domain.rating_rules`, stored by the migration)."""
    from kinerja_web.domain import rating_rules as rr

    assert rr.default_version(rr.PREDIKAT).data == MATRIKS_PREDIKAT
    assert rr.default_version(rr.KOTAK).data == KOTAK_TALENTA
    assert rr.default_version(rr.KURVA).data.rules == KURVA_DISTRIBUSI
