"""Manual pay facts (issue 20 item 6): a one-off amount for one component of one employee-month that the
rules cannot express (e.g. a court-ordered correction), entered with reason and document and approved by a
second person. It travels in the employee's input snapshot, so `flask payroll verify` reproduces the month.

The line is marked manual everywhere it appears: its code starts with `MANUAL_`, its label ends with
"(manual)", its rule version is `manual#<id>` and its inputs carry the reason, document and approver. A manual
amount is paid or deducted as entered and is not part of the month's PPh 21 base (the rules cannot say how it
is taxed; a taxable correction belongs in the rules or in a compensating run).
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import DomainError
from .lines import Bagian, Line, LineKind

MANUAL_PREFIX = "MANUAL_"
MANUAL_VERSION_PREFIX = "manual#"
MAX_AMOUNT = 1_000_000_000  # one billion rupiah: a typo guard, not a rule


@dataclass(frozen=True)
class ManualAmount:
    """An approved manual amount as the computation sees it (snapshotted with the employee's inputs)."""

    ref: int  # the row's id
    label: str
    amount: int
    kind: LineKind
    bagian: Bagian
    reason: str
    document: str
    approved_by: str


def is_manual(line_code: str) -> bool:
    return line_code.startswith(MANUAL_PREFIX)


def manual_line(m: ManualAmount) -> Line:
    return Line(
        f"{MANUAL_PREFIX}{m.ref}",
        f"{m.label} (manual)",
        m.amount,
        m.kind,
        m.bagian,
        f"Penetapan manual: {m.reason} (dasar: {m.document}; disetujui oleh {m.approved_by})",
        f"{MANUAL_VERSION_PREFIX}{m.ref}",
        (("manual", True), ("alasan", m.reason), ("dokumen", m.document), ("disetujui_oleh", m.approved_by)),
    )


def manual_lines(items: tuple[ManualAmount, ...]) -> tuple[Line, ...]:
    return tuple(manual_line(m) for m in sorted(items, key=lambda m: m.ref))


def check_manual(label: str, amount: int | None, kind: str, bagian: str, reason: str, document: str) -> dict[str, str]:
    """Per-field Indonesian messages for a manual amount being entered; empty when it may be saved."""
    errors: dict[str, str] = {}
    if not (label or "").strip():
        errors["label"] = "Nama komponen wajib diisi."
    elif len(label.strip()) > 80:
        errors["label"] = "Nama komponen paling panjang 80 karakter."
    if amount is None:
        errors["amount"] = "Isi jumlah rupiah tanpa desimal, misalnya 1.250.000."
    elif amount <= 0:
        errors["amount"] = "Jumlah harus lebih dari nol; pilih jenis potongan untuk mengurangi gaji."
    elif amount > MAX_AMOUNT:
        errors["amount"] = "Jumlah lebih dari Rp1.000.000.000; periksa kembali."
    if kind not in (LineKind.PENGHASILAN.value, LineKind.POTONGAN.value):
        errors["kind"] = "Pilih penghasilan atau potongan."
    if bagian not in (Bagian.GAJI.value, Bagian.TPP.value):
        errors["bagian"] = "Pilih bagian gaji atau TPP."
    if not (reason or "").strip():
        errors["reason"] = "Alasan wajib diisi: mengapa aturan tidak dapat menghitung kasus ini."
    if not (document or "").strip():
        errors["document"] = "Dasar dokumen wajib diisi (nomor dan tanggal putusan, SK, atau berita acara)."
    return errors


def approval_refusal(maker_id: int, approver_id: int) -> str | None:
    """Maker-checker: the person who entered a manual amount never approves it."""
    if maker_id == approver_id:
        raise DomainError(
            "Jumlah manual tidak dapat disetujui oleh pembuatnya sendiri; persetujuan harus oleh petugas lain "
            "(pembuat–pemeriksa).",
            "decision",
        )
    return None
