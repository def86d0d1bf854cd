"""SKP pages (HTTP only): each module registers its routes on the `skp` blueprint."""

from . import admin, cascade, documents, drafting, editor, mine, pages, progress, workflow  # noqa: F401
