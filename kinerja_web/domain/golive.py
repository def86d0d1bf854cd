"""Go-live readiness rules: which shipped rule rows are still examples, and how a document says so.

The shipped regional values ([R]: TPP pagu, split, predikat mapping, deduction bands, status factors, PPh
mode, per-JF allowances) carry "CONTOH" in their citation until an administrator enters the regency's own
version (Perbup TPP Kab. Lampung Utara). A version entered without that word is a real one.
"""

from __future__ import annotations

EXAMPLE_MARKER = "CONTOH"
EXAMPLE_MARK = "CONTOH — belum berdasarkan Perbup"


def is_example_citation(citation: str | None) -> bool:
    """True for a rule citation still marked as an example (the uppercase word CONTOH)."""
    return EXAMPLE_MARKER in (citation or "")
