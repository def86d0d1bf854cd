"""SKP pages (HTTP only): each module registers its routes on the `skp` blueprint."""

from . import editor  # noqa: F401
