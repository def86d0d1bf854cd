"""Annual bukti potong PPh 21 per employee (issue 20 item 9): the form for ASN paid from the APBD
(`domain.payroll.ptkp_year.bukti_potong_form`: 1721-A2 up to 2024, BPA2 from 2025), issued once as a PDF
through the documents service, and an XML export of the year's slips for the tax office's application.

Figures: every final Kinerja run of the year (all kinds) plus the imported months before go-live; the annual
computation is the December true-up's (`ResolvedRules.pph_tahunan`) with the year's PTKP status.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from xml.etree import ElementTree as ET

from sqlalchemy import func, select

from ...domain import DomainError
from ...domain.documents import DocStatus, DocType
from ...domain.payroll.ptkp_year import bukti_potong_form
from ...domain.terbilang import terbilang
from ...extensions import db
from ...models import (
    Employee,
    IssuedDocument,
    Job,
    PayrollLine,
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
    RunStatus,
    YtdEntry,
)
from ..documents import issuing as docs
from ..documents.configuration import signer_for
from ..documents.specs import DocSpec, Numbering
from ..jobs import enqueue
from .rules import load_rules

# Form rows (1721-A2 / BPA2 layout) ← payslip line codes (penghasilan). The rest of the bruto is "lain-lain".
FIELDS = (
    ("gaji_pokok", "Gaji pokok", ("GAPOK",)),
    ("tunjangan_istri", "Tunjangan istri/suami", ("TJ_ISTRI",)),
    ("tunjangan_anak", "Tunjangan anak", ("TJ_ANAK",)),
    ("tunjangan_perbaikan", "Tunjangan perbaikan penghasilan", ()),
    ("tunjangan_jabatan", "Tunjangan struktural/fungsional", ("TJ_JABATAN",)),
    ("tunjangan_beras", "Tunjangan beras", ("TJ_BERAS",)),
    ("tunjangan_khusus", "Tunjangan khusus", ()),
    ("tunjangan_lain", "Tunjangan lain-lain (tunjangan umum, premi JKK/JKM/BPJS, THR, gaji ke-13)", ()),
    (
        "penghasilan_tetap_lain",
        "Penghasilan tetap dan teratur lainnya yang dibayar terpisah (TPP)",
        ("TPP_KINERJA", "TPP_DISIPLIN"),
    ),
    ("masa_sebelumnya", "Penghasilan bruto masa sebelum Kinerja (impor)", ()),
)


def _final_runs(tahun: int):
    return (PayrollRun.status == RunStatus.FINAL) & PayrollRun.month.between(date(tahun, 1, 1), date(tahun, 12, 1))


def annual_figures(employee: Employee, tahun: int) -> dict:
    """The year's figures for one employee; `DomainError` before December's (or the last) month is final."""
    dec = db.session.scalar(
        select(PayrollRunEmployee.inputs)
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(
            PayrollRunEmployee.employee_id == employee.id,
            _final_runs(tahun),
            PayrollRun.kind == RunKind.REGULAR,
            PayrollRun.month == date(tahun, 12, 1),
        )
    )
    if dec is None:
        raise DomainError(f"Bukti potong tahunan dibuat setelah gaji Desember {tahun} {employee.name} final.")
    status = json.loads(dec).get("status_ptkp")
    by_code = dict(
        db.session.execute(
            select(PayrollLine.code, func.sum(PayrollLine.amount))
            .join(PayrollRun, PayrollRun.id == PayrollLine.run_id)
            .where(PayrollLine.employee_id == employee.id, PayrollLine.kind == "penghasilan", _final_runs(tahun))
            .group_by(PayrollLine.code)
        ).all()
    )
    bruto, pph, iuran, months = db.session.execute(
        select(
            func.coalesce(func.sum(PayrollRunEmployee.bruto_pph), 0),
            func.coalesce(func.sum(PayrollRunEmployee.pph21), 0),
            func.coalesce(func.sum(PayrollRunEmployee.iuran_pensiun), 0),
            func.count(func.distinct(PayrollRun.month)),
        )
        .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
        .where(PayrollRunEmployee.employee_id == employee.id, _final_runs(tahun))
    ).one()
    imp = db.session.scalar(select(YtdEntry).where(YtdEntry.employee_id == employee.id, YtdEntry.tahun == tahun))
    rows = {}
    for key, _label, codes in FIELDS:
        rows[key] = int(sum(int(by_code.get(c, 0)) for c in codes))
    rows["masa_sebelumnya"] = imp.bruto if imp else 0
    rows["tunjangan_lain"] = int(bruto) - sum(v for k, v in rows.items() if k != "masa_sebelumnya")
    bruto_total = int(bruto) + rows["masa_sebelumnya"]
    iuran_total = int(iuran) + (imp.iuran_pensiun if imp else 0)
    pph_total = int(pph) + (imp.pph21 if imp else 0)
    bulan = int(months) + ((imp.masa_akhir - imp.masa_awal + 1) if imp else 0)
    r = load_rules().resolve(date(tahun, 12, 1))
    t = r.pph_tahunan(status, bruto_total, iuran_total, 0, min(bulan, 12))
    form = bukti_potong_form(tahun)
    masa_awal = imp.masa_awal if imp else None
    first_kinerja = db.session.scalar(
        select(func.min(PayrollRun.month))
        .join(PayrollRunEmployee, PayrollRunEmployee.run_id == PayrollRun.id)
        .where(PayrollRunEmployee.employee_id == employee.id, _final_runs(tahun))
    )
    return {
        "tahun": tahun,
        "form": {"code": form.code, "name": form.name, "citation": form.citation},
        "masa_awal": masa_awal or first_kinerja.month,
        "masa_akhir": 12,
        "status_ptkp": status,
        "rows": [{"key": k, "label": label, "amount": rows[k]} for k, label, _ in FIELDS],
        "bruto": bruto_total,
        "biaya_jabatan": t.biaya_jabatan,
        "iuran_pensiun": iuran_total,
        "pengurang": t.biaya_jabatan + iuran_total,
        "neto": t.neto,
        "ptkp": t.ptkp,
        "pkp": t.pkp,
        "pph_terutang": t.pph_setahun,
        "pph_dipotong": pph_total,
        "selisih": t.pph_setahun - pph_total,
        "rupiah_rules": r.pph_tahunan_version_id,
    }


def build(employees: Sequence[Employee], params: dict) -> dict:
    if len(employees) != 1:
        raise DomainError("Bukti potong diterbitkan untuk satu pegawai.")
    emp = employees[0]
    tahun = int(params.get("tahun") or 0)
    f = annual_figures(emp, tahun)
    s = signer_for(int(params["unit_id"]), DocType.SLIP_GAJI)
    return {
        **f,
        "pegawai": {
            "nama": emp.full_name,
            "nip": emp.nip,
            "pangkat_golongan": emp.pangkat_golongan if emp.golongan else "-",
            "jabatan": emp.position.full_name if emp.position else "-",
            "jenis_kelamin": emp.gender.label,
        },
        "terbilang": terbilang(f["pph_dipotong"]),
        "pemotong": {
            "title": "Pemotong Pajak",
            "jabatan": s.jabatan,
            "name": s.name,
            "nip": s.nip,
            "pangkat": s.pangkat,
            "place": s.place,
            "acting": s.acting.value if hasattr(s.acting, "value") else str(s.acting),
        },
    }


def title(body: dict) -> str:
    return f"Bukti Potong {body['form']['code']} Tahun {body['tahun']} {body['pegawai']['nama']}"


BUKTI_POTONG = DocSpec(
    DocType.BUKTI_POTONG,
    "payroll/pdf/bukti_potong.html",
    build,
    title,
    numbering=Numbering.OPTIONAL,
    signer=lambda body: body["pemotong"],
)


def batch_key(tahun: int) -> str:
    return f"bp{tahun}"


def key(tahun: int, employee_id: int) -> str:
    """The document's idempotency key, the same one the documents batch gives it (`batches.idempotency_key`)."""
    return f"{batch_key(tahun)}:{DocType.BUKTI_POTONG.value}:{employee_id}"


