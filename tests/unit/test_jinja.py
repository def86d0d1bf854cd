"""Indonesian formatting filters: month names from a table, dot thousands, WIB times."""

from datetime import UTC, date, datetime
from decimal import Decimal

from kinerja_web.domain import labels
from kinerja_web.jinja import FILTERS, desimal, nip, persen, ribuan, rupiah, tanggal, tanggal_singkat, ukuran, waktu


def test_tanggal_uses_indonesian_month_names():
    assert tanggal(date(2026, 11, 27)) == "27 November 2026"


def test_tanggal_can_include_the_day_name():
    assert tanggal(date(2026, 11, 27), with_day=True) == "Jumat, 27 November 2026"


def test_tanggal_of_an_aware_datetime_is_the_date_in_wib():
    assert tanggal(datetime(2026, 11, 27, 20, 0, tzinfo=UTC)) == "28 November 2026"


def test_tanggal_of_nothing_is_a_dash():
    assert tanggal(None) == "–"


def test_rupiah_uses_dots_for_thousands():
    assert rupiah(1234567) == "Rp 1.234.567"


def test_rupiah_of_a_negative_amount_puts_the_sign_first():
    assert rupiah(-1234567) == "-Rp 1.234.567"


def test_rupiah_rounds_a_decimal_half_up_to_whole_rupiah():
    assert rupiah(Decimal("1234566.5")) == "Rp 1.234.567"
    assert rupiah(Decimal("1234567.49")) == "Rp 1.234.567"


def test_rupiah_of_zero():
    assert rupiah(0) == "Rp 0"


def test_ribuan_of_nothing_is_a_dash():
    assert ribuan(None) == "–"


def test_waktu_shows_wib_for_a_utc_timestamp():
    assert waktu(datetime(2026, 11, 27, 7, 5, tzinfo=UTC)) == "27 November 2026 14.05 WIB"


def test_waktu_treats_a_naive_timestamp_from_sqlite_as_utc():
    assert waktu(datetime(2026, 11, 27, 7, 5)) == "27 November 2026 14.05 WIB"


def test_persen_uses_a_decimal_comma():
    assert persen(Decimal("87.456"), 1) == "87,5%"


def test_nip_filter_spaces_the_nip():
    assert nip("198609262015051001") == "19860926 201505 1 001"


def test_tanggal_of_a_naive_timestamp_from_sqlite_is_the_wib_date():
    assert tanggal(datetime(2026, 11, 27, 20, 0)) == "28 November 2026"


def test_desimal_uses_the_indonesian_decimal_comma():
    assert desimal(Decimal("4")) == "4,00"
    assert desimal(3.666) == "3,67"


def test_desimal_keeps_the_sign_and_shows_a_dash_for_none():
    assert desimal(Decimal("-1.005")) == "-1,01"
    assert desimal(None) == "–"


def test_tanggal_singkat_for_dense_places():
    assert tanggal_singkat(date(2026, 11, 27)) == "27 Nov 2026"
    assert tanggal_singkat(date(2026, 8, 1)) == "1 Agu 2026"
    assert tanggal_singkat(datetime(2026, 5, 31, 20, 0, tzinfo=UTC)) == "1 Jun 2026"  # the WIB date
    assert tanggal_singkat(None) == "–"


def test_one_rupiah_format_for_pages_documents_and_messages():
    # The filter and the documents' / messages' formatter are one function (domain.labels.rupiah).
    for amount in (0, 1234567, -1234567, Decimal("1234566.5"), 1_000_000_000):
        assert rupiah(amount) == labels.rupiah(amount)
    assert labels.rupiah(Decimal("999.5")) == "Rp 1.000"


def test_ukuran_uses_a_decimal_comma():
    assert ukuran(22221) == "21,7 KB"
    assert ukuran(512) == "512 B"
    assert ukuran(1024) == "1 KB"
    assert ukuran(5 * 1024 * 1024) == "5 MB"
    assert ukuran(None) == "–"


def test_a_sentence_ending_in_a_gelar_gets_no_second_full_stop():
    assert labels.full_stop("Penilaian untuk Nurdin Permata, S.Sos.") == "Penilaian untuk Nurdin Permata, S.Sos."
    assert labels.full_stop("Penilaian untuk Budi") == "Penilaian untuk Budi."
    assert FILTERS["titik"] is labels.full_stop
