"""Potongan lain-lain and corrections without negative transfers (issue 20 items 4 and 8), through the pages."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select, update

from kinerja_web.domain import DomainError
from kinerja_web.extensions import db
from kinerja_web.models import (
    AuditLog,
    PayrollLine,
    PayrollPayee,
    PayrollPredikat,
    PayrollRun,
    PayrollRunEmployee,
    PayrollStandingOrder,
    RunKind,
)
from kinerja_web.services.payroll import compute, recovery, runs, verification
from tests.upload_files import png
from tests.web.payroll.test_payroll_flow import as_user, make_computed_run
from tests.web.payroll.test_payroll_flow import pay as _pay_fixture

pay = _pay_fixture  # the flow tests' fixture: rules loaded, PTKP and October predikat for everyone

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def finalise(ns, run):
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(run, step, who)
    db.session.commit()


def add_payee(client, name="Koperasi Pegawai Uji", jenis="koperasi"):
    return client.post(
        "/gaji/potongan/penerima",
        data={
            "name": name,
            "jenis": jenis,
            "bank_name": "Bank Lampung",
            "bank_account": "1234567890",
            "month": "2026-10",
        },
    )


def add_order(client, nip, payee_id, document=(PDF, "persetujuan.pdf"), **fields):
    data = {"nip": nip, "payee_id": str(payee_id), "mulai": "2026-10", "month": "2026-10", **fields}
    if document is not None:
        data["dokumen"] = (io.BytesIO(document[0]), document[1])
    return client.post("/gaji/potongan", data=data, content_type="multipart/form-data")


def payee_named(name):
    return db.session.scalar(select(PayrollPayee).where(PayrollPayee.name == name))


def orders_count():
    return db.session.scalar(select(func.count(PayrollStandingOrder.id)))


@pytest.mark.parametrize(
    ("fields", "document", "field_message"),
    [
        ({"jumlah": "250.000"}, None, "Unggah dokumen persetujuan pegawai"),
        ({"persen": "120"}, (PDF, "p.pdf"), "tidak boleh lebih dari 100%"),
        ({"persen": "abc"}, (PDF, "p.pdf"), "Persentase harus berupa angka"),
        ({"jumlah": "250.000"}, (b"MZ\x90\x00not a pdf", "p.pdf"), "PDF, PNG, atau JPEG"),
        ({}, (PDF, "p.pdf"), "Isi jumlah potongan"),
        ({"jumlah": "10000", "sampai": "2026-09"}, (PDF, "p.pdf"), "tidak boleh sebelum bulan mulai"),
    ],
)
def test_bad_standing_orders_are_refused_at_the_field_and_nothing_is_saved(app, pay, fields, document, field_message):
    op = as_user(app, pay.u_operator)
    assert add_payee(op).status_code == 303
    resp = add_order(op, pay.staff1.nip, payee_named("Koperasi Pegawai Uji").id, document, **fields)
    page = html.unescape(resp.text)
    assert resp.status_code == 422 and field_message in page
    assert 'aria-invalid="true"' in page and pay.staff1.nip in page  # typed values kept
    assert orders_count() == 0


def test_a_payee_without_account_is_refused_at_its_field(app, pay):
    op = as_user(app, pay.u_operator)
    resp = op.post("/gaji/potongan/penerima", data={"name": "Bank X", "jenis": "bank", "bank_account": ""})
    assert resp.status_code == 422 and "Nomor rekening penerima wajib diisi" in resp.text
    assert db.session.scalar(select(func.count(PayrollPayee.id))) == 0


def test_a_standing_order_reaches_the_slip_the_transfer_list_and_verify(app, pay):
    op = as_user(app, pay.u_operator)
    add_payee(op)
    kop = payee_named("Koperasi Pegawai Uji")
    resp = add_order(op, pay.staff1.nip, kop.id, jumlah="250.000", reference="KOP-17")
    assert resp.status_code == 303, resp.text
    assert add_order(op, pay.staff2.nip, kop.id, document=(png(), "kuasa.png"), persen="2,5").status_code == 303
    order = db.session.scalars(select(PayrollStandingOrder).order_by(PayrollStandingOrder.id)).first()
    doc = op.get(f"/gaji/potongan/{order.id}/dokumen")
    assert doc.status_code == 200 and doc.data == PDF
    assert db.session.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "download")) >= 1

    run = make_computed_run(app, pay)
    lines = dict(
        db.session.execute(
            select(PayrollLine.employee_id, PayrollLine.amount).where(
                PayrollLine.run_id == run.id, PayrollLine.code == "POT_LAIN_KOPERASI"
            )
        ).all()
    )
    assert lines[pay.staff1.id] == 250_000 and lines[pay.staff2.id] > 0
    slip = html.unescape(op.get(f"/gaji/run/{run.id}/pegawai/{pay.staff1.id}").text)
    assert "Koperasi Pegawai Uji" in slip and "250.000" in slip

    page = html.unescape(op.get(f"/gaji/run/{run.id}/potongan").text)
    assert "Koperasi Pegawai Uji" in page and "KOP-17" in page
    rows = list(csv.reader(io.StringIO(op.get(f"/gaji/run/{run.id}/potongan/{kop.id}.csv").text)))
    assert rows[0][:4] == ["No", "NIP", "Nama", "Jumlah"] and len(rows) == 1 + 2 + 1
    assert int(rows[-1][3]) == lines[pay.staff1.id] + lines[pay.staff2.id]
    pdf = op.get(f"/gaji/run/{run.id}/potongan/{kop.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert verification.verify_run(run).ok


def test_an_order_that_would_push_net_pay_under_the_floor_is_refused(app, pay):
    op = as_user(app, pay.u_operator)
    make_computed_run(app, pay)
    add_payee(op, "Bank Lampung Cabang Uji", "bank")
    bank = payee_named("Bank Lampung Cabang Uji")
    resp = add_order(op, pay.staff1.nip, bank.id, jumlah="50.000.000")
    page = html.unescape(resp.text)
    assert resp.status_code == 422 and "di bawah batas" in page and "gaji bersih terakhir" in page
    assert orders_count() == 0


def test_runs_computed_before_deductions_still_verify_identical(app, pay):
    """Snapshots stored before this feature have no `potongan_lain` and no `ytd.zakat`."""
    run = make_computed_run(app, pay)
    finalise(pay, run)
    for eid, inputs in db.session.execute(
        select(PayrollRunEmployee.employee_id, PayrollRunEmployee.inputs).where(PayrollRunEmployee.run_id == run.id)
    ).all():
        data = json.loads(inputs)
        data.pop("potongan_lain")
        data["ytd"].pop("zakat")
        db.session.execute(
            update(PayrollRunEmployee)
            .where(PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.employee_id == eid)
            .values(inputs=json.dumps(data, sort_keys=True))
        )
    versions = {k: v for k, v in run.rule_versions.items() if k not in ("zakat", "batas_gaji_bersih")}
    run.rule_versions = versions
    db.session.commit()
    assert verification.verify_run(run).ok
    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2026-10"])
    assert out.exit_code == 0 and "IDENTIK" in out.output


def test_a_correction_that_reduces_pay_sends_no_negative_transfer_and_is_recovered_next_month(app, pay):
    run = make_computed_run(app, pay)
    finalise(pay, run)
    db.session.execute(
        update(PayrollPredikat)
        .where(PayrollPredikat.employee_id == pay.staff1.id, PayrollPredikat.month == date(2026, 10, 1))
        .values(predikat="sangat_kurang")
    )
    db.session.commit()
    comp = runs.create_run(run.month, None, pay.u_operator, RunKind.COMPENSATING, original=run, reason="Predikat")
    compute.compute_run(comp, pay.u_operator)
    db.session.commit()
    netto = db.session.scalar(
        select(PayrollRunEmployee.netto).where(
            PayrollRunEmployee.run_id == comp.id, PayrollRunEmployee.employee_id == pay.staff1.id
        )
    )
    assert netto < 0
    finalise(pay, comp)
    op = as_user(app, pay.u_operator)
    bank = op.get(f"/gaji/run/{comp.id}/bank.csv")
    assert bank.status_code == 200
    amounts = [int(r[5]) for r in list(csv.reader(io.StringIO(bank.text)))[1:]]
    assert all(a > 0 for a in amounts) and str(netto) not in bank.text
    assert "Kelebihan pembayaran" in html.unescape(op.get(f"/gaji/run/{comp.id}/potongan").text)
    assert recovery.outstanding_by_employee() == {pay.staff1.id: -netto}

    nov = date(2026, 11, 1)
    for e in pay.people:
        db.session.add(PayrollPredikat(employee_id=e.id, month=nov, predikat="baik", source="uji"))
    db.session.commit()
    regular = runs.create_run(nov, None, pay.u_operator, RunKind.REGULAR)
    compute.compute_run(regular, pay.u_operator)
    db.session.commit()
    line = db.session.execute(
        select(PayrollLine.amount, PayrollLine.label, PayrollLine.inputs).where(
            PayrollLine.run_id == regular.id,
            PayrollLine.employee_id == pay.staff1.id,
            PayrollLine.code == "POT_KELEBIHAN",
        )
    ).one()
    assert line.amount == -netto and "kelebihan pembayaran" in line.label.lower()
    assert f"#{comp.id}" in line.inputs  # the source run, shown in the explanation
    slip = html.unescape(op.get(f"/gaji/run/{regular.id}/pegawai/{pay.staff1.id}").text)
    assert "Potongan kelebihan pembayaran" in slip and f"#{comp.id}" in slip
    assert verification.verify_run(regular).ok
    finalise(pay, regular)
    assert recovery.outstanding_by_employee() == {}


def test_the_bank_file_writer_refuses_non_positive_transfers():
    rows = [SimpleNamespace(name="A", netto=100), SimpleNamespace(name="B", netto=-5)]
    with pytest.raises(DomainError) as e:
        recovery.check_transfers(rows, correction=False)
    assert "Berkas bank ditolak" in e.value.message and "B (-Rp 5)" in e.value.message
    zero = [SimpleNamespace(name="A", netto=100), SimpleNamespace(name="Z", netto=0)]
    assert [r.name for r in recovery.check_transfers(zero, correction=False)] == ["A"]  # no transfer of nothing
    neg = [SimpleNamespace(name="A", netto=100), SimpleNamespace(name="C", netto=-3_882_403)]
    assert [r.name for r in recovery.check_transfers(neg, correction=True)] == ["A"]


def test_the_deductions_page_is_for_finance_and_hr(app, pay):
    assert as_user(app, pay.u_staff).get("/gaji/potongan").status_code in (403, 404)
    page = as_user(app, pay.u_operator).get("/gaji/potongan")
    assert page.status_code == 200 and "Aturan zakat" in page.text
    run = db.session.scalar(select(PayrollRun).limit(1))
    assert run is None or as_user(app, pay.u_staff).get(f"/gaji/run/{run.id}/potongan").status_code in (403, 404)


# --- authorization matrix of the new routes (role × route, ids changed in the URL) -------------------------

ROLES = ("u_staff", "u_kasi", "u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin")
MANAGERS = {"u_hr", "u_operator", "u_admin"}
VIEWERS = {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}


@pytest.fixture
def with_order(app, pay):
    op = as_user(app, pay.u_operator)
    add_payee(op)
    kop = payee_named("Koperasi Pegawai Uji")
    assert add_order(op, pay.staff1.nip, kop.id, jumlah="100.000").status_code == 303
    pay.order = db.session.scalar(select(PayrollStandingOrder))
    pay.payee = kop
    pay.run = make_computed_run(app, pay)
    return pay


@pytest.mark.parametrize(
    ("method", "path", "allowed", "ok"),
    [
        ("GET", "/gaji/potongan", MANAGERS, 200),
        ("GET", "/gaji/potongan/{order}/dokumen", MANAGERS, 200),
        ("GET", "/gaji/potongan/999999/dokumen", MANAGERS, 404),
        ("POST", "/gaji/potongan", MANAGERS, 422),
        ("POST", "/gaji/potongan/penerima", MANAGERS, 422),
        ("POST", "/gaji/potongan/zakat-peserta", MANAGERS, 422),
        ("POST", "/gaji/potongan/{order}/akhiri", MANAGERS, 422),
        ("POST", "/gaji/potongan/999999/akhiri", MANAGERS, 404),
        ("GET", "/gaji/run/{run}/potongan", VIEWERS, 200),
        ("GET", "/gaji/run/{run}/potongan/{payee}.csv", VIEWERS, 200),
        ("GET", "/gaji/run/{run}/potongan/{payee}.pdf", VIEWERS, 200),
        ("GET", "/gaji/run/{run}/potongan/999999.csv", VIEWERS, 404),
        ("GET", "/gaji/run/999999/potongan", set(ROLES), 404),
    ],
)
def test_deduction_routes_by_role(app, with_order, method, path, allowed, ok):
    ns = with_order
    url = path.format(order=ns.order.id, run=ns.run.id, payee=ns.payee.id)
    for role in ROLES:
        client = as_user(app, getattr(ns, role))
        resp = client.get(url) if method == "GET" else client.post(url, data={})
        assert resp.status_code == (ok if role in allowed else 403), (role, url, resp.status_code)
    assert as_user(app, ns.u_operator).get("/gaji/potongan", follow_redirects=False).status_code == 200
    assert orders_count() == 1  # no refused POST stored anything


def test_zakat_paid_through_the_employer_reaches_the_december_true_up(app, pay):
    """PMK 168/2023 Pasal 10 ayat (1) huruf c: zakat of October, November and December (through final runs)
    reduces December's annual neto; the stored line shows the year's zakat."""
    from kinerja_web.domain.payroll.codec import encode
    from kinerja_web.domain.payroll.deductions import ZakatRule
    from kinerja_web.models import PayrollRuleVersion

    db.session.add(
        PayrollRuleVersion(
            code="zakat",
            version_id="zakat@2026-01-01-uji",
            berlaku_mulai=date(2026, 1, 1),
            citation="Uji: zakat tanpa nisab",
            data=encode(ZakatRule(nisab_bulanan=0, penerima="BAZNAS Uji")),
        )
    )
    db.session.commit()
    op = as_user(app, pay.u_operator)
    add_payee(op, "BAZNAS Uji", "zakat")
    assert add_order(op, pay.staff1.nip, payee_named("BAZNAS Uji").id).status_code == 303
    paid = 0
    for m in (10, 11, 12):
        month = date(2026, m, 1)
        if m > 10:
            for e in pay.people:
                db.session.add(PayrollPredikat(employee_id=e.id, month=month, predikat="baik", source="uji"))
            db.session.commit()
        run = runs.create_run(month, None, pay.u_operator, RunKind.REGULAR)
        compute.compute_run(run, pay.u_operator)
        db.session.commit()
        zakat = db.session.scalar(
            select(PayrollLine.amount).where(
                PayrollLine.run_id == run.id, PayrollLine.employee_id == pay.staff1.id, PayrollLine.code == "POT_ZAKAT"
            )
        )
        assert zakat and zakat > 0
        paid += zakat
        if m < 12:
            finalise(pay, run)
    pph = db.session.scalar(
        select(PayrollLine.inputs).where(
            PayrollLine.run_id == run.id, PayrollLine.employee_id == pay.staff1.id, PayrollLine.code == "POT_PPH"
        )
    )
    assert dict(json.loads(pph))["zakat_setahun"] == paid
    other = db.session.scalar(
        select(PayrollLine.inputs).where(
            PayrollLine.run_id == run.id, PayrollLine.employee_id == pay.staff2.id, PayrollLine.code == "POT_PPH"
        )
    )
    assert "zakat_setahun" not in dict(json.loads(other))
    assert verification.verify_run(run).ok
    slip = html.unescape(op.get(f"/gaji/run/{run.id}/pegawai/{pay.staff1.id}").text)
    assert "Zakat melalui pemberi kerja setahun" in slip and "PP 60/2010" in slip


def _opt_out_rule():
    from kinerja_web.domain.payroll.codec import encode
    from kinerja_web.domain.payroll.deductions import ModeZakat, ZakatRule
    from kinerja_web.models import PayrollRuleVersion

    db.session.add(
        PayrollRuleVersion(
            code="zakat",
            version_id="zakat@2026-01-01-opt-out-uji",
            berlaku_mulai=date(2026, 1, 1),
            citation="Uji: Instruksi Bupati zakat ASN (opt-out)",
            data=encode(ZakatRule(nisab_bulanan=0, mode=ModeZakat.OPT_OUT, penerima="BAZNAS Uji")),
        )
    )
    db.session.commit()


def enrol(client, payee_id, nips, document=(PDF, "daftar-peserta.pdf")):
    data = {"payee_id": str(payee_id), "mulai": "2026-10", "nips": nips, "month": "2026-10"}
    if document:
        data["dokumen"] = (io.BytesIO(document[0]), document[1])
    return client.post("/gaji/potongan/zakat-peserta", data=data, content_type="multipart/form-data")


def test_opt_in_rule_refuses_enrolment_by_list(app, pay):
    op = as_user(app, pay.u_operator)
    add_payee(op, "BAZNAS Uji", "zakat")
    resp = enrol(op, payee_named("BAZNAS Uji").id, pay.staff1.nip)
    assert resp.status_code == 422 and "bersifat opt-in" in html.unescape(resp.text) and orders_count() == 0


def test_opt_out_rule_enrols_the_list_and_an_objection_ends_the_order(app, pay):
    _opt_out_rule()
    op = as_user(app, pay.u_operator)
    add_payee(op, "BAZNAS Uji", "zakat")
    baznas = payee_named("BAZNAS Uji").id
    page = html.unescape(op.get("/gaji/potongan?month=2026-10").text)
    assert "Peserta zakat menurut daftar (opt-out)" in page
    bad = enrol(op, baznas, f"{pay.staff1.nip}\n999999999999999999")
    assert bad.status_code == 422 and "NIP tidak dikenal: 999999999999999999" in bad.text and orders_count() == 0
    assert enrol(op, baznas, f"{pay.staff1.nip}\n{pay.staff2.nip}", document=None).status_code == 422
    assert orders_count() == 0
    assert enrol(op, baznas, f"{pay.staff1.nip}\n{pay.staff2.nip}\n{pay.staff1.nip}").status_code == 303
    assert orders_count() == 2
    assert enrol(op, baznas, pay.staff1.nip).status_code == 303 and orders_count() == 2  # already paying
    order = db.session.scalar(select(PayrollStandingOrder).where(PayrollStandingOrder.employee_id == pay.staff2.id))
    no_reason = op.post(f"/gaji/potongan/{order.id}/akhiri", data={"sampai": "2026-10", "alasan": ""})
    assert no_reason.status_code == 422 and "Tuliskan alasan" in no_reason.text
    resp = op.post(
        f"/gaji/potongan/{order.id}/akhiri", data={"sampai": "2026-10", "alasan": "Pernyataan keberatan (opt-out)"}
    )
    assert resp.status_code == 303
    db.session.refresh(order)
    assert order.sampai == date(2026, 10, 1) and "keberatan" in order.ended_reason
