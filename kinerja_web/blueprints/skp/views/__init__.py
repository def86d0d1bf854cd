"""SKP pages (HTTP only): each module registers its routes on the `skp` blueprint."""

# The nightly SKP job registers itself on import (@jobs.periodic_setup) until jobs/registry.py lists it.
from ....services.skp import rerouting  # noqa: F401
from . import admin, cascade, documents, drafting, editor, mine, progress, workflow  # noqa: F401
