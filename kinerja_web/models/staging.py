"""Uploads read and waiting for their preview to be confirmed: kept in the database, not on one host's disk, so
any web host can show and confirm the preview and a worker on any host can run the import."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import TZDateTime, utcnow


class StagedUpload(db.Model):
    __tablename__ = "staged_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # unguessable; only its uploader may use it
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # which import it is for, e.g. "import_pegawai"
    filename: Mapped[str] = mapped_column(String(255))
    payload: Mapped[dict] = mapped_column(JSON)  # the read table (headers, rows, warnings), or what the import needs
    data: Mapped[bytes | None] = mapped_column(LargeBinary)  # the file itself, when the import reads it again
    created_at: Mapped[datetime] = mapped_column(TZDateTime, default=utcnow, index=True)
