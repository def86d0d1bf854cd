"""What an OPD configures before it issues: kop surat (letterhead and logo) and signers."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from ... import uploads
from ...domain import DomainError
from ...domain.nip import normalize as normalize_nip
from ...extensions import db
from ...models import DocType, Letterhead, SignerConfig, Unit, UnitKind

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
