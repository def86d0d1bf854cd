"""Per-table forms for the regional payroll rule tables, and the preview of a draft on last month's run."""

from .cells import (
    Cell,
    Column,
    RowSpec,
    TableForm,
    display,
    parse,
    read_cells,
    read_rows,
    typed_from_payload,
    typed_from_submission,
)
from .tables import FORMS

__all__ = [
    "FORMS",
    "Cell",
    "Column",
    "RowSpec",
    "TableForm",
    "display",
    "parse",
    "read_cells",
    "read_rows",
    "typed_from_payload",
    "typed_from_submission",
]
