"""Go-live readiness checklist (issue 19 item 3a): example rules in force, documents no unit can issue,
units without kop surat, employees without bank account or PTKP, the data-quality count."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kinerja_web.domain.documents import DocType
from kinerja_web.domain.golive import is_example_citation
from kinerja_web.domain.payroll.special import SPECIAL_RULE_CODE
from kinerja_web.extensions import db
from kinerja_web.models import (
    Letterhead,
    NumberRegister,
    PayrollRuleVersion,
    SignerConfig,
)
from kinerja_web.services.golive import readiness
from kinerja_web.services.org.data_quality import data_quality_issues
from kinerja_web.services.payroll import rules

TODAY = date(2026, 12, 4)
PERBUP = "Perbup Lampung Utara Nomor 7 Tahun 2026 tentang TPP (uji)"


def replace_example(code: str, actor, berlaku_mulai: date = date(2026, 1, 1)) -> None:
    """Enter the regency's own version of one example table (same values, a real citation)."""
    row = db.session.scalars(
        select(PayrollRuleVersion).where(PayrollRuleVersion.code == code).order_by(PayrollRuleVersion.berlaku_mulai)
    ).first()
    draft = rules.RuleVersionDraft(code, f"{code}@perbup-{berlaku_mulai}", berlaku_mulai, None, PERBUP, row.data)
    rules.add_rule_version(draft, actor)
    db.session.commit()


def replace_all_examples(actor, berlaku_mulai: date = date(2026, 1, 1)) -> None:
    codes = {
        r.code
        for r in db.session.scalars(select(PayrollRuleVersion))
        if is_example_citation(r.citation) and r.code != SPECIAL_RULE_CODE
    }
    for code in sorted(codes):
        replace_example(code, actor, berlaku_mulai)


def titles(items) -> list[str]:
    return [i.title for i in items]


def test_an_example_rule_is_listed_until_a_real_version_replaces_it(app, org_chart):
    assert titles(readiness.example_rules(TODAY)) == ["Aturan gaji belum dimuat"]  # nothing loaded is not ready
    rules.seed_rules()
    listed = titles(readiness.example_rules(TODAY))
    assert "Pagu TPP per kelas jabatan" in listed and "Komposisi TPP kinerja/disiplin" in listed
    assert "Gaji pokok PNS" not in listed  # a national table is no example

    replace_example("tpp_pagu", org_chart.u_admin, berlaku_mulai=date(2027, 1, 1))  # decided, not yet in force
    item = next(i for i in readiness.example_rules(TODAY) if i.title == "Pagu TPP per kelas jabatan")
    assert "diganti mulai 1 Januari 2027" in item.detail
    assert item.fix_endpoint == "payroll.rule_form" and item.fix_args == {"code": "tpp_pagu"}  # its own form
    pph = next(i for i in readiness.example_rules(TODAY) if i.title == "Mode PPh 21 atas gaji dan TPP")
    assert pph.fix_endpoint == "payroll.rule_form" and pph.fix_args == {"code": "mode_pph"}  # has a form now

    replace_example("tpp_komposisi", org_chart.u_admin)  # in force since January
    listed = titles(readiness.example_rules(TODAY))
    assert "Komposisi TPP kinerja/disiplin" not in listed and "Pagu TPP per kelas jabatan" in listed


def test_document_types_no_unit_can_issue_and_half_configured_units(app, org_chart):
    ns = org_chart
    gaps = readiness.document_gaps(2026)
    slip = next(i for i in gaps if i.title == "Slip Gaji")
    assert "kop surat, penanda tangan, register nomor 2026 belum diatur" in slip.detail

    db.session.add(Letterhead(unit_id=ns.opd.id, pemda_name="Pemkab", opd_name="BKPSDM", address="Kotabumi"))
    db.session.add(
        NumberRegister(unit_id=ns.opd.id, doc_type=DocType.SLIP_GAJI, year=2026, pattern="{nomor}", kode_unit="X")
    )
    db.session.commit()
    gaps = readiness.document_gaps(2026)
    half = next(i for i in gaps if i.title == f"Slip Gaji — {ns.opd.name}")
    assert "penanda tangan belum ada" in half.detail and half.fix_endpoint == "documents.settings"

    db.session.add(
        SignerConfig(
            unit_id=ns.opd.id,
            doc_type=DocType.SLIP_GAJI,
            jabatan="Kepala",
            name="Siti",
            nip="198203152006042001",
            pangkat="Pembina",
        )
    )
    db.session.commit()
    assert not [i for i in readiness.document_gaps(2026) if i.title.startswith("Slip Gaji")]


def test_units_without_kop_and_employees_without_bank_or_ptkp(app, org_chart):
    ns = org_chart
    assert ns.opd.name in titles(readiness.units_without_letterhead())
    db.session.add(Letterhead(unit_id=ns.opd.id, pemda_name="Pemkab", opd_name="BKPSDM", address="Kotabumi"))
    people = [ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other]
    for e in people:
        e.ptkp_status, e.bank_name, e.bank_account = "TK/0", "Bank Lampung", "1234567890"
    ns.staff1.bank_account = "  "
    ns.staff2.ptkp_status = None
    db.session.commit()
    assert ns.opd.name not in titles(readiness.units_without_letterhead())
    items, total = readiness.employees_missing_pay_data()
    by_id = {i.fix_args["employee_id"]: i for i in items}
    assert {ns.staff1.id, ns.staff2.id} <= set(by_id) and ns.kasi.id not in by_id
    assert (
        by_id[ns.staff1.id].detail == "Belum ada nomor rekening."
        and by_id[ns.staff2.id].detail == "Belum ada status PTKP."
    )
    assert total == len(items)


def test_the_checklist_counts_the_data_quality_queue(app, org_chart):
    rules.seed_rules()
    sections = {s.key: s for s in readiness.checklist(TODAY)}
    assert list(sections) == ["aturan", "dokumen", "kop", "pegawai", "kualitas"]
    assert sections["kualitas"].total == len(data_quality_issues(TODAY))
    assert not sections["aturan"].ready and sections["aturan"].total == len(sections["aturan"].items)
