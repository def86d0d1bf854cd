"""Master data against a SIASN export: who differs in what, who is on one side only, rows that cannot be read."""

from __future__ import annotations

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.services.national import reconcile


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_matching_by_nip_lists_each_differing_field_with_both_values(org_chart):
    ns = org_chart
    s1, s2 = ns.staff1, ns.staff2
    data = _csv(
        [
            "NIP BARU;NAMA;TANGGAL LAHIR;JENIS KELAMIN;GOL AKHIR NAMA;UNOR NAMA",
            f"{s1.nip};{s1.name.upper()};{s1.birth_date:%d-%m-%Y};Laki-laki;{s1.golongan.lower()};{s1.unit.name}",
            f"{s2.nip};{s2.name};{s2.birth_date:%d-%m-%Y};Laki-laki;IV/e;Dinas Lain",
            "199001012020011001;ORANG LUAR;01-01-1990;L;III/a;X",
        ]
    )
    report = reconcile.compare("siasn.csv", data)
    # staff1 agrees although SIASN writes the name in capitals and the golongan in lower case
    assert {d.nip for d in report.differences} == {s2.nip}
    by_field = {d.field: d for d in report.differences}
    assert by_field["Golongan"].kinerja == s2.golongan and by_field["Golongan"].siasn == "IV/e"
    assert by_field["Unit kerja"].siasn == "Dinas Lain"
    assert (by_field["Jenis kelamin"].kinerja, by_field["Jenis kelamin"].siasn) == ("Perempuan", "Laki-laki")
    assert "Nama" not in by_field and "Tanggal lahir" not in by_field
    assert report.only_in_siasn == [("199001012020011001", "ORANG LUAR")]
    assert s1.nip not in {n for n, _ in report.only_in_kinerja} and ns.head.nip in {
        n for n, _ in report.only_in_kinerja
    }
    assert report.missing_fields == ["Jabatan", "Status kepegawaian"]
    assert report.people_differing == 1


def test_unreadable_rows_are_reported_with_their_row_number_and_do_not_stop_the_rest(org_chart):
    ns = org_chart
    data = _csv(
        [
            "nipBaru,nama,tglLahir",
            "12345,Terpotong,01-01-1990",
            f"{ns.staff1.nip},{ns.staff1.name},31-02-1990",
            f"{ns.staff1.nip},{ns.staff1.name},{ns.staff1.birth_date:%Y-%m-%d}",
        ]
    )
    report = reconcile.compare("siasn.csv", data)
    messages = dict(report.row_errors)
    assert "bukan 18 digit" in messages[2]
    assert "Tanggal lahir “31-02-1990” tidak dapat dibaca" in messages[3]
    assert "muncul lebih dari sekali" in messages[4]


def test_a_file_without_a_nip_column_is_refused_at_the_file_field(org_chart):
    with pytest.raises(DomainError) as e:
        reconcile.compare("siasn.csv", _csv(["NAMA;GOL", "Budi;III/a"]))
    assert e.value.field == "file" and "Kolom NIP tidak ditemukan" in e.value.message


def test_a_pdf_named_csv_is_refused_with_a_clear_message(org_chart):
    with pytest.raises(DomainError) as e:
        reconcile.compare("siasn.csv", b"%PDF-1.7 ...")
    assert e.value.field == "file" and "bukan CSV" in e.value.message
