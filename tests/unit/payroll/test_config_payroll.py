import pytest

from kinerja_web.config import ConfigError, from_env


def test_bank_file_layout_comes_from_the_environment():
    cfg = from_env({"PAYROLL_BANK_COLUMNS": "Rekening:rekening, Nama:nama,Jumlah:jumlah"}, "/tmp")
    assert cfg["PAYROLL_BANK_COLUMNS"] == (("Rekening", "rekening"), ("Nama", "nama"), ("Jumlah", "jumlah"))


def test_unknown_bank_column_is_refused_with_an_indonesian_message():
    with pytest.raises(ConfigError, match="tidak dikenal"):
        from_env({"PAYROLL_BANK_COLUMNS": "Saldo:saldo"}, "/tmp")


def test_default_bank_layout_is_kept_when_unset():
    assert from_env({}, "/tmp")["PAYROLL_BANK_COLUMNS"] is None
