"""Seleksi jabatan (domain reference §11.3) and succession of key posts."""
