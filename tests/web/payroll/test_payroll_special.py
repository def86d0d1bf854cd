"""Payroll special runs (issue 7 item 9): THR, gaji ke-13 and rapel through the same workflow and outputs,
and their refusals (second run, unknown kind, months not final, locked run, missing yearly rule)."""

from __future__ import annotations

import csv
import html
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from kinerja_web.domain.payroll.codec import encode
from kinerja_web.domain.payroll.special import MasaBayar, default_special_table
from kinerja_web.domain.payroll.tables import GajiPokokRow, GajiPokokTable
from kinerja_web.extensions import db
from kinerja_web.models import (
    IssuedDocument,
    PayrollLine,
    PayrollPredikat,
    PayrollRuleVersion,
    PayrollRun,
    PayrollRunEmployee,
    RunKind,
    RunStatus,
)
from kinerja_web.services.payroll import compute, months, rules, runs, special, special_history, variance, verification
from kinerja_web.services.payroll import documents as paydocs
from tests.web.payroll.test_payroll_access import ROLES
from tests.web.payroll.test_payroll_documents import computed  # noqa: F401 (fixture: letterhead, signer, numbering)
from tests.web.payroll.test_payroll_flow import as_user

SEP, OCT = date(2026, 9, 1), date(2026, 10, 1)


@pytest.fixture
def pay(org_chart):
    """Rules loaded, PTKP status and September/October predikat for everyone."""
    rules.seed_rules()
    ns = org_chart
    ns.people = [ns.head, ns.kabid, ns.kasi, ns.staff1, ns.staff2, ns.other]
    for e in ns.people:
        e.ptkp_status = "K/1"
        for m in (SEP, OCT):
            db.session.add(PayrollPredikat(employee_id=e.id, month=m, predikat="baik", source="uji"))
    db.session.commit()
    return ns


def add_thr_rule_2026(ns, **thr_changes):
    """The 2026 THR/gaji ke-13 version (the shipped rows stop at 2025: the PP is yearly)."""
    data = encode(default_special_table().versions[-1].data)
    data["thr"]["tmt_paling_lambat"] = "2026-03-01"
    data["gaji13"]["tmt_paling_lambat"] = "2026-06-01"
    data["thr"].update(thr_changes)
    draft = rules.RuleVersionDraft(
        "thr_gaji13", "thr_gaji13@2026", date(2026, 1, 1), date(2026, 12, 31), "PP THR 2026 (uji)", data
    )
    rules.add_rule_version(draft, ns.u_admin)
    db.session.commit()


def final_regular(ns, month) -> PayrollRun:
    run = runs.create_run(month, None, ns.u_operator)
    compute.compute_run(run, ns.u_operator)
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(run, step, who)
    db.session.commit()
    return run


def approve_and_finalise(app, ns, run):
    assert as_user(app, ns.u_verifikator).post(f"/gaji/run/{run.id}/verifikasi").status_code == 303
    pej = as_user(app, ns.u_pejabat)
    assert pej.post(f"/gaji/run/{run.id}/setujui").status_code == 303
    assert pej.post(f"/gaji/run/{run.id}/final").status_code == 303
    db.session.refresh(run)
    assert run.status == RunStatus.FINAL


def create(client, kind, month="2026-10", **extra):
    return client.post("/gaji/run", data={"kind": kind, "month": month, "scope": "pemda", **extra})


def last_run() -> PayrollRun:
    return db.session.scalars(select(PayrollRun).order_by(PayrollRun.id.desc())).first()


def lines_of(run, employee):
    return {
        code: amount
        for code, amount in db.session.execute(
            select(PayrollLine.code, PayrollLine.amount).where(
                PayrollLine.run_id == run.id, PayrollLine.employee_id == employee.id
            )
        )
    }


# ----------------------------------------------------------------------------------------------- THR


