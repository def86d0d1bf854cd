"""Go-live readiness: what is still missing before the app can be used for real (issue 19 item 3).

One checklist for the administrator (read by HR and finance): example payroll rule rows still in force, document
types that no unit can issue yet (signer, number register, kop surat), units without kop surat, employees without
bank account or PTKP status, and the data-quality queue. Every item says where it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select

from ...domain.documents import DocType
from ...domain.golive import is_example_citation
from ...domain.labels import tanggal
from ...domain.payroll.special import SPECIAL_RULE_CODE
from ...extensions import db
from ...models import (
    Employee,
    Letterhead,
    NumberRegister,
    PayrollRuleVersion,
    SignerConfig,
    Unit,
)
from ..documents.configuration import opd_choices
from ..documents.specs import Numbering, spec_for
from ..org.data_quality import data_quality_issues
from ..payroll.rule_forms import FORMS as RULE_FORMS
from ..payroll.rules import rule_labels

# How many people/units a section lists by name before it only counts the rest.
SHOWN = 50


@dataclass(frozen=True)
class Item:
    """One thing to fix: what, why, and the page (endpoint and arguments) where it is fixed."""

    title: str
    detail: str
    fix_endpoint: str
    fix_args: dict = field(default_factory=dict)
    fix_label: str = "Perbaiki"


@dataclass
class Section:
    key: str
    title: str
    explanation: str
    items: list[Item]
    total: int  # may exceed len(items) when only the first SHOWN are listed

    @property
    def ready(self) -> bool:
        return self.total == 0


def _in_force_on(rows: list[PayrollRuleVersion], day: date) -> PayrollRuleVersion | None:
    started = [r for r in rows if r.berlaku_mulai <= day]
    if not started:
        return None
    chosen = max(started, key=lambda r: r.berlaku_mulai)
    return chosen if chosen.berlaku_sampai is None or chosen.berlaku_sampai >= day else None


def example_rules(on: date) -> list[Item]:
    """Rule tables whose version in force on `on` is still a shipped example (citation marked CONTOH)."""
    labels = rule_labels()
    by_code: dict[str, list[PayrollRuleVersion]] = {}
    for r in db.session.scalars(select(PayrollRuleVersion).order_by(PayrollRuleVersion.berlaku_mulai)):
        by_code.setdefault(r.code, []).append(r)
    if not by_code:
        return [
            Item(
                "Aturan gaji belum dimuat",
                "Belum ada satu pun tabel aturan: jalankan flask payroll muat-aturan, lalu ganti nilai contoh dengan Perbup.",
                "payroll.rules",
            )
        ]
    items = []
    for code in sorted(by_code, key=lambda c: (c == SPECIAL_RULE_CODE, labels.get(c, c))):
        rows = by_code[code]
        current = _in_force_on(rows, on)
        if current is None or not is_example_citation(current.citation):
            continue
        later = [r for r in rows if r.berlaku_mulai > on and not is_example_citation(r.citation)]
        when = f"; diganti mulai {tanggal(later[0].berlaku_mulai)}" if later else ""
        detail = f"Berlaku sejak {tanggal(current.berlaku_mulai)}{when}: {current.citation}"
        if code in RULE_FORMS:  # a regional table with its own form is fixed there rather than as JSON
            items.append(Item(labels.get(code, code), detail, "payroll.rule_form", {"code": code}, "Isi versi Perbup"))
        else:
            anchor = {"_anchor": f"versi-{current.version_id}"}
            items.append(Item(labels.get(code, code), detail, "payroll.rules", anchor, "Tambah versi sesuai Perbup"))
    return items


def _units_with(model, doc_type: DocType | None = None, year: int | None = None) -> set[int]:
    stmt = select(model.unit_id).distinct()
    if doc_type is not None:
        stmt = stmt.where(model.doc_type == doc_type)
    if year is not None:
        stmt = stmt.where(model.year <= year)
    return set(db.session.scalars(stmt))


def document_gaps(year: int) -> list[Item]:
    """Per document type: no unit has everything the type needs (kop surat, signer, number register), or a
    unit began configuring the type and lacks a part."""
    names = {u.id: u.name for u in db.session.scalars(select(Unit))}
    with_letterhead = _units_with(Letterhead)
    items = []
    for doc_type in DocType:
        spec = spec_for(doc_type)
        needs: list[tuple[str, set[int], str]] = []
        if spec.letterhead_required:
            needs.append(("kop surat", with_letterhead, "documents.settings"))
        if spec.signer is None:
            needs.append(("penanda tangan", _units_with(SignerConfig, doc_type), "documents.settings"))
        if spec.numbering is Numbering.REQUIRED:
            needs.append((f"register nomor {year}", _units_with(NumberRegister, doc_type, year), "documents.registers"))
        if not needs:
            continue
        started = set().union(*(units for label, units, _ in needs if label != "kop surat"))
        ready = set.intersection(*(units for _, units, _ in needs))
        if not ready:
            missing = [label for label, units, _ in needs if not units]
            first_fix = next((ep for label, units, ep in needs if not units), needs[0][2])
            detail = (
                f"Belum ada unit yang dapat menerbitkan dokumen ini: {', '.join(missing)} belum diatur."
                if missing
                else "Belum ada satu unit pun yang memiliki kop surat, penanda tangan, dan register nomornya sekaligus."
            )
            items.append(Item(doc_type.label, detail, first_fix))
        for unit_id in sorted(started - ready, key=lambda i: names.get(i, "")):
            lacking = [(label, ep) for label, units, ep in needs if unit_id not in units]
            items.append(
                Item(
                    f"{doc_type.label} — {names.get(unit_id, unit_id)}",
                    f"Unit ini sudah mulai diatur, tetapi {', '.join(label for label, _ in lacking)} belum ada.",
                    lacking[0][1],
                )
            )
    return items


def units_without_letterhead() -> list[Item]:
    """OPD (and the pemda itself) without a kop surat: documents they issue cannot be printed."""
    have = _units_with(Letterhead)
    return [Item(u.name, "Kop surat belum diatur.", "documents.settings") for u in opd_choices() if u.id not in have]


def _blank(column):
    return or_(column.is_(None), func.trim(column) == "")


def employees_missing_pay_data() -> tuple[list[Item], int]:
    """Active employees a payroll run would refuse or could not pay: no PTKP status, no bank or account."""
    stmt = (
        select(Employee)
        .where(
            Employee.active.is_(True),
            or_(_blank(Employee.ptkp_status), _blank(Employee.bank_name), _blank(Employee.bank_account)),
        )
        .order_by(Employee.name, Employee.id)
    )
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    items = []
    for e in db.session.scalars(stmt.limit(SHOWN)):
        missing = [
            label
            for label, value in (
                ("status PTKP", e.ptkp_status),
                ("nama bank", e.bank_name),
                ("nomor rekening", e.bank_account),
            )
            if not (value or "").strip()
        ]
        items.append(
            Item(
                f"{e.full_name} (NIP {e.nip})",
                f"Belum ada {', '.join(missing)}.",
                "employees.edit",
                {"employee_id": e.id},
                "Ubah data pegawai",
            )
        )
    return items, total


def checklist(on: date) -> list[Section]:
    """The whole go-live checklist as of `on` (the rule in force for that day, that year's registers)."""
    rules = example_rules(on)
    docs = document_gaps(on.year)
    kop = units_without_letterhead()
    people, people_total = employees_missing_pay_data()
    dq = len(data_quality_issues(on))
    dq_items = (
        [
            Item(
                f"{dq} masalah kualitas data",
                "Atasan, jabatan, NIP, dan Plt/Plh yang perlu diperbaiki.",
                "org.data_quality",
            )
        ]
        if dq
        else []
    )
    return [
        Section(
            "aturan",
            "Aturan gaji contoh yang masih berlaku",
            "Nilai daerah ([R]) yang dikirim bersama aplikasi hanyalah CONTOH. Gaji dan TPP yang dihitung dengannya "
            "ditandai “CONTOH — belum berdasarkan Perbup” sampai versi sesuai Perbup dimasukkan.",
            rules,
            len(rules),
        ),
        Section(
            "dokumen",
            "Dokumen resmi yang belum dapat diterbitkan",
            "Setiap jenis dokumen memerlukan kop surat, penanda tangan, dan (untuk surat bernomor) register nomor.",
            docs,
            len(docs),
        ),
        Section(
            "kop", "Unit tanpa kop surat", "OPD yang belum dapat mencetak dokumen dengan kop suratnya.", kop, len(kop)
        ),
        Section(
            "pegawai",
            "Pegawai tanpa rekening bank atau status PTKP",
            "Proses penggajian menolak pegawai tanpa status PTKP, dan berkas transfer bank memerlukan bank dan nomor rekening.",
            people,
            people_total,
        ),
        Section("kualitas", "Kualitas data kepegawaian", "Antrean kualitas data (menu Kualitas Data).", dq_items, dq),
    ]
