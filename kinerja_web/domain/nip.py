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
class NipRules:
    """The parameters of the NIP checks, a versioned rule (`domain.rating_rules`, table `aturan_nip`).

    The 18-digit layout itself is fixed by Perka BKN 22/2007; what a later rule may change: the digits for
    laki-laki/perempuan, how many months must lie between birth and TMT CPNS, whether a PPPK number's middle
    block is checked as a TMT, and the lowest sequence number. `NipRules()` is today's behaviour.
    """

    kode_laki: int = 1
    kode_perempuan: int = 2
    selisih_minimal_bulan: int = 1  # TMT CPNS at least this many months after the birth month
    periksa_tmt_pppk: bool = False
    nomor_urut_minimal: int = 1
    sumber: str = "Peraturan Kepala BKN 22/2007"

    def problems(self) -> list[tuple[str, str]]:
        """(field, Indonesian message) for an invalid set of parameters; empty when valid."""
        out = []
        for name, value in (("kode_laki", self.kode_laki), ("kode_perempuan", self.kode_perempuan)):
            if not 0 <= value <= 9:
                out.append((name, "Kode jenis kelamin adalah satu angka 0–9."))
        if self.kode_laki == self.kode_perempuan:
            out.append(("kode_perempuan", "Kode laki-laki dan perempuan harus berbeda."))
        if not 0 <= self.selisih_minimal_bulan <= 840:
            out.append(("selisih_minimal_bulan", "Selisih lahir–TMT CPNS 0–840 bulan."))
        if not 1 <= self.nomor_urut_minimal <= 999:
            out.append(("nomor_urut_minimal", "Nomor urut minimal 1–999."))
        return out


DEFAULT_NIP_RULES = NipRules()


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


def parse(nip: str, *, is_pppk: bool = False, rules: NipRules = DEFAULT_NIP_RULES) -> NipParts:
    """Parse and validate a normalized NIP under `rules`; raise DomainError with an Indonesian message."""
    # isascii: str.isdigit() also accepts full-width and other Unicode digits, which int() would read.
    if len(nip) != NIP_LENGTH or not (nip.isascii() and nip.isdigit()):
        raise DomainError("NIP harus terdiri dari 18 angka.", field="nip")
    try:
        birth = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise DomainError("8 angka pertama NIP bukan tanggal lahir yang sah.", field="nip") from None
    tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    if not is_pppk or rules.periksa_tmt_pppk:
        if not 1 <= tmt_month <= 12:
            raise DomainError("Angka ke-9 s.d. 14 NIP harus TMT CPNS (tahun dan bulan 01–12).", field="nip")
        months_after_birth = (tmt_year - birth.year) * 12 + (tmt_month - birth.month)
        if months_after_birth < max(rules.selisih_minimal_bulan, 1):
            if rules.selisih_minimal_bulan <= 1:
                raise DomainError("TMT CPNS pada NIP harus setelah tanggal lahir.", field="nip")
            raise DomainError(
                f"TMT CPNS pada NIP harus paling sedikit {rules.selisih_minimal_bulan} bulan setelah bulan lahir "
                f"({rules.sumber}).",
                field="nip",
            )
    gender = int(nip[14])
    if gender not in (rules.kode_laki, rules.kode_perempuan):
        raise DomainError(
            f"Angka ke-15 NIP (jenis kelamin) harus {rules.kode_laki} atau {rules.kode_perempuan}.", field="nip"
        )
    seq = int(nip[15:])
    if seq < rules.nomor_urut_minimal:
        raise DomainError(f"Nomor urut NIP (3 angka terakhir) harus {rules.nomor_urut_minimal:03d}–999.", field="nip")
    return NipParts(birth, tmt_year, tmt_month, gender, seq)


def consistency_errors(
    nip: str,
    *,
    birth_date: date | None,
    gender: str | None,
    tmt_cpns: date | None,
    is_pppk: bool = False,
    rules: NipRules = DEFAULT_NIP_RULES,
) -> list[tuple[str, str]]:
    """Return (field, message) pairs where the NIP disagrees with the other fields of the record.

    The NIP encodes birth date, TMT CPNS and gender (§7.4), so a record whose fields disagree
    with its own NIP is a data-entry error that HR must fix.
    """
    try:
        parts = parse(nip, is_pppk=is_pppk, rules=rules)
    except DomainError as e:
        return [("nip", e.message)]
    errors: list[tuple[str, str]] = []
    if birth_date and birth_date != parts.birth_date:
        errors.append(("birth_date", "Tanggal lahir tidak sama dengan tanggal lahir pada NIP."))
    if gender:
        expected = "L" if parts.gender_digit == rules.kode_laki else "P"
        if gender != expected:
            errors.append(
                (
                    "gender",
                    f"Jenis kelamin tidak sesuai dengan angka ke-15 NIP ({rules.kode_laki} = laki-laki, "
                    f"{rules.kode_perempuan} = perempuan).",
                )
            )
    if tmt_cpns and not is_pppk and (tmt_cpns.year, tmt_cpns.month) != (parts.tmt_year, parts.tmt_month):
        errors.append(("tmt_cpns", "TMT CPNS tidak sama dengan tahun-bulan TMT pada NIP."))
    return errors