def test_thr_goes_through_the_workflow_to_slips_daftar_bank_file_and_verify(app, pay):
    ns = pay
    add_thr_rule_2026(ns)
    regular = final_regular(ns, OCT)
    op = as_user(app, ns.u_operator)
    assert create(op, "thr").status_code == 303
    run = last_run()
    assert run.kind == RunKind.THR and run.status == RunStatus.DRAFT
    assert op.post(f"/gaji/run/{run.id}/hitung").status_code == 303
    db.session.refresh(run)
    assert run.status == RunStatus.DIHITUNG and run.employee_count == 6
    assert run.rule_versions["thr_gaji13"] == "thr_gaji13@2026"

    thr, oct_ = lines_of(run, ns.staff1), lines_of(regular, ns.staff1)
    for code in ("GAPOK", "TJ_ISTRI", "TJ_BERAS"):
        assert thr.get(code) == oct_.get(code)
    assert thr["TPP"] == oct_["TPP_KINERJA"] + oct_["TPP_DISIPLIN"]  # TPP paling banyak 1 bulan, CONTOH 100%
    assert not {"POT_IWP", "POT_BPJS1", "TJ_BPJS", "TJ_JKK"} & thr.keys()

    staff = as_user(app, ns.u_staff)
    url = f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}"
    assert staff.get(url).status_code == 404  # not final yet
    approve_and_finalise(app, ns, run)
    page = staff.get(url)
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Mengapa THR sebesar ini?" in text and "PP THR 2026 (uji)" in text and "PMK 168/2023 Pasal 5" in text
    assert "Kejadian kehadiran" not in text
    assert f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}" in staff.get("/gaji/saya").text

    ws = load_workbook(io.BytesIO(op.get(f"/gaji/run/{run.id}/daftar.xlsx").data)).active
    assert "Gaji pokok (THR)" in [c for c in next(ws.iter_rows(min_row=2, max_row=2, values_only=True))]
    bank = list(csv.reader(io.StringIO(op.get(f"/gaji/run/{run.id}/bank.csv").text)))
    assert len(bank) == 1 + 6 and bank[1][6] == "THR 2026"

    assert verification.verify_run(run).ok
    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2026-10"])
    assert out.exit_code == 0 and out.output.count("IDENTIK") == 2 and "THR Oktober 2026" in out.output


def test_thr_tax_is_taken_on_the_combined_masa_and_counts_in_the_year_to_date(app, pay):
    ns = pay
    add_thr_rule_2026(ns)
    regular = final_regular(ns, OCT)
    run = special.create_special_run(RunKind.THR, OCT, None, ns.u_operator)
    compute.compute_run(run, ns.u_operator)
    reg = db.session.scalars(
        select(PayrollRunEmployee).where(
            PayrollRunEmployee.run_id == regular.id, PayrollRunEmployee.employee_id == ns.staff1.id
        )
    ).one()
    row = db.session.scalars(
        select(PayrollRunEmployee).where(
            PayrollRunEmployee.run_id == run.id, PayrollRunEmployee.employee_id == ns.staff1.id
        )
    ).one()
    pph_line = db.session.scalars(
        select(PayrollLine).where(
            PayrollLine.run_id == run.id, PayrollLine.employee_id == ns.staff1.id, PayrollLine.code == "POT_PPH"
        )
    ).one()
    inputs = dict(json.loads(pph_line.inputs))
    assert inputs["bruto_masa"] == reg.bruto_pph and inputs["pph_masa"] == reg.pph21
    combined = reg.bruto_pph + row.bruto_pph
    assert inputs["bruto"] == combined
    assert row.pph21 == round(Decimal(inputs["tarif"]) * combined) - reg.pph21
    assert row.iuran_pensiun == 0


def test_a_second_thr_in_the_same_year_is_refused_but_gaji_13_is_allowed(app, pay):
    add_thr_rule_2026(pay)
    op = as_user(app, pay.u_operator)
    assert create(op, "thr", "2026-03").status_code == 303
    second = create(op, "thr", "2026-10")
    assert second.status_code == 422
    assert "Sudah ada proses THR tahun 2026" in html.unescape(second.text) and "Proses kedua" in second.text
    assert db.session.scalar(select(func.count(PayrollRun.id))) == 1
    assert create(op, "gaji13", "2026-06").status_code == 303
    assert create(op, "gaji13", "2026-07").status_code == 422


def test_an_unknown_run_kind_is_refused_with_a_message(app, pay):
    op = as_user(app, pay.u_operator)
    for kind in ("bonus", "kompensasi"):
        resp = create(op, kind)
        assert resp.status_code == 422 and f"Jenis penggajian &#39;{kind}&#39; tidak dikenal" in resp.text
    assert db.session.scalar(select(func.count(PayrollRun.id))) == 0