def document(tahun: int, employee_id: int) -> IssuedDocument | None:
    return db.session.scalar(
        select(IssuedDocument).where(
            IssuedDocument.idempotency_key == key(tahun, employee_id), IssuedDocument.status != DocStatus.PENDING
        )
    )


def issue(employee: Employee, tahun: int, unit_id: int, issued_on: date, user_id: int, base_url: str):
    """Issue the year's bukti potong PDF (flush only); an existing one is returned, never issued twice."""
    existing = document(tahun, employee.id)
    if existing is not None:
        return existing, False
    doc = docs.issue(
        DocType.BUKTI_POTONG,
        unit_id=unit_id,
        subjects=[employee],
        params={"tahun": tahun, "unit_id": unit_id},
        issued_on=issued_on,
        user_id=user_id,
        base_url=base_url,
        idempotency_key=key(tahun, employee.id),
    )
    return doc, True


def start_batch(tahun: int, unit_id: int, issued_on: date, user_id: int, base_url: str) -> Job:
    """Enqueue the documents batch job for every employee's bukti potong of the year (the caller commits);
    employees who already have one are skipped by the batch (same idempotency keys)."""
    docs.check_issuer(DocType.BUKTI_POTONG, unit_id, issued_on.year)
    ids = [e.id for e in employees_of_year(tahun) if document(tahun, e.id) is None]
    if not ids:
        raise DomainError(f"Tidak ada bukti potong tahun {tahun} yang perlu diterbitkan.")
    params = {
        "doc_type": DocType.BUKTI_POTONG.value,
        "unit_id": unit_id,
        "employee_ids": ids,
        "issued_on": issued_on.isoformat(),
        "doc_params": {"tahun": tahun, "unit_id": unit_id},
        "base_url": base_url,
        "workers": 2,
        "batch_key": batch_key(tahun),
    }
    return enqueue("dokumen_batch", f"Terbitkan bukti potong PPh 21 tahun {tahun}", params, user_id, total=len(ids))


