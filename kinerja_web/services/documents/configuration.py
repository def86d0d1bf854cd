"""What an OPD configures before it issues: kop surat (letterhead and logo), signers and number registers."""

from __future__ import annotations

import hashlib
import io

from PIL import Image
from sqlalchemy import select

from ... import uploads
from ...domain import DomainError
from ...domain.documents import DocType
from ...domain.nip import normalize as normalize_nip
from ...domain.numbering import validate_pattern
from ...extensions import db
from ...models import Employee, Letterhead, NumberEntry, NumberRegister, SignerConfig, Unit, UnitKind

LOGO_MAX_BYTES = 512 * 1024
LOGO_MAX_PIXELS = 2000 * 2000
LOGO_TYPES = (uploads.PNG, uploads.JPEG)


def validate_logo(data: bytes) -> uploads.Checked:
    """A PNG/JPEG of at most 512 KB and 2000×2000 px, decoded and cut at its end; DomainError on "logo" otherwise."""
    if not data:
        raise DomainError("Berkas logo kosong.", field="logo")
    if len(data) > LOGO_MAX_BYTES:
        raise DomainError(f"Logo terlalu besar ({len(data) // 1024} KB); maksimal 512 KB.", field="logo")
    logo = uploads.check_file(data, LOGO_TYPES, field="logo", not_allowed="Berkas logo bukan gambar PNG/JPEG yang sah.")
    with Image.open(io.BytesIO(logo.data)) as img:
        width, height = img.size
    if width * height > LOGO_MAX_PIXELS:
        raise DomainError(f"Ukuran logo {width}×{height} piksel terlalu besar; maksimal 2000×2000.", field="logo")
    return logo


def validate_signer_nip(raw: str) -> str:
    nip = normalize_nip(raw)
    if not nip:
        raise DomainError("NIP penanda tangan wajib diisi.", field="nip")
    if len(nip) != 18 or not nip.isdigit():
        raise DomainError("NIP penanda tangan harus 18 angka.", field="nip")
    return nip


def opd_choices() -> list[Unit]:
    return list(
        db.session.scalars(select(Unit).where(Unit.kind.in_((UnitKind.OPD, UnitKind.PEMDA))).order_by(Unit.name))
    )


def letterhead_for(unit_id: int) -> Letterhead:
    lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == unit_id))
    if lh is None:
        raise DomainError("Kop surat untuk unit penerbit belum diatur (menu Dokumen › Pengaturan).")
    return lh


def signer_for(unit_id: int, doc_type: DocType) -> SignerConfig:
    s = db.session.scalar(
        select(SignerConfig).where(SignerConfig.unit_id == unit_id, SignerConfig.doc_type == doc_type)
    )
    if s is None:
        raise DomainError(f"Penanda tangan untuk {doc_type.label} belum diatur (menu Dokumen › Pengaturan).")
    return s


# --- kop surat -----------------------------------------------------------------------------------------


def letterheads() -> list[Letterhead]:
    return list(db.session.scalars(select(Letterhead).order_by(Letterhead.id)))


def save_letterhead(unit_id: int, fields: dict[str, str], contact: str | None, logo_data: bytes | None) -> Letterhead:
    """Create or update the unit's kop surat; `logo_data` None keeps the stored logo. DomainError on "logo"."""
    logo = validate_logo(logo_data) if logo_data is not None else None
    lh = db.session.scalar(select(Letterhead).where(Letterhead.unit_id == unit_id))
    if lh is None:
        lh = Letterhead(unit_id=unit_id)
        db.session.add(lh)
    for name, value in fields.items():
        setattr(lh, name, value.strip())
    lh.contact = (contact or "").strip() or None
    if logo:
        lh.logo, lh.logo_mime = logo.data, logo.mimetype
        lh.logo_sha256 = hashlib.sha256(logo.data).hexdigest()
    db.session.flush()
    return lh


# --- signers -------------------------------------------------------------------------------------------


def signers() -> list[SignerConfig]:
    return list(db.session.scalars(select(SignerConfig).order_by(SignerConfig.unit_id, SignerConfig.doc_type)))


def fill_from_employee(data: dict[str, str], emp: Employee | None) -> dict[str, str]:
    """A current employee picked as signer fills what the form left empty."""
    if emp is None:
        return data
    return {
        **data,
        "name": data["name"] or emp.full_name,
        "nip": data["nip"] or emp.nip,
        "pangkat": data["pangkat"] or emp.pangkat,
        "jabatan": data["jabatan"] or (emp.position.full_name.upper() if emp.position else ""),
    }


def save_signer(unit_id: int, doc_type: DocType, data: dict[str, str], acting: str, employee_id: int | None) -> None:
    """Create or update the signer of a document type for the unit (fields already checked)."""
    s = db.session.scalar(
        select(SignerConfig).where(SignerConfig.unit_id == unit_id, SignerConfig.doc_type == doc_type)
    )
    if s is None:
        s = SignerConfig(unit_id=unit_id, doc_type=doc_type)
        db.session.add(s)
    for k, v in data.items():
        setattr(s, k, v)
    s.acting = acting
    s.employee_id = employee_id
    db.session.flush()


# --- number registers ----------------------------------------------------------------------------------


def registers() -> list[NumberRegister]:
    return list(db.session.scalars(select(NumberRegister).order_by(NumberRegister.year.desc(), NumberRegister.id)))


def save_register(unit_id: int, doc_type: DocType, year: int, pattern: str, kode_unit: str) -> NumberRegister:
    """Create or update the register of the year; DomainError on "pattern" for a pattern the numbering rules refuse."""
    pattern = validate_pattern(pattern)
    reg = db.session.scalar(
        select(NumberRegister).where(
            NumberRegister.unit_id == unit_id, NumberRegister.doc_type == doc_type, NumberRegister.year == year
        )
    )
    if reg is None:
        reg = NumberRegister(unit_id=unit_id, doc_type=doc_type, year=year)
        db.session.add(reg)
    reg.pattern, reg.kode_unit = pattern, kode_unit.strip()
    db.session.flush()
    return reg


def register_entries(register_id: int) -> list[NumberEntry]:
    return list(
        db.session.scalars(select(NumberEntry).where(NumberEntry.register_id == register_id).order_by(NumberEntry.seq))
    )