def test_thr_is_refused_while_the_payment_month_is_not_final_and_nothing_is_written(app, pay):
    add_thr_rule_2026(pay)
    regular = runs.create_run(OCT, None, pay.u_operator)
    compute.compute_run(regular, pay.u_operator)
    db.session.commit()
    op = as_user(app, pay.u_operator)
    create(op, "thr")
    run = last_run()
    resp = op.post(f"/gaji/run/{run.id}/hitung")
    assert resp.status_code == 422 and "Gaji bulan Oktober 2026 belum final" in resp.text
    db.session.refresh(run)
    assert run.status == RunStatus.DRAFT
    assert db.session.scalar(select(func.count(PayrollRunEmployee.id)).where(PayrollRunEmployee.run_id == run.id)) == 0


def test_thr_is_refused_without_the_yearly_rule_version(app, pay):
    final_regular(pay, OCT)
    op = as_user(app, pay.u_operator)
    create(op, "thr")
    resp = op.post(f"/gaji/run/{last_run().id}/hitung")
    assert resp.status_code == 422 and "Belum ada ketentuan THR dan gaji ke-13 untuk tahun 2026" in resp.text


def test_employees_after_the_tmt_cut_off_are_left_out_and_listed_with_the_reason(app, pay):
    pay.staff2.tmt_cpns = date(2026, 4, 1)
    db.session.commit()
    add_thr_rule_2026(pay)
    final_regular(pay, OCT)
    op = as_user(app, pay.u_operator)
    create(op, "thr")
    run = last_run()
    op.post(f"/gaji/run/{run.id}/hitung")
    db.session.refresh(run)
    assert run.employee_count == 5 and lines_of(run, pay.staff2) == {}
    page = html.unescape(op.get(f"/gaji/run/{run.id}").text)
    assert "Pegawai yang tidak menerima THR" in page and "Staf Dua" in page and "setelah batas 1 Maret 2026" in page


def test_editing_a_locked_thr_run_through_the_url_is_refused(app, pay):
    add_thr_rule_2026(pay)
    final_regular(pay, OCT)
    run = special.create_special_run(RunKind.THR, OCT, None, pay.u_operator)
    compute.compute_run(run, pay.u_operator)
    db.session.commit()
    before = run.lines_hash
    approve_and_finalise(app, pay, run)
    op = as_user(app, pay.u_operator)
    for url in (f"/gaji/run/{run.id}/hitung", f"/gaji/run/{run.id}/hapus"):
        assert "tidak dapat diubah lagi" in op.post(url, follow_redirects=True).text
    resp = op.post(f"/gaji/run/{run.id}/kompensasi", data={"reason": "   "}, follow_redirects=True)
    assert "Alasan koreksi wajib diisi." in resp.text  # a correction (issue 20 item 5) needs its reason
    db.session.refresh(run)
    assert run.status == RunStatus.FINAL and run.lines_hash == before
    assert db.session.scalar(select(func.count(PayrollRun.id)).where(PayrollRun.original_run_id == run.id)) == 0


# --------------------------------------------------------------------------------------------- rapel


def raise_gaji_pokok(ns, factor=Decimal("1.10")):
    """A gaji pokok table retroactive to 1 January 2026, added after September and October were paid."""
    old = rules.load_rules().gaji_pokok_pns.versions[-1].data
    raised = GajiPokokTable(tuple(GajiPokokRow(r.golongan, r.mkg, int(r.gaji_pokok * factor)) for r in old.rows))
    draft = rules.RuleVersionDraft(
        "gaji_pokok_pns",
        "gaji_pokok_pns@2026-01-01",
        date(2026, 1, 1),
        None,
        "PP kenaikan gaji 2026 (uji)",
        encode(raised),
    )
    rules.add_rule_version(draft, ns.u_admin)
    db.session.commit()