def employees_of_year(tahun: int) -> list[Employee]:
    """Employees with a final December regular run in `tahun` (those a bukti potong can be made for)."""
    return list(
        db.session.scalars(
            select(Employee)
            .join(PayrollRunEmployee, PayrollRunEmployee.employee_id == Employee.id)
            .join(PayrollRun, PayrollRun.id == PayrollRunEmployee.run_id)
            .where(_final_runs(tahun), PayrollRun.kind == RunKind.REGULAR, PayrollRun.month == date(tahun, 12, 1))
            .distinct()
            .order_by(Employee.name, Employee.id)
        )
    )


def rows_of_year(tahun: int) -> list[tuple[Employee, IssuedDocument | None]]:
    """Every employee of the year with their issued bukti potong (or None), in two queries."""
    docs_by_key = {
        d.idempotency_key: d
        for d in db.session.scalars(
            select(IssuedDocument).where(
                IssuedDocument.idempotency_key.like(f"{batch_key(tahun)}:%"), IssuedDocument.status != DocStatus.PENDING
            )
        )
    }
    return [(e, docs_by_key.get(key(tahun, e.id))) for e in employees_of_year(tahun)]


# The e-Bupot/Coretax element names below follow the fields of the form (1721-A2/BPA2); the exact DJP XML
# template could not be verified (see README, "Bukti potong tahunan"): import through the DJP converter.
XML_FIELDS = {
    "gaji_pokok": "GrossSalary",
    "tunjangan_istri": "SpouseAllowance",
    "tunjangan_anak": "ChildrenAllowance",
    "tunjangan_perbaikan": "IncomeImprovementAllowance",
    "tunjangan_jabatan": "StructuralFunctionalAllowance",
    "tunjangan_beras": "RiceAllowance",
    "tunjangan_khusus": "SpecialAllowance",
    "tunjangan_lain": "OtherAllowance",
    "penghasilan_tetap_lain": "SeparateFixedIncome",
    "masa_sebelumnya": "PriorPeriodGross",
}


def export_xml(tahun: int, withholder_tin: str = "", kode_objek: str = "") -> tuple[bytes, list[str]]:
    """Every employee's annual figures as one XML document, with the employees skipped and why. The tax object
    code is configuration (`BUKTI_POTONG_KODE_OBJEK`): the code DJP lists for PNS could not be verified."""
    root = ET.Element("A2Bulk")
    ET.SubElement(root, "TIN").text = withholder_tin
    lst = ET.SubElement(root, "ListOfA2")
    skipped = []
    for emp in employees_of_year(tahun):
        try:
            f = annual_figures(emp, tahun)
        except DomainError as e:
            skipped.append(f"{emp.name} ({emp.nip}): {e.message}")
            continue
        a2 = ET.SubElement(lst, "A2")
        for tag, value in (
            ("WorkForSecondEmployer", "No"),
            ("TaxPeriodMonthStart", f["masa_awal"]),
            ("TaxPeriodMonthEnd", f["masa_akhir"]),
            ("TaxPeriodYear", tahun),
            ("CounterpartOpt", "Resident"),
            ("CounterpartNIP", emp.nip),
            ("CounterpartName", emp.full_name),
            ("StatusTaxExemption", f["status_ptkp"]),
            ("Position", emp.position.full_name if emp.position else ""),
            ("TaxObjectCode", kode_objek),
            ("FormCode", f["form"]["code"]),
        ):
            ET.SubElement(a2, tag).text = str(value)
        for r in f["rows"]:
            ET.SubElement(a2, XML_FIELDS[r["key"]]).text = str(r["amount"])
        for tag, k in (
            ("Gross", "bruto"),
            ("OccupationalExpense", "biaya_jabatan"),
            ("PensionContribution", "iuran_pensiun"),
            ("NetIncome", "neto"),
            ("NonTaxableIncome", "ptkp"),
            ("TaxableIncome", "pkp"),
            ("TaxPayable", "pph_terutang"),
            ("TaxWithheld", "pph_dipotong"),
        ):
            ET.SubElement(a2, tag).text = str(f[k])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), skipped
