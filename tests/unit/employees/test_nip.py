"""NIP parsing, validation and consistency (Perka BKN 22/2007, domain reference §7.4)."""

from datetime import date

import pytest

from kinerja_web.domain import DomainError
from kinerja_web.domain.nip import consistency_errors, format_nip, mask_nip, normalize, parse

VALID = "198609262015051001"  # 26 Sep 1986, TMT May 2015, male, sequence 001


def test_valid_nip_is_split_into_its_parts():
    parts = parse(VALID)
    assert parts.birth_date == date(1986, 9, 26)
    assert (parts.tmt_year, parts.tmt_month) == (2015, 5)
    assert parts.gender_digit == 1
    assert parts.sequence == 1


def test_spaces_dots_and_dashes_typed_into_a_nip_are_removed():
    assert normalize(" 19860926 201505.1-001 ") == VALID


@pytest.mark.parametrize("raw", ["19860926201505100A", "1986092620150510", "1986092620150510011", ""])
def test_nip_that_is_not_eighteen_digits_is_rejected(raw):
    with pytest.raises(DomainError, match="18 angka"):
        parse(raw)


def test_nip_with_an_impossible_birth_date_is_rejected():
    with pytest.raises(DomainError, match="tanggal lahir"):
        parse("198602302015051001")  # 30 February


def test_nip_with_tmt_month_thirteen_is_rejected():
    with pytest.raises(DomainError, match="bulan 01–12"):
        parse("198609262015131001")


def test_nip_with_tmt_before_birth_is_rejected():
    with pytest.raises(DomainError, match="setelah tanggal lahir"):
        parse("198609261985051001")


def test_nip_with_gender_digit_three_is_rejected():
    with pytest.raises(DomainError, match="jenis kelamin"):
        parse("198609262015053001")


def test_nip_with_sequence_zero_is_rejected():
    with pytest.raises(DomainError, match="001–999"):
        parse("198609262015051000")


def test_pppk_nip_whose_middle_block_is_not_a_month_is_accepted():
    parts = parse("199001012022211001", is_pppk=True)
    assert parts.birth_date == date(1990, 1, 1)


def test_pns_nip_whose_middle_block_is_not_a_month_is_rejected():
    with pytest.raises(DomainError):
        parse("199001012022211001", is_pppk=False)


def test_validation_errors_name_the_nip_field():
    with pytest.raises(DomainError) as exc:
        parse("123")
    assert exc.value.field == "nip"


def test_consistent_record_has_no_errors():
    assert consistency_errors(VALID, birth_date=date(1986, 9, 26), gender="L", tmt_cpns=date(2015, 5, 1)) == []


def test_birth_date_that_differs_from_the_nip_is_reported():
    errors = consistency_errors(VALID, birth_date=date(1986, 9, 27), gender="L", tmt_cpns=None)
    assert [f for f, _ in errors] == ["birth_date"]


def test_gender_that_differs_from_the_nip_is_reported():
    errors = consistency_errors(VALID, birth_date=None, gender="P", tmt_cpns=None)
    assert [f for f, _ in errors] == ["gender"]


def test_tmt_cpns_that_differs_from_the_nip_is_reported():
    errors = consistency_errors(VALID, birth_date=None, gender=None, tmt_cpns=date(2016, 5, 1))
    assert [f for f, _ in errors] == ["tmt_cpns"]


def test_tmt_cpns_is_not_compared_for_pppk():
    assert (
        consistency_errors("199001012022211001", birth_date=None, gender=None, tmt_cpns=date(2022, 3, 1), is_pppk=True)
        == []
    )


def test_invalid_nip_is_reported_once_on_the_nip_field():
    errors = consistency_errors("123", birth_date=date(1986, 9, 26), gender="L", tmt_cpns=None)
    assert errors == [("nip", "NIP harus terdiri dari 18 angka.")]


def test_nip_is_displayed_with_spaces_as_on_documents():
    assert format_nip(VALID) == "19860926 201505 1 001"


def test_nip_of_wrong_length_is_displayed_unchanged():
    assert format_nip("12345") == "12345"


def test_masked_nip_hides_the_birth_date():
    assert mask_nip(VALID) == "******** 201505 1 001"


def test_masked_nip_of_wrong_length_reveals_nothing():
    assert mask_nip("12345") == "*****"


def test_nip_in_full_width_digits_is_rejected():
    with pytest.raises(DomainError, match="18 angka"):
        parse("１９８６０９２６２０１５０５１００１")
