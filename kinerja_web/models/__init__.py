"""All models, imported here so Alembic and create_all see every table."""

from .audit import AuditLog
from .base import LabeledEnum, enum_column, utcnow
from .document import (
    Acting,
    DocStatus,
    DocType,
    EntryStatus,
    IssuedDocument,
    Letterhead,
    NumberEntry,
    NumberRegister,
    RateLimitHit,
    SignerConfig,
    document_subject,
)
from .job import Job, JobStatus
from .notification import Notification
from .org import (
    AssignmentKind,
    Employee,
    FamilyMember,
    FamilyRelation,
    Gender,
    Position,
    PositionAssignment,
    PositionKind,
    StatusAsn,
    Unit,
    UnitKind,
)
from .user import Role, User, UserRole

__all__ = [
    "Acting",
    "DocStatus",
    "DocType",
    "EntryStatus",
    "IssuedDocument",
    "Letterhead",
    "NumberEntry",
    "NumberRegister",
    "RateLimitHit",
    "SignerConfig",
    "document_subject",
    "AssignmentKind",
    "AuditLog",
    "Employee",
    "FamilyMember",
    "FamilyRelation",
    "Gender",
    "Job",
    "JobStatus",
    "LabeledEnum",
    "Notification",
    "Position",
    "PositionAssignment",
    "PositionKind",
    "Role",
    "StatusAsn",
    "Unit",
    "UnitKind",
    "User",
    "UserRole",
    "enum_column",
    "utcnow",
]
