"""SKP pages (HTTP only): each module registers its routes on the `skp` blueprint."""

from . import admin, cascade, documents, drafting, editor, mine, progress, workflow  # noqa: F401
