"""Master data against SIASN: read an export of SIASN's data utama (CSV/XLSX), match rows by NIP and list who
differs in what, who is only in SIASN and who only in Kinerja. Column titles are recognised through the aliases in
`siasn_data_utama.csv` (replaceable per installation)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...domain import DomainError
from ...domain.labels import tanggal
from ...extensions import db
from ...models import Employee
from ..employees.import_files import ImportFileError, parse_date, read_upload
from . import layouts

LABELS = {
    "nama": "Nama",
    "tanggal_lahir": "Tanggal lahir",
    "jenis_kelamin": "Jenis kelamin",
    "golongan": "Golongan",
    "jabatan": "Jabatan",
    "unit": "Unit kerja",
    "status": "Status kepegawaian",
}
MALE = {"L", "LAKI LAKI", "PRIA", "M", "1"}
FEMALE = {"P", "PEREMPUAN", "WANITA", "F", "2"}


@dataclass(frozen=True)
class Difference:
    nip: str
    nama: str
    field: str
    kinerja: str
    siasn: str


@dataclass
class Report:
    filename: str
    rows_read: int = 0
    compared_fields: list[str] = field(default_factory=list)
    missing_fields: list[str] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    only_in_siasn: list[tuple[str, str]] = field(default_factory=list)  # (nip, nama)
    only_in_kinerja: list[tuple[str, str]] = field(default_factory=list)
    row_errors: list[tuple[int, str]] = field(default_factory=list)  # (row number, message)

    @property
    def people_differing(self) -> int:
        return len({d.nip for d in self.differences})


def _plain(value: str | None) -> str:
    """For comparing free text: upper case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", (value or "").upper()).split())


def _gender(value: str) -> str | None:
    v = _plain(value)
    return "L" if v in MALE else "P" if v in FEMALE else None


def _golongan(value: str) -> str:
    return re.sub(r"\s+", "", (value or "").upper())


def _kinerja_values(e: Employee) -> dict[str, str]:
    return {
        "nama": e.name,
        "tanggal_lahir": tanggal(e.birth_date) if e.birth_date else "",
        "jenis_kelamin": e.gender.label,
        "golongan": e.golongan,
        "jabatan": e.position.full_name if e.position else "",
        "unit": e.unit.name if e.unit else "",
        "status": e.status_asn.label,
    }


def _same(field_name: str, ours: Employee, theirs: str) -> bool | None:
    """True/False, or None when their value cannot be read (reported as a row error)."""
    if field_name == "nama":
        return _plain(ours.name) == _plain(theirs)
    if field_name == "tanggal_lahir":
        try:
            return parse_date(theirs) == ours.birth_date
        except ValueError:
            return None
    if field_name == "jenis_kelamin":
        g = _gender(theirs)
        return None if g is None else g == ours.gender.value
    if field_name == "golongan":
        return _golongan(theirs) == _golongan(ours.golongan)
    if field_name == "jabatan":
        mine = {_plain(ours.position.full_name), _plain(ours.position.name)} if ours.position else {""}
        return _plain(theirs) in mine
    if field_name == "unit":
        return _plain(theirs) == _plain(ours.unit.name if ours.unit else "")
    if field_name == "status":
        return (
            ours.status_asn.label.upper() in _plain(theirs).split() or _plain(theirs) == ours.status_asn.label.upper()
        )
    return True


def _columns(headers: list[str]) -> dict[str, int]:
    aliases = layouts.header_aliases()
    normed = [layouts.norm(h) for h in headers]
    found: dict[str, int] = {}
    for fname, names in aliases.items():
        for i, h in enumerate(normed):
            if h in names:
                found[fname] = i
                break
    return found


def compare(filename: str, data: bytes) -> Report:
    """The reconciliation report; an unreadable file or one without a NIP column raises DomainError(field="file")."""
    try:
        table = read_upload(filename, data)
    except ImportFileError as e:
        raise DomainError(e.message, field="file") from None
    cols = _columns(table.headers)
    if "nip" not in cols:
        raise DomainError(
            "Kolom NIP tidak ditemukan. Judul kolom yang dikenali untuk NIP: "
            + ", ".join(layouts.header_aliases().get("nip", [])),
            field="file",
        )
    report = Report(filename=table.filename)
    report.compared_fields = [LABELS[f] for f in LABELS if f in cols]
    report.missing_fields = [LABELS[f] for f in LABELS if f not in cols]
    ours = {
        e.nip: e
        for e in db.session.scalars(
            select(Employee)
            .where(Employee.active.is_(True))
            .options(joinedload(Employee.position), joinedload(Employee.unit))
        )
    }
    seen: set[str] = set()
    for row_no, cells in table.rows:
        report.rows_read += 1

        def cell(name: str, cells=cells) -> str:
            i = cols.get(name)
            return cells[i].strip() if i is not None and i < len(cells) and cells[i] is not None else ""

        nip = re.sub(r"\D", "", cell("nip"))
        if len(nip) != 18:
            report.row_errors.append((row_no, f"NIP “{cell('nip')}” bukan 18 digit; baris dilewati."))
            continue
        if nip in seen:
            report.row_errors.append((row_no, f"NIP {nip} muncul lebih dari sekali; baris ini dilewati."))
            continue
        seen.add(nip)
        emp = ours.get(nip)
        if emp is None:
            report.only_in_siasn.append((nip, cell("nama")))
            continue
        mine = _kinerja_values(emp)
        for fname in LABELS:
            if fname not in cols:
                continue
            theirs = cell(fname)
            same = _same(fname, emp, theirs)
            if same is None:
                report.row_errors.append((row_no, f"{LABELS[fname]} “{theirs}” tidak dapat dibaca."))
            elif not same:
                report.differences.append(Difference(nip, emp.full_name, LABELS[fname], mine[fname], theirs))
    report.only_in_kinerja = sorted((n, e.full_name) for n, e in ours.items() if n not in seen)
    return report


REPORT_COLUMNS = [
    layouts.Column("NIP", "nip"),
    layouts.Column("Nama", "nama"),
    layouts.Column("Data", "data"),
    layouts.Column("Kinerja", "kinerja"),
    layouts.Column("SIASN", "siasn"),
]


def records(report: Report) -> list[dict[str, object]]:
    """The report as rows for the XLSX download: differences, then people only on one side."""
    out: list[dict[str, object]] = [
        {"nip": d.nip, "nama": d.nama, "data": d.field, "kinerja": d.kinerja, "siasn": d.siasn}
        for d in report.differences
    ]
    out += [
        {"nip": n, "nama": m, "data": "Hanya di SIASN", "kinerja": "", "siasn": "ada"} for n, m in report.only_in_siasn
    ]
    out += [
        {"nip": n, "nama": m, "data": "Hanya di Kinerja", "kinerja": "ada", "siasn": ""}
        for n, m in report.only_in_kinerja
    ]
    return out