def test_rapel_pays_month_by_month_differences_after_a_retroactive_raise(app, pay):
    ns = pay
    sep, oct_ = final_regular(ns, SEP), final_regular(ns, OCT)
    paid_sep = lines_of(sep, ns.staff1)
    raise_gaji_pokok(ns)
    op = as_user(app, ns.u_operator)
    resp = create(op, "rapel", period_start="2026-09", period_end="2026-10")
    assert resp.status_code == 303
    run = last_run()
    assert op.post(f"/gaji/run/{run.id}/hitung").status_code == 303
    db.session.refresh(run)
    assert run.kind == RunKind.RAPEL and run.employee_count == 6 and run.source_run_ids == [sep.id, oct_.id]

    rows = db.session.execute(
        select(PayrollLine.code, PayrollLine.amount, PayrollLine.inputs).where(
            PayrollLine.run_id == run.id, PayrollLine.employee_id == ns.staff1.id
        )
    ).all()
    gapok = {dict(json.loads(i))["bulan"]: a for c, a, i in rows if c == "GAPOK"}
    expected = int(paid_sep["GAPOK"] * Decimal("1.10")) - paid_sep["GAPOK"]
    assert gapok == {"2026-09-01": expected, "2026-10-01": expected}
    assert {"POT_IWP", "TJ_PPH", "POT_PPH"} <= {c for c, _, _ in rows}
    # not compared with September's gaji, and its signed difference lines are not "zero or negative" items
    assert {i.category for i in variance.variance(run)} <= {"nol"}

    approve_and_finalise(app, ns, run)
    page = html.unescape(as_user(app, ns.u_staff).get(f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}").text)
    assert "Mengapa Rapel sebesar ini?" in page and "Rapel per bulan" in page
    assert "September 2026" in page and "Oktober 2026" in page and "PP kenaikan gaji 2026 (uji)" in page
    assert f"#{sep.id}" in page
    show = op.get(f"/gaji/run/{run.id}").text
    assert f"/gaji/run/{sep.id}" in show and f"/gaji/run/{oct_.id}" in show

    out = app.test_cli_runner().invoke(args=["payroll", "verify", "2026-10"])
    assert out.exit_code == 0 and out.output.count("IDENTIK") == 2

    # One rapel per payment month; and once it is final, a later rapel over the same months (the final rapel
    # lines count as paid) finds no difference and is refused.
    assert "Sudah ada proses Rapel bulan Oktober 2026" in html.unescape(
        create(op, "rapel", period_start="2026-09", period_end="2026-10").text
    )
    nov = date(2026, 11, 1)
    for e in ns.people:
        db.session.add(PayrollPredikat(employee_id=e.id, month=nov, predikat="baik", source="uji"))
    final_regular(ns, nov)
    again = special.create_special_run(RunKind.RAPEL, nov, None, ns.u_operator, SEP, OCT)
    with pytest.raises(months.PayrollRefused, match="Tidak ada selisih"):
        compute.compute_run(again, ns.u_operator)


def test_rapel_refuses_months_that_are_not_final(app, pay):
    final_regular(pay, OCT)
    sep = runs.create_run(SEP, None, pay.u_operator)
    compute.compute_run(sep, pay.u_operator)
    db.session.commit()
    raise_gaji_pokok(pay)
    op = as_user(app, pay.u_operator)
    create(op, "rapel", period_start="2026-08", period_end="2026-10")
    run = last_run()
    resp = op.post(f"/gaji/run/{run.id}/hitung")
    text = html.unescape(resp.text)
    assert resp.status_code == 422
    assert "Gaji bulan Agustus 2026 belum final" in text and "Gaji bulan September 2026 belum final" in text
    assert "Oktober 2026 belum final" not in text
    assert db.session.scalar(select(func.count(PayrollLine.id)).where(PayrollLine.run_id == run.id)) == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"period_start": "2026-10", "period_end": "2026-09"}, "Bulan akhir rapel tidak boleh sebelum bulan awal"),
        ({"period_start": "2026-09", "period_end": "2026-11"}, "Rapel hanya untuk bulan yang sudah dibayar"),
        ({"period_start": "", "period_end": ""}, "tidak sah"),
    ],
)
def test_bad_rapel_periods_are_refused_and_the_input_is_kept(app, pay, extra, message):
    resp = create(as_user(app, pay.u_operator), "rapel", **extra)
    assert resp.status_code == 422 and message in html.unescape(resp.text)
    assert 'value="rapel" selected' in resp.text
    assert db.session.scalar(select(func.count(PayrollRun.id))) == 0


# -------------------------------------------------------------------------------------------- access


@pytest.fixture
def thr_run(pay):
    add_thr_rule_2026(pay)
    final_regular(pay, OCT)
    pay.thr = special.create_special_run(RunKind.THR, OCT, None, pay.u_operator)
    compute.compute_run(pay.thr, pay.u_operator)
    db.session.commit()
    return pay


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/gaji/run/{run}", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/run/{run}/varians", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/run/{run}/daftar", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
        ("/gaji/run/{run}/daftar.xlsx", {"u_hr", "u_operator", "u_verifikator", "u_pejabat", "u_admin"}),
    ],
)
def test_thr_run_pages_by_role(app, thr_run, path, allowed):
    for role in ROLES:
        resp = as_user(app, getattr(thr_run, role)).get(path.format(run=thr_run.thr.id))
        assert resp.status_code == (200 if role in allowed else 403), (role, path)


