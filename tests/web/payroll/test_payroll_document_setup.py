"""Issue 19 item 2: finance sets up its own OPD's payroll documents (kop surat, signer and number register of
slip gaji and daftar gaji) without HR; nothing else of Dokumen › Pengaturan (access.documents)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from kinerja_web import access
from kinerja_web.domain.documents import DocType
from kinerja_web.extensions import db
from kinerja_web.models import (
    Letterhead,
    NumberRegister,
    SignerConfig,
)
from tests.web.payroll.test_payroll_flow import as_user

KOP = {"pemda_name": "Pemerintah Kabupaten Uji", "opd_name": "Dinas Uji", "address": "Jl. Uji 1", "city": "Kotabumi"}
SIGNER = {"jabatan": "Bendahara", "name": "Siti", "nip": "198203152006042001", "pangkat": "Penata", "place": "Kotabumi"}


@pytest.fixture
def finance(app, org_chart):
    """The operator keuangan works in `opd` (as staff2); the HR account keeps every unit and type."""
    ns = org_chart
    ns.u_operator.employee = ns.staff2
    db.session.commit()
    ns.client = as_user(app, ns.u_operator)
    return ns


def _register(unit_id: int, doc_type: str) -> dict:
    return {"unit_id": unit_id, "doc_type": doc_type, "year": 2026, "pattern": "900/{nomor}/{tahun}", "kode_unit": "U"}


def test_finance_sets_kop_signer_and_register_of_its_opds_payroll_documents(finance):
    ns, c = finance, finance.client
    assert c.get("/dokumen/pengaturan").status_code == 200
    assert c.post("/dokumen/pengaturan/kop", data={"unit_id": ns.opd.id, **KOP}).status_code == 303
    for doc_type in ("slip_gaji", "daftar_gaji"):
        form = {"unit_id": ns.opd.id, "doc_type": doc_type, "acting": "definitif", **SIGNER}
        assert c.post("/dokumen/pengaturan/penanda-tangan", data=form).status_code == 303
        assert c.post("/dokumen/register", data=_register(ns.opd.id, doc_type)).status_code == 303
    assert db.session.scalar(select(Letterhead.unit_id)) == ns.opd.id
    assert {s.doc_type for s in db.session.scalars(select(SignerConfig))} == {DocType.SLIP_GAJI, DocType.DAFTAR_GAJI}
    assert db.session.scalar(select(NumberRegister.unit_id).limit(1)) == ns.opd.id


def test_finance_may_not_set_other_document_types_or_other_units(finance):
    ns, c = finance, finance.client
    wrong = [
        ("/dokumen/pengaturan/kop", {"unit_id": ns.other_opd.id, **KOP}),
        ("/dokumen/pengaturan/penanda-tangan", {"unit_id": ns.opd.id, "doc_type": "surat_tugas", **SIGNER}),
        ("/dokumen/pengaturan/penanda-tangan", {"unit_id": ns.other_opd.id, "doc_type": "slip_gaji", **SIGNER}),
        ("/dokumen/register", _register(ns.opd.id, "sk_penghargaan")),
        ("/dokumen/register", _register(ns.other_opd.id, "slip_gaji")),
    ]
    for url, form in wrong:
        assert c.post(url, data=form).status_code == 422, (url, form)
    assert db.session.scalar(select(Letterhead.id)) is None and db.session.scalar(select(SignerConfig.id)) is None
    assert db.session.scalar(select(NumberRegister.id)) is None
    page = c.get("/dokumen/pengaturan").get_data(as_text=True)
    assert "Slip Gaji" in page and "Surat Tugas" not in page and ns.other_opd.name not in page


def test_finance_sees_only_its_own_settings_and_not_hr_pages(finance):
    ns = finance
    hr = as_user(finance.client.application, ns.u_hr)
    for unit, doc_type in ((ns.opd, "slip_gaji"), (ns.other_opd, "daftar_gaji"), (ns.opd, "surat_tugas")):
        form = {"unit_id": unit.id, "doc_type": doc_type, "acting": "definitif", **SIGNER, "name": f"TTD {doc_type}"}
        assert hr.post("/dokumen/pengaturan/penanda-tangan", data=form).status_code == 303
    page = ns.client.get("/dokumen/pengaturan").get_data(as_text=True)
    assert "TTD slip_gaji" in page and "TTD daftar_gaji" not in page and "TTD surat_tugas" not in page
    for url in ("/dokumen/", "/dokumen/batch", "/dokumen/sk-penghargaan"):
        assert ns.client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("who", "expected"),
    [("u_staff", False), ("u_operator", True), ("u_verifikator", True), ("u_pejabat", True), ("u_hr", True)],
)
def test_who_may_configure_payroll_documents(finance, who, expected):
    ns = finance
    ns.u_verifikator.employee, ns.u_pejabat.employee = ns.kabid, ns.head  # both in `opd`
    user = getattr(ns, who)
    assert access.can_configure_documents(user) is expected
    assert access.can_configure_document(user, ns.opd.id, DocType.SLIP_GAJI) is expected
    assert access.can_configure_document(user, ns.other_opd.id, DocType.SLIP_GAJI) is (who == "u_hr")
    assert access.can_configure_document(user, ns.opd.id, DocType.SURAT_TUGAS) is (who == "u_hr")


def test_finance_without_an_employee_record_has_no_opd_to_configure(finance):
    ns = finance
    ns.u_operator.employee = None
    db.session.commit()
    assert ns.client.get("/dokumen/pengaturan").status_code == 403
