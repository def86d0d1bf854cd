"""Public verification: a document by its code or by the bytes of a PDF, and the lookup rate limiter."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select

from ...domain.documents import DocStatus
from ...extensions import db
from ...models import IssuedDocument, RateLimitHit, utcnow


def find_by_code(code: str) -> IssuedDocument | None:
    return db.session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.verification_code == code, IssuedDocument.status != DocStatus.PENDING
        )
    )


def find_by_pdf(data: bytes) -> IssuedDocument | None:
    """Byte-identity check: the SHA-256 of an uploaded file against the stored hashes."""
    digest = hashlib.sha256(data).hexdigest()
    return db.session.scalar(select(IssuedDocument).where(IssuedDocument.sha256 == digest))


def rate_limited(key: str, limit: int, window_s: int = 60) -> bool:
    """Fixed-window limiter stored in the database, so every web process of the server shares it.

    Records this hit and answers whether `key` exceeded `limit` hits within the last `window_s` seconds.
    The caller commits (the hit must count even when the lookup finds nothing).
    """
    now = utcnow()
    since = now - timedelta(seconds=window_s)
    count = db.session.scalar(
        select(func.count(RateLimitHit.id)).where(RateLimitHit.key == key, RateLimitHit.at >= since)
    )
    if count >= limit:
        return True
    db.session.add(RateLimitHit(key=key, at=now))
    if secrets.randbelow(50) == 0:  # prune old hits now and then
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.at < now - timedelta(hours=1)))
    db.session.flush()
    return False