def test_creating_a_special_run_is_for_the_operator_only(app, pay):
    for role in ROLES:
        if role == "u_operator":
            continue
        resp = create(as_user(app, getattr(pay, role)), "thr")
        assert resp.status_code == 403, role
    assert db.session.scalar(select(func.count(PayrollRun.id))) == 0


def test_thr_slips_own_after_final_others_404(app, thr_run):
    ns, run = thr_run, thr_run.thr
    url = f"/gaji/run/{run.id}/pegawai/{ns.staff1.id}"
    assert as_user(app, ns.u_hr).get(url).status_code == 200
    assert as_user(app, ns.u_staff).get(url).status_code == 404
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(run, step, who)
    db.session.commit()
    assert as_user(app, ns.u_staff).get(url).status_code == 200
    assert as_user(app, ns.u_other).get(url).status_code == 404
    assert as_user(app, ns.u_kasi).get(url).status_code == 404


def test_a_thr_rule_version_is_added_through_the_rules_page_and_checked(app, pay):
    admin = as_user(app, pay.u_admin)
    data = encode(default_special_table().versions[-1].data)
    data["thr"]["persen_tpp"] = "1.5"
    form = {
        "code": "thr_gaji13",
        "version_id": "thr_gaji13@2026",
        "berlaku_mulai": "2026-01-01",
        "berlaku_sampai": "2026-12-31",
        "citation": "PP THR 2026 (uji)",
        "data": json.dumps(data),
    }
    resp = admin.post("/gaji/aturan", data=form)
    assert resp.status_code == 422 and "paling banyak 1 bulan" in resp.text
    data["thr"]["persen_tpp"] = "0.5"
    assert admin.post("/gaji/aturan", data={**form, "data": json.dumps(data)}).status_code == 303
    assert db.session.scalar(
        select(PayrollRuleVersion.citation).where(PayrollRuleVersion.version_id == "thr_gaji13@2026")
    )


# ----------------------------------------------------------------------------------------- documents


def test_thr_slip_and_daftar_pdfs_are_issued_through_the_existing_documents(app, computed):  # noqa: F811
    from tests.web.payroll.test_payroll_documents import finalise, pdf_text

    ns = computed
    finalise(ns)
    add_thr_rule_2026(ns)
    run = special.create_special_run(RunKind.THR, OCT, None, ns.u_operator)
    compute.compute_run(run, ns.u_operator)
    for step, who in (("verify", ns.u_verifikator), ("approve", ns.u_pejabat), ("finalise", ns.u_pejabat)):
        runs.transition(run, step, who)
    db.session.commit()
    op = as_user(app, ns.u_operator)
    assert op.post(f"/gaji/run/{run.id}/slip/terbitkan", data={"unit_id": ns.opd.id}).status_code == 303
    doc = paydocs.slip_document(run.id, ns.staff1.id)
    assert doc is not None and doc.title.startswith("Slip THR Oktober 2026")
    text = pdf_text(db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == doc.id)))
    assert "SLIP THR PEGAWAI" in text and "Predikat kinerja" not in text and "Gaji pokok (THR)" in text
    resp = op.post(f"/gaji/run/{run.id}/daftar/terbitkan", data={"unit_id": ns.opd.id, "opd_id": ns.opd.id})
    assert resp.status_code == 303
    daftar = paydocs.daftar_document(run.id, ns.opd.id)
    assert "DAFTAR THR" in pdf_text(db.session.scalar(select(IssuedDocument.pdf).where(IssuedDocument.id == daftar.id)))


def test_fast_snapshot_readers_equal_the_generic_codec(app, pay):
    from kinerja_web.domain.payroll import EmployeeInputs
    from kinerja_web.domain.payroll.codec import decode
    from kinerja_web.domain.payroll.special import RapelInputs

    sep = final_regular(pay, SEP)
    text = db.session.scalar(select(PayrollRunEmployee.inputs).where(PayrollRunEmployee.run_id == sep.id).limit(1))
    assert special_history.snapshot_inputs(text) == decode(EmployeeInputs, json.loads(text))
    paid = special_history.rapel_paid([SEP], [pay.staff1.id])[(pay.staff1.id, SEP)]
    raw = special_history.rapel_json([(SEP, text, paid, [sep.id])], text, MasaBayar(1, 2, 3))
    assert special_history.rapel_from(raw) == decode(RapelInputs, json.loads(raw))
    assert special_history.rapel_from(raw).months[0].dibayar["GAPOK"].amount > 0
