"""Uploads waiting for confirmation (read → preview → confirm), kept in the database under an unguessable token.

Any web host can show the preview and take the confirmation, and a worker on any host can run the import: nothing
of it lies on one host's disk. Only the uploader may use a token; a token older than a day is gone. The caller
commits (`save` in the upload request, `discard` with the import it belonged to).
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from ..extensions import db
from ..models import StagedUpload, utcnow

MAX_AGE = timedelta(days=1)
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def save(kind: str, user_id: int, filename: str, payload: dict, data: bytes | None = None) -> str:
    """Stage the read file (`payload`, and the file's bytes when the import reads it again); returns its token.
    Uploads never confirmed are purged here after a day."""
    purge_old()
    token = secrets.token_urlsafe(32)
    staged = StagedUpload(token=token, user_id=user_id, kind=kind, filename=filename[:255], payload=payload, data=data)
    db.session.add(staged)
    db.session.flush()
    return token


def load(kind: str, token: str, user_id: int | None, *, any_user: bool = False) -> StagedUpload | None:
    """The staged upload, or None when the token is malformed, unknown, expired, of another kind or someone else's
    (`any_user`: the caller checks who may use it, e.g. any operator of the upload's unit)."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    staged = db.session.scalars(select(StagedUpload).where(StagedUpload.token == token)).first()
    if staged is None or staged.kind != kind or (staged.user_id != user_id and not any_user):
        return None
    created = staged.created_at if staged.created_at.tzinfo else staged.created_at.replace(tzinfo=utcnow().tzinfo)
    if utcnow() - created > MAX_AGE:
        return None
    return staged


def discard(token: str) -> None:
    if _TOKEN.fullmatch(token or ""):
        db.session.execute(delete(StagedUpload).where(StagedUpload.token == token))


def purge_old() -> None:
    db.session.execute(delete(StagedUpload).where(StagedUpload.created_at < utcnow() - MAX_AGE))
