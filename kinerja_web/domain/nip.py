"""NIP (Nomor Induk Pegawai) parsing and validation.

Layout per Peraturan Kepala BKN 22/2007 (domain reference §7.4): 18 digits =
YYYYMMDD birth date + YYYYMM TMT CPNS + gender digit (1 male, 2 female) + 3-digit sequence.
PPPK numbers are 18 digits too but the middle block is not always a month, so it is not checked for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import DomainError

NIP_LENGTH = 18


@dataclass(frozen=True)
class NipParts:
    birth_date: date
    tmt_year: int
    tmt_month: int
    gender_digit: int
    sequence: int


def normalize(raw: str) -> str:
    """Strip the spaces and dots people type into NIPs ("19860926 201505 1 001")."""
    return "".join(ch for ch in (raw or "") if not ch.isspace() and ch not in ".-")


def format_nip(nip: str) -> str:
    """Display form with spaces, as on official documents: 19860926 201505 1 001."""
    if len(nip) != NIP_LENGTH:
        return nip
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"


def mask_nip(nip: str) -> str:
    """Partially masked NIP for public pages (verification): birth date hidden."""
    if len(nip) != NIP_LENGTH:
        return "*" * len(nip)
    return f"******** {nip[8:14]} {nip[14]} {nip[15:]}"


def parse(nip: str, *, is_pppk: bool = False) -> NipParts:
    """Parse and validate a normalized NIP; raise DomainError with an Indonesian message."""
    # isascii: str.isdigit() also accepts full-width and other Unicode digits, which int() would read.
    if len(nip) != NIP_LENGTH or not (nip.isascii() and nip.isdigit()):
        raise DomainError("NIP harus terdiri dari 18 angka.", field="nip")
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise DomainError("8 angka pertama NIP bukan tanggal lahir yang sah.", field="nip") from None
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not is_pppk:
        if not 1 <= tmt_month <= 12:
            raise DomainError("Angka ke-9 s.d. 14 NIP harus TMT CPNS (tahun dan bulan 01–12).", field="nip")
        if (tmt_year, tmt_month) <= (birth.year, birth.month):
            raise DomainError("TMT CPNS pada NIP harus setelah tanggal lahir.", field="nip")
    gender = int(nip[14])
    if gender not in (1, 2):
        raise DomainError("Angka ke-15 NIP (jenis kelamin) harus 1 atau 2.", field="nip")
    seq = int(nip[15:])
    if seq == 0:
        raise DomainError("Nomor urut NIP (3 angka terakhir) harus 001–999.", field="nip")
    return NipParts(birth, tmt_year, tmt_month, gender, seq)


def consistency_errors(
    nip: str,
    *,
    birth_date: date | None,
    gender: str | None,
    tmt_cpns: date | None,
    is_pppk: bool = False,
) -> list[tuple[str, str]]:
    """Return (field, message) pairs where the NIP disagrees with the other fields of the record.

    The NIP encodes birth date, TMT CPNS and gender (§7.4), so a record whose fields disagree
    with its own NIP is a data-entry error that HR must fix.
    """
    try:
        parts = parse(nip, is_pppk=is_pppk)
    except DomainError as e:
        return [("nip", e.message)]
    errors: list[tuple[str, str]] = []
    if birth_date and birth_date != parts.birth_date:
        errors.append(("birth_date", "Tanggal lahir tidak sama dengan tanggal lahir pada NIP."))
    if gender:
        expected = "L" if parts.gender_digit == 1 else "P"
        if gender != expected:
            errors.append(
                ("gender", "Jenis kelamin tidak sesuai dengan angka ke-15 NIP (1 = laki-laki, 2 = perempuan).")
            )
    if tmt_cpns and not is_pppk and (tmt_cpns.year, tmt_cpns.month) != (parts.tmt_year, parts.tmt_month):
        errors.append(("tmt_cpns", "TMT CPNS tidak sama dengan tahun-bulan TMT pada NIP."))
    return errors
