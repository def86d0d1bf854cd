"""Numbers and `next` addresses from the request: out-of-range and hostile input never reach the database or a header."""

from __future__ import annotations

import pytest

from kinerja_web.request_input import ID_MAX, ids_in, query_int, safe_next


@pytest.mark.parametrize(
    "target",
    [
        "/pegawai/",
        "/penilaian-360/persetujuan?tab=1#baris",
        "/pegawai/?q=budi%20santoso",
    ],
)
def test_safe_next_keeps_a_path_of_this_site(target):
    assert safe_next(target, "/") == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",  # browsers drop the tab: //evil.example
        "/\n/evil.example",
        "/pegawai/\r\nSet-Cookie: x=1",
        "https://evil.example/",
        "javascript:alert(1)",
        "pegawai/",
        "\t//evil.example",
    ],
)
def test_safe_next_falls_back_for_anything_else(target):
    assert safe_next(target, "/kembali") == "/kembali"


@pytest.mark.parametrize("value, expected", [("12", 12), (str(ID_MAX), ID_MAX), ("-3", -3), (" 7 ", 7)])
def test_query_int_reads_numbers_in_range(value, expected):
    assert query_int(value) == expected


@pytest.mark.parametrize("value", [str(ID_MAX + 1), "99999999999999999999999", "abc", "", "²", "١٢"])
def test_query_int_refuses_what_no_id_can_be(value):
    with pytest.raises(ValueError):
        query_int(value)


def test_ids_in_skips_what_is_not_an_id():
    assert ids_in(["3", "x", "", "²", "99999999999999999999", str(ID_MAX), "-1", "4"]) == [3, ID_MAX, 4]
